#include "controller/metrics/controller_metrics.h"

#include <gtest/gtest.h>
#include <prometheus/text_serializer.h>

#include "controller/api/backup_schedule.h"

namespace cellar::metrics {
namespace {

std::string text(const ControllerMetrics& metrics) {
  return prometheus::TextSerializer().Serialize(metrics.Collect());
}

TEST(ControllerMetrics, WorkQueuesAreReadAtScrapeTime) {
  ControllerMetrics metrics;
  kube::WorkQueue backups;
  metrics.add_work_queue("backup", backups);
  backups.add("ns/a");
  backups.add("ns/b");
  backups.add("ns/b");
  const std::string t = text(metrics);
  EXPECT_NE(t.find("cellar_workqueue_depth{controller=\"backup\"} 2"), std::string::npos) << t;
  EXPECT_NE(t.find("cellar_workqueue_adds_total{controller=\"backup\"} 3"), std::string::npos) << t;
  EXPECT_NE(t.find("# TYPE cellar_workqueue_retries_total counter"), std::string::npos) << t;
}

TEST(ControllerMetrics, LeaderGauge) {
  ControllerMetrics metrics;
  metrics.set_leader("cellar-controller", false);
  EXPECT_NE(text(metrics).find("cellar_leader{lease=\"cellar-controller\"} 0"), std::string::npos);
  metrics.set_leader("cellar-controller", true);
  EXPECT_NE(text(metrics).find("cellar_leader{lease=\"cellar-controller\"} 1"), std::string::npos);
}

TEST(ControllerMetrics, ProcessMetricsAreServedToo) {
  ControllerMetrics metrics;
  EXPECT_NE(text(metrics).find("process_resident_memory_bytes"), std::string::npos);
}

bool has(const std::string& t, const std::string& line) {
  return t.find(line) != std::string::npos;
}

api::Backup scheduled_backup(const std::string& schedule, api::Phase phase,
                             const std::string& completed) {
  api::Backup b;
  b.meta.ns = "db";
  b.meta.name = schedule + "-1";
  if (!schedule.empty()) b.meta.labels[api::kScheduleLabel] = schedule;
  b.status.phase = phase;
  b.status.completion_time = completed;
  b.status.duration_seconds = 42;
  b.status.size_bytes = 1024;
  return b;
}

TEST(ControllerMetrics, BackupGaugesAreReadFromTheCachesAtScrapeTime) {
  ControllerMetrics metrics;
  std::vector<api::Backup> backups = {
      scheduled_backup("nightly", api::Phase::kCompleted, "2026-11-21T00:00:00Z"),
      scheduled_backup("", api::Phase::kFailed, "2026-11-21T00:00:00Z")};
  api::BackupSchedule nightly;
  nightly.meta.ns = "db";
  nightly.meta.name = "nightly";
  nightly.spec.schedule = "0 2 * * *";
  metrics.read_caches([&] { return backups; },
                      [&] { return std::vector<api::BackupSchedule>{nightly}; });
  const std::string t = text(metrics);
  EXPECT_TRUE(has(t,
                  "cellar_backup_last_success_timestamp_seconds{namespace=\"db\","
                  "schedule=\"nightly\"} 1795219200\n"))
      << t;
  EXPECT_TRUE(
      has(t, "cellar_backup_last_duration_seconds{namespace=\"db\",schedule=\"nightly\"} 42"));
  EXPECT_TRUE(has(t, "cellar_backup_last_size_bytes{namespace=\"db\",schedule=\"nightly\"} 1024"));
  EXPECT_TRUE(has(t,
                  "cellar_backup_last_failure_timestamp_seconds{namespace=\"db\",schedule=\"\"} "
                  "1795219200"));
  EXPECT_TRUE(
      has(t, "cellar_schedule_interval_seconds{namespace=\"db\",schedule=\"nightly\"} 86400"));
  // Present at 0 before the first miss, so that the first one is an increase.
  EXPECT_TRUE(has(t, "cellar_schedule_missed_total{namespace=\"db\",schedule=\"nightly\"} 0"));

  backups.push_back(scheduled_backup("nightly", api::Phase::kCompleted, "2026-11-22T00:00:00Z"));
  EXPECT_TRUE(has(text(metrics),
                  "cellar_backup_last_success_timestamp_seconds{namespace=\"db\","
                  "schedule=\"nightly\"} 1795305600\n"));
}

TEST(ControllerMetrics, CountsWhatHappened) {
  ControllerMetrics metrics;
  metrics.count_finished(scheduled_backup("nightly", api::Phase::kInProgress, ""),
                         api::Phase::kFailed);
  metrics.count_finished(scheduled_backup("", api::Phase::kInProgress, ""), api::Phase::kCompleted);
  metrics.count_missed("db", "nightly", 3);
  auto reconciled = metrics.reconcile_observer("backup");
  reconciled(std::chrono::milliseconds(20), false);
  reconciled(std::chrono::milliseconds(30), true);
  auto requested = metrics.request_observer();
  requested("update", "409");
  requested("update", "409");
  requested("get", "error");
  const std::string t = text(metrics);
  EXPECT_TRUE(
      has(t, "cellar_backups_total{namespace=\"db\",phase=\"Failed\",schedule=\"nightly\"} 1"))
      << t;
  EXPECT_TRUE(has(t, "cellar_backups_total{namespace=\"db\",phase=\"Completed\",schedule=\"\"} 1"));
  EXPECT_TRUE(has(t, "cellar_schedule_missed_total{namespace=\"db\",schedule=\"nightly\"} 3"));
  EXPECT_TRUE(has(t, "cellar_reconcile_duration_seconds_count{controller=\"backup\"} 2"));
  EXPECT_TRUE(has(t, "cellar_reconcile_errors_total{controller=\"backup\"} 1"));
  EXPECT_TRUE(has(t, "cellar_kube_requests_total{code=\"409\",verb=\"update\"} 2"));
  EXPECT_TRUE(has(t, "cellar_kube_requests_total{code=\"error\",verb=\"get\"} 1"));
}

}  // namespace
}  // namespace cellar::metrics
