#include "controller/schedule/cron_next.h"

#include <date/tz.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <stdexcept>
#include <vector>

#include "controller/schedule/time_zone.h"

namespace cellar::schedule {
namespace {

using std::chrono::seconds;

class CronNextTest : public ::testing::Test {
 protected:
  static const date::time_zone& zone(std::string_view name) {
    const TimeZoneResult found = find_time_zone(name);
    if (!found.zone) throw std::runtime_error(found.error);  // the test fails, loudly
    return *found.zone;
  }

  static CronSchedule parsed(std::string_view text) {
    const CronParseResult result = parse_cron(text, "team/db");
    if (!result.schedule) throw std::runtime_error(result.error);
    return *result.schedule;
  }

  // "2025-03-30 01:59" read in `zone_name`; a repeated time is taken at its first occurrence.
  static Instant local(std::string_view zone_name, const char* text) {
    int y = 0, mo = 0, d = 0, h = 0, mi = 0;
    if (std::sscanf(text, "%d-%d-%d %d:%d", &y, &mo, &d, &h, &mi) != 5) {
      throw std::runtime_error(std::string("bad time in test: ") + text);
    }
    const date::local_seconds at =
        date::local_days{date::year{y} / mo / d} + std::chrono::hours{h} + std::chrono::minutes{mi};
    return zone(zone_name).to_sys(at, date::choose::earliest);
  }

  // An instant as a person in `zone_name` reads it: "2025-03-30 03:00:00 CEST".
  static std::string shown(std::string_view zone_name, Instant t) {
    return date::format("%F %T %Z",
                        date::make_zoned(&zone(zone_name), std::chrono::floor<seconds>(t)));
  }

  // The next `count` firings after `start` (local), as shown in the zone.
  static std::vector<std::string> firings(std::string_view expression, std::string_view zone_name,
                                          const char* start, int count) {
    const CronSchedule schedule = parsed(expression);
    std::vector<std::string> out;
    Instant t = local(zone_name, start);
    for (int i = 0; i < count; ++i) {
      const std::optional<Instant> next = next_firing(schedule, t, zone(zone_name));
      if (!next) {
        out.push_back("none");
        break;
      }
      out.push_back(shown(zone_name, *next));
      t = *next;
    }
    return out;
  }

  static std::string previous(std::string_view expression, std::string_view zone_name,
                              Instant before) {
    const std::optional<Instant> last =
        last_firing_before(parsed(expression), before, zone(zone_name));
    return last ? shown(zone_name, *last) : "none";
  }

