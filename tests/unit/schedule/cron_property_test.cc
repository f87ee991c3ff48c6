// Randomized properties of the cron engine, with fixed seeds and bounded counts so that every run
// checks the same cases: random expressions are parsed, and next_firing is held to what cron_next.h
// promises, step by step and against a brute-force reading of every local minute around the
// daylight-saving transitions of several zones.
#include <date/tz.h>
#include <gtest/gtest.h>

#include <array>
#include <random>
#include <set>
#include <stdexcept>
#include <vector>

#include "controller/schedule/cron.h"
#include "controller/schedule/cron_match.h"
#include "controller/schedule/cron_next.h"
#include "controller/schedule/time_zone.h"

namespace cellar::schedule {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;
using std::chrono::sys_seconds;

// Zones with whole-hour, half-hour and 45-minute offsets and shifts, on both hemispheres, and
// Santiago, whose clocks change at midnight.
constexpr std::array<const char*, 8> kZones = {"UTC",
                                               "Europe/Paris",
                                               "America/New_York",
                                               "Australia/Lord_Howe",
                                               "Pacific/Chatham",
                                               "America/St_Johns",
                                               "America/Santiago",
                                               "Asia/Kathmandu"};

// Random cron text from std::mt19937_64, whose sequence the standard fixes (the standard
// distributions are not, so values are drawn by hand).
class ExpressionGenerator {
 public:
  explicit ExpressionGenerator(uint64_t seed) : random_(seed) {}

  int between(int low, int high) {
    return low + static_cast<int>(random_() % static_cast<uint64_t>(high - low + 1));
  }

  std::string expression() {
    return field(0, 59, 59, kNoNames) + " " + field(0, 23, 23, kNoNames) + " " +
           field(1, 31, 31, kNoNames) + " " + field(1, 12, 12, kMonthNames) + " " +
           field(0, 7, 6, kDayNames);
  }

  // Minute and hour fields of any shape, then every day: what fires often enough around a
  // transition to test it.
  std::string daily_expression() {
    return field(0, 59, 59, kNoNames) + " " + field(0, 23, 23, kNoNames) + " * * *";
  }

 private:
  using Names = std::vector<std::string>;
  inline static const Names kNoNames;
  inline static const Names kMonthNames = {"",    "jan", "feb", "mar", "apr", "may", "jun",
                                           "jul", "aug", "sep", "oct", "nov", "dec"};
  inline static const Names kDayNames = {"sun", "mon", "tue", "wed", "thu", "fri", "sat", "sun"};

  std::string value(int v, const Names& names) {
    if (!names.empty() && !names[v].empty() && between(0, 2) == 0) return names[v];
    return std::to_string(v);
  }

  // `top` is where `*` ends (day-of-week: 6, though 7 may be written).
  std::string item(int low, int high, int top, const Names& names) {
    const int a = between(low, high);
    const int b = between(a, high);
    const std::string step = std::to_string(between(1, top - low + 1));
    switch (between(0, 8)) {
      case 0:
        return value(a, names);
      case 1:
        return value(a, names) + "-" + value(b, names);
      case 2:
        return value(a, names) + "-" + value(b, names) + "/" + step;
      case 3:
        return "*/" + step;
      case 4:
        return value(std::min(a, top), names) + "/" + step;
      case 5:
        return "H";
      case 6:
        return "H(" + value(a, names) + "-" + value(b, names) + ")";
      case 7:
        return "H/" + step;
      default:
        return low == 1 && high == 31 ? "?" : "*";
    }
  }

  std::string field(int low, int high, int top, const Names& names) {
    if (between(0, 2) == 0) return "*";
    std::string text = item(low, high, top, names);
    for (int extra = between(0, 2); extra > 0; --extra) text += "," + item(low, high, top, names);
    return text;
  }

  std::mt19937_64 random_;
};

class CronPropertyTest : public ::testing::Test {
 protected:
  static const date::time_zone& zone(const char* name) {
    const TimeZoneResult found = find_time_zone(name);
    if (!found.zone) throw std::runtime_error(found.error);  // the test fails, loudly
    return *found.zone;
  }

  // What cron_next.h promises of each firing: it is a matching local minute's only or first
  // instant, or the end of a daylight-saving gap inside which some local minute matches.
  static ::testing::AssertionResult is_a_firing(const CronSchedule& schedule,
                                                const date::time_zone& zone, Instant at) {
    const sys_seconds instant = std::chrono::floor<seconds>(at);
    const date::local_seconds local = zone.to_local(instant);
    const LocalMinute minute = date::floor<minutes>(local);
    if (minute == local && fires_at(schedule, minute)) {
      const date::local_info info = zone.get_info(minute);
      if (info.result == date::local_info::unique ||
          instant.time_since_epoch() == minute.time_since_epoch() - info.first.offset) {
        return ::testing::AssertionSuccess();
      }
      return ::testing::AssertionFailure() << "fires in the second pass of a repeated hour";
    }
    const date::sys_info after = zone.get_info(instant);
    const date::sys_info before = zone.get_info(instant - seconds{1});
    if (after.begin == instant && after.offset > before.offset) {
      for (LocalMinute skipped = date::floor<minutes>(
               date::local_seconds{instant.time_since_epoch() + before.offset});
           skipped < local; skipped += minutes{1}) {
        if (fires_at(schedule, skipped)) return ::testing::AssertionSuccess();
      }
    }
    return ::testing::AssertionFailure()
           << date::format("%F %T", local) << " local matches no minute of the schedule";
  }

