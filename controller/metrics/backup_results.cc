#include "controller/metrics/backup_results.h"

#include <chrono>

#include "controller/api/backup_schedule.h"
#include "controller/api/timestamps.h"

namespace cellar::metrics {
namespace {

std::optional<double> epoch_seconds(const std::string& rfc3339) {
  auto t = api::parse_rfc3339(rfc3339);
  if (!t) return std::nullopt;
  return std::chrono::duration<double>(t->time_since_epoch()).count();
}

std::string schedule_of(const api::Backup& backup) {
  auto it = backup.meta.labels.find(api::kScheduleLabel);
  return it == backup.meta.labels.end() ? std::string() : it->second;
}

}  // namespace

std::map<ScheduleKey, ScheduleResults> latest_results(const std::vector<api::Backup>& backups) {
  std::map<ScheduleKey, ScheduleResults> out;
  for (const api::Backup& b : backups) {
    const api::Phase phase = b.status.phase;
    if (phase != api::Phase::kCompleted && phase != api::Phase::kFailed) continue;
    const auto when = epoch_seconds(b.status.completion_time);
    if (!when) continue;
    ScheduleResults& r = out[{b.meta.ns, schedule_of(b)}];
    if (phase == api::Phase::kFailed) {
      if (!r.last_failure_time || *when > *r.last_failure_time) r.last_failure_time = when;
      continue;
    }
    if (r.last_success_time && *when <= *r.last_success_time) continue;
    r.last_success_time = when;
    r.last_success_duration_seconds = b.status.duration_seconds;
    r.last_success_size_bytes = b.status.size_bytes;
  }
  return out;
}

}  // namespace cellar::metrics
