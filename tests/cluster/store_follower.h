// Follows a Store's events on a thread of its own, for the cluster's in-process controllers.
//
// The handler sees every event once, in order. When the subscription ends underneath (the fault
// switch closes every subscription, or the follower fell behind the history), it resumes from
// the last event seen; when that is no longer possible (410), it calls `resync` so the controller
// can look at the current state again, having subscribed first so no later event is lost.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include "tests/cluster/store.h"

namespace cellar::testcluster {

class StoreFollower {
 public:
  using Handler = std::function<void(const StoredEvent&)>;

  // `type` null: events of every type. `store` must outlive the follower.
  StoreFollower(Store& store, std::optional<ResourceType> type, Handler handler,
                std::function<void()> resync);
  ~StoreFollower();  // stops
  StoreFollower(const StoreFollower&) = delete;
  StoreFollower& operator=(const StoreFollower&) = delete;

  // Subscribes from now, calls `resync` once for what exists already, then follows. Call once.
  void start();
  // Idempotent; returns once the thread has ended.
  void stop();

 private:
  void run(uint64_t from);
  // Both keep a document of an unexpected shape from ending the thread.
  void deliver(const StoredEvent& event);
  void look_again();
  // Subscribes from `from`, or from now after a resync when `from` is too old. False: stopping.
  bool resubscribe(uint64_t& from);

  Store& store_;
  const std::optional<ResourceType> type_;
  const Handler handler_;
  const std::function<void()> resync_;
  std::mutex mu_;
  bool stopping_ = false;                       // guarded by mu_
  std::unique_ptr<Subscription> subscription_;  // guarded by mu_
  std::thread thread_;
};

}  // namespace cellar::testcluster
