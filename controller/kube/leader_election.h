// Leader election on a coordination.k8s.io/v1 Lease, as client-go's leaderelection package does
// it: get the Lease, decide (lease_record.h), and write it back conditionally on the
// resourceVersion read, so that of two replicas writing at once one gets 409 and stays a standby.
//
// - A standby tries every retry period and also watches the Lease, so a released lease (SIGTERM
//   of the leader) is taken at once rather than at its next try.
// - The leader renews every retry period. Each renewal that succeeds opens the write fence until
//   its start plus the renew deadline; when the deadline passes without one, the fence is already
//   closed, and the elector reports the loss (the process then exits: a fresh start as a standby
//   is simpler and safer than tearing down controllers in place).
// - stop_and_release(), after the controllers stopped: clears the holder and sets a 1 s lease
//   (client-go's ReleaseOnCancel), so another replica takes over in about a second.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "controller/kube/client.h"
#include "controller/kube/lease_record.h"
#include "controller/kube/write_fence.h"

namespace cellar::kube {

struct LeaderElectionConfig {
  std::string ns;
  std::string name = "cellar-controller";
  std::string identity;  // unique among replicas: hostname_<random>
  std::chrono::milliseconds lease_duration{15000};
  std::chrono::milliseconds renew_deadline{10000};
  std::chrono::milliseconds retry_period{2000};
};

struct LeaderCallbacks {
  // On the elector's thread, once, when this replica first holds the lease.
  std::function<void()> started_leading;
  // On the elector's thread, once, when a leader could not renew before its deadline (the fence
  // is closed by then). Not called by stop_and_release().
  std::function<void()> lost_leadership;
};

// "hostname_<16 hex digits>": the random part tells apart two processes on one host (or a pod
// restarted under the same name), whose leases must not be mistaken for each other's.
std::string make_identity(const std::string& hostname);

class LeaderElector {
 public:
  // `client` is the elector's own (no fence, its own rate limit); it and `fence` must outlive
  // the elector.
  LeaderElector(Client& client, LeaderElectionConfig config, WriteFence& fence,
                LeaderCallbacks callbacks);
  LeaderElector(const LeaderElector&) = delete;
  LeaderElector& operator=(const LeaderElector&) = delete;
  ~LeaderElector();

  void start();
  // Stops trying and watching; when leading, releases the Lease. Idempotent.
  void stop_and_release();

  bool is_leader() const { return leading_; }
  const LeaderElectionConfig& config() const { return config_; }
  // When the elector's loop last went round: a liveness probe's sign that it has not stalled.
  LeaseClock::time_point last_loop() const;

 private:
  // One round of client-go's tryAcquireOrRenew; true when this replica holds the lease after it.
  bool try_acquire_or_renew();
  bool release();
  void run();
  void watch_lease();
  // Records what was read (under mu_) and returns the observation.
  LeaseObservation observe_locked(const json& lease, LeaseClock::time_point now);

  Client& client_;
  LeaderElectionConfig config_;
  WriteFence& fence_;
  LeaderCallbacks callbacks_;

  mutable std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;
  bool poked_ = false;  // the watch saw the Lease freed: try now
  std::optional<LeaseObservation> seen_;
  json lease_;  // the Lease as last read or written, for a conditional update
  LeaseClock::time_point last_loop_{};
  std::unique_ptr<Watch> watch_;  // the open watch, for stop to cancel

  std::atomic<bool> leading_{false};
  std::thread loop_;
  std::thread watcher_;
};

}  // namespace cellar::kube
