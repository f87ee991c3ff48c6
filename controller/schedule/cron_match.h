// Which wall-clock minutes a CronSchedule fires at, on the plain calendar. A local minute here is
// a reading of the clock on the wall, with no time zone: turning it into an instant, and what
// daylight saving does to it, is cron_next.h's business.
#pragma once

#include <date/date.h>

#include <chrono>
#include <optional>

#include "controller/schedule/cron.h"

namespace cellar::schedule {

using LocalMinute = date::local_time<std::chrono::minutes>;

// Whether the day fields allow `day`, with cron's either-or rule when both restrict (cron.h).
bool fires_on_day(const CronSchedule& schedule, const date::year_month_day& day);
bool fires_at(const CronSchedule& schedule, LocalMinute minute);

// The first minute at or after `from` at which the schedule fires, if there is one before the day
// `until`. Months and days that cannot fire are skipped whole, so a search over years costs
// microseconds.
std::optional<LocalMinute> first_firing_at_or_after(const CronSchedule& schedule, LocalMinute from,
                                                    date::local_days until);

// The last minute at or before `from` at which the schedule fires, if there is one on or after
// the day `since`.
std::optional<LocalMinute> last_firing_at_or_before(const CronSchedule& schedule, LocalMinute from,
                                                    date::local_days since);

}  // namespace cellar::schedule
