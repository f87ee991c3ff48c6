// The backup and schedule gauges, read from the controllers' caches at each scrape (nothing is
// kept between scrapes, so a restarted controller serves the same values as soon as its caches
// have synced): cellar_backup_last_success_timestamp_seconds, cellar_backup_last_duration_seconds,
// cellar_backup_last_size_bytes, cellar_backup_last_failure_timestamp_seconds (labels namespace,
// schedule) and cellar_schedule_interval_seconds (labels namespace, schedule).
#pragma once

#include <prometheus/metric_family.h>

#include <chrono>
#include <functional>
#include <vector>

#include "controller/api/backup.h"
#include "controller/api/backup_schedule.h"

namespace cellar::metrics {

using BackupSource = std::function<std::vector<api::Backup>()>;
using ScheduleSource = std::function<std::vector<api::BackupSchedule>()>;

std::vector<prometheus::MetricFamily> collect_backup_gauges(
    const std::vector<api::Backup>& backups, const std::vector<api::BackupSchedule>& schedules,
    std::chrono::system_clock::time_point now);

}  // namespace cellar::metrics
