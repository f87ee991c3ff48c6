// What every controller's workers do, written once: take a key from the queue, reconcile it, and
// put it back when the reconciler asks (a time) or fails with an error worth retrying (back-off,
// or the server's Retry-After). An answer that retrying cannot change (kube::is_permanent) is
// logged and not retried.
#pragma once

#include <chrono>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "controller/kube/error.h"
#include "controller/kube/observers.h"
#include "controller/kube/workqueue.h"

namespace cellar::kube {

// When to look again though nothing changed; nullopt: only when something does.
using Requeue = std::optional<std::chrono::milliseconds>;
using ReconcileFn = std::function<Result<Requeue>(const std::string& key)>;

// Runs until the queue shuts down; `observe`, when set, is told of each pass.
void process_queue(WorkQueue& queue, const ReconcileFn& reconcile,
                   const ReconcileObserver& observe = {});

// A controller's worker threads, each running process_queue on the controller's queue.
class Workers {
 public:
  // `queue` must outlive the workers; `reconcile` is called from several threads at once.
  Workers(WorkQueue& queue, ReconcileFn reconcile)
      : queue_(queue), reconcile_(std::move(reconcile)) {}
  Workers(const Workers&) = delete;
  Workers& operator=(const Workers&) = delete;
  ~Workers() { stop(); }

  // Tells `observe` of every reconcile pass; set before start().
  void observe(ReconcileObserver observe) { observe_ = std::move(observe); }
  // Starts `count` workers once; does nothing after stop() (leadership may come during shutdown).
  void start(int count);
  // Shuts the queue down and joins the workers, each finishing the key in hand. False when
  // already stopped.
  bool stop();

 private:
  WorkQueue& queue_;
  ReconcileFn reconcile_;
  ReconcileObserver observe_;
  std::mutex mu_;  // guards threads_ and stopped_ between start and stop
  std::vector<std::thread> threads_;
  bool stopped_ = false;
};

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
