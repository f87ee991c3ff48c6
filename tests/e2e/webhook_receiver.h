// A tiny HTTP receiver for webhook tests: listens on a loopback port, answers every request
// 200, and records each request's path and body. It can go down (stop listening) and come back
// on the same port, as a receiver being redeployed does.
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
  std::string path;
  std::string body;
};

class WebhookReceiver {
 public:
  // Listens on a free loopback port at once (port() is -1 when none could be had).
  WebhookReceiver();
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

 private:
  bool listen_on(int port);
  void serve(int listener);

  int port_ = -1;
  std::atomic<int> listener_{-1};
  std::thread thread_;
  mutable std::mutex mu_;
  mutable std::condition_variable cv_;
  std::vector<ReceivedPost> posts_;
};

}  // namespace cellar::testing
