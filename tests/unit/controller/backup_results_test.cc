#include "controller/metrics/backup_results.h"

#include <gtest/gtest.h>

#include "controller/api/backup_schedule.h"

namespace cellar::metrics {
namespace {

api::Backup backup(const std::string& ns, const std::string& schedule, api::Phase phase,
                   const std::string& completed, int64_t duration = 0, int64_t size = 0) {
  api::Backup b;
  b.meta.ns = ns;
  if (!schedule.empty()) b.meta.labels[api::kScheduleLabel] = schedule;
  b.status.phase = phase;
  b.status.completion_time = completed;
  if (phase == api::Phase::kCompleted) {
    b.status.duration_seconds = duration;
    b.status.size_bytes = size;
  }
  return b;
}

constexpr double k20261121 = 1795219200;  // 2026-11-21T00:00:00Z

TEST(LatestResults, TakesTheNewestCompletedBackupOfEachSchedule) {
  auto r = latest_results({
      backup("db", "nightly", api::Phase::kCompleted, "2026-11-20T00:00:00Z", 10, 100),
      backup("db", "nightly", api::Phase::kCompleted, "2026-11-21T00:00:00Z", 20, 200),
      backup("db", "nightly", api::Phase::kCompleted, "2026-11-19T00:00:00Z", 30, 300),
  });
  ASSERT_EQ(r.size(), 1u);
  const ScheduleResults& n = r.at({"db", "nightly"});
  EXPECT_EQ(n.last_success_time, k20261121);
  EXPECT_EQ(n.last_success_duration_seconds, 20);
  EXPECT_EQ(n.last_success_size_bytes, 200);
  EXPECT_FALSE(n.last_failure_time);
}

TEST(LatestResults, KeepsSchedulesNamespacesAndStandaloneBackupsApart) {
  auto r = latest_results({
      backup("db", "nightly", api::Phase::kCompleted, "2026-11-21T00:00:00Z"),
      backup("other", "nightly", api::Phase::kFailed, "2026-11-21T00:00:00Z"),
      backup("db", "", api::Phase::kCompleted, "2026-11-20T00:00:00Z"),
  });
  ASSERT_EQ(r.size(), 3u);
  EXPECT_FALSE(r.at({"other", "nightly"}).last_success_time);
  EXPECT_EQ(r.at({"other", "nightly"}).last_failure_time, k20261121);
  EXPECT_EQ(r.at({"db", ""}).last_success_time, k20261121 - 86400);
}

TEST(LatestResults, RecordsTheNewestFailureBesideTheNewestSuccess) {
  auto r = latest_results({
      backup("db", "nightly", api::Phase::kCompleted, "2026-11-20T00:00:00Z"),
      backup("db", "nightly", api::Phase::kFailed, "2026-11-19T00:00:00Z"),
      backup("db", "nightly", api::Phase::kFailed, "2026-11-21T00:00:00Z"),
  });
  const ScheduleResults& n = r.at({"db", "nightly"});
  EXPECT_EQ(n.last_success_time, k20261121 - 86400);
  EXPECT_EQ(n.last_failure_time, k20261121);
}

TEST(LatestResults, LeavesOutUnfinishedAndUndatedBackups) {
  auto r = latest_results({
      backup("db", "nightly", api::Phase::kInProgress, ""),
      backup("db", "nightly", api::Phase::kCancelled, "2026-11-21T00:00:00Z"),
      backup("db", "nightly", api::Phase::kCompleted, "not a time"),
  });
  EXPECT_TRUE(r.empty());
}

}  // namespace
}  // namespace cellar::metrics
