// One resource type's window of recent events, as kube-apiserver's watch cache keeps it: what
// watches of that type start from, and what a list at an older resourceVersion is rebuilt from.
//
// The window opens when the type is first served (a watch or list from before that is too old)
// and is a ring whose capacity follows the watch cache's rule: it starts at `min_events` (100),
// doubles (up to 100 × 1024) when it is full and its oldest event is younger than
// `fresh_duration` (75 s), halves (down to `min_events`) when it is full and even its newest
// quarter is older than that, and otherwise drops its oldest event to make room. So a busy type
// keeps about the last 75 s of events and a quiet one its last 100 or more, however old.
//
// Each event holds the stored document after and before the write (shared, never copied), so
// the window costs pointers, not documents. Thread-safe; the Store appends under its own lock.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "tests/cluster/store.h"

namespace cellar::testcluster {

// kube-apiserver's capacityUpperBound: 100 × 1024, doubled for each doubling of the duration
// past 75 s.
size_t window_capacity_limit(std::chrono::steady_clock::duration fresh_duration);

class WatchWindow {
 public:
  // `opened_at`: the resourceVersion the store had reached when the type was first served.
  WatchWindow(WatchWindowOptions options, uint64_t opened_at);
  WatchWindow(const WatchWindow&) = delete;
  WatchWindow& operator=(const WatchWindow&) = delete;

  // In resourceVersion order. `before`: the object as it was (null for ADDED).
  void append(const char* type, std::shared_ptr<const nlohmann::json> object,
              std::shared_ptr<const nlohmann::json> before, uint64_t resource_version,
              std::string key);

  // The oldest resourceVersion a watch or a list may start from: older ones are gone.
  uint64_t oldest() const;

  // Events in namespace `ns` (all when empty) after `from` (0: from `now_rv`); `now_rv` is the
  // store's current resourceVersion. Older than the window: 410 `too old resource version`.
  Outcome<std::unique_ptr<Subscription>> subscribe(std::string ns, uint64_t from, uint64_t now_rv);

  // For each key in [first_key, end_key) written after `at`: the object as it was at `at` (null
  // when it did not exist then). The caller checked `at` >= oldest().
  std::map<std::string, std::shared_ptr<const nlohmann::json>> states_at(
      uint64_t at, const std::string& first_key, const std::string& end_key) const;

  // Forgets every event up to `now_rv`; readers that had not caught up end.
  void compact(uint64_t now_rv);
  void close_subscriptions();

  // Events held now, and the ring's capacity (for tests).
  size_t size() const;
  size_t capacity() const;

  struct State;  // shared with subscriptions; defined in the .cc

 private:
  std::shared_ptr<State> state_;
};

}  // namespace cellar::testcluster
