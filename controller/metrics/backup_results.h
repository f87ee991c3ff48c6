// What the backup gauges say, computed from the Backup cache at scrape time so that they are right
// after a restart too: per (namespace, schedule), the newest Completed Backup's completion time,
// duration and size, and the newest Failed one's completion time. A Backup belongs to the schedule
// its cellar.dev/schedule label names; standalone Backups share the schedule "" of their namespace.
// One entry a schedule, never one a Backup: the label sets stay as few as the schedules.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "controller/api/backup.h"

namespace cellar::metrics {

struct ScheduleResults {
  // Seconds since the Unix epoch; nullopt when no such Backup is in the cache.
  std::optional<double> last_success_time;
  std::optional<int64_t> last_success_duration_seconds;
  std::optional<int64_t> last_success_size_bytes;
  std::optional<double> last_failure_time;
};

using ScheduleKey = std::pair<std::string, std::string>;  // namespace, schedule ("": standalone)

// Backups without a parseable completionTime are left out: they cannot be ordered.
std::map<ScheduleKey, ScheduleResults> latest_results(const std::vector<api::Backup>& backups);

}  // namespace cellar::metrics
