#include "controller/metrics/backup_collector.h"

#include <optional>
#include <string>
#include <utility>

#include "controller/metrics/backup_results.h"
#include "controller/metrics/schedule_interval.h"

namespace cellar::metrics {
namespace {

prometheus::MetricFamily gauge_family(std::string name, std::string help) {
  return {std::move(name), std::move(help), prometheus::MetricType::Gauge, {}};
}

void add(prometheus::MetricFamily& family, const std::string& ns, const std::string& schedule,
         double value) {
  prometheus::ClientMetric m;
  m.label = {{"namespace", ns}, {"schedule", schedule}};
  m.gauge.value = value;
  family.metric.push_back(std::move(m));
}

}  // namespace

std::vector<prometheus::MetricFamily> collect_backup_gauges(
    const std::vector<api::Backup>& backups, const std::vector<api::BackupSchedule>& schedules,
    std::chrono::system_clock::time_point now) {
  auto success = gauge_family("cellar_backup_last_success_timestamp_seconds",
                              "completionTime of the newest Completed Backup, per schedule "
                              "(schedule=\"\": the namespace's standalone Backups).");
  auto duration = gauge_family("cellar_backup_last_duration_seconds",
                               "durationSeconds of the newest Completed Backup, per schedule.");
  auto size = gauge_family("cellar_backup_last_size_bytes",
                           "sizeBytes of the newest Completed Backup, per schedule.");
  auto failure = gauge_family("cellar_backup_last_failure_timestamp_seconds",
                              "completionTime of the newest Failed Backup, per schedule.");
  auto interval = gauge_family("cellar_schedule_interval_seconds",
                               "Seconds between a BackupSchedule's next two due times; absent "
                               "while it is suspended or its schedule is invalid.");
  for (const auto& [key, r] : latest_results(backups)) {
    const auto& [ns, schedule] = key;
    if (r.last_success_time) add(success, ns, schedule, *r.last_success_time);
    if (r.last_success_duration_seconds) {
      add(duration, ns, schedule, static_cast<double>(*r.last_success_duration_seconds));
    }
    if (r.last_success_size_bytes) {
      add(size, ns, schedule, static_cast<double>(*r.last_success_size_bytes));
    }
    if (r.last_failure_time) add(failure, ns, schedule, *r.last_failure_time);
  }
  for (const api::BackupSchedule& s : schedules) {
    if (auto seconds = schedule_interval_seconds(s, now)) {
      add(interval, s.meta.ns, s.meta.name, *seconds);
    }
  }
  std::vector<prometheus::MetricFamily> out;
  out.push_back(std::move(success));
  out.push_back(std::move(duration));
  out.push_back(std::move(size));
  out.push_back(std::move(failure));
  out.push_back(std::move(interval));
  return out;
}

}  // namespace cellar::metrics
