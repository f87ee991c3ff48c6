#include "tests/cluster/http_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace cellar::testcluster {

namespace {

constexpr size_t kMaxHeaderBytes = 1 << 20;
constexpr size_t kMaxBodyBytes = 64 << 20;

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

std::string trim(const std::string& text) {
  size_t begin = text.find_first_not_of(" \t");
  if (begin == std::string::npos) return "";
  size_t end = text.find_last_not_of(" \t\r");
  return text.substr(begin, end - begin + 1);
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string percent_decode(std::string_view text, bool plus_is_space) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '%' && i + 2 < text.size()) {
      int hi = hex_value(text[i + 1]);
      int lo = hex_value(text[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out += static_cast<char>(hi * 16 + lo);
        i += 2;
        continue;
      }
    }
    out += (plus_is_space && c == '+') ? ' ' : c;
  }
  return out;
}

const char* reason_phrase(int status) {
  switch (status) {
    case 100:
      return "Continue";
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 202:
      return "Accepted";
    case 204:
      return "No Content";
    case 304:
      return "Not Modified";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 406:
      return "Not Acceptable";
    case 409:
      return "Conflict";
    case 410:
      return "Gone";
    case 413:
      return "Request Entity Too Large";
    case 415:
      return "Unsupported Media Type";
    case 422:
      return "Unprocessable Entity";
    case 429:
      return "Too Many Requests";
    case 500:
      return "Internal Server Error";
    case 503:
      return "Service Unavailable";
    case 504:
      return "Gateway Timeout";
    default:
      return "Status";
  }
}

// Picks http/1.1 from the client's ALPN list; without it, the handshake goes on without ALPN.
int select_alpn(SSL*, const unsigned char** out, unsigned char* out_len, const unsigned char* in,
                unsigned int in_len, void*) {
  for (unsigned int i = 0; i < in_len;) {
    unsigned int len = in[i];
    if (i + 1 + len > in_len) break;
    if (len == 8 && std::memcmp(in + i + 1, "http/1.1", 8) == 0) {
      *out = in + i + 1;
      *out_len = static_cast<unsigned char>(len);
      return SSL_TLSEXT_ERR_OK;
    }
    i += 1 + len;
  }
  return SSL_TLSEXT_ERR_NOACK;
}

SSL_CTX* make_context(const HttpServerOptions& options, std::string* error) {
  SSL_CTX* ctx = SSL_CTX_new(TLS_server_method());
  if (ctx == nullptr) {
    *error = "cannot make a TLS context";
    return nullptr;
  }
  SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
  BIO* cert_bio =
      BIO_new_mem_buf(options.cert_pem.data(), static_cast<int>(options.cert_pem.size()));
  BIO* key_bio = BIO_new_mem_buf(options.key_pem.data(), static_cast<int>(options.key_pem.size()));
  X509* cert = PEM_read_bio_X509(cert_bio, nullptr, nullptr, nullptr);
  EVP_PKEY* key = PEM_read_bio_PrivateKey(key_bio, nullptr, nullptr, nullptr);
  bool ok = cert != nullptr && key != nullptr && SSL_CTX_use_certificate(ctx, cert) == 1 &&
            SSL_CTX_use_PrivateKey(ctx, key) == 1 && SSL_CTX_check_private_key(ctx) == 1;
  X509_free(cert);
  EVP_PKEY_free(key);
  BIO_free(cert_bio);
  BIO_free(key_bio);
  if (!ok) {
    *error = "the server certificate or key is not usable";
    SSL_CTX_free(ctx);
    return nullptr;
  }
  SSL_CTX_set_alpn_select_cb(ctx, select_alpn, nullptr);
  return ctx;
}

}  // namespace

std::string HttpRequestData::header(const std::string& name) const {
  auto it = headers.find(name);
  return it == headers.end() ? "" : it->second;
}

std::string HttpRequestData::query_param(const std::string& name) const {
  auto it = query.find(name);
  return it == query.end() ? "" : it->second;
}

struct HttpServer::Connection {
  std::mutex fd_mu;  // guards fd against a shutdown() racing the close
  int fd = -1;
  SSL* ssl = nullptr;
  std::thread thread;
  std::atomic<bool> streaming{false};
  std::atomic<bool> cut{false};
  std::atomic<bool> finished{false};
  std::string in;  // bytes read but not yet parsed

