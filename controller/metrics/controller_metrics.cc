#include "controller/metrics/controller_metrics.h"

#include <chrono>

#include "controller/api/backup_schedule.h"

namespace cellar::metrics {
namespace {

prometheus::MetricFamily queue_family(const std::string& name, const std::string& help,
                                      prometheus::MetricType type) {
  return {name, help, type, {}};
}

void add_sample(prometheus::MetricFamily& family, const std::string& controller, double value) {
  prometheus::ClientMetric m;
  m.label.push_back({"controller", controller});
  if (family.type == prometheus::MetricType::Counter) {
    m.counter.value = value;
  } else {
    m.gauge.value = value;
  }
  family.metric.push_back(std::move(m));
}

}  // namespace

ControllerMetrics::ControllerMetrics()
    : registry_(std::make_shared<prometheus::Registry>()),
      leader_(prometheus::BuildGauge()
                  .Name("cellar_leader")
                  .Help("1 while this replica holds the leader lease and does the work, else 0.")
                  .Register(*registry_)),
      finished_(prometheus::BuildCounter()
                    .Name("cellar_backups_total")
                    .Help("Backups that reached a terminal phase, counted by the controller "
                          "that wrote it, per schedule (schedule=\"\": standalone).")
                    .Register(*registry_)),
      missed_(prometheus::BuildCounter()
                  .Name("cellar_schedule_missed_total")
                  .Help("Due times a BackupSchedule let pass without running a Backup.")
                  .Register(*registry_)),
      reconcile_duration_(prometheus::BuildHistogram()
                              .Name("cellar_reconcile_duration_seconds")
                              .Help("How long one reconcile pass took.")
                              .Register(*registry_)),
      reconcile_errors_(prometheus::BuildCounter()
                            .Name("cellar_reconcile_errors_total")
                            .Help("Reconcile passes that returned an error (and were retried "
                                  "or, when retrying cannot help, dropped).")
                            .Register(*registry_)),
      requests_(prometheus::BuildCounter()
                    .Name("cellar_kube_requests_total")
                    .Help("Kubernetes API requests by verb and HTTP status (code=\"error\": no "
                          "answer).")
                    .Register(*registry_)) {}

void ControllerMetrics::read_caches(BackupSource backups, ScheduleSource schedules) {
  std::lock_guard lock(mu_);
  backups_ = std::move(backups);
  schedules_ = std::move(schedules);
}

void ControllerMetrics::read_readiness(std::function<bool()> ready) {
  std::lock_guard lock(mu_);
  ready_ = std::move(ready);
}

void ControllerMetrics::count_finished(const api::Backup& backup, api::Phase phase) {
  auto it = backup.meta.labels.find(api::kScheduleLabel);
  const std::string schedule = it == backup.meta.labels.end() ? "" : it->second;
  finished_
      .Add({{"namespace", backup.meta.ns}, {"schedule", schedule}, {"phase", to_string(phase)}})
      .Increment();
}

void ControllerMetrics::count_missed(const std::string& ns, const std::string& schedule,
                                     int missed) {
  missed_.Add({{"namespace", ns}, {"schedule", schedule}}).Increment(missed);
}

kube::ReconcileObserver ControllerMetrics::reconcile_observer(const std::string& name) {
  // Resolved once: the hot path only observes.
  static const prometheus::Histogram::BucketBoundaries kBuckets = {
      0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};
  prometheus::Histogram* duration = &reconcile_duration_.Add({{"controller", name}}, kBuckets);
  prometheus::Counter* errors = &reconcile_errors_.Add({{"controller", name}});
  return [duration, errors](std::chrono::duration<double> took, bool failed) {
    duration->Observe(took.count());
    if (failed) errors->Increment();
  };
}

kube::RequestObserver ControllerMetrics::request_observer() {
  return [this](const std::string& verb, const std::string& code) {
    requests_.Add({{"verb", verb}, {"code", code}}).Increment();
  };
}

void ControllerMetrics::add_work_queue(std::string name, const kube::WorkQueue& queue) {
  std::lock_guard lock(mu_);
  queues_.emplace_back(std::move(name), &queue);
}

void ControllerMetrics::set_leader(const std::string& lease, bool leading) {
  leader_.Add({{"lease", lease}}).Set(leading ? 1 : 0);
}

std::vector<prometheus::MetricFamily> ControllerMetrics::Collect() const {
  using prometheus::MetricType;
  BackupSource backups;
  ScheduleSource schedules;
  std::function<bool()> ready;
  {
    std::lock_guard lock(mu_);
    backups = backups_;
    schedules = schedules_;
    ready = ready_;
  }
  std::vector<prometheus::MetricFamily> gauges;
  if (backups && schedules) {
    const auto cached_schedules = schedules();
    // Every schedule's missed counter exists from the start, at 0, so that the first miss is an
    // increase that alerts can see rather than a series appearing.
    for (const api::BackupSchedule& s : cached_schedules) {
      missed_.Add({{"namespace", s.meta.ns}, {"schedule", s.meta.name}});
    }
    gauges = collect_backup_gauges(backups(), cached_schedules, std::chrono::system_clock::now());
  }
  std::vector<prometheus::MetricFamily> out = registry_->Collect();
  for (auto& family : gauges) out.push_back(std::move(family));
  if (ready) {
    prometheus::MetricFamily family{
        "cellar_ready",
        "1 once this replica's caches have synced (as /readyz), else 0.",
        MetricType::Gauge,
        {}};
    prometheus::ClientMetric m;
    m.gauge.value = ready() ? 1 : 0;
    family.metric.push_back(std::move(m));
    out.push_back(std::move(family));
  }
  for (auto& family : process_.Collect()) out.push_back(std::move(family));
  auto depth = queue_family("cellar_workqueue_depth", "Keys waiting in a controller's work queue.",
                            MetricType::Gauge);
  auto adds = queue_family("cellar_workqueue_adds_total",
                           "Keys added to a controller's work queue.", MetricType::Counter);
  auto retries =
      queue_family("cellar_workqueue_retries_total",
                   "Keys put back with back-off after a failed reconcile.", MetricType::Counter);
  {
    std::lock_guard lock(mu_);
    for (const auto& [name, queue] : queues_) {
      add_sample(depth, name, static_cast<double>(queue->len()));
      add_sample(adds, name, static_cast<double>(queue->adds()));
      add_sample(retries, name, static_cast<double>(queue->retries()));
    }
  }
  out.push_back(std::move(depth));
  out.push_back(std::move(adds));
  out.push_back(std::move(retries));
  return out;
}

}  // namespace cellar::metrics
