// What every controller's workers do, written once: take a key from the queue, reconcile it, and
// put it back when the reconciler asks (a time) or fails with an error worth retrying (back-off,
// or the server's Retry-After). An answer that retrying cannot change (kube::is_permanent) is
// logged and not retried.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include "controller/kube/error.h"
#include "controller/kube/workqueue.h"

namespace cellar::kube {

// When to look again though nothing changed; nullopt: only when something does.
using Requeue = std::optional<std::chrono::milliseconds>;
using ReconcileFn = std::function<Result<Requeue>(const std::string& key)>;

// Runs until the queue shuts down.
void process_queue(WorkQueue& queue, const ReconcileFn& reconcile);

// Waits until every informer has synced, all within `timeout`; false when one has not by then.
template <typename... Informers>
bool wait_for_caches(std::chrono::milliseconds timeout, const Informers&... informers) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  auto left = [&] {
    return std::chrono::duration_cast<std::chrono::milliseconds>(deadline -
                                                                 std::chrono::steady_clock::now());
  };
  return (informers.wait_for_sync(left()) && ...);
}

}  // namespace cellar::kube
