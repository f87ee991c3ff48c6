// A token bucket: `qps` tokens a second, up to `burst` saved. Callers wait for a token.
#pragma once

#include <chrono>
#include <mutex>

namespace cellar::kube {

class RateLimiter {
 public:
  using Clock = std::chrono::steady_clock;

  RateLimiter(double qps, int burst);

  // Blocks until a token is free and takes it.
  void wait();
  // Takes a token if one is free now.
  bool try_take();
  // How long a caller arriving at `now` would wait, taking the token (pure bookkeeping; the
  // caller sleeps). Exposed for tests.
  Clock::duration reserve(Clock::time_point now);

 private:
  std::mutex mu_;
  double qps_;
  double burst_;
  double tokens_;
  Clock::time_point last_;
};

}  // namespace cellar::kube
