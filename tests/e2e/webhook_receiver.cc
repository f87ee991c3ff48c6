#include "tests/e2e/webhook_receiver.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <random>

namespace cellar::testing {

namespace {

// Reads one request (headers, then Content-Length bytes of body) within a few seconds, from the
// socket or, when `ssl` is set, through it (its socket times reads out after 5 s).
bool read_request(int fd, SSL* ssl, ReceivedPost& post) {
  std::string data;
  char buf[4096];
  size_t header_end = std::string::npos;
  size_t length = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (std::chrono::steady_clock::now() < deadline) {
    ssize_t n;
    if (ssl != nullptr) {
      n = SSL_read(ssl, buf, sizeof buf);
    } else {
      pollfd p{fd, POLLIN, 0};
      if (poll(&p, 1, 200) <= 0) continue;
      n = read(fd, buf, sizeof buf);
    }
    if (n <= 0) return false;
    data.append(buf, static_cast<size_t>(n));
    if (header_end == std::string::npos) {
      header_end = data.find("\r\n\r\n");
      if (header_end == std::string::npos) continue;
      std::string headers = data.substr(0, header_end);
      for (auto& c : headers) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (auto at = headers.find("content-length:"); at != std::string::npos) {
        length = std::strtoul(headers.c_str() + at + 15, nullptr, 10);
      }
      if (auto at = headers.find("\r\nauthorization:"); at != std::string::npos) {
        size_t from = data.find_first_not_of(' ', at + 16);
        post.authorization = data.substr(from, data.find("\r\n", from) - from);
      }
      size_t sp1 = data.find(' ');
      size_t sp2 = data.find(' ', sp1 + 1);
      post.path = data.substr(sp1 + 1, sp2 - sp1 - 1);
    }
    if (data.size() >= header_end + 4 + length) {
      post.body = data.substr(header_end + 4, length);
      return true;
    }
  }
  return false;
}

}  // namespace

WebhookReceiver::WebhookReceiver(const ReceiverTls* tls) {
  if (tls != nullptr) {
    SSL_CTX* ctx = SSL_CTX_new(TLS_server_method());
    BIO* cert = BIO_new_mem_buf(tls->cert_pem.data(), static_cast<int>(tls->cert_pem.size()));
    BIO* key = BIO_new_mem_buf(tls->key_pem.data(), static_cast<int>(tls->key_pem.size()));
    X509* x509 = PEM_read_bio_X509(cert, nullptr, nullptr, nullptr);
    EVP_PKEY* pkey = PEM_read_bio_PrivateKey(key, nullptr, nullptr, nullptr);
    const bool ok = x509 != nullptr && pkey != nullptr && SSL_CTX_use_certificate(ctx, x509) == 1 &&
                    SSL_CTX_use_PrivateKey(ctx, pkey) == 1;
    X509_free(x509);
    EVP_PKEY_free(pkey);
    BIO_free(cert);
    BIO_free(key);
    if (!ok) {
      SSL_CTX_free(ctx);
      return;  // port() stays -1: the test fails saying there is no receiver
    }
    tls_context_ = ctx;
  }
  // Below the ephemeral range (32768 up), so that while the receiver is down no outgoing
  // connection of another process takes its port.
  std::random_device seed;
  std::mt19937 pick(seed());
  for (int i = 0; i < 50 && port_ < 0; ++i) {
    listen_on(std::uniform_int_distribution<int>(20000, 32000)(pick));
  }
}

WebhookReceiver::~WebhookReceiver() {
  down();
  SSL_CTX_free(static_cast<SSL_CTX*>(tls_context_));
}

bool WebhookReceiver::listen_on(int port) {
  // CLOEXEC: a copy inherited by a child (the controller, kubectl) would keep the port listening
  // after down().
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(port));
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || listen(fd, 16) != 0) {
    close(fd);
    return false;
  }
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  port_ = ntohs(addr.sin_port);
  listener_ = fd;
  thread_ = std::thread([this, fd] { serve(fd); });
  return true;
}

void WebhookReceiver::serve(int listener) {
  while (listener_ == listener) {
    pollfd p{listener, POLLIN, 0};
    if (poll(&p, 1, 100) <= 0) continue;
    int fd = accept4(listener, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    SSL* ssl = nullptr;
    if (tls_context_ != nullptr) {
      timeval five{5, 0};
      setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &five, sizeof five);
      setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &five, sizeof five);
      ssl = SSL_new(static_cast<SSL_CTX*>(tls_context_));
      SSL_set_fd(ssl, fd);
      if (SSL_accept(ssl) != 1) {
        ++failed_handshakes_;
        SSL_free(ssl);
        close(fd);
        continue;
      }
    }
    answer(fd, ssl);
    if (ssl != nullptr) {
      SSL_shutdown(ssl);
      SSL_free(ssl);
    }
    close(fd);
  }
}

void WebhookReceiver::answer(int fd, void* ssl_handle) {
  SSL* ssl = static_cast<SSL*>(ssl_handle);
  ReceivedPost post;
  if (!read_request(fd, ssl, post)) return;
  const std::string answer = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok";
  if (ssl != nullptr) {
    SSL_write(ssl, answer.data(), static_cast<int>(answer.size()));
  } else {
    (void)!write(fd, answer.data(), answer.size());
  }
  std::lock_guard lock(mu_);
  posts_.push_back(std::move(post));
  cv_.notify_all();
}

void WebhookReceiver::down() {
  int fd = listener_.exchange(-1);
  if (thread_.joinable()) thread_.join();
  if (fd >= 0) close(fd);
}

bool WebhookReceiver::up() {
  if (listener_ >= 0) return true;
  return listen_on(port_);
}

std::vector<ReceivedPost> WebhookReceiver::posts() const {
  std::lock_guard lock(mu_);
  return posts_;
}

bool WebhookReceiver::wait_for(size_t count, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mu_);
  return cv_.wait_for(lock, timeout, [&] { return posts_.size() >= count; });
}

}  // namespace cellar::testing
