#include "controller/schedule/retention.h"

#include <date/date.h>
#include <date/iso_week.h>
#include <date/tz.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <set>

namespace cellar::schedule {
namespace {

using std::chrono::hours;
using std::chrono::seconds;

// A Backup's time as the schedule's clock on the wall showed it.
struct WallTime {
  date::local_seconds local;
  seconds offset;  // local - UTC
};

WallTime wall_time(std::chrono::system_clock::time_point time, const date::time_zone* zone) {
  const date::sys_seconds utc = std::chrono::floor<seconds>(time);
  const seconds offset = zone ? zone->get_info(utc).offset : seconds{0};
  return {date::local_seconds{utc.time_since_epoch() + offset}, offset};
}

// One period of one rule: `key` tells periods apart, `label` names the period for people.
struct Period {
  int64_t key;
  std::string label;
};

std::string printf_string(const char* format, auto... args) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, format, args...);
  return buffer;
}

Period hour_of(const WallTime& t) {
  const date::local_seconds start = std::chrono::floor<hours>(t.local);
  // The local hour alone would merge the two 01:00 hours of a fall-back night; the instant the
  // hour began does not.
  const int64_t key = (start.time_since_epoch() - t.offset).count();
  const date::local_days day = std::chrono::floor<date::days>(start);
  const date::year_month_day ymd{day};
  const auto hour = std::chrono::duration_cast<hours>(start - day).count();
  const auto offset_minutes = std::chrono::duration_cast<std::chrono::minutes>(t.offset).count();
  const int64_t magnitude = std::llabs(offset_minutes);
  return {key,
          printf_string("%04d-%02u-%02uT%02lld%c%02lld:%02lld", int(ymd.year()),
                        unsigned(ymd.month()), unsigned(ymd.day()), static_cast<long long>(hour),
                        offset_minutes < 0 ? '-' : '+', static_cast<long long>(magnitude / 60),
                        static_cast<long long>(magnitude % 60))};
}

Period day_of(const WallTime& t) {
  const date::local_days day = std::chrono::floor<date::days>(t.local);
  const date::year_month_day ymd{day};
  return {
      day.time_since_epoch().count(),
      printf_string("%04d-%02u-%02u", int(ymd.year()), unsigned(ymd.month()), unsigned(ymd.day()))};
}

Period iso_week_of(const WallTime& t) {
  const iso_week::year_weeknum_weekday week{std::chrono::floor<date::days>(t.local)};
  const int year = int(week.year());
  const unsigned number = unsigned(week.weeknum());
  return {int64_t{year} * 100 + number, printf_string("%04d-W%02u", year, number)};
}

Period month_of(const WallTime& t) {
  const date::year_month_day ymd{std::chrono::floor<date::days>(t.local)};
  const int year = int(ymd.year());
  const unsigned month = unsigned(ymd.month());
  return {int64_t{year} * 12 + month, printf_string("%04d-%02u", year, month)};
}

Period year_of(const WallTime& t) {
  const int year = int(date::year_month_day{std::chrono::floor<date::days>(t.local)}.year());
  return {year, printf_string("%04d", year)};
}

struct PeriodRule {
  const char* name;
  int count;
  Period (*period)(const WallTime&);
};

bool is_newer(const BackupRecord& a, const BackupRecord& b) {
  if (a.time != b.time) return a.time > b.time;
  return a.name > b.name;
}

}  // namespace

bool has_keep_rule(const RetentionPolicy& p) {
  return p.keep_last > 0 || p.keep_hourly > 0 || p.keep_daily > 0 || p.keep_weekly > 0 ||
         p.keep_monthly > 0 || p.keep_yearly > 0;
}

RetentionDecision select_retained(const std::vector<BackupRecord>& backups,
                                  const RetentionPolicy& policy, const date::time_zone* zone) {
  std::vector<const BackupRecord*> newest_first;
  newest_first.reserve(backups.size());
  for (const BackupRecord& b : backups) newest_first.push_back(&b);
  std::sort(newest_first.begin(), newest_first.end(),
            [](const BackupRecord* a, const BackupRecord* b) { return is_newer(*a, *b); });

  std::vector<const BackupRecord*> completed;
  std::vector<WallTime> completed_at;
  std::vector<const BackupRecord*> failed;
  for (const BackupRecord* b : newest_first) {
    if (b->outcome == BackupOutcome::kCompleted) {
      completed.push_back(b);
      completed_at.push_back(wall_time(b->time, zone));
    } else if (b->outcome == BackupOutcome::kFailed) {
      failed.push_back(b);
    }
  }

  RetentionDecision decision;
  auto keep_because = [&](const BackupRecord& b, std::string why) {
    decision.reasons[b.name].push_back(std::move(why));
  };

  for (size_t i = 0; i < completed.size() && static_cast<int64_t>(i) < policy.keep_last; ++i) {
    keep_because(*completed[i], "last " + std::to_string(i + 1));
  }

  const PeriodRule rules[] = {
      {"hourly", policy.keep_hourly, hour_of},     {"daily", policy.keep_daily, day_of},
      {"weekly", policy.keep_weekly, iso_week_of}, {"monthly", policy.keep_monthly, month_of},
      {"yearly", policy.keep_yearly, year_of},
  };
  for (const PeriodRule& rule : rules) {
    if (rule.count <= 0) continue;
    // A set rather than restic's "differs from the previous one": the same result while periods
    // only move forward in time, and still each period once if a zone's clock ever moved back
    // across a period boundary.
    std::set<int64_t> periods_kept;
    for (size_t i = 0; i < completed.size(); ++i) {
      Period p = rule.period(completed_at[i]);
      if (!periods_kept.insert(p.key).second) continue;
      keep_because(*completed[i], std::string(rule.name) + " " + p.label);
      if (periods_kept.size() == static_cast<size_t>(rule.count)) break;
    }
  }

  // A schedule that sets no keep rule asked to rotate nothing: reading its silence as "keep
  // only the newest" would delete every other dump the day it was applied.
  if (!has_keep_rule(policy)) {
    for (const BackupRecord* b : completed) keep_because(*b, "no keep rule");
  }
  if (!completed.empty() && !decision.reasons.contains(completed.front()->name)) {
    keep_because(*completed.front(), "newest completed");
  }
  for (size_t i = 0; i < failed.size() && static_cast<int64_t>(i) < policy.failed_history_limit;
       ++i) {
    keep_because(*failed[i], "failed " + std::to_string(i + 1));
  }

  for (const BackupRecord* b : newest_first) {
    if (b->outcome == BackupOutcome::kRunning) keep_because(*b, "running");
    if (decision.reasons.contains(b->name)) {
      decision.keep.push_back(b->name);
    } else {
      decision.remove.push_back(b->name);
    }
  }
  return decision;
}

}  // namespace cellar::schedule
