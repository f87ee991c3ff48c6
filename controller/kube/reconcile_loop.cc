#include "controller/kube/reconcile_loop.h"

#include <spdlog/spdlog.h>

namespace cellar::kube {

void process_queue(WorkQueue& queue, const ReconcileFn& reconcile,
                   const ReconcileObserver& observe) {
  while (auto key = queue.get()) {
    spdlog::trace("{}: reconciling", *key);
    const auto started = std::chrono::steady_clock::now();
    auto result = reconcile(*key);
    if (observe) observe(std::chrono::steady_clock::now() - started, !result.ok());
    if (result.ok()) {
      queue.forget(*key);
      if (*result) queue.add_after(*key, **result);
    } else {
      const Error& error = result.error();
      if (is_permanent(error)) {
        // Asking again gets the same answer: a retry loop would only load the server. The
        // reconciler has said what it could in the object's status; a change to the object, or
        // to what it refers to, brings the key back.
        spdlog::error("{}: not retried, the API server's answer cannot change: {}", *key,
                      error.to_string());
        queue.forget(*key);
        queue.done(*key);
        continue;
      }
      spdlog::warn("{}: will retry: {}", *key, error.to_string());
      // The server said when it can take more (429 Retry-After): that beats any guess of ours.
      if (error.retry_after.count() > 0) {
        queue.add_after(*key, error.retry_after);
      } else {
        queue.add_rate_limited(*key);
      }
    }
    queue.done(*key);
  }
}

void Workers::start(int count) {
  std::lock_guard lock(mu_);
  if (stopped_ || !threads_.empty()) return;
  for (int i = 0; i < count; ++i) {
    threads_.emplace_back([this] { process_queue(queue_, reconcile_, observe_); });
  }
}

bool Workers::stop() {
  std::vector<std::thread> threads;
  {
    std::lock_guard lock(mu_);
    if (stopped_) return false;
    stopped_ = true;
    threads.swap(threads_);
  }
  queue_.shut_down();
  for (auto& t : threads) t.join();
  return true;
}

}  // namespace cellar::kube
