#include "controller/metrics/schedule_interval.h"

#include "controller/schedule/cron.h"
#include "controller/schedule/cron_next.h"
#include "controller/schedule/time_zone.h"

namespace cellar::metrics {

std::optional<double> schedule_interval_seconds(const api::BackupSchedule& schedule,
                                                std::chrono::system_clock::time_point now) {
  if (schedule.spec.suspend) return std::nullopt;
  // The same seed as the schedule controller's, so `H` fields pick the same minutes.
  auto cron =
      schedule::parse_cron(schedule.spec.schedule, schedule.meta.ns + "/" + schedule.meta.name);
  if (!cron.schedule) return std::nullopt;
  auto zone = schedule::find_time_zone(schedule.spec.time_zone);
  if (!zone.zone) return std::nullopt;
  auto first = schedule::next_firing(*cron.schedule, now, *zone.zone);
  if (!first) return std::nullopt;
  auto second = schedule::next_firing(*cron.schedule, *first, *zone.zone);
  if (!second) return std::nullopt;
  return std::chrono::duration<double>(*second - *first).count();
}

}  // namespace cellar::metrics
