// /metrics in the Prometheus text format, on its own small HTTP server (prometheus-cpp's
// Exposer, on civetweb), apart from the health probes and from the Kubernetes client.
#pragma once

#include <memory>
#include <string>

#include "controller/health/listen_address.h"
#include "controller/metrics/controller_metrics.h"

namespace prometheus {
class Exposer;
}

namespace cellar::metrics {

class MetricsServer {
 public:
  // Listens on `address` and serves `metrics` at /metrics; nullptr with `*error` when it cannot
  // listen. `metrics` must outlive the server.
  static std::unique_ptr<MetricsServer> start(const health::ListenAddress& address,
                                              const std::shared_ptr<ControllerMetrics>& metrics,
                                              std::string* error);
  ~MetricsServer();
  MetricsServer(const MetricsServer&) = delete;
  MetricsServer& operator=(const MetricsServer&) = delete;

  int port() const;

 private:
  MetricsServer() = default;
  std::unique_ptr<prometheus::Exposer> exposer_;
};

}  // namespace cellar::metrics
