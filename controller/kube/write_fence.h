// A fence the client checks before every write: writes may leave only until a deadline on the
// local monotonic clock, set by the leader elector each time it renews its Lease.
//
// Without leader election no fence is given to the client and nothing changes. With it, the
// deadline is the start of the last successful renewal plus the renew deadline, which is shorter
// than the lease duration, so a write that passed the fence reaches the API server before any
// other replica can consider the lease expired (it waits a whole lease duration after it last
// saw the record change). A replica that cannot prove it still leads therefore cannot write,
// whatever its threads are doing.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>

namespace cellar::kube {

class WriteFence {
 public:
  using Clock = std::chrono::steady_clock;

  // Closed until the first open_until().
  WriteFence() = default;
  WriteFence(const WriteFence&) = delete;
  WriteFence& operator=(const WriteFence&) = delete;

  // Writes may leave until `deadline`. Never moves the deadline back: a renewal that started
  // earlier but finished later proves less than the one already recorded.
  void open_until(Clock::time_point deadline);
  // No write leaves from now on, for good.
  void close();

  bool allows(Clock::time_point now = Clock::now()) const;
  Clock::time_point deadline() const;

 private:
  std::atomic<int64_t> deadline_ns_{0};
  std::atomic<bool> closed_{false};
};

}  // namespace cellar::kube
