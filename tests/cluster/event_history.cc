#include "tests/cluster/event_history.h"

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <mutex>

#include "tests/cluster/lifecycle_rules.h"

namespace cellar::testcluster {
namespace {

using lifecycle::meta_string;

struct Event {
  const char* type;
  std::shared_ptr<const json> object;
  uint64_t resource_version;
  std::string key;
  std::string ns;
};

}  // namespace

struct EventHistory::State {
  explicit State(size_t limit) : capacity(std::max<size_t>(limit, 1)) {}

  mutable std::mutex mu;
  std::condition_variable appended;
  const size_t capacity;
  std::deque<Event> ring;
  // The resourceVersion of ring.front(); latest + 1 when the ring is empty.
  uint64_t first = 1;
  uint64_t latest = 0;
  // Bumped by close_subscriptions(): a subscription from an older epoch has ended.
  uint64_t epoch = 0;
};

namespace {

class HistorySubscription final : public Subscription {
 public:
  using State = std::shared_ptr<EventHistory::State>;

  HistorySubscription(State state, std::string key_prefix, std::string ns, uint64_t position)
      : state_(std::move(state)),
        key_prefix_(std::move(key_prefix)),
        ns_(std::move(ns)),
        position_(position),
        epoch_(state_->epoch) {}

  std::optional<StoredEvent> next(std::chrono::steady_clock::time_point deadline) override;

  uint64_t current_resource_version() const override {
    std::lock_guard lock(state_->mu);
    return state_->latest;
  }

  void close() override {
    std::lock_guard lock(state_->mu);
    closed_ = true;
    state_->appended.notify_all();
  }

 private:
  bool matches(const Event& event) const {
    return event.key.starts_with(key_prefix_) && (ns_.empty() || event.ns == ns_);
  }

  const State state_;
  const std::string key_prefix_;
  const std::string ns_;
  uint64_t position_;  // the resourceVersion of the last event looked at
  const uint64_t epoch_;
  bool closed_ = false;  // guarded by state_->mu
};

std::optional<StoredEvent> HistorySubscription::next(
    std::chrono::steady_clock::time_point deadline) {
  auto& s = *state_;
  std::unique_lock lock(s.mu);
  for (;;) {
    if (closed_ || epoch_ != s.epoch) return std::nullopt;
    // The events after position_ have left the ring: they are lost to this reader, so it ends
    // and its watch, resuming from its last resourceVersion, gets 410.
    if (position_ + 1 < s.first) {
      closed_ = true;
      return std::nullopt;
    }
    while (position_ < s.latest) {
      const Event& event = s.ring[position_ + 1 - s.first];
      ++position_;
      if (!matches(event)) continue;
      std::shared_ptr<const json> object = event.object;
      StoredEvent out{event.type, json(), event.resource_version, event.key};
      lock.unlock();
      out.object = *object;  // copied unlocked: stored documents never change
      return out;
    }
    if (s.appended.wait_until(lock, deadline) == std::cv_status::timeout && position_ >= s.latest) {
      return std::nullopt;
    }
  }
}

}  // namespace

EventHistory::EventHistory(size_t capacity) : state_(std::make_shared<State>(capacity)) {}

void EventHistory::append(const char* type, std::shared_ptr<const json> object,
                          uint64_t resource_version, std::string key) {
  std::string ns = meta_string(*object, "namespace");
  std::lock_guard lock(state_->mu);
  auto& s = *state_;
  if (s.ring.empty()) s.first = resource_version;
  s.ring.push_back({type, std::move(object), resource_version, std::move(key), std::move(ns)});
  s.latest = resource_version;
  while (s.ring.size() > s.capacity) {
    s.ring.pop_front();
    ++s.first;
  }
  s.appended.notify_all();
}

uint64_t EventHistory::latest() const {
  std::lock_guard lock(state_->mu);
  return state_->latest;
}

Outcome<std::unique_ptr<Subscription>> EventHistory::subscribe(std::string key_prefix,
                                                               std::string ns, uint64_t from) {
  std::lock_guard lock(state_->mu);
  if (from == 0) {
    from = state_->latest;
  } else if (from + 1 < state_->first) {
    // kube-apiserver's watch cache words it so, naming the newest version it cannot serve from.
    return ApiError::gone("too old resource version: " + std::to_string(from) + " (" +
                          std::to_string(state_->first - 1) + ")");
  }
  return std::unique_ptr<Subscription>(
      std::make_unique<HistorySubscription>(state_, std::move(key_prefix), std::move(ns), from));
}

void EventHistory::compact() {
  std::lock_guard lock(state_->mu);
  state_->ring.clear();
  state_->first = state_->latest + 1;
  state_->appended.notify_all();
}

void EventHistory::close_subscriptions() {
  std::lock_guard lock(state_->mu);
  ++state_->epoch;
  state_->appended.notify_all();
}

}  // namespace cellar::testcluster