  void shutdown_socket() {
    std::lock_guard<std::mutex> lock(fd_mu);
    if (fd >= 0) ::shutdown(fd, SHUT_RDWR);
  }

  // Reads more bytes into `in`; false at end of stream or on error.
  bool read_more() {
    char buffer[16384];
    int n = SSL_read(ssl, buffer, sizeof buffer);
    if (n <= 0) return false;
    in.append(buffer, static_cast<size_t>(n));
    return true;
  }

  bool write_all(std::string_view data) {
    while (!data.empty()) {
      int n = SSL_write(ssl, data.data(), static_cast<int>(data.size()));
      if (n <= 0) return false;
      data.remove_prefix(static_cast<size_t>(n));
    }
    return true;
  }

  // Reads up to and including the next CRLF; false when the stream ends first.
  bool read_line(std::string* line, size_t limit) {
    while (true) {
      size_t end = in.find("\r\n");
      if (end != std::string::npos) {
        *line = in.substr(0, end);
        in.erase(0, end + 2);
        return true;
      }
      if (in.size() > limit || !read_more()) return false;
    }
  }

  bool read_exact(size_t count, std::string* out) {
    while (in.size() < count) {
      if (!read_more()) return false;
    }
    out->append(in, 0, count);
    in.erase(0, count);
    return true;
  }
};

namespace {

// The Responder of one exchange on a connection.
class ConnectionResponder : public Responder {
 public:
  ConnectionResponder(std::shared_ptr<void> keep, std::atomic<bool>* stopping, bool keep_alive,
                      std::function<bool(std::string_view)> write, std::function<bool()> hung_up,
                      std::atomic<bool>* streaming, std::atomic<bool>* cut)
      : keep_(std::move(keep)),
        stopping_(stopping),
        keep_alive_(keep_alive),
        write_(std::move(write)),
        hung_up_(std::move(hung_up)),
        streaming_(streaming),
        cut_(cut) {}

  void respond(const HttpResponseData& response) override {
    if (responded_) return;
    responded_ = true;
    std::string head = status_line(response.status);
    head += "Content-Type: " + response.content_type + "\r\n";
    head += "Content-Length: " + std::to_string(response.body.size()) + "\r\n";
    for (const auto& [name, value] : response.headers) head += name + ": " + value + "\r\n";
    if (!keep_alive_) head += "Connection: close\r\n";
    head += "\r\n";
    broken_ = !write_(head + response.body);
  }

  bool begin_stream(int status, const std::string& content_type,
                    const std::vector<std::pair<std::string, std::string>>& headers) override {
    if (responded_) return false;
    responded_ = true;
    streaming_->store(true);
    std::string head = status_line(status);
    head += "Content-Type: " + content_type + "\r\n";
    head += "Transfer-Encoding: chunked\r\n";
    for (const auto& [name, value] : headers) head += name + ": " + value + "\r\n";
    head += "\r\n";
    stream_open_ = write_(head);
    broken_ = !stream_open_;
    return stream_open_;
  }

  bool send_chunk(std::string_view data) override {
    if (!stream_open_ || broken_ || cut_->load()) return false;
    if (data.empty()) return true;  // an empty chunk would end the stream
    char size[32];
    std::snprintf(size, sizeof size, "%zx\r\n", data.size());
    std::string chunk = size;
    chunk.append(data);
    chunk += "\r\n";
    broken_ = !write_(chunk);
    return !broken_;
  }

  bool closed() override { return broken_ || cut_->load() || stopping_->load() || hung_up_(); }

  // After the handler: ends a stream properly unless it was cut; answers a handler that forgot.
  // Returns whether the connection may serve another request.
  bool finish() {
    if (cut_->load()) return false;
    if (!responded_) {
      HttpResponseData error;
      error.status = 500;
      error.body = R"({"kind":"Status","apiVersion":"v1","status":"Failure","code":500})";
      respond(error);
    }
    if (stream_open_ && !broken_) broken_ = !write_("0\r\n\r\n");
    streaming_->store(false);
    return keep_alive_ && !broken_;
  }

