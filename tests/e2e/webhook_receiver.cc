#include "tests/e2e/webhook_receiver.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <random>

namespace cellar::testing {

namespace {

// Reads one request (headers, then Content-Length bytes of body) within a few seconds.
bool read_request(int fd, ReceivedPost& post) {
  std::string data;
  char buf[4096];
  size_t header_end = std::string::npos;
  size_t length = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (std::chrono::steady_clock::now() < deadline) {
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, 200) <= 0) continue;
    ssize_t n = read(fd, buf, sizeof buf);
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

WebhookReceiver::WebhookReceiver() {
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
    ReceivedPost post;
    if (read_request(fd, post)) {
      const std::string answer =
          "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok";
      (void)!write(fd, answer.data(), answer.size());
      std::lock_guard lock(mu_);
      posts_.push_back(std::move(post));
      cv_.notify_all();
    }
    close(fd);
  }
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