  using Firings = std::vector<std::string>;
};

TEST_F(CronNextTest, StrictlyAfterEvenWithinTheSecond) {
  const CronSchedule schedule = parsed("0 2 * * *");
  const Instant two = local("UTC", "2025-06-01 02:00");
  EXPECT_EQ(next_firing(schedule, two, zone("UTC")), two + std::chrono::hours{24});
  EXPECT_EQ(next_firing(schedule, two - std::chrono::nanoseconds{1}, zone("UTC")), two);
  EXPECT_EQ(next_firing(schedule, two + std::chrono::milliseconds{500}, zone("UTC")),
            two + std::chrono::hours{24});
}

TEST_F(CronNextTest, Macros) {
  EXPECT_EQ(firings("@hourly", "UTC", "2025-06-01 10:30", 2),
            (Firings{"2025-06-01 11:00:00 UTC", "2025-06-01 12:00:00 UTC"}));
  EXPECT_EQ(firings("@daily", "UTC", "2025-06-01 10:30", 1), Firings{"2025-06-02 00:00:00 UTC"});
  EXPECT_EQ(firings("@weekly", "UTC", "2025-06-01 10:30", 1), Firings{"2025-06-08 00:00:00 UTC"});
  EXPECT_EQ(firings("@monthly", "UTC", "2025-06-01 10:30", 1), Firings{"2025-07-01 00:00:00 UTC"});
  EXPECT_EQ(firings("@yearly", "UTC", "2025-06-01 10:30", 1), Firings{"2026-01-01 00:00:00 UTC"});
}

TEST_F(CronNextTest, FebruaryTwentyNinthWaitsForALeapYear) {
  EXPECT_EQ(firings("0 0 29 2 *", "UTC", "2025-01-01 00:00", 2),
            (Firings{"2028-02-29 00:00:00 UTC", "2032-02-29 00:00:00 UTC"}));
  // 2100 is not a leap year: eight years between two February 29ths, within the search.
  EXPECT_EQ(firings("0 0 29 2 *", "UTC", "2096-03-01 00:00", 1),
            Firings{"2104-02-29 00:00:00 UTC"});
}

TEST_F(CronNextTest, ThirtyFirstOnlyInLongMonths) {
  EXPECT_EQ(
      firings("0 0 31 * *", "UTC", "2025-01-31 00:00", 6),
      (Firings{"2025-03-31 00:00:00 UTC", "2025-05-31 00:00:00 UTC", "2025-07-31 00:00:00 UTC",
               "2025-08-31 00:00:00 UTC", "2025-10-31 00:00:00 UTC", "2025-12-31 00:00:00 UTC"}));
}

TEST_F(CronNextTest, EitherDayFieldWhenBothRestrict) {
  // The 1st of the month, and every Monday. 2025-02-01 is a Saturday.
  EXPECT_EQ(
      firings("0 0 1 * mon", "UTC", "2025-01-25 12:00", 3),
      (Firings{"2025-01-27 00:00:00 UTC", "2025-02-01 00:00:00 UTC", "2025-02-03 00:00:00 UTC"}));
  // Only the day of the week when the day of the month is `*`.
  EXPECT_EQ(firings("0 0 * * mon", "UTC", "2025-01-25 12:00", 2),
            (Firings{"2025-01-27 00:00:00 UTC", "2025-02-03 00:00:00 UTC"}));
  // Only the day of the month when the day of the week is `?`.
  EXPECT_EQ(firings("0 0 1 * ?", "UTC", "2025-01-25 12:00", 1), Firings{"2025-02-01 00:00:00 UTC"});
}

TEST_F(CronNextTest, ParisSpringForwardFiresSkippedTimesAtThreeOnce) {
  // 2025-03-30: 02:00 CET becomes 03:00 CEST.
  EXPECT_EQ(firings("30 2 * * *", "Europe/Paris", "2025-03-29 12:00", 2),
            (Firings{"2025-03-30 03:00:00 CEST", "2025-03-31 02:30:00 CEST"}));
  // 02:00 (skipped) and 03:00 land on the same instant: it fires once.
  EXPECT_EQ(firings("0 2,3 * * *", "Europe/Paris", "2025-03-29 12:00", 2),
            (Firings{"2025-03-30 03:00:00 CEST", "2025-03-31 02:00:00 CEST"}));
  EXPECT_EQ(firings("*/20 * * * *", "Europe/Paris", "2025-03-30 01:30", 4),
            (Firings{"2025-03-30 01:40:00 CET", "2025-03-30 03:00:00 CEST",
                     "2025-03-30 03:20:00 CEST", "2025-03-30 03:40:00 CEST"}));
}

TEST_F(CronNextTest, ParisFallBackFiresTheRepeatedHourOnce) {
  // 2025-10-26: 03:00 CEST becomes 02:00 CET; 02:00-02:59 happens twice.
  EXPECT_EQ(firings("30 2 * * *", "Europe/Paris", "2025-10-25 12:00", 2),
            (Firings{"2025-10-26 02:30:00 CEST", "2025-10-27 02:30:00 CET"}));
  EXPECT_EQ(firings("*/30 * * * *", "Europe/Paris", "2025-10-26 01:45", 4),
            (Firings{"2025-10-26 02:00:00 CEST", "2025-10-26 02:30:00 CEST",
                     "2025-10-26 03:00:00 CET", "2025-10-26 03:30:00 CET"}));
}

TEST_F(CronNextTest, FromInsideTheSecondPassOfTheRepeatedHour) {
  const Instant second_pass = local("Europe/Paris", "2025-10-26 02:10") + std::chrono::hours{1};
  ASSERT_EQ(shown("Europe/Paris", second_pass), "2025-10-26 02:10:00 CET");
  const std::optional<Instant> next =
      next_firing(parsed("30 2 * * *"), second_pass, zone("Europe/Paris"));
  ASSERT_TRUE(next);
  EXPECT_EQ(shown("Europe/Paris", *next), "2025-10-27 02:30:00 CET");
  const std::optional<Instant> every_minute =
      next_firing(parsed("* * * * *"), second_pass, zone("Europe/Paris"));
  ASSERT_TRUE(every_minute);
  EXPECT_EQ(shown("Europe/Paris", *every_minute), "2025-10-26 03:00:00 CET");
}

TEST_F(CronNextTest, NewYorkSpringForward) {
  // 2025-03-09, the second Sunday of March: 02:00 EST becomes 03:00 EDT.
  EXPECT_EQ(firings("30 2 * * *", "America/New_York", "2025-03-08 12:00", 2),
            (Firings{"2025-03-09 03:00:00 EDT", "2025-03-10 02:30:00 EDT"}));
  EXPECT_EQ(
      firings("0 * * * *", "America/New_York", "2025-03-09 00:30", 3),
      (Firings{"2025-03-09 01:00:00 EST", "2025-03-09 03:00:00 EDT", "2025-03-09 04:00:00 EDT"}));
}

TEST_F(CronNextTest, NewYorkFallBack) {
  // 2025-11-02, the first Sunday of November: 02:00 EDT becomes 01:00 EST.
  EXPECT_EQ(firings("30 1 * * *", "America/New_York", "2025-11-01 12:00", 2),
            (Firings{"2025-11-02 01:30:00 EDT", "2025-11-03 01:30:00 EST"}));
  EXPECT_EQ(
      firings("0 * * * *", "America/New_York", "2025-11-02 00:30", 3),
      (Firings{"2025-11-02 01:00:00 EDT", "2025-11-02 02:00:00 EST", "2025-11-02 03:00:00 EST"}));
}

TEST_F(CronNextTest, LordHoweHalfHourSpringForward) {
  // 2025-10-05: 02:00 +1030 becomes 02:30 +11.
  EXPECT_EQ(firings("15 2 * * *", "Australia/Lord_Howe", "2025-10-04 12:00", 2),
            (Firings{"2025-10-05 02:30:00 +11", "2025-10-06 02:15:00 +11"}));
  EXPECT_EQ(firings("45 2 * * *", "Australia/Lord_Howe", "2025-10-04 12:00", 1),
            Firings{"2025-10-05 02:45:00 +11"});
  EXPECT_EQ(
      firings("*/15 2 * * *", "Australia/Lord_Howe", "2025-10-04 12:00", 3),
      (Firings{"2025-10-05 02:30:00 +11", "2025-10-05 02:45:00 +11", "2025-10-06 02:00:00 +11"}));
}

TEST_F(CronNextTest, LordHoweHalfHourFallBack) {
  // 2026-04-05: 02:00 +11 becomes 01:30 +1030; 01:30-01:59 happens twice.
  EXPECT_EQ(firings("45 1 * * *", "Australia/Lord_Howe", "2026-04-04 12:00", 2),
            (Firings{"2026-04-05 01:45:00 +11", "2026-04-06 01:45:00 +1030"}));
  EXPECT_EQ(firings("*/15 1,2 * * *", "Australia/Lord_Howe", "2026-04-05 00:50", 6),
            (Firings{"2026-04-05 01:00:00 +11", "2026-04-05 01:15:00 +11",
                     "2026-04-05 01:30:00 +11", "2026-04-05 01:45:00 +11",
                     "2026-04-05 02:00:00 +1030", "2026-04-05 02:15:00 +1030"}));
}

TEST_F(CronNextTest, LastFiringBeforeIsStrict) {
  const Instant two = local("UTC", "2025-06-01 02:00");
  EXPECT_EQ(previous("0 2 * * *", "UTC", two), "2025-05-31 02:00:00 UTC");
  EXPECT_EQ(previous("0 2 * * *", "UTC", two + seconds{1}), "2025-06-01 02:00:00 UTC");
  EXPECT_EQ(previous("0 2 * * *", "UTC", two + std::chrono::milliseconds{1}),
            "2025-06-01 02:00:00 UTC");
}

TEST_F(CronNextTest, LastFiringBeforeAcrossDaylightSaving) {
  // The missed firing of a night when the controller was down across spring forward.
  EXPECT_EQ(previous("30 2 * * *", "Europe/Paris", local("Europe/Paris", "2025-03-30 12:00")),
            "2025-03-30 03:00:00 CEST");
  // In the second pass of the repeated hour, the firing of the first pass is the last one.
  const Instant second_pass = local("Europe/Paris", "2025-10-26 02:40") + std::chrono::hours{1};
  EXPECT_EQ(previous("30 2 * * *", "Europe/Paris", second_pass), "2025-10-26 02:30:00 CEST");
  EXPECT_EQ(previous("45 1 * * *", "Australia/Lord_Howe",
                     local("Australia/Lord_Howe", "2026-04-05 01:40") + std::chrono::minutes{30}),
            "2026-04-05 01:45:00 +11");
}

TEST_F(CronNextTest, LastFiringBeforeOfRareSchedules) {
  EXPECT_EQ(previous("0 0 29 2 *", "UTC", local("UTC", "2027-06-01 00:00")),
            "2024-02-29 00:00:00 UTC");
  EXPECT_EQ(previous("0 0 31 * *", "UTC", local("UTC", "2025-07-15 00:00")),
            "2025-05-31 00:00:00 UTC");
}

TEST_F(CronNextTest, AnEmptyScheduleNeverFires) {
  // parse_cron never returns one; a hand-made one must still end the search, not hang.
  EXPECT_EQ(next_firing(CronSchedule{}, local("UTC", "2025-01-01 00:00"), zone("UTC")),
            std::nullopt);
  EXPECT_EQ(last_firing_before(CronSchedule{}, local("UTC", "2025-01-01 00:00"), zone("UTC")),
            std::nullopt);
}

TEST_F(CronNextTest, RareSchedulesTakeMicrosecondsNotMilliseconds) {
  // A minute-by-minute search would need ~1.6 million steps to find a leap day; this bound
  // (a millisecond a call, unoptimized, on a shared machine) fails it by far and passes a
  // month-skipping search by far.
  const CronSchedule leap_day = parsed("0 0 29 2 *");
  const CronSchedule nightly = parsed("H 2 * * *");
  Instant t = local("UTC", "2025-01-01 00:00");
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < 500; ++i) {
    ASSERT_TRUE(next_firing(leap_day, t, zone("Europe/Paris")));
    ASSERT_TRUE(next_firing(nightly, t, zone("America/New_York")));
    t += std::chrono::hours{7};
  }
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds{1});
}

}  // namespace
}  // namespace cellar::schedule
