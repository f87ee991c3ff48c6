#include "controller/schedule/retention.h"

#include <date/date.h>
#include <date/tz.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

namespace cellar::schedule {
namespace {

using Names = std::vector<std::string>;
using Reasons = std::vector<std::string>;
constexpr BackupOutcome kCompleted = BackupOutcome::kCompleted;
constexpr BackupOutcome kFailed = BackupOutcome::kFailed;
constexpr BackupOutcome kRunning = BackupOutcome::kRunning;

class RetentionTest : public ::testing::Test {
 protected:
  // `utc` as RFC 3339 in UTC, e.g. "2026-11-20T02:00:00Z".
  void add(const std::string& name, const std::string& utc, BackupOutcome outcome = kCompleted) {
    int y, mo, d, h, mi, s;
    char zulu = 0;
    ASSERT_EQ(
        std::sscanf(utc.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%c", &y, &mo, &d, &h, &mi, &s, &zulu), 7)
        << utc;
    ASSERT_EQ(zulu, 'Z') << utc;
    const date::year_month_day ymd{date::year{y}, date::month(mo), date::day(d)};
    ASSERT_TRUE(ymd.ok()) << utc;
    backups_.push_back({name,
                        date::sys_days{ymd} + std::chrono::hours{h} + std::chrono::minutes{mi} +
                            std::chrono::seconds{s},
                        outcome});
  }
  // `zone` is an IANA name looked up in the system tzdata; nullptr asks for the default (UTC).
  RetentionDecision select(const char* zone = "UTC") {
    return select_retained(backups_, policy_, zone ? date::locate_zone(zone) : nullptr);
  }
  static Reasons reasons(const RetentionDecision& d, const std::string& name) {
    auto it = d.reasons.find(name);
    return it == d.reasons.end() ? Reasons{} : it->second;
  }

  // Failures kept only where a test asks for them, so the others read as the rule they test.
  RetentionPolicy policy_{.failed_history_limit = 0};
  std::vector<BackupRecord> backups_;
};

TEST_F(RetentionTest, KeepLastKeepsTheNewestCompleted) {
  for (int day = 16; day <= 20; ++day) {
    add("d" + std::to_string(day), "2026-11-" + std::to_string(day) + "T02:00:00Z");
  }
  policy_.keep_last = 2;
  RetentionDecision d = select();
  EXPECT_EQ(d.keep, Names({"d20", "d19"}));
  EXPECT_EQ(d.remove, Names({"d18", "d17", "d16"}));
  EXPECT_EQ(reasons(d, "d20"), Reasons({"last 1"}));
  EXPECT_EQ(reasons(d, "d19"), Reasons({"last 2"}));
}

TEST_F(RetentionTest, DailyKeepsTheNewestOfEachDayThatHasBackups) {
  for (const char* day : {"20", "19", "17", "16"}) {  // nothing on the 18th
    for (const char* hour : {"02", "10", "18"}) {
      add(std::string(day) + "-" + hour, std::string("2026-11-") + day + "T" + hour + ":00:00Z");
    }
  }
  policy_.keep_daily = 3;
  RetentionDecision d = select();
  EXPECT_EQ(d.keep, Names({"20-18", "19-18", "17-18"}));
  EXPECT_EQ(d.remove.size(), 9u);
  EXPECT_EQ(reasons(d, "17-18"), Reasons({"daily 2026-11-17"}));
}

TEST_F(RetentionTest, WeeklyFollowsIsoWeeksAcrossTheYearBoundary) {
  add("tue-w01", "2027-01-05T02:00:00Z");
  add("sat-w53", "2027-01-02T02:00:00Z");  // 2 January 2027 still belongs to 2026's week 53
  add("mon-w53", "2026-12-28T02:00:00Z");
  add("sun-w52", "2026-12-27T02:00:00Z");  // Sunday ends the ISO week
  add("mon-w52", "2026-12-21T02:00:00Z");
  policy_.keep_weekly = 3;
  RetentionDecision d = select();
  EXPECT_EQ(d.keep, Names({"tue-w01", "sat-w53", "sun-w52"}));
  EXPECT_EQ(d.remove, Names({"mon-w53", "mon-w52"}));
  EXPECT_EQ(reasons(d, "tue-w01"), Reasons({"weekly 2027-W01"}));
  EXPECT_EQ(reasons(d, "sat-w53"), Reasons({"weekly 2026-W53"}));
  EXPECT_EQ(reasons(d, "sun-w52"), Reasons({"weekly 2026-W52"}));
}

TEST_F(RetentionTest, MonthlySkipsMonthsWithoutBackups) {
  add("nov-20", "2026-11-20T02:00:00Z");
  add("nov-01", "2026-11-01T02:00:00Z");
  add("oct-31", "2026-10-31T02:00:00Z");
  add("oct-15", "2026-10-15T02:00:00Z");
  add("aug-10", "2026-08-10T02:00:00Z");  // nothing in September
  add("jul-01", "2026-07-01T02:00:00Z");
  policy_.keep_monthly = 3;
  RetentionDecision d = select();
  EXPECT_EQ(d.keep, Names({"nov-20", "oct-31", "aug-10"}));
  EXPECT_EQ(d.remove, Names({"nov-01", "oct-15", "jul-01"}));
  EXPECT_EQ(reasons(d, "aug-10"), Reasons({"monthly 2026-08"}));
}

TEST_F(RetentionTest, YearlyKeepsTheLastBackupOfEachYear) {
  add("y2026-nov", "2026-11-20T02:00:00Z");
  add("y2026-jan", "2026-01-01T00:30:00Z");
  add("y2025-dec", "2025-12-31T23:30:00Z");
  add("y2025-jun", "2025-06-01T02:00:00Z");
  add("y2024-mar", "2024-03-01T02:00:00Z");
  add("y2023-jan", "2023-01-01T02:00:00Z");
  policy_.keep_yearly = 3;
  RetentionDecision d = select();
  EXPECT_EQ(d.keep, Names({"y2026-nov", "y2025-dec", "y2024-mar"}));
  EXPECT_EQ(d.remove, Names({"y2026-jan", "y2025-jun", "y2023-jan"}));
  EXPECT_EQ(reasons(d, "y2025-dec"), Reasons({"yearly 2025"}));
}

TEST_F(RetentionTest, RulesAreIndependentAndTheirUnionIsKeptOnce) {
  add("n5", "2026-11-20T18:00:00Z");
  add("n4", "2026-11-20T02:00:00Z");
  add("n3", "2026-11-19T02:00:00Z");
  add("n2", "2026-11-18T02:00:00Z");
  add("n1", "2026-11-17T02:00:00Z");
  add("o2", "2026-10-31T02:00:00Z");
  add("o1", "2026-10-01T02:00:00Z");
  policy_.keep_last = 2;
  policy_.keep_daily = 3;
  policy_.keep_monthly = 2;
  RetentionDecision d = select();
  EXPECT_EQ(d.keep, Names({"n5", "n4", "n3", "n2", "o2"}));
  EXPECT_EQ(d.remove, Names({"n1", "o1"}));
  EXPECT_EQ(reasons(d, "n5"), Reasons({"last 1", "daily 2026-11-20", "monthly 2026-11"}));
  EXPECT_EQ(reasons(d, "n4"), Reasons({"last 2"}));  // its day was already counted by n5
  EXPECT_EQ(reasons(d, "o2"), Reasons({"monthly 2026-10"}));
}

TEST_F(RetentionTest, FailedHistoryLimitTwoKeepsTheTwoNewestFailures) {
  add("f3", "2026-11-20T03:00:00Z", kFailed);
  add("ok", "2026-11-20T02:00:00Z");
  add("f2", "2026-11-19T02:00:00Z", kFailed);
  add("f1", "2026-11-18T02:00:00Z", kFailed);
  policy_.failed_history_limit = 2;
  RetentionDecision d = select();
  EXPECT_EQ(d.keep, Names({"f3", "ok", "f2"}));
  EXPECT_EQ(d.remove, Names({"f1"}));
  EXPECT_EQ(reasons(d, "f2"), Reasons({"failed 2"}));
}

TEST_F(RetentionTest, DefaultPolicyKeepsThreeFailures) {
  for (int day = 16; day <= 20; ++day) {
    add("f" + std::to_string(day), "2026-11-" + std::to_string(day) + "T02:00:00Z", kFailed);
  }
  policy_ = RetentionPolicy{};
  RetentionDecision d = select();
  EXPECT_EQ(d.keep, Names({"f20", "f19", "f18"}));
  EXPECT_EQ(d.remove, Names({"f17", "f16"}));
}

TEST_F(RetentionTest, FailedHistoryLimitZeroRemovesEveryFailure) {
  add("f2", "2026-11-20T03:00:00Z", kFailed);
  add("ok", "2026-11-20T02:00:00Z");
  add("f1", "2026-11-19T02:00:00Z", kFailed);
  policy_.keep_last = 5;
  RetentionDecision d = select();
  EXPECT_EQ(d.keep, Names({"ok"}));
  EXPECT_EQ(d.remove, Names({"f2", "f1"}));
}

TEST_F(RetentionTest, RunningBackupsAreNeverRemoved) {
  add("new-running", "2026-11-20T03:00:00Z", kRunning);
  add("ok2", "2026-11-20T02:00:00Z");
  add("ok1", "2026-11-19T02:00:00Z");
  add("old-running", "2026-11-01T02:00:00Z", kRunning);  // a Job stuck for weeks is still running
  policy_.keep_last = 1;
  RetentionDecision d = select();
  EXPECT_EQ(d.keep, Names({"new-running", "ok2", "old-running"}));
  EXPECT_EQ(d.remove, Names({"ok1"}));
  EXPECT_EQ(reasons(d, "old-running"), Reasons({"running"}));
}

TEST_F(RetentionTest, NoKeepRuleKeepsEveryCompletedAndTrimsOnlyFailures) {
  add("failed2", "2026-11-22T02:00:00Z", kFailed);
  add("failed1", "2026-11-21T02:00:00Z", kFailed);
  add("ok2", "2026-11-20T02:00:00Z");
  add("ok1", "2026-11-19T02:00:00Z");
  policy_.failed_history_limit = 1;
  EXPECT_FALSE(has_keep_rule(policy_));
  RetentionDecision d = select();
  EXPECT_EQ(d.keep, Names({"failed2", "ok2", "ok1"}));
  EXPECT_EQ(d.remove, Names({"failed1"}));
  EXPECT_EQ(reasons(d, "ok2"), Reasons({"no keep rule"}));
  EXPECT_EQ(reasons(d, "ok1"), Reasons({"no keep rule"}));
}

TEST_F(RetentionTest, AnyKeepRuleTurnsRotationOn) {
  EXPECT_FALSE(has_keep_rule(RetentionPolicy{}));
  EXPECT_TRUE(has_keep_rule({.keep_last = 1}));
  EXPECT_TRUE(has_keep_rule({.keep_hourly = 1}));
  EXPECT_TRUE(has_keep_rule({.keep_daily = 1}));
  EXPECT_TRUE(has_keep_rule({.keep_weekly = 1}));
  EXPECT_TRUE(has_keep_rule({.keep_monthly = 1}));
  EXPECT_TRUE(has_keep_rule({.keep_yearly = 1}));
}

TEST_F(RetentionTest, NegativeCountsAreReadAsNoRule) {
  add("ok2", "2026-11-20T02:00:00Z");
  add("ok1", "2026-11-19T02:00:00Z");
  add("failed", "2026-11-18T02:00:00Z", kFailed);
  policy_ = {.keep_last = -1, .keep_daily = -1, .failed_history_limit = -1};
  RetentionDecision d = select();
  EXPECT_EQ(d.keep, Names({"ok2", "ok1"}));
  EXPECT_EQ(d.remove, Names({"failed"}));
}

TEST_F(RetentionTest, NoBackupsNoDecisions) {
  policy_.keep_last = 3;
  RetentionDecision d = select();
  EXPECT_TRUE(d.keep.empty());
  EXPECT_TRUE(d.remove.empty());
  EXPECT_TRUE(d.reasons.empty());
}

// In November Paris is at UTC+1: 23:30 UTC is already the next day there.
TEST_F(RetentionTest, DailyUsesTheScheduleTimeZone) {
  add("20-late", "2026-11-20T23:30:00Z");
  add("20-noon", "2026-11-20T12:00:00Z");
  add("19-late", "2026-11-19T23:30:00Z");
  add("19-noon", "2026-11-19T12:00:00Z");
  policy_.keep_daily = 2;

  RetentionDecision utc = select("UTC");
  EXPECT_EQ(utc.keep, Names({"20-late", "19-late"}));
  EXPECT_EQ(reasons(utc, "20-late"), Reasons({"daily 2026-11-20"}));
  EXPECT_EQ(select(nullptr).keep, utc.keep);

  RetentionDecision paris = select("Europe/Paris");
  EXPECT_EQ(paris.keep, Names({"20-late", "20-noon"}));
  EXPECT_EQ(reasons(paris, "20-late"), Reasons({"daily 2026-11-21"}));
  EXPECT_EQ(reasons(paris, "20-noon"), Reasons({"daily 2026-11-20"}));
}

// 8 March 2026 in New York lasts 23 hours: 05:00Z (EST) to 04:00Z the next day (EDT). A fixed
// UTC-5 would put "mar09-0030" on the 8th.
TEST_F(RetentionTest, DailyFollowsTheShortDayOfSpringForward) {
  add("mar09-0030", "2026-03-09T04:30:00Z");  // 00:30 EDT on the 9th
  add("mar08-2330", "2026-03-09T03:30:00Z");  // 23:30 EDT on the 8th
  add("mar08-0030", "2026-03-08T05:30:00Z");  // 00:30 EST on the 8th
  add("mar07-2330", "2026-03-08T04:30:00Z");  // 23:30 EST on the 7th
  policy_.keep_daily = 3;
  RetentionDecision d = select("America/New_York");
  EXPECT_EQ(d.keep, Names({"mar09-0030", "mar08-2330", "mar07-2330"}));
  EXPECT_EQ(d.remove, Names({"mar08-0030"}));
  EXPECT_EQ(reasons(d, "mar08-2330"), Reasons({"daily 2026-03-08"}));
}

// On 1 November 2026 New York shows 01:00-02:00 twice, first in EDT (05:00Z), then in EST (06:00Z):
// two hours, not one.
TEST_F(RetentionTest, HourlyCountsBothHoursOfAFallBackNight) {
  add("est-0150", "2026-11-01T06:50:00Z");
  add("est-0110", "2026-11-01T06:10:00Z");
  add("edt-0150", "2026-11-01T05:50:00Z");
  add("edt-0110", "2026-11-01T05:10:00Z");
  add("edt-0050", "2026-11-01T04:50:00Z");
  policy_.keep_hourly = 2;
  RetentionDecision d = select("America/New_York");
  EXPECT_EQ(d.keep, Names({"est-0150", "edt-0150"}));
  EXPECT_EQ(reasons(d, "est-0150"), Reasons({"hourly 2026-11-01T01-05:00"}));
  EXPECT_EQ(reasons(d, "edt-0150"), Reasons({"hourly 2026-11-01T01-04:00"}));
}

TEST_F(RetentionTest, InputOrderDoesNotMatter) {
  add("c", "2026-11-18T02:00:00Z");
  add("e", "2026-11-20T02:00:00Z");
  add("a", "2026-11-16T02:00:00Z");
  add("d", "2026-11-19T02:00:00Z", kFailed);
  add("b", "2026-11-17T02:00:00Z");
  policy_.keep_last = 2;
  RetentionDecision d = select();
  EXPECT_EQ(d.keep, Names({"e", "c"}));
  EXPECT_EQ(d.remove, Names({"d", "b", "a"}));
}

TEST_F(RetentionTest, EqualTimesAreOrderedByNameGreatestFirst) {
  add("nightly-b", "2026-11-20T02:00:00Z");
  add("nightly-c", "2026-11-20T02:00:00Z");
  add("nightly-a", "2026-11-20T02:00:00Z");
  policy_.keep_daily = 1;
  RetentionDecision d = select();
  EXPECT_EQ(d.keep, Names({"nightly-c"}));
  EXPECT_EQ(d.remove, Names({"nightly-b", "nightly-a"}));

  std::reverse(backups_.begin(), backups_.end());
  RetentionDecision reversed = select();
  EXPECT_EQ(reversed.keep, d.keep);
  EXPECT_EQ(reversed.remove, d.remove);
}

}  // namespace
}  // namespace cellar::schedule
