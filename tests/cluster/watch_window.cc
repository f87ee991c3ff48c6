#include "tests/cluster/watch_window.h"

#include <algorithm>
#include <cmath>
#include <condition_variable>
#include <deque>
#include <mutex>

#include "tests/cluster/lifecycle_rules.h"

namespace cellar::testcluster {
namespace {

using Clock = std::chrono::steady_clock;
using lifecycle::meta_string;

constexpr size_t kCapacityLimit = 100 * 1024;
constexpr Clock::duration kDefaultFreshDuration = std::chrono::seconds{75};

struct WindowEvent {
  const char* type;
  std::shared_ptr<const json> object;
  std::shared_ptr<const json> before;
  uint64_t resource_version;
  std::string key;
  std::string ns;
  Clock::time_point at;
};

}  // namespace

size_t window_capacity_limit(Clock::duration fresh_duration) {
  if (fresh_duration <= kDefaultFreshDuration) return kCapacityLimit;
  const double ratio = std::chrono::duration<double>(fresh_duration).count() /
                       std::chrono::duration<double>(kDefaultFreshDuration).count();
  return kCapacityLimit * (size_t{1} << static_cast<int>(std::ceil(std::log2(ratio))));
}

struct WatchWindow::State {
  State(WatchWindowOptions o, uint64_t opened)
      : options(std::move(o)),
        limit(window_capacity_limit(options.fresh_duration)),
        capacity(std::max<size_t>(options.min_events, 4)),
        opened_at(opened),
        latest(opened) {}

  const WatchWindowOptions options;
  const size_t limit;
  mutable std::mutex mu;
  std::condition_variable appended;
  std::deque<WindowEvent> ring;
  size_t capacity;
  const uint64_t opened_at;
  uint64_t latest;
  // The newest resourceVersion whose event has left the ring (0: none has).
  uint64_t last_removed = 0;
  // Where /cellar-test/v1/compact last forgot everything (0: never).
  uint64_t compacted_at = 0;
  // Bumped by close_subscriptions(): a subscription from an older epoch has ended.
  uint64_t epoch = 0;

  // As kube-apiserver words it: a list or watch may start at oldest() or later. While nothing
  // has left the ring that is where the window opened; after, the event before the oldest held.
  uint64_t oldest() const {
    uint64_t from_ring = opened_at;
    if (last_removed != 0) {
      from_ring = ring.empty() ? last_removed : ring.front().resource_version - 1;
    }
    return std::max(from_ring, compacted_at);
  }

  // The first event after `position`.
  std::deque<WindowEvent>::const_iterator after(uint64_t position) const {
    return std::upper_bound(
        ring.begin(), ring.end(), position,
        [](uint64_t rv, const WindowEvent& event) { return rv < event.resource_version; });
  }

  // The watch cache's resizeCacheLocked, then room for one more event.
  void make_room(Clock::time_point now) {
    const auto fresh = options.fresh_duration;
    if (ring.size() >= capacity) {
      if (now - ring.front().at < fresh) {
        capacity = std::min(capacity * 2, limit);
      } else if (now - ring[ring.size() - capacity / 4].at > fresh) {
        capacity = std::max(capacity / 2, std::max<size_t>(options.min_events, 4));
      }
    }
    while (!ring.empty() && ring.size() >= capacity) {
      last_removed = ring.front().resource_version;
      ring.pop_front();
    }
  }
};

namespace {

class WindowSubscription final : public Subscription {
 public:
  using State = std::shared_ptr<WatchWindow::State>;

  WindowSubscription(State state, std::string ns, uint64_t position)
      : state_(std::move(state)), ns_(std::move(ns)), position_(position), epoch_(state_->epoch) {}

