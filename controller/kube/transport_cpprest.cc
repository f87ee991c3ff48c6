// The HTTPS transport over cpprestsdk. This is the one file in Cellar that includes cpprestsdk:
// its headers are slow to compile and the library is archived, so it stays behind transport.h.
//
// Timing is ours, not the library's: cpprest's own timeout is an idle timer shared by every
// request of a client, so each call here waits on its task with its own deadline and cancels the
// request when the deadline passes. Blocking waits happen on the caller's thread, never inside a
// continuation, so the library's thread pool is never tied up by a slow watch.
#include <arpa/inet.h>
#include <cpprest/containerstream.h>
#include <cpprest/http_client.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
#include <vector>

#include "controller/kube/transport.h"

namespace cellar::kube {
namespace {

namespace http = web::http;
using Millis = std::chrono::milliseconds;

struct X509Free {
  void operator()(X509* x) const { X509_free(x); }
};
struct PKeyFree {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
using X509Ptr = std::unique_ptr<X509, X509Free>;
using PKeyPtr = std::unique_ptr<EVP_PKEY, PKeyFree>;

std::string openssl_error() {
  unsigned long code = ERR_get_error();
  ERR_clear_error();
  if (code == 0) return "unknown OpenSSL error";
  char buf[256];
  ERR_error_string_n(code, buf, sizeof buf);
  return buf;
}

Result<std::vector<X509Ptr>> parse_certificates(const std::string& pem, const std::string& what) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(
      BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), &BIO_free);
  std::vector<X509Ptr> certs;
  while (X509* cert = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) {
    certs.emplace_back(cert);
  }
  // Reading stops at the end of the data with an error on OpenSSL's queue: expected, dropped.
  ERR_clear_error();
  if (certs.empty()) return Error::transport(what + ": no PEM certificate found");
  return certs;
}

Result<PKeyPtr> parse_key(const std::string& pem) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(
      BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), &BIO_free);
  EVP_PKEY* key = PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr);
  if (!key) return Error::transport("client key: not a PEM private key (" + openssl_error() + ")");
  return PKeyPtr(key);
}

// The certificates and key a connection presents and trusts, parsed once and installed into the
// SSL context of every new connection.
struct TlsMaterial {
  std::vector<X509Ptr> authorities;
  std::vector<X509Ptr> client_chain;  // leaf first
  PKeyPtr client_key;

  // Only the configured CA is trusted when there is one, as kubectl does: the system roots are
  // replaced, not extended.
  void install(SSL_CTX* ctx) const {
    SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
    if (!authorities.empty()) {
      X509_STORE* store = X509_STORE_new();
      for (const auto& ca : authorities) X509_STORE_add_cert(store, ca.get());
      SSL_CTX_set_cert_store(ctx, store);
    }
    if (!client_chain.empty()) {
      SSL_CTX_use_certificate(ctx, client_chain.front().get());
      for (size_t i = 1; i < client_chain.size(); ++i) {
        SSL_CTX_add1_chain_cert(ctx, client_chain[i].get());
      }
      SSL_CTX_use_PrivateKey(ctx, client_key.get());
    }
  }
};

Result<std::shared_ptr<TlsMaterial>> load_tls(const Config& config) {
  auto tls = std::make_shared<TlsMaterial>();
  if (!config.ca_pem.empty()) {
    auto cas = parse_certificates(config.ca_pem, "certificate authority");
    if (!cas) return cas.error();
    tls->authorities = std::move(*cas);
  }
  if (!config.client_cert_pem.empty() || !config.client_key_pem.empty()) {
    auto chain = parse_certificates(config.client_cert_pem, "client certificate");
    if (!chain) return chain.error();
    auto key = parse_key(config.client_key_pem);
    if (!key) return key.error();
    if (X509_check_private_key(chain->front().get(), key->get()) != 1) {
      ERR_clear_error();
      return Error::transport("client certificate and client key do not match");
    }
    tls->client_chain = std::move(*chain);
    tls->client_key = std::move(*key);
  }
  return tls;
}