 private:
  static std::string status_line(int status) {
    return "HTTP/1.1 " + std::to_string(status) + " " + reason_phrase(status) +
           "\r\nCache-Control: no-cache, private\r\n";
  }

  std::shared_ptr<void> keep_;
  std::atomic<bool>* stopping_;
  bool keep_alive_;
  std::function<bool(std::string_view)> write_;
  std::function<bool()> hung_up_;
  std::atomic<bool>* streaming_;
  std::atomic<bool>* cut_;
  bool responded_ = false;
  bool stream_open_ = false;
  bool broken_ = false;
};

}  // namespace

HttpServer::HttpServer(HttpServerOptions options, HttpHandler handler)
    : options_(std::move(options)), handler_(std::move(handler)) {}

HttpServer::~HttpServer() {
  stop();
}

bool HttpServer::start(std::string* error) {
  // A client that hangs up mid-write must cost an error code, not the process.
  signal(SIGPIPE, SIG_IGN);
  SSL_CTX* ctx = make_context(options_, error);
  if (ctx == nullptr) return false;
  ssl_ctx_ = ctx;

  listen_fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int one = 1;
  setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(static_cast<uint16_t>(options_.port));
  if (bind(listen_fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      listen(listen_fd_, 512) != 0) {
    *error =
        "cannot listen on 127.0.0.1:" + std::to_string(options_.port) + ": " + std::strerror(errno);
    close(listen_fd_);
    listen_fd_ = -1;
    return false;
  }
  socklen_t length = sizeof address;
  getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&address), &length);
  port_ = ntohs(address.sin_port);
  if (pipe2(wake_fds_, O_CLOEXEC) != 0) {
    *error = std::string("pipe: ") + std::strerror(errno);
    return false;
  }
  acceptor_ = std::thread([this] { accept_loop(); });
  return true;
}

void HttpServer::accept_loop() {
  while (!stopping_.load()) {
    pollfd fds[2] = {{listen_fd_, POLLIN, 0}, {wake_fds_[0], POLLIN, 0}};
    if (poll(fds, 2, 1000) < 0 && errno != EINTR) break;
    reap_finished();
    if (fds[1].revents != 0 || stopping_.load()) break;
    if ((fds[0].revents & POLLIN) == 0) continue;
    int fd = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    int one = 1;
    // Watch events and small answers must leave at once, not wait for Nagle.
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    auto connection = std::make_shared<Connection>();
    connection->fd = fd;
    std::lock_guard<std::mutex> lock(mu_);
    connections_.push_back(connection);
    connection->thread = std::thread([this, connection] { serve(connection); });
  }
}

void HttpServer::reap_finished() {
  std::vector<std::shared_ptr<Connection>> done;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto split = std::stable_partition(connections_.begin(), connections_.end(),
                                       [](const auto& c) { return !c->finished.load(); });
    done.assign(split, connections_.end());
    connections_.erase(split, connections_.end());
  }
  for (auto& c : done) c->thread.join();
}

