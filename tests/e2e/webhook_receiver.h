// A tiny HTTP(S) receiver for webhook tests: listens on a loopback port, answers every request
// 200, and records each request's target, Authorization header and body. It can go down (stop
// listening) and come back on the same port, as a receiver being redeployed does. Given a
// certificate it speaks TLS and counts the handshakes clients broke off.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace cellar::testing {

struct ReceivedPost {
  std::string path;  // the request line's target: "/hook/x", or a whole URL when sent to a proxy
  std::string authorization;
  std::string body;
};

// The server's certificate and key, PEM.
struct ReceiverTls {
  std::string cert_pem;
  std::string key_pem;
};

class WebhookReceiver {
 public:
  // Listens on a free loopback port at once (port() is -1 when none could be had); https when
  // `tls` is given.
  explicit WebhookReceiver(const ReceiverTls* tls = nullptr);
  ~WebhookReceiver();
  WebhookReceiver(const WebhookReceiver&) = delete;
  WebhookReceiver& operator=(const WebhookReceiver&) = delete;

  int port() const { return port_; }
  // Stops listening: connections are refused until up().
  void down();
  // Listens again on the same port; false when it cannot.
  bool up();

  std::vector<ReceivedPost> posts() const;
  // Waits until at least `count` posts came, for up to `timeout`; true when they did.
  bool wait_for(size_t count, std::chrono::milliseconds timeout) const;
  // TLS handshakes that failed (a client that does not trust the certificate breaks off).
  int failed_handshakes() const { return failed_handshakes_; }

 private:
  bool listen_on(int port);
  void serve(int listener);

  void answer(int fd, void* ssl);

  void* tls_context_ = nullptr;  // SSL_CTX*, kept out of this header
  std::atomic<int> failed_handshakes_{0};
  int port_ = -1;
  std::atomic<int> listener_{-1};
  std::thread thread_;
  mutable std::mutex mu_;
  mutable std::condition_variable cv_;
  std::vector<ReceivedPost> posts_;
};

}  // namespace cellar::testing
