#include "controller/schedule/firing.h"

#include <gtest/gtest.h>

#include "controller/api/timestamps.h"
#include "controller/schedule/time_zone.h"

namespace cellar::schedule {
namespace {

class FiringTest : public ::testing::Test {
 protected:
  // Decides for `expression` in `zone` with times given as RFC 3339.
  Firing decide(const std::string& expression, const std::string& since, const std::string& now,
                std::optional<int> deadline_seconds = std::nullopt,
                const std::string& zone = "UTC") {
    cron_ = *parse_cron(expression, "shop/nightly").schedule;
    FiringInput in;
    in.cron = &cron_;
    in.zone = find_time_zone(zone).zone;
    in.since = at(since);
    in.now = at(now);
    if (deadline_seconds) in.starting_deadline = std::chrono::seconds(*deadline_seconds);
    return decide_firing(in);
  }
  static Instant at(const std::string& text) { return *api::parse_rfc3339(text); }
  static std::string text(const std::optional<Instant>& t) {
    return t ? api::format_rfc3339(*t) : "never";
  }

  CronSchedule cron_;
};

TEST_F(FiringTest, NothingRunsInTheLastSecondBeforeTheMinute) {
  Firing f = decide("* * * * *", "2026-11-21T10:00:00Z", "2026-11-21T10:00:59.990Z");
  EXPECT_FALSE(f.run);
  EXPECT_EQ(text(f.next), "2026-11-21T10:01:00Z");
}

TEST_F(FiringTest, TheMinuteThatJustTurnedRuns) {
  Firing f = decide("* * * * *", "2026-11-21T10:00:00Z", "2026-11-21T10:01:00.004Z");
  EXPECT_EQ(text(f.run), "2026-11-21T10:01:00Z");
  EXPECT_EQ(f.missed, 0);
  EXPECT_EQ(text(f.next), "2026-11-21T10:02:00Z");
}

TEST_F(FiringTest, ATimeAlreadyRunIsNeverRunAgain) {
  Firing f = decide("* * * * *", "2026-11-21T10:01:00Z", "2026-11-21T10:01:30Z");
  EXPECT_FALSE(f.run);
  EXPECT_EQ(text(f.next), "2026-11-21T10:02:00Z");
}

TEST_F(FiringTest, NothingDueBeforeTheFirstTime) {
  Firing f = decide("0 2 * * *", "2026-11-21T10:00:00Z", "2026-11-21T10:05:00Z");
  EXPECT_FALSE(f.run);
  EXPECT_EQ(f.missed, 0);
  EXPECT_EQ(text(f.next), "2026-11-22T02:00:00Z");
}

TEST_F(FiringTest, AfterDowntimeOnlyTheMostRecentMissedTimeRuns) {
  Firing f = decide("0 * * * *", "2026-11-21T06:00:00Z", "2026-11-21T10:20:00Z");
  EXPECT_EQ(text(f.run), "2026-11-21T10:00:00Z");
  EXPECT_EQ(f.missed, 3);  // 07:00, 08:00 and 09:00 are passed over
}

TEST_F(FiringTest, WithinTheStartingDeadlineItStillRuns) {
  Firing f = decide("0 * * * *", "2026-11-21T09:00:00Z", "2026-11-21T10:04:00Z", 300);
  EXPECT_EQ(text(f.run), "2026-11-21T10:00:00Z");
}

TEST_F(FiringTest, PastTheStartingDeadlineItIsMissed) {
  Firing f = decide("0 * * * *", "2026-11-21T08:00:00Z", "2026-11-21T10:06:00Z", 300);
  EXPECT_FALSE(f.run);
  EXPECT_EQ(f.missed, 2);
  EXPECT_EQ(text(f.missed_last), "2026-11-21T10:00:00Z");
  EXPECT_EQ(text(f.next), "2026-11-21T11:00:00Z");
}

TEST_F(FiringTest, LocalTimesFireInTheirZone) {
  Firing f = decide("0 2 * * *", "2026-11-20T12:00:00Z", "2026-11-21T01:00:30Z", std::nullopt,
                    "Europe/Paris");
  EXPECT_EQ(text(f.run), "2026-11-21T01:00:00Z");  // 02:00 in Paris (UTC+1 in November)
}

TEST(ConcurrencyTest, EachPolicyWithAndWithoutActiveBackups) {
  using api::ConcurrencyPolicy;
  EXPECT_EQ(concurrency_action(ConcurrencyPolicy::kForbid, 0), ConcurrencyAction::kRun);
  EXPECT_EQ(concurrency_action(ConcurrencyPolicy::kForbid, 1), ConcurrencyAction::kSkip);
  EXPECT_EQ(concurrency_action(ConcurrencyPolicy::kAllow, 2), ConcurrencyAction::kRun);
  EXPECT_EQ(concurrency_action(ConcurrencyPolicy::kReplace, 1), ConcurrencyAction::kReplace);
}

TEST(BackupNameTest, ScheduledNamesUseTheUtcMinute) {
  EXPECT_EQ(scheduled_backup_name("nightly", *api::parse_rfc3339("2026-11-21T01:00:00Z")),
            "nightly-202611210100");
}

TEST(BackupNameTest, ALongScheduleNameStillGivesALegalBackupName) {
  const auto due = *api::parse_rfc3339("2026-11-21T01:00:00Z");
  const std::string name(250, 's');
  const std::string scheduled = scheduled_backup_name(name, due);
  EXPECT_EQ(scheduled.size(), 253u);
  EXPECT_TRUE(scheduled.ends_with("-202611210100")) << scheduled;
  EXPECT_NE(scheduled, scheduled_backup_name(name + "t", due));
  const std::string manual = triggered_backup_name(name, "v1");
  EXPECT_EQ(manual.size(), 253u);
  EXPECT_NE(manual.find("-manual-"), std::string::npos);
  // 55 characters fit whole.
  EXPECT_EQ(scheduled_backup_name(std::string(55, 's'), due),
            std::string(55, 's') + "-202611210100");
}

TEST(BackupNameTest, OneNamePerTriggerValue) {
  const std::string a = triggered_backup_name("nightly", "2026-11-21 before upgrade");
  EXPECT_EQ(a, triggered_backup_name("nightly", "2026-11-21 before upgrade"));
  EXPECT_NE(a, triggered_backup_name("nightly", "again"));
  EXPECT_TRUE(a.starts_with("nightly-manual-"));
  EXPECT_EQ(a.size(), std::string("nightly-manual-").size() + 8);
}

}  // namespace
}  // namespace cellar::schedule