  std::optional<StoredEvent> next(Clock::time_point deadline) override {
    auto& s = *state_;
    std::unique_lock lock(s.mu);
    for (;;) {
      if (closed_ || epoch_ != s.epoch) return std::nullopt;
      // An event after position_ has left the ring: lost to this reader, so it ends and its
      // watch, resuming from its last resourceVersion, gets 410.
      if (position_ < s.last_removed) {
        closed_ = true;
        return std::nullopt;
      }
      for (auto it = s.after(position_); it != s.ring.end(); ++it) {
        position_ = it->resource_version;
        if (!ns_.empty() && it->ns != ns_) continue;
        std::shared_ptr<const json> object = it->object;
        StoredEvent out{it->type, json(), it->resource_version, it->key, it->at};
        lock.unlock();
        out.object = *object;  // copied unlocked: stored documents never change
        return out;
      }
      if (s.appended.wait_until(lock, deadline) == std::cv_status::timeout &&
          (s.ring.empty() || position_ >= s.ring.back().resource_version)) {
        return std::nullopt;
      }
    }
  }

  uint64_t current_resource_version() const override {
    std::lock_guard lock(state_->mu);
    return std::max(state_->latest, position_);
  }

  void close() override {
    std::lock_guard lock(state_->mu);
    closed_ = true;
    state_->appended.notify_all();
  }

 private:
  const State state_;
  const std::string ns_;
  uint64_t position_;  // the resourceVersion of the last event looked at; guarded by mu
  const uint64_t epoch_;
  bool closed_ = false;  // guarded by state_->mu
};

}  // namespace

WatchWindow::WatchWindow(WatchWindowOptions options, uint64_t opened_at)
    : state_(std::make_shared<State>(std::move(options), opened_at)) {}

void WatchWindow::append(const char* type, std::shared_ptr<const json> object,
                         std::shared_ptr<const json> before, uint64_t resource_version,
                         std::string key) {
  std::string ns = meta_string(*object, "namespace");
  const auto now = state_->options.now();
  std::lock_guard lock(state_->mu);
  auto& s = *state_;
  s.make_room(now);
  s.ring.push_back({type, std::move(object), std::move(before), resource_version, std::move(key),
                    std::move(ns), now});
  s.latest = resource_version;
  s.appended.notify_all();
}

uint64_t WatchWindow::oldest() const {
  std::lock_guard lock(state_->mu);
  return state_->oldest();
}

Outcome<std::unique_ptr<Subscription>> WatchWindow::subscribe(std::string ns, uint64_t from,
                                                              uint64_t now_rv) {
  std::lock_guard lock(state_->mu);
  if (from == 0) {
    from = now_rv;
  } else if (from < state_->oldest()) {
    // kube-apiserver's watch cache words it so, naming the oldest version it can serve from.
    return ApiError::gone("too old resource version: " + std::to_string(from) + " (" +
                          std::to_string(state_->oldest()) + ")");
  }
  return std::unique_ptr<Subscription>(
      std::make_unique<WindowSubscription>(state_, std::move(ns), from));
}

std::map<std::string, std::shared_ptr<const json>> WatchWindow::states_at(
    uint64_t at, const std::string& first_key, const std::string& end_key) const {
  std::map<std::string, std::shared_ptr<const json>> states;
  std::lock_guard lock(state_->mu);
  for (auto it = state_->after(at); it != state_->ring.end(); ++it) {
    if (it->key < first_key || it->key >= end_key) continue;
    states.emplace(it->key, it->before);  // the first write after `at` knows the state at `at`
  }
  return states;
}

void WatchWindow::compact(uint64_t now_rv) {
  std::lock_guard lock(state_->mu);
  auto& s = *state_;
  if (!s.ring.empty()) s.last_removed = s.ring.back().resource_version;
  s.ring.clear();
  // A reader that had read every event misses nothing and goes on; one that had not ends.
  s.compacted_at = std::max(s.compacted_at, now_rv);
  s.appended.notify_all();
}

void WatchWindow::close_subscriptions() {
  std::lock_guard lock(state_->mu);
  ++state_->epoch;
  state_->appended.notify_all();
}

size_t WatchWindow::size() const {
  std::lock_guard lock(state_->mu);
  return state_->ring.size();
}

size_t WatchWindow::capacity() const {
  std::lock_guard lock(state_->mu);
  return state_->capacity;
}

}  // namespace cellar::testcluster
