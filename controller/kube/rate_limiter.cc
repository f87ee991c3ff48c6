#include "controller/kube/rate_limiter.h"

#include <algorithm>
#include <thread>

namespace cellar::kube {
namespace {

// Adds the tokens earned since `last`. A clock read on another thread may arrive slightly older
// than the last one: time never goes back, so such a caller earns nothing.
void refill(double& tokens, RateLimiter::Clock::time_point& last,
            RateLimiter::Clock::time_point now, double qps, double burst) {
  if (now <= last) return;
  std::chrono::duration<double> elapsed = now - last;
  tokens = std::min(burst, tokens + elapsed.count() * qps);
  last = now;
}

}  // namespace

RateLimiter::RateLimiter(double qps, int burst)
    : qps_(qps), burst_(std::max(burst, 1)), tokens_(burst_), last_() {}

RateLimiter::Clock::duration RateLimiter::reserve(Clock::time_point now) {
  std::lock_guard<std::mutex> lock(mu_);
  // A non-positive rate means no limit: nothing to count.
  if (qps_ <= 0) return Clock::duration::zero();
  refill(tokens_, last_, now, qps_, burst_);
  // Tokens may go negative: each negative token is a caller already promised a future slot, which
  // keeps concurrent callers spaced 1/qps apart instead of all waking at once.
  tokens_ -= 1;
  if (tokens_ >= 0) return Clock::duration::zero();
  return std::chrono::duration_cast<Clock::duration>(
      std::chrono::duration<double>(-tokens_ / qps_));
}

void RateLimiter::wait() {
  auto delay = reserve(Clock::now());
  if (delay > Clock::duration::zero()) std::this_thread::sleep_for(delay);
}

bool RateLimiter::try_take() {
  std::lock_guard<std::mutex> lock(mu_);
  if (qps_ <= 0) return true;
  refill(tokens_, last_, Clock::now(), qps_, burst_);
  if (tokens_ < 1) return false;
  tokens_ -= 1;
  return true;
}

}  // namespace cellar::kube
