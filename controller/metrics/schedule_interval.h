// How often a BackupSchedule is meant to make a Backup, for the alert that says its newest success
// is too old: the gap between its next two due times after `now`, in its time zone. A schedule
// whose gaps vary (`0 2 * * 1-5`) gives the gap it is about to have, which the alert's grace covers
// for the usual weekday/weekend cases only approximately. nullopt when the schedule is suspended
// (nothing is expected of it), its cron or time zone is invalid (its status says so), or it never
// fires again.
#pragma once

#include <chrono>
#include <optional>

#include "controller/api/backup_schedule.h"

namespace cellar::metrics {

std::optional<double> schedule_interval_seconds(const api::BackupSchedule& schedule,
                                                std::chrono::system_clock::time_point now);

}  // namespace cellar::metrics
