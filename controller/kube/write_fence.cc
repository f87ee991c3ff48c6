#include "controller/kube/write_fence.h"

namespace cellar::kube {

void WriteFence::open_until(Clock::time_point deadline) {
  const int64_t ns = deadline.time_since_epoch().count();
  int64_t current = deadline_ns_.load();
  while (current < ns && !deadline_ns_.compare_exchange_weak(current, ns)) {
  }
}

void WriteFence::close() {
  closed_ = true;
}

bool WriteFence::allows(Clock::time_point now) const {
  return !closed_ && now.time_since_epoch().count() < deadline_ns_.load();
}

WriteFence::Clock::time_point WriteFence::deadline() const {
  return Clock::time_point(Clock::duration(deadline_ns_.load()));
}

}  // namespace cellar::kube