bool is_ip_literal(std::string host) {
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  unsigned char buf[sizeof(struct in6_addr)];
  return inet_pton(AF_INET, host.c_str(), buf) == 1 || inet_pton(AF_INET6, host.c_str(), buf) == 1;
}

std::chrono::seconds retry_after_of(const http::http_response& response) {
  auto it = response.headers().find("Retry-After");
  if (it == response.headers().end()) return std::chrono::seconds{0};
  // Only the delay-seconds form: kube-apiserver never sends an HTTP date here.
  try {
    long seconds = std::stol(it->second);
    return std::chrono::seconds{seconds > 0 ? seconds : 0};
  } catch (const std::exception&) {
    return std::chrono::seconds{0};
  }
}

// The outcome of a library task, handed from the pool thread that completes it to the caller
// that waits for it. The continuation observes every exception: an unobserved failed task would
// abort the process.
template <typename T>
struct Outcome {
  std::mutex mu;
  std::condition_variable cv;
  bool done = false;
  bool abandoned = false;  // the waiter gave up (cancel from another thread)
  std::optional<T> value;
  std::string error;

  // True when the task finished (value or error); false when abandoned or out of time.
  bool wait_for(Millis timeout) {
    std::unique_lock<std::mutex> lock(mu);
    cv.wait_for(lock, timeout, [&] { return done || abandoned; });
    return done;
  }
  void abandon() {
    std::lock_guard<std::mutex> lock(mu);
    abandoned = true;
    cv.notify_all();
  }
};

template <typename T>
std::shared_ptr<Outcome<T>> observe(const pplx::task<T>& task) {
  auto outcome = std::make_shared<Outcome<T>>();
  task.then([outcome](pplx::task<T> finished) {
    std::optional<T> value;
    std::string error;
    try {
      value.emplace(finished.get());
    } catch (const std::exception& e) {
      error = e.what();
    } catch (...) {
      error = "unknown failure";
    }
    std::lock_guard<std::mutex> lock(outcome->mu);
    outcome->value = std::move(value);
    outcome->error = std::move(error);
    outcome->done = true;
    outcome->cv.notify_all();
  });
  return outcome;
}

// The bearer token: inline, or read from a file that the kubelet rotates. The file is read again
// when its modification time changes, and at least once a minute in case a rotation kept the
// time (a projected volume swaps a symlink, which can).
class TokenSource {
 public:
  TokenSource(std::string token, std::string file)
      : inline_(std::move(token)), file_(std::move(file)) {}

  // "" when the config names no token at all.
  Result<std::string> token() {
    if (!inline_.empty() || file_.empty()) return inline_;
    std::lock_guard<std::mutex> lock(mu_);
    auto now = std::chrono::steady_clock::now();
    std::error_code ec;
    auto mtime = std::filesystem::last_write_time(file_, ec);
    bool stale = cached_.empty() || (!ec && mtime != mtime_) || now - read_at_ >= kRefresh;
    if (!stale) return cached_;
    std::ifstream in(file_);
    std::ostringstream text;
    text << in.rdbuf();
    std::string token = trim(text.str());
    if (!in || token.empty()) {
      // A rotation in progress may leave the file briefly unreadable: the last token is still the
      // best guess, and the server says so with a 401 if it is not.
      if (!cached_.empty()) return cached_;
      return Error::transport("cannot read the bearer token file " + file_);
    }
    cached_ = std::move(token);
    mtime_ = mtime;
    read_at_ = now;
    return cached_;
  }

 private:
  static constexpr std::chrono::minutes kRefresh{1};

  static std::string trim(const std::string& s) {
    auto begin = s.find_first_not_of(" \t\r\n");
    if (begin == std::string::npos) return {};
    auto end = s.find_last_not_of(" \t\r\n");
    return s.substr(begin, end - begin + 1);
  }

  std::mutex mu_;
  std::string inline_;
  std::string file_;
  std::string cached_;
  std::filesystem::file_time_type mtime_{};
  std::chrono::steady_clock::time_point read_at_{};
};

