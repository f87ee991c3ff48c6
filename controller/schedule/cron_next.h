// When a schedule fires: its wall-clock minutes (cron_match.h) turned into instants in its time
// zone (time_zone.h).
//
// A local minute that exists once fires at that instant. One that does not exist, skipped when
// clocks spring forward, fires at the first instant after the gap: 02:30 on a day whose 02:00
// becomes 03:00 fires at 03:00 local, and all the skipped minutes that match fire there, once.
// One that exists twice, when clocks fall back, fires once, at its first occurrence: the repeated
// hour does not fire again (so `*/15 * * * *` skips the second pass of 01:00-01:59 in New York).
//
// A search looks at most kSearchYears of local calendar ahead (or back), skipping whole months
// and days, so it takes microseconds. Every schedule parse_cron accepts fires within that span
// (the rarest, a February 29th, can wait 8 years: 2096 to 2104); nullopt means no firing in it.
#pragma once

#include <chrono>
#include <optional>

#include "controller/schedule/cron.h"
#include "controller/schedule/cron_match.h"

namespace date {
class time_zone;
}

namespace cellar::schedule {

using Instant = std::chrono::system_clock::time_point;

inline constexpr int kSearchYears = 9;

// The first firing strictly after `after`.
std::optional<Instant> next_firing(const CronSchedule& schedule, Instant after,
                                   const date::time_zone& zone);

// The last firing strictly before `before`: after downtime, the most recent missed time is
// last_firing_before(schedule, now + 1s, zone) when it is later than the last one run (and
// startingDeadlineSeconds decides whether it is still worth running).
std::optional<Instant> last_firing_before(const CronSchedule& schedule, Instant before,
                                          const date::time_zone& zone);

// The instant a matching local minute fires at, by the rules above.
std::chrono::sys_seconds firing_instant(const date::time_zone& zone, LocalMinute minute);

}  // namespace cellar::schedule
