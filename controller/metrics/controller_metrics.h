// The controller's metrics, in one place: what /metrics serves. The process metrics, each work
// queue's (read from the queue at scrape time, so nothing is updated on the hot path), and
// whether this replica leads. Backup and API-request metrics belong here too when they come.
#pragma once

#include <prometheus/collectable.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>

#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "controller/kube/workqueue.h"
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

  // For the exposer, and for new metrics registered here.
  prometheus::Registry& registry() { return *registry_; }
  std::vector<prometheus::MetricFamily> Collect() const override;

 private:
  std::shared_ptr<prometheus::Registry> registry_;
  prometheus::Family<prometheus::Gauge>& leader_;
  ProcessCollector process_;
  mutable std::mutex mu_;
  std::vector<std::pair<std::string, const kube::WorkQueue*>> queues_;
};

}  // namespace cellar::metrics
