#include "controller/schedule/cron_next.h"

#include <date/tz.h>

#include <algorithm>

namespace cellar::schedule {
namespace {

using std::chrono::seconds;
using std::chrono::sys_seconds;

constexpr date::days kSearchSpan{366 * kSearchYears};

}  // namespace

sys_seconds firing_instant(const date::time_zone& zone, LocalMinute minute) {
  const date::local_seconds local = minute;
  const date::local_info info = zone.get_info(local);
  if (info.result == date::local_info::nonexistent) return sys_seconds{info.second.begin};
  // Unique, or ambiguous and then `first` is the earlier offset: the first occurrence.
  return sys_seconds{local.time_since_epoch() - info.first.offset};
}

std::optional<Instant> next_firing(const CronSchedule& schedule, Instant after,
                                   const date::time_zone& zone) {
  // Firings fall on whole seconds, so "after `after`" is "after its whole second".
  const sys_seconds after_second = std::chrono::floor<seconds>(after);
  // Minute by minute, local time and firing instant rise together, and every minute before the
  // local reading of `after` fires at or before it: the search can start at that reading. In the
  // repeated hour of a fall-back, the minutes found first fire in the earlier pass, before
  // `after`, and are stepped over one by one (60 at most).
  LocalMinute from = date::floor<std::chrono::minutes>(zone.to_local(after_second));
  const date::local_days until = date::floor<date::days>(from) + kSearchSpan;
  while (auto minute = first_firing_at_or_after(schedule, from, until)) {
    const sys_seconds instant = firing_instant(zone, *minute);
    if (instant > after_second) return instant;
    from = *minute + std::chrono::minutes{1};
  }
  return std::nullopt;
}

std::optional<Instant> last_firing_before(const CronSchedule& schedule, Instant before,
                                          const date::time_zone& zone) {
  const sys_seconds before_second = std::chrono::ceil<seconds>(before);
  // A minute fires before `before` only if its local reading is at most `before` in the largest
  // offset in force around it: the current one or, just after a fall-back, the one before.
  const date::sys_info now = zone.get_info(before_second);
  const date::sys_info previous = zone.get_info(now.begin - seconds{1});
  const auto offset = std::max(now.offset, previous.offset);
  LocalMinute from = date::floor<std::chrono::minutes>(
      date::local_seconds{(before_second + offset).time_since_epoch()});
  const date::local_days since = date::floor<date::days>(from) - kSearchSpan;
  std::optional<sys_seconds> found;
  while (auto minute = last_firing_at_or_before(schedule, from, since)) {
    const sys_seconds instant = firing_instant(zone, *minute);
    if (instant < before_second) {
      found = instant;
      break;
    }
    from = *minute - std::chrono::minutes{1};
  }
  if (!found) return std::nullopt;
  // The bound above assumes transitions are months apart, as in every zone in use. Walking
  // forward makes the answer right even if one day they are not; when they are, it costs one
  // more search.
  while (auto later = next_firing(schedule, *found, zone)) {
    if (*later >= before_second || *later <= *found) break;
    found = std::chrono::floor<seconds>(*later);
  }
  return *found;
}

}  // namespace cellar::schedule