void HttpServer::serve(const std::shared_ptr<Connection>& c) {
  c->ssl = SSL_new(static_cast<SSL_CTX*>(ssl_ctx_));
  SSL_set_fd(c->ssl, c->fd);
  bool open = SSL_accept(c->ssl) == 1;
  auto write = [c](std::string_view data) { return c->write_all(data); };
  auto hung_up = [c] {
    pollfd p{c->fd, POLLRDHUP, 0};
    return poll(&p, 1, 0) > 0 && (p.revents & (POLLRDHUP | POLLHUP | POLLERR | POLLNVAL)) != 0;
  };
  while (open && !stopping_.load()) {
    HttpRequestData request;
    std::string line;
    if (!c->read_line(&line, kMaxHeaderBytes)) break;
    if (line.empty()) continue;  // a stray CRLF between requests is allowed
    size_t first = line.find(' ');
    size_t second = line.rfind(' ');
    if (first == std::string::npos || second == first) break;
    request.method = line.substr(0, first);
    request.target = line.substr(first + 1, second - first - 1);
    std::string version = line.substr(second + 1);
    size_t header_bytes = 0;
    bool bad = false;
    while (true) {
      if (!c->read_line(&line, kMaxHeaderBytes)) {
        bad = true;
        break;
      }
      if (line.empty()) break;
      header_bytes += line.size();
      size_t colon = line.find(':');
      if (colon == std::string::npos || header_bytes > kMaxHeaderBytes) {
        bad = true;
        break;
      }
      std::string name = lower(line.substr(0, colon));
      std::string value = trim(line.substr(colon + 1));
      auto [it, inserted] = request.headers.emplace(name, value);
      if (!inserted) it->second += ", " + value;
    }
    if (bad) break;

    size_t question = request.target.find('?');
    request.path = percent_decode(request.target.substr(0, question), false);
    if (question != std::string::npos) {
      std::string_view query(request.target);
      query.remove_prefix(question + 1);
      while (!query.empty()) {
        size_t amp = query.find('&');
        std::string_view pair = query.substr(0, amp);
        size_t eq = pair.find('=');
        std::string key = percent_decode(pair.substr(0, eq), true);
        std::string value =
            eq == std::string_view::npos ? "" : percent_decode(pair.substr(eq + 1), true);
        if (!key.empty()) request.query.emplace(key, value);
        if (amp == std::string_view::npos) break;
        query.remove_prefix(amp + 1);
      }
    }

    if (lower(request.header("expect")) == "100-continue" &&
        !c->write_all("HTTP/1.1 100 Continue\r\n\r\n")) {
      break;
    }
    if (lower(request.header("transfer-encoding")).find("chunked") != std::string::npos) {
      while (true) {
        if (!c->read_line(&line, kMaxHeaderBytes)) {
          bad = true;
          break;
        }
        size_t size = std::strtoul(line.c_str(), nullptr, 16);
        if (size == 0) {
          while (c->read_line(&line, kMaxHeaderBytes) && !line.empty()) {
          }
          break;
        }
        std::string crlf;
        if (request.body.size() + size > kMaxBodyBytes || !c->read_exact(size, &request.body) ||
            !c->read_exact(2, &crlf)) {
          bad = true;
          break;
        }
      }
    } else if (!request.header("content-length").empty()) {
      size_t length = std::strtoul(request.header("content-length").c_str(), nullptr, 10);
      if (length > kMaxBodyBytes || !c->read_exact(length, &request.body)) bad = true;
    }
    if (bad) break;

    bool keep_alive = version == "HTTP/1.1" && lower(request.header("connection")) != "close";
    ConnectionResponder responder(c, &stopping_, keep_alive, write, hung_up, &c->streaming,
                                  &c->cut);
    handler_(request, responder);
    if (!responder.finish()) break;
  }
  if (!c->cut.load() && open) SSL_shutdown(c->ssl);
  SSL_free(c->ssl);
  c->ssl = nullptr;
  {
    std::lock_guard<std::mutex> lock(c->fd_mu);
    close(c->fd);
    c->fd = -1;
  }
  ERR_clear_error();
  c->finished.store(true);
}

void HttpServer::cut_streams() {
  std::lock_guard<std::mutex> lock(mu_);
  for (auto& c : connections_) {
    if (c->streaming.load()) {
      c->cut.store(true);
      c->shutdown_socket();
    }
  }
}

void HttpServer::stop() {
  if (stopping_.exchange(true)) return;
  if (wake_fds_[1] >= 0) {
    char byte = 1;
    (void)!write(wake_fds_[1], &byte, 1);
  }
  if (acceptor_.joinable()) acceptor_.join();
  std::vector<std::shared_ptr<Connection>> all;
  {
    std::lock_guard<std::mutex> lock(mu_);
    all.swap(connections_);
  }
  for (auto& c : all) c->shutdown_socket();
  for (auto& c : all) c->thread.join();
  if (listen_fd_ >= 0) close(listen_fd_);
  for (int& fd : wake_fds_) {
    if (fd >= 0) close(fd);
    fd = -1;
  }
  listen_fd_ = -1;
  if (ssl_ctx_ != nullptr) SSL_CTX_free(static_cast<SSL_CTX*>(ssl_ctx_));
  ssl_ctx_ = nullptr;
}

}  // namespace cellar::testcluster
