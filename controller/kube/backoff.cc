#include "controller/kube/backoff.h"

#include <algorithm>

namespace cellar::kube {

BackoffClock::duration exponential_delay(int failures, BackoffClock::duration base,
                                         BackoffClock::duration cap) {
  if (failures < 0) failures = 0;
  BackoffClock::duration delay = base;
  // Doubling stops at the cap, so a key that failed a million times cannot overflow the count.
  for (int i = 0; i < failures && delay < cap; ++i) delay *= 2;
  return std::min(delay, cap);
}

ItemBackoff::ItemBackoff(BackoffClock::duration base, BackoffClock::duration cap)
    : base_(base), cap_(cap) {}

BackoffClock::duration ItemBackoff::next(const std::string& key) {
  std::lock_guard lock(mu_);
  int& failures = failures_[key];
  BackoffClock::duration delay = exponential_delay(failures, base_, cap_);
  ++failures;
  return delay;
}

void ItemBackoff::forget(const std::string& key) {
  std::lock_guard lock(mu_);
  failures_.erase(key);
}

int ItemBackoff::failures(const std::string& key) const {
  std::lock_guard lock(mu_);
  auto it = failures_.find(key);
  return it == failures_.end() ? 0 : it->second;
}

RequeueBackoff::RequeueBackoff(const RequeueLimits& limits)
    : items_(limits.base, limits.cap), bucket_(limits.qps, limits.burst) {}

BackoffClock::duration RequeueBackoff::when(const std::string& key, BackoffClock::time_point now) {
  return std::max(items_.next(key), bucket_.reserve(now));
}

RetryDelay::RetryDelay(const RetryLimits& limits, unsigned seed) : limits_(limits), rng_(seed) {}

BackoffClock::duration RetryDelay::next() {
  BackoffClock::duration delay = exponential_delay(attempts_, limits_.initial, limits_.cap);
  ++attempts_;
  std::uniform_real_distribution<double> stretch(1.0, 1.0 + limits_.jitter);
  auto jittered = std::chrono::duration_cast<BackoffClock::duration>(
      std::chrono::duration<double, BackoffClock::period>(delay.count() * stretch(rng_)));
  // The cap bounds the wait itself, jitter included.
  return std::min(jittered, limits_.cap);
}

}  // namespace cellar::kube
