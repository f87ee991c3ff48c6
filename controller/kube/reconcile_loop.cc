#include "controller/kube/reconcile_loop.h"

#include <spdlog/spdlog.h>

namespace cellar::kube {

void process_queue(WorkQueue& queue, const ReconcileFn& reconcile) {
  while (auto key = queue.get()) {
    auto result = reconcile(*key);
    if (result.ok()) {
      queue.forget(*key);
      if (*result) queue.add_after(*key, **result);
    } else {
      const Error& error = result.error();
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

}  // namespace cellar::kube
