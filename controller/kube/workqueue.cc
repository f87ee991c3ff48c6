#include "controller/kube/workqueue.h"

namespace cellar::kube {

// Every wait below shares one condition variable (getters waiting for keys or due times, and
// shut_down_with_drain waiting for workers), so changes wake everyone with notify_all: a few
// workers wake for nothing rather than the one that mattered sleeping on.

WorkQueue::WorkQueue(const RequeueLimits& limits) : backoff_(limits) {}

WorkQueue::~WorkQueue() {
  shut_down();
}

void WorkQueue::add(const std::string& key) {
  std::lock_guard lock(mu_);
  if (shutting_down_) return;
  add_locked(key);
  cv_.notify_all();
}

void WorkQueue::add_locked(const std::string& key) {
  ++adds_;
  if (!dirty_.insert(key).second) return;  // already wanted: handed out once
  // A key a worker holds goes back in the queue from done(), never to a second worker.
  if (processing_.count(key) != 0) return;
  queue_.push_back(key);
}

void WorkQueue::add_after(const std::string& key, Clock::duration delay) {
  std::lock_guard lock(mu_);
  if (shutting_down_) return;
  if (delay <= Clock::duration::zero()) {
    add_locked(key);
  } else {
    Clock::time_point due = Clock::now() + delay;
    auto it = due_.find(key);
    if (it != due_.end() && it->second <= due) return;  // the earlier time wins
    due_[key] = due;
    delayed_.push(Delayed{due, next_seq_++, key});
  }
  cv_.notify_all();
}

void WorkQueue::add_rate_limited(const std::string& key) {
  {
    std::lock_guard lock(mu_);
    ++retries_;
  }
  add_after(key, backoff_.when(key, Clock::now()));
}

void WorkQueue::forget(const std::string& key) {
  backoff_.forget(key);
}

int WorkQueue::num_requeues(const std::string& key) const {
  return backoff_.num_requeues(key);
}

void WorkQueue::promote_due_locked(Clock::time_point now) {
  while (!delayed_.empty() && delayed_.top().due <= now) {
    Delayed entry = delayed_.top();
    delayed_.pop();
    auto it = due_.find(entry.key);
    // A later entry for a key that an earlier one replaced: already handled.
    if (it == due_.end() || it->second != entry.due) continue;
    due_.erase(it);
    add_locked(entry.key);
  }
}

std::optional<std::string> WorkQueue::get() {
  std::unique_lock lock(mu_);
  for (;;) {
    if (shutting_down_ && !draining_) return std::nullopt;
    promote_due_locked(Clock::now());
    if (!queue_.empty()) {
      std::string key = std::move(queue_.front());
      queue_.pop_front();
      processing_.emplace(key, Clock::now());
      dirty_.erase(key);
      return key;
    }
    if (draining_) {
      // A held key that was added again comes back from done(); wait for the last worker.
      if (processing_.empty()) return std::nullopt;
      cv_.wait(lock);
    } else if (delayed_.empty()) {
      cv_.wait(lock);
    } else {
      cv_.wait_until(lock, delayed_.top().due);
    }
  }
}

void WorkQueue::done(const std::string& key) {
  std::lock_guard lock(mu_);
  processing_.erase(key);
  if (dirty_.count(key) != 0 && (!shutting_down_ || draining_)) queue_.push_back(key);
  cv_.notify_all();
}

void WorkQueue::shut_down() {
  std::lock_guard lock(mu_);
  shutting_down_ = true;
  draining_ = false;
  delayed_ = {};
  due_.clear();
  cv_.notify_all();
}

void WorkQueue::shut_down_with_drain() {
  std::unique_lock lock(mu_);
  shutting_down_ = true;
  draining_ = true;
  delayed_ = {};
  due_.clear();
  cv_.notify_all();
  cv_.wait(lock, [this] { return drained_locked(); });
}

bool WorkQueue::drained_locked() const {
  // A plain shut_down() during the drain drops what is queued; held keys still finish.
  return processing_.empty() && (queue_.empty() || !draining_);
}

bool WorkQueue::shutting_down() const {
  std::lock_guard lock(mu_);
  return shutting_down_;
}

size_t WorkQueue::len() const {
  std::lock_guard lock(mu_);
  return queue_.size();
}

size_t WorkQueue::waiting() const {
  std::lock_guard lock(mu_);
  return due_.size();
}

std::optional<WorkQueue::Clock::time_point> WorkQueue::oldest_held() const {
  std::lock_guard lock(mu_);
  std::optional<Clock::time_point> oldest;
  for (const auto& [key, since] : processing_) {
    if (!oldest || since < *oldest) oldest = since;
  }
  return oldest;
}

uint64_t WorkQueue::adds() const {
  std::lock_guard lock(mu_);
  return adds_;
}

uint64_t WorkQueue::retries() const {
  std::lock_guard lock(mu_);
  return retries_;
}

}  // namespace cellar::kube
