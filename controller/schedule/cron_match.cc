#include "controller/schedule/cron_match.h"

#include <bit>

namespace cellar::schedule {
namespace {

// The lowest set bit of `mask` at or above `from`, or -1.
int next_bit(uint64_t mask, int from) {
  if (from > 63) return -1;
  const uint64_t above = mask & (~uint64_t{0} << from);
  return above == 0 ? -1 : std::countr_zero(above);
}

// The highest set bit of `mask` at or below `from`, or -1.
int prev_bit(uint64_t mask, int from) {
  if (from < 0) return -1;
  const uint64_t below = from >= 63 ? mask : mask & ((uint64_t{2} << from) - 1);
  return below == 0 ? -1 : 63 - std::countl_zero(below);
}

// Where a search goes on from when `day` cannot fire: when only day-of-month restricts, straight
// to its next allowed day of the month (or the month's end), which spares `0 0 31 * *` thirty
// steps a month.
date::local_days next_day_to_try(const CronSchedule& schedule, const date::year_month_day& ymd,
                                 date::local_days day) {
  if (!schedule.day_of_month_restricted || schedule.day_of_week_restricted) {
    return day + date::days{1};
  }
  const int next = next_bit(schedule.days_of_month, static_cast<int>(unsigned(ymd.day())) + 1);
  const date::year_month_day_last month_end{ymd.year(), date::month_day_last{ymd.month()}};
  if (next < 0 || next > static_cast<int>(unsigned(month_end.day()))) {
    return date::local_days{month_end} + date::days{1};
  }
  return date::local_days{ymd.year() / ymd.month() / next};
}

}  // namespace

bool fires_on_day(const CronSchedule& schedule, const date::year_month_day& day) {
  const bool by_day_of_month = schedule.days_of_month >> unsigned(day.day()) & 1;
  const bool by_day_of_week = schedule.days_of_week >> date::weekday(day).c_encoding() & 1;
  if (schedule.day_of_month_restricted && schedule.day_of_week_restricted) {
    return by_day_of_month || by_day_of_week;
  }
  if (schedule.day_of_month_restricted) return by_day_of_month;
  if (schedule.day_of_week_restricted) return by_day_of_week;
  return true;
}

bool fires_at(const CronSchedule& schedule, LocalMinute minute) {
  const date::local_days day = date::floor<date::days>(minute);
  const date::year_month_day ymd{day};
  const auto of_day = date::make_time(minute - day);
  return (schedule.months >> unsigned(ymd.month()) & 1) && fires_on_day(schedule, ymd) &&
         (schedule.hours >> of_day.hours().count() & 1) &&
         (schedule.minutes >> of_day.minutes().count() & 1);
}

std::optional<LocalMinute> first_firing_at_or_after(const CronSchedule& schedule, LocalMinute from,
                                                    date::local_days until) {
  date::local_days day = date::floor<date::days>(from);
  int hour = static_cast<int>((from - day).count() / 60);
  int minute = static_cast<int>((from - day).count() % 60);
  while (day < until) {
    const date::year_month_day ymd{day};
    const int month = static_cast<int>(unsigned(ymd.month()));
    if (!(schedule.months >> month & 1)) {
      int next = next_bit(schedule.months, month + 1);
      date::year year = ymd.year();
      if (next < 0) {
        year += date::years{1};
        next = next_bit(schedule.months, 1);
        if (next < 0) return std::nullopt;
      }
      day = date::local_days{year / next / 1};
      hour = minute = 0;
      continue;
    }
    if (!fires_on_day(schedule, ymd)) {
      day = next_day_to_try(schedule, ymd, day);
      hour = minute = 0;
      continue;
    }
    const int next_hour = next_bit(schedule.hours, hour);
    if (next_hour < 0) {
      day += date::days{1};
      hour = minute = 0;
      continue;
    }
    if (next_hour != hour) {
      hour = next_hour;
      minute = 0;
    }
    const int next_minute = next_bit(schedule.minutes, minute);
    if (next_minute < 0) {
      minute = 0;
      if (++hour == 24) {
        day += date::days{1};
        hour = 0;
      }
      continue;
    }
    return day + std::chrono::hours{hour} + std::chrono::minutes{next_minute};
  }
  return std::nullopt;
}

std::optional<LocalMinute> last_firing_at_or_before(const CronSchedule& schedule, LocalMinute from,
                                                    date::local_days since) {
  date::local_days day = date::floor<date::days>(from);
  int hour = static_cast<int>((from - day).count() / 60);
  int minute = static_cast<int>((from - day).count() % 60);
  while (day >= since) {
    const date::year_month_day ymd{day};
    const int month = static_cast<int>(unsigned(ymd.month()));
    if (!(schedule.months >> month & 1)) {
      int previous = prev_bit(schedule.months, month - 1);
      date::year year = ymd.year();
      if (previous < 1) {
        year -= date::years{1};
        previous = prev_bit(schedule.months, 12);
        if (previous < 1) return std::nullopt;
      }
      day = date::local_days{year / previous / date::last};
      hour = 23;
      minute = 59;
      continue;
    }
    if (!fires_on_day(schedule, ymd)) {
      day -= date::days{1};
      hour = 23;
      minute = 59;
      continue;
    }
    const int previous_hour = prev_bit(schedule.hours, hour);
    if (previous_hour < 0) {
      day -= date::days{1};
      hour = 23;
      minute = 59;
      continue;
    }
    if (previous_hour != hour) {
      hour = previous_hour;
      minute = 59;
    }
    const int previous_minute = prev_bit(schedule.minutes, minute);
    if (previous_minute < 0) {
      minute = 59;
      if (--hour < 0) {
        day -= date::days{1};
        hour = 23;
      }
      continue;
    }
    return day + std::chrono::hours{hour} + std::chrono::minutes{previous_minute};
  }
  return std::nullopt;
}

}  // namespace cellar::schedule