struct Line {
  std::string text;
  bool end = false;
};

// A response body read line by line on the caller's thread.
class CpprestLineReader final : public LineReader {
 public:
  CpprestLineReader(http::http_response response, pplx::cancellation_token_source cancel,
                    Millis idle_timeout)
      : response_(std::move(response)),
        body_(response_.body()),
        cancel_(std::move(cancel)),
        idle_timeout_(idle_timeout) {}

  // Closing the connection (rather than draining it) keeps a half-read stream out of the pool.
  ~CpprestLineReader() override { cancel(); }

  std::optional<std::string> read_line() override {
    if (ended_) return std::nullopt;
    // A fresh buffer per line: a reused one keeps its old read position and yields stale bytes.
    concurrency::streams::container_buffer<std::vector<uint8_t>> buffer;
    auto body = body_;
    auto task = body_.read_line(buffer).then([buffer, body](size_t n) {
      const auto& bytes = buffer.collection();
      return Line{std::string(bytes.begin(), bytes.end()), n == 0 && body.is_eof()};
    });
    auto outcome = observe(task);
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (ended_) return std::nullopt;
      pending_ = outcome;
    }
    bool finished = outcome->wait_for(idle_timeout_);
    {
      std::lock_guard<std::mutex> lock(mu_);
      pending_.reset();
    }
    if (!finished) {
      if (!ended_) spdlog::debug("stream: no data for {} ms, closing it", idle_timeout_.count());
      cancel();
      return std::nullopt;
    }
    // A read cut by cancel() or by a broken connection fails with an exception, not at EOF.
    if (!outcome->value || outcome->value->end) {
      if (!outcome->error.empty()) spdlog::debug("stream ended: {}", outcome->error);
      end();
      return std::nullopt;
    }
    return std::move(outcome->value->text);
  }

  void cancel() override {
    std::shared_ptr<Outcome<Line>> pending;
    {
      std::lock_guard<std::mutex> lock(mu_);
      ended_ = true;
      pending = pending_;
    }
    cancel_.cancel();
    if (pending) pending->abandon();
  }

 private:
  void end() {
    std::lock_guard<std::mutex> lock(mu_);
    ended_ = true;
  }

  http::http_response response_;
  concurrency::streams::istream body_;
  pplx::cancellation_token_source cancel_;
  Millis idle_timeout_;
  std::mutex mu_;
  std::atomic<bool> ended_{false};
  std::shared_ptr<Outcome<Line>> pending_;
};

class CpprestTransport final : public Transport {
 public:
  CpprestTransport(const Config& config, web::uri base, std::shared_ptr<TlsMaterial> tls)
      : server_(config.server),
        host_header_(config.tls_server_name),
        verify_(!config.insecure_skip_tls_verify),
        tokens_(config.token, config.token_file),
        client_(base, client_config(config, base, std::move(tls))) {}

  Result<HttpResponse> send(const HttpRequest& request) override {
    auto message = build(request);
    if (!message) return message.error();
    pplx::cancellation_token_source cancel;
    auto task = client_.request(*message, cancel.get_token()).then([](http::http_response r) {
      return r.extract_utf8string(true).then([r](std::string body) {
        HttpResponse out;
        out.status = r.status_code();
        out.content_type = r.headers().content_type();
        out.body = std::move(body);
        out.retry_after = retry_after_of(r);
        return out;
      });
    });
    auto outcome = observe(task);
    if (!outcome->wait_for(request.timeout)) {
      cancel.cancel();
      return failure(request,
                     "no answer within " + std::to_string(request.timeout.count()) + " ms");
    }
    if (!outcome->value) return failure(request, outcome->error);
    return std::move(*outcome->value);
  }

