// The leader-election record kept in a coordination.k8s.io/v1 Lease, and the pure decisions of
// client-go's leaderelection package over it.
//
// Times in the record (renewTime, acquireTime) come from other machines' clocks and are only
// written for people. Whether a lease is still valid is judged, as client-go judges it, from when
// *this* replica saw the record last change, on its own monotonic clock, plus the record's
// leaseDurationSeconds: clock skew between replicas does not matter, only their clock rates.
#pragma once

#include <chrono>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace cellar::kube {

struct LeaseRecord {
  std::string holder;  // empty: nobody holds it, anyone may take it
  int lease_duration_seconds = 0;
  std::string acquire_time;  // MicroTime text ("2026-11-28T03:27:15.123456Z")
  std::string renew_time;
  int transitions = 0;  // how many times the lease changed hands

  bool operator==(const LeaseRecord&) const = default;
};

using LeaseClock = std::chrono::steady_clock;

// What a candidate saw of the Lease last, and when that record last changed on its clock.
struct LeaseObservation {
  LeaseRecord record;
  LeaseClock::time_point changed_at;
};

// Folds a record just read into what was seen before: the time moves only when the record
// changed, so a holder that stopped renewing is seen as such after one lease duration.
LeaseObservation observe(const std::optional<LeaseObservation>& before, const LeaseRecord& read,
                         LeaseClock::time_point now);

// Whether the observed holder's lease still runs at `now`.
bool lease_valid(const LeaseObservation& seen, LeaseClock::time_point now);

enum class LeaseAction {
  kWait,   // someone else holds a valid lease
  kTake,   // free (no holder) or expired: take it (the write is conditional on what was read)
  kRenew,  // ours: renew it
};
LeaseAction decide(const LeaseObservation& seen, const std::string& identity,
                   LeaseClock::time_point now);

// The record to write. `now` is the MicroTime text of this replica's wall clock.
LeaseRecord first_record(const std::string& identity, int lease_duration_seconds,
                         const std::string& now);
// Taking keeps nothing of the previous holder's term but counts one more transition.
LeaseRecord taken_record(const LeaseRecord& current, const std::string& identity,
                         int lease_duration_seconds, const std::string& now);
// Renewing keeps the acquire time and the transitions.
LeaseRecord renewed_record(const LeaseRecord& current, const std::string& identity,
                           int lease_duration_seconds, const std::string& now);
// Releasing, as client-go's ReleaseOnCancel: no holder, a 1 s lease, transitions kept, so another
// replica takes it at its next try instead of waiting out a whole lease.
LeaseRecord released_record(const LeaseRecord& current, const std::string& now);

// The leader may write until its last successful renewal's start plus the renew deadline; past
// that it has lost the lease (it must not act, and it stops).
LeaseClock::time_point write_deadline(LeaseClock::time_point renewal_started,
                                      std::chrono::milliseconds renew_deadline);

// The record a Lease carries (missing fields read as empty or zero).
LeaseRecord lease_record(const nlohmann::json& lease);
// `lease` with its spec set to `record`; metadata (and so resourceVersion, which makes the
// update conditional) untouched.
nlohmann::json with_record(nlohmann::json lease, const LeaseRecord& record);
// A new Lease `name` in `ns` carrying `record`.
nlohmann::json new_lease(const std::string& ns, const std::string& name, const LeaseRecord& record);

// MicroTime as Kubernetes writes it: RFC 3339, UTC, six fractional digits.
std::string format_micro_time(std::chrono::system_clock::time_point t);

}  // namespace cellar::kube
