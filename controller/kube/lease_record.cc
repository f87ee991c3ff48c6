#include "controller/kube/lease_record.h"

#include <ctime>

namespace cellar::kube {

LeaseObservation observe(const std::optional<LeaseObservation>& before, const LeaseRecord& read,
                         LeaseClock::time_point now) {
  if (before && before->record == read) return *before;
  return {read, now};
}

bool lease_valid(const LeaseObservation& seen, LeaseClock::time_point now) {
  return seen.changed_at + std::chrono::seconds(seen.record.lease_duration_seconds) > now;
}

LeaseAction decide(const LeaseObservation& seen, const std::string& identity,
                   LeaseClock::time_point now) {
  if (!seen.record.holder.empty() && seen.record.holder == identity) return LeaseAction::kRenew;
  if (!seen.record.holder.empty() && lease_valid(seen, now)) return LeaseAction::kWait;
  return LeaseAction::kTake;
}

LeaseRecord first_record(const std::string& identity, int lease_duration_seconds,
                         const std::string& now) {
  return {identity, lease_duration_seconds, now, now, 0};
}

LeaseRecord taken_record(const LeaseRecord& current, const std::string& identity,
                         int lease_duration_seconds, const std::string& now) {
  return {identity, lease_duration_seconds, now, now, current.transitions + 1};
}

LeaseRecord renewed_record(const LeaseRecord& current, const std::string& identity,
                           int lease_duration_seconds, const std::string& now) {
  return {identity, lease_duration_seconds, current.acquire_time, now, current.transitions};
}

LeaseRecord released_record(const LeaseRecord& current, const std::string& now) {
  return {"", 1, now, now, current.transitions};
}

LeaseClock::time_point write_deadline(LeaseClock::time_point renewal_started,
                                      std::chrono::milliseconds renew_deadline) {
  return renewal_started + renew_deadline;
}

LeaseRecord lease_record(const nlohmann::json& lease) {
  LeaseRecord r;
  auto spec = lease.find("spec");
  if (spec == lease.end() || !spec->is_object()) return r;
  auto text = [&](const char* key) {
    auto it = spec->find(key);
    return it != spec->end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  auto number = [&](const char* key) {
    auto it = spec->find(key);
    return it != spec->end() && it->is_number_integer() ? it->get<int>() : 0;
  };
  r.holder = text("holderIdentity");
  r.lease_duration_seconds = number("leaseDurationSeconds");
  r.acquire_time = text("acquireTime");
  r.renew_time = text("renewTime");
  r.transitions = number("leaseTransitions");
  return r;
}

nlohmann::json with_record(nlohmann::json lease, const LeaseRecord& record) {
  nlohmann::json& spec = lease["spec"];
  if (!spec.is_object()) spec = nlohmann::json::object();
  // client-go writes holderIdentity even when empty: "" is how a released lease reads.
  spec["holderIdentity"] = record.holder;
  spec["leaseDurationSeconds"] = record.lease_duration_seconds;
  spec["acquireTime"] = record.acquire_time;
  spec["renewTime"] = record.renew_time;
  spec["leaseTransitions"] = record.transitions;
  return lease;
}

nlohmann::json new_lease(const std::string& ns, const std::string& name,
                         const LeaseRecord& record) {
  nlohmann::json lease = {{"apiVersion", "coordination.k8s.io/v1"},
                          {"kind", "Lease"},
                          {"metadata", {{"name", name}, {"namespace", ns}}}};
  return with_record(std::move(lease), record);
}

std::string format_micro_time(std::chrono::system_clock::time_point t) {
  const auto micros =
      std::chrono::duration_cast<std::chrono::microseconds>(t.time_since_epoch()).count();
  std::time_t seconds = static_cast<std::time_t>(micros / 1000000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char date[32];
  std::strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%S", &utc);
  char out[48];
  std::snprintf(out, sizeof out, "%s.%06lldZ", date, static_cast<long long>(micros % 1000000));
  return out;
}

}  // namespace cellar::kube
