// The store's bounded history of events, which subscriptions start from and read.
//
// Every write the Store makes is one resourceVersion and one event, appended here in order, so
// the event of resourceVersion r sits at a known place in the ring. A subscription keeps only its
// position: writers never wait for readers, and a reader that falls behind the ring is ended
// (its watch resumes with 410) rather than holding events for it. Thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "tests/cluster/store.h"

namespace cellar::testcluster {

class EventHistory {
 public:
  explicit EventHistory(size_t capacity);
  EventHistory(const EventHistory&) = delete;
  EventHistory& operator=(const EventHistory&) = delete;

  // `resource_version` must be latest() + 1: the Store appends under its own lock, in order.
  void append(const char* type, std::shared_ptr<const nlohmann::json> object,
              uint64_t resource_version, std::string key);
  // The resourceVersion of the newest event.
  uint64_t latest() const;

  // Events whose key starts with `key_prefix` (all when empty) in namespace `ns` (all when
  // empty) after `from` (0: from now). Older than the ring: ApiError::gone().
  Outcome<std::unique_ptr<Subscription>> subscribe(std::string key_prefix, std::string ns,
                                                   uint64_t from);
  // Forgets every event so far.
  void compact();
  // Ends every open subscription.
  void close_subscriptions();

  // Shared by the history and its subscriptions; defined in the .cc.
  struct State;

 private:
  std::shared_ptr<State> state_;
};

}  // namespace cellar::testcluster