  Result<StreamResponse> stream(const HttpRequest& request) override {
    auto message = build(request);
    if (!message) return message.error();
    pplx::cancellation_token_source cancel;
    // The task completes when the headers arrive; the body keeps flowing into the response.
    auto outcome = observe(client_.request(*message, cancel.get_token()));
    if (!outcome->wait_for(request.timeout)) {
      cancel.cancel();
      return failure(request,
                     "no answer within " + std::to_string(request.timeout.count()) + " ms");
    }
    if (!outcome->value) return failure(request, outcome->error);
    http::http_response response = std::move(*outcome->value);

    StreamResponse out;
    out.status = response.status_code();
    out.content_type = response.headers().content_type();
    out.retry_after = retry_after_of(response);
    if (out.status >= 200 && out.status < 300) {
      out.lines = std::make_unique<CpprestLineReader>(response, cancel, request.timeout);
      return out;
    }
    auto body = observe(response.extract_utf8string(true));
    if (!body->wait_for(request.timeout)) {
      cancel.cancel();
      return failure(request, "the error body did not arrive in time");
    }
    if (body->value) out.body = std::move(*body->value);
    return out;
  }

 private:
  static http::client::http_client_config client_config(const Config& config, const web::uri& base,
                                                        std::shared_ptr<TlsMaterial> tls) {
    http::client::http_client_config c;
    // A backstop only: every call enforces its own deadline, and watches may stay quiet longer
    // than any request takes.
    c.set_timeout(std::chrono::hours(1));
    c.set_validate_certificates(!config.insecure_skip_tls_verify);
    std::string name = config.tls_server_name.empty() ? base.host() : config.tls_server_name;
    // SNI carries host names only; an address there is a protocol error some servers refuse.
    c.set_tlsext_sni_enabled(!is_ip_literal(name));
    c.set_ssl_context_callback(
        [tls](boost::asio::ssl::context& ctx) { tls->install(ctx.native_handle()); });
    return c;
  }

  Result<http::http_request> build(const HttpRequest& request) {
    auto token = tokens_.token();
    if (!token) return token.error();
    try {
      http::http_request message{http::method(request.method)};
      message.set_request_uri(web::uri(request.target));
      message.headers().add("Accept", request.accept);
      message.headers().add(
          "User-Agent", request.user_agent.empty() ? std::string("cellar") : request.user_agent);
      if (!token->empty()) message.headers().add("Authorization", "Bearer " + *token);
      // The library verifies the certificate and sends SNI for the Host header's name, so this is
      // how tls-server-name reaches the handshake; the API server ignores Host.
      if (!host_header_.empty()) message.headers().add("Host", host_header_);
      if (!request.body.empty() || !request.content_type.empty()) {
        message.set_body(request.body, request.content_type.empty()
                                           ? std::string("application/json")
                                           : request.content_type);
      }
      return message;
    } catch (const std::exception& e) {
      return failure(request, e.what());
    }
  }

  Error failure(const HttpRequest& request, const std::string& what) const {
    std::string message = request.method + " " + server_ + request.target + ": " + what;
    // The library's handshake error says no more than that; the usual cause is worth naming.
    if (what.find("SSL handshake") != std::string::npos && verify_) {
      message +=
          " (is the server's certificate signed by the configured certificate authority "
          "and valid for the server's name?)";
    }
    spdlog::debug("{}", message);
    return Error::transport(std::move(message));
  }

  std::string server_;
  std::string host_header_;
  bool verify_;
  TokenSource tokens_;
  http::client::http_client client_;
};

}  // namespace

Result<std::unique_ptr<Transport>> make_http_transport(const Config& config) {
  auto tls = load_tls(config);
  if (!tls) return tls.error();
  if (config.token.empty() && !config.token_file.empty()) {
    // Fail at start-up, not at the first request, when the token file cannot be read.
    auto token = TokenSource("", config.token_file).token();
    if (!token) return token.error();
  }
  try {
    web::uri base(config.server);
    if (base.scheme() != "https" && base.scheme() != "http") {
      return Error::transport("server " + config.server + ": not an http(s) URL");
    }
    return std::unique_ptr<Transport>(std::make_unique<CpprestTransport>(config, base, *tls));
  } catch (const std::exception& e) {
    return Error::transport("server " + config.server + ": " + e.what());
  }
}

}  // namespace cellar::kube
