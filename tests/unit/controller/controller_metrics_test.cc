#include "controller/metrics/controller_metrics.h"

#include <gtest/gtest.h>
#include <prometheus/text_serializer.h>

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

}  // namespace
}  // namespace cellar::metrics
