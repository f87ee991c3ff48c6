#include "controller/metrics/metrics_server.h"

#include <prometheus/exposer.h>

namespace cellar::metrics {

std::unique_ptr<MetricsServer> MetricsServer::start(
    const health::ListenAddress& address, const std::shared_ptr<ControllerMetrics>& metrics,
    std::string* error) {
  std::unique_ptr<MetricsServer> server(new MetricsServer());
  try {
    // Two threads: a scrape or two at a time is all Prometheus sends.
    server->exposer_ = std::make_unique<prometheus::Exposer>(address.civetweb_ports(), 2);
  } catch (const std::exception& e) {
    *error = "cannot listen on " + address.civetweb_ports() + " for /metrics: " + e.what();
    return nullptr;
  }
  server->exposer_->RegisterCollectable(metrics);
  return server;
}

MetricsServer::~MetricsServer() = default;

int MetricsServer::port() const {
  auto ports = exposer_->GetListeningPorts();
  return ports.empty() ? 0 : ports.front();
}

}  // namespace cellar::metrics
