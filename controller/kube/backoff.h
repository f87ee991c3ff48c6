// How long to wait before trying again: per-key failure back-off for the work queue, and a capped,
// jittered delay for retrying a failing call (the informer's list and watch).
//
// None of these classes sleeps: they answer "how long", and the caller waits in whatever way
// suits it (a timed condition variable, a delayed queue entry). Times come in as arguments so the
// arithmetic can be tested without a clock.
#pragma once

#include <chrono>
#include <mutex>
#include <random>
#include <string>
#include <unordered_map>

#include "controller/kube/rate_limiter.h"

namespace cellar::kube {

using BackoffClock = std::chrono::steady_clock;

// base * 2^failures, never more than cap (and never overflowing on the way there).
BackoffClock::duration exponential_delay(int failures, BackoffClock::duration base,
                                         BackoffClock::duration cap);

// Exponential back-off per key: the first failure waits `base`, each further one twice as long,
// up to `cap`, until forget(key). Thread-safe.
class ItemBackoff {
 public:
  ItemBackoff(BackoffClock::duration base, BackoffClock::duration cap);

  // Counts a failure of `key` and returns how long to wait before the next attempt.
  BackoffClock::duration next(const std::string& key);
  // The key succeeded: its next failure starts from `base` again.
  void forget(const std::string& key);
  int failures(const std::string& key) const;

 private:
  mutable std::mutex mu_;
  BackoffClock::duration base_;
  BackoffClock::duration cap_;
  std::unordered_map<std::string, int> failures_;
};

struct RequeueLimits {
  BackoffClock::duration base = std::chrono::milliseconds{5};
  BackoffClock::duration cap = std::chrono::seconds{1000};
  // The overall bucket keeps a storm of failing keys from hammering the API server.
  double qps = 10;
  int burst = 100;
};

// The work queue's re-queue delay: the longer of the key's own back-off and the wait for a token
// from the overall bucket (which a re-queue always takes). Thread-safe.
class RequeueBackoff {
 public:
  explicit RequeueBackoff(const RequeueLimits& limits = {});

  BackoffClock::duration when(const std::string& key, BackoffClock::time_point now);
  void forget(const std::string& key) { items_.forget(key); }
  int num_requeues(const std::string& key) const { return items_.failures(key); }

 private:
  ItemBackoff items_;
  RateLimiter bucket_;
};

struct RetryLimits {
  BackoffClock::duration initial = std::chrono::milliseconds{200};
  BackoffClock::duration cap = std::chrono::seconds{30};
  // Each delay is stretched by a random factor in [1, 1 + jitter), so that many clients failing
  // together do not come back together.
  double jitter = 0.5;
};

// Successive delays for one caller retrying one failing operation: initial, doubling to cap, each
// jittered. reset() after a success. Not thread-safe: one retrying loop owns it.
class RetryDelay {
 public:
  explicit RetryDelay(const RetryLimits& limits = {}, unsigned seed = std::random_device{}());

  BackoffClock::duration next();
  void reset() { attempts_ = 0; }
  int attempts() const { return attempts_; }

 private:
  RetryLimits limits_;
  int attempts_ = 0;
  std::mt19937 rng_;
};

}  // namespace cellar::kube
