#include "controller/metrics/schedule_interval.h"

#include <gtest/gtest.h>

#include "controller/api/timestamps.h"

namespace cellar::metrics {
namespace {

api::BackupSchedule schedule(const std::string& cron, const std::string& zone = "UTC") {
  api::BackupSchedule s;
  s.meta.ns = "db";
  s.meta.name = "nightly";
  s.spec.schedule = cron;
  s.spec.time_zone = zone;
  return s;
}

std::chrono::system_clock::time_point at(const std::string& t) {
  return *api::parse_rfc3339(t);
}

TEST(ScheduleInterval, IsTheGapBetweenTheNextTwoDueTimes) {
  const auto now = at("2026-11-21T12:00:00Z");
  EXPECT_EQ(schedule_interval_seconds(schedule("0 2 * * *"), now), 86400);
  EXPECT_EQ(schedule_interval_seconds(schedule("*/15 * * * *"), now), 900);
  EXPECT_EQ(schedule_interval_seconds(schedule("0 3 * * 0"), now), 7 * 86400);
}

TEST(ScheduleInterval, FollowsTheTimeZoneAcrossAClockChange) {
  // New York falls back on 2026-11-01: that local day lasts 25 hours.
  const auto now = at("2026-10-31T12:00:00Z");
  EXPECT_EQ(schedule_interval_seconds(schedule("30 8 * * *", "America/New_York"), now), 25 * 3600);
}

TEST(ScheduleInterval, NothingIsExpectedOfASuspendedOrInvalidSchedule) {
  const auto now = at("2026-11-21T12:00:00Z");
  auto suspended = schedule("0 2 * * *");
  suspended.spec.suspend = true;
  EXPECT_FALSE(schedule_interval_seconds(suspended, now));
  EXPECT_FALSE(schedule_interval_seconds(schedule("61 2 * * *"), now));
  EXPECT_FALSE(schedule_interval_seconds(schedule("0 2 * * *", "Mars/Olympus"), now));
}

}  // namespace
}  // namespace cellar::metrics
