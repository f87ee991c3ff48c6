// The controller's metrics, in one place: what /metrics serves. The process metrics, each work
// queue's (read from the queue at scrape time, so nothing is updated on the hot path), whether
// this replica leads, the backup and schedule gauges (read from the caches at scrape time, see
// backup_collector.h), and counters of what happened: Backups finished, due times missed,
// reconcile passes and their errors, API requests. The counters start at zero with the process,
// as Prometheus counters do; rate() and increase() see through the reset.
#pragma once

#include <prometheus/collectable.h>
#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "controller/api/backup.h"
#include "controller/kube/observers.h"
#include "controller/kube/workqueue.h"
#include "controller/metrics/backup_collector.h"
#include "controller/metrics/process_metrics.h"

namespace cellar::metrics {

class ControllerMetrics : public prometheus::Collectable {
 public:
  ControllerMetrics();
  ControllerMetrics(const ControllerMetrics&) = delete;
  ControllerMetrics& operator=(const ControllerMetrics&) = delete;

  // cellar_workqueue_depth, cellar_workqueue_adds_total and cellar_workqueue_retries_total with
  // label controller=`name`. `queue` must outlive this object (or at least every scrape).
  void add_work_queue(std::string name, const kube::WorkQueue& queue);
  // cellar_leader{lease}: 1 while this replica does the work (always, without leader election).
  void set_leader(const std::string& lease, bool leading);

  // The caches the backup gauges are read from at each scrape (each source is called then, from
  // the scraping thread). Unset: no backup gauges.
  void read_caches(BackupSource backups, ScheduleSource schedules);

  // cellar_ready: 1 once `ready` says the caches have synced (as /readyz), read at scrape time.
  void read_readiness(std::function<bool()> ready);

  // cellar_backups_total{namespace,schedule,phase}: one Backup reached `phase` (terminal).
  void count_finished(const api::Backup& backup, api::Phase phase);
  // cellar_schedule_missed_total{namespace,schedule}.
  void count_missed(const std::string& ns, const std::string& schedule, int missed);
  // cellar_reconcile_duration_seconds and cellar_reconcile_errors_total, label controller=`name`.
  kube::ReconcileObserver reconcile_observer(const std::string& name);
  // cellar_kube_requests_total{verb,code}.
  kube::RequestObserver request_observer();

  // For the exposer, and for new metrics registered here.
  prometheus::Registry& registry() { return *registry_; }
  std::vector<prometheus::MetricFamily> Collect() const override;

 private:
  std::shared_ptr<prometheus::Registry> registry_;
  prometheus::Family<prometheus::Gauge>& leader_;
  prometheus::Family<prometheus::Counter>& finished_;
  prometheus::Family<prometheus::Counter>& missed_;
  prometheus::Family<prometheus::Histogram>& reconcile_duration_;
  prometheus::Family<prometheus::Counter>& reconcile_errors_;
  prometheus::Family<prometheus::Counter>& requests_;
  ProcessCollector process_;
  mutable std::mutex mu_;
  std::vector<std::pair<std::string, const kube::WorkQueue*>> queues_;
  BackupSource backups_;
  ScheduleSource schedules_;
  std::function<bool()> ready_;
};

}  // namespace cellar::metrics
