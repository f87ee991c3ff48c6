#include "controller/metrics/controller_metrics.h"

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
                  .Register(*registry_)) {}

void ControllerMetrics::add_work_queue(std::string name, const kube::WorkQueue& queue) {
  std::lock_guard lock(mu_);
  queues_.emplace_back(std::move(name), &queue);
}

void ControllerMetrics::set_leader(const std::string& lease, bool leading) {
  leader_.Add({{"lease", lease}}).Set(leading ? 1 : 0);
}

std::vector<prometheus::MetricFamily> ControllerMetrics::Collect() const {
  using prometheus::MetricType;
  std::vector<prometheus::MetricFamily> out = registry_->Collect();
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
