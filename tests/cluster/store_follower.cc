#include "tests/cluster/store_follower.h"

#include <spdlog/spdlog.h>

#include <chrono>
#include <exception>

namespace cellar::testcluster {

StoreFollower::StoreFollower(Store& store, std::optional<ResourceType> type, Handler handler,
                             std::function<void()> resync)
    : store_(store),
      type_(std::move(type)),
      handler_(std::move(handler)),
      resync_(std::move(resync)) {}

StoreFollower::~StoreFollower() {
  stop();
}

void StoreFollower::start() {
  uint64_t from = store_.current_resource_version();
  {
    std::lock_guard lock(mu_);
    auto subscribed = store_.subscribe(type_ ? &*type_ : nullptr, "", from);
    if (subscribed.ok()) subscription_ = std::move(subscribed.value());
  }
  thread_ = std::thread([this, from] {
    look_again();
    run(from);
  });
}

void StoreFollower::stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    if (subscription_) subscription_->close();
  }
  if (thread_.joinable()) thread_.join();
}

void StoreFollower::run(uint64_t from) {
  for (;;) {
    Subscription* subscription = nullptr;
    {
      std::lock_guard lock(mu_);
      if (stopping_) return;
      subscription = subscription_.get();
    }
    if (!subscription) {
      if (!resubscribe(from)) return;
      continue;
    }
    // A long deadline: the wait ends on an event, on stop(), or on the subscription ending.
    auto event = subscription->next(std::chrono::steady_clock::now() + std::chrono::hours(1));
    if (event) {
      from = event->resource_version;
      deliver(*event);
      continue;
    }
    if (!resubscribe(from)) return;
  }
}

void StoreFollower::deliver(const StoredEvent& event) {
  // A document of an unexpected shape must not take the whole cluster down with this thread;
  // the controller skips it and says so.
  try {
    handler_(event);
  } catch (const std::exception& e) {
    spdlog::warn("cluster controller skipped {} {} (resourceVersion {}): {}", event.type, event.key,
                 event.resource_version, e.what());
  }
}

void StoreFollower::look_again() {
  if (!resync_) return;
  try {
    resync_();
  } catch (const std::exception& e) {
    spdlog::warn("cluster controller could not look at the whole state: {}", e.what());
  }
}

bool StoreFollower::resubscribe(uint64_t& from) {
  const ResourceType* type = type_ ? &*type_ : nullptr;
  auto subscribed = store_.subscribe(type, "", from);
  bool lost_events = false;
  if (!subscribed.ok()) {
    // Too old: start again from now and look at the whole state once.
    from = store_.current_resource_version();
    subscribed = store_.subscribe(type, "", from);
    lost_events = true;
  }
  {
    std::lock_guard lock(mu_);
    if (stopping_) return false;
    subscription_ = subscribed.ok() ? std::move(subscribed.value()) : nullptr;
  }
  if (lost_events) look_again();
  return true;
}

}  // namespace cellar::testcluster