  static std::vector<std::string> shown(const std::set<sys_seconds>& instants,
                                        const date::time_zone& zone) {
    std::vector<std::string> out;
    for (sys_seconds instant : instants) {
      out.push_back(date::format("%F %T %Z", date::make_zoned(&zone, instant)));
    }
    return out;
  }

  // Every daylight-saving transition of `zone` in [from, to).
  static std::vector<sys_seconds> transitions(const date::time_zone& zone, sys_seconds from,
                                              sys_seconds to) {
    std::vector<sys_seconds> found;
    for (date::sys_info info = zone.get_info(from); info.end < to; info = zone.get_info(info.end)) {
      found.push_back(info.end);
    }
    return found;
  }
};

TEST_F(CronPropertyTest, RandomSchedulesFireInOrderAndOnlyWhenTheyMatch) {
  ExpressionGenerator generate(20250330);
  const sys_seconds earliest = date::sys_days{date::year{2000} / 1 / 1};
  int checked = 0;
  for (int i = 0; i < 2000; ++i) {
    const std::string text = generate.expression();
    const CronParseResult result = parse_cron(text, "ns/schedule-" + std::to_string(i));
    if (!result.schedule) {
      // The generator writes only valid syntax; a day that no chosen month has is still possible.
      EXPECT_TRUE(result.error.starts_with("never fires: ")) << text << ": " << result.error;
      continue;
    }
    const CronSchedule& schedule = *result.schedule;
    EXPECT_EQ(parse_cron(format_cron(schedule)).schedule, schedule) << text;
    const char* zone_name = kZones[i % kZones.size()];
    const date::time_zone& tz = zone(zone_name);
    // Any second of 2000-2034, with a fraction, well before date/tz's 2037 horizon.
    Instant t = earliest + seconds{generate.between(0, 35 * 365 * 86400)} +
                std::chrono::milliseconds{generate.between(0, 999)};
    const Instant start = t;
    for (int step = 0; step < 20; ++step) {
      const std::optional<Instant> next = next_firing(schedule, t, tz);
      ASSERT_TRUE(next) << text << " in " << zone_name;
      ASSERT_GT(*next, t) << text << " in " << zone_name;
      EXPECT_TRUE(is_a_firing(schedule, tz, *next)) << text << " in " << zone_name;
      const std::optional<Instant> before = last_firing_before(schedule, *next, tz);
      if (step == 0) {
        EXPECT_TRUE(!before || *before <= start) << text << " in " << zone_name;
      } else {
        EXPECT_EQ(before, t) << text << " in " << zone_name;
      }
      t = *next;
    }
    ++checked;
  }
  EXPECT_GT(checked, 1900);
}

TEST_F(CronPropertyTest, AroundEachTransitionNextFindsExactlyTheBruteForceFirings) {
  ExpressionGenerator generate(20251026);
  std::vector<std::string> expressions;
  for (int i = 0; i < 60; ++i) expressions.push_back(generate.daily_expression());
  expressions.push_back("* * * * *");
  expressions.push_back("H/7 H(0-3),12 * * *");

  const sys_seconds from = date::sys_days{date::year{2025} / 1 / 1};
  const sys_seconds to = date::sys_days{date::year{2027} / 1 / 1};
  int windows = 0;
  for (const char* zone_name : kZones) {
    const date::time_zone& tz = zone(zone_name);
    for (const sys_seconds transition : transitions(tz, from, to)) {
      const sys_seconds window_start = transition - std::chrono::hours{6};
      const sys_seconds window_end = transition + std::chrono::hours{6};
      // Each local minute that could fire inside the window, with the instant the rules give it.
      std::vector<std::pair<LocalMinute, sys_seconds>> minutes_in_window;
      for (LocalMinute m = date::floor<minutes>(tz.to_local(window_start)) - std::chrono::hours{3};
           m < tz.to_local(window_end) + std::chrono::hours{3}; m += minutes{1}) {
        const date::local_info info = tz.get_info(m);
        const sys_seconds instant = info.result == date::local_info::nonexistent
                                        ? info.second.begin
                                        : sys_seconds{m.time_since_epoch() - info.first.offset};
        if (instant > window_start && instant < window_end) {
          minutes_in_window.emplace_back(m, instant);
        }
      }
      for (const std::string& text : expressions) {
        const CronSchedule schedule = *parse_cron(text, zone_name).schedule;
        std::set<sys_seconds> expected;
        for (const auto& [m, instant] : minutes_in_window) {
          if (fires_at(schedule, m)) expected.insert(instant);
        }
        std::set<sys_seconds> found;
        for (std::optional<Instant> next = next_firing(schedule, window_start, tz);
             next && *next < window_end; next = next_firing(schedule, *next, tz)) {
          found.insert(std::chrono::floor<seconds>(*next));
        }
        if (found != expected) {
          EXPECT_EQ(shown(found, tz), shown(expected, tz))
              << text << " in " << zone_name << " around " << date::format("%F %T", transition);
        }
      }
      ++windows;
    }
  }
  // Two transitions a year in every zone but UTC and Kathmandu, over two years.
  EXPECT_GE(windows, 20);
}

}  // namespace
}  // namespace cellar::schedule
