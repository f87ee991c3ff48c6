// The queue of keys ("namespace/name") that a controller's workers reconcile.
//
// Contract:
// - A key added several times before a worker takes it is handed out once.
// - A key is never held by two workers at once: a key added while a worker holds it is marked
//   dirty and handed out again after that worker calls done(key).
// - add_after(key, d) adds the key once d has passed; when the same key is already waiting, the
//   earlier time wins. add_rate_limited(key) is add_after with the key's back-off (5 ms doubling,
//   capped) under an overall token bucket; forget(key) after a success resets the key's back-off.
// - get() blocks until a key is ready or the queue shuts down (nullopt). Every key get() returns
//   must be given back with done(key).
// - After shut_down() adds are ignored and get() returns nullopt at once; keys still queued or
//   waiting are dropped. shut_down_with_drain() instead lets workers finish every key already
//   queued (delayed keys not yet due are dropped) and returns when none is queued or held.
//
// Delayed keys sit in a heap ordered by due time; get() waits on a condition variable until the
// earliest one is due, so nothing polls and no timer thread is needed.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <queue>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "controller/kube/backoff.h"

namespace cellar::kube {

class WorkQueue {
 public:
  using Clock = BackoffClock;

  explicit WorkQueue(const RequeueLimits& limits = {});
  WorkQueue(const WorkQueue&) = delete;
  WorkQueue& operator=(const WorkQueue&) = delete;
  ~WorkQueue();

  void add(const std::string& key);
  void add_after(const std::string& key, Clock::duration delay);
  void add_rate_limited(const std::string& key);
  void forget(const std::string& key);
  int num_requeues(const std::string& key) const;

  std::optional<std::string> get();
  void done(const std::string& key);

  void shut_down();
  void shut_down_with_drain();
  bool shutting_down() const;

  // Keys ready to be handed out (not those held by workers, nor those still waiting).
  size_t len() const;
  // Keys waiting for their add_after time.
  size_t waiting() const;
  // Since when the key held longest by a worker has been held; nullopt when none is. A worker
  // stuck in one reconcile shows here (the liveness probe reads it).
  std::optional<Clock::time_point> oldest_held() const;
  // Keys added (add, and add_after once due) and retries asked (add_rate_limited) so far.
  uint64_t adds() const;
  uint64_t retries() const;

 private:
  struct Delayed {
    Clock::time_point due;
    uint64_t seq;  // keeps keys due at the same instant in the order they were added
    std::string key;
    bool operator>(const Delayed& o) const { return due != o.due ? due > o.due : seq > o.seq; }
  };

  // The caller holds mu_.
  void add_locked(const std::string& key);
  void promote_due_locked(Clock::time_point now);
  bool drained_locked() const;

  RequeueBackoff backoff_;

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::string> queue_;
  std::unordered_set<std::string> dirty_;  // wanted again: queued, or added while held
  std::unordered_map<std::string, Clock::time_point> processing_;  // held by a worker, since
  // A key's current due time; heap entries that disagree with it are stale and skipped.
  std::unordered_map<std::string, Clock::time_point> due_;
  std::priority_queue<Delayed, std::vector<Delayed>, std::greater<>> delayed_;
  uint64_t next_seq_ = 0;
  uint64_t adds_ = 0;
  uint64_t retries_ = 0;
  bool shutting_down_ = false;
  bool draining_ = false;
};

}  // namespace cellar::kube
