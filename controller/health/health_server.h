// /healthz and /readyz on their own small HTTP server (civetweb), as a kubelet's probes ask:
// 200 "ok", or 503 with the reason in the body. Anything else is 404.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "controller/health/listen_address.h"

struct mg_context;
struct mg_connection;

namespace cellar::health {

struct Probes {
  // nullopt: alive; else why not (see liveness.h).
  std::function<std::optional<std::string>()> live;
  // nullopt: ready; else why not ("caches not synced").
  std::function<std::optional<std::string>()> ready;
};

class HealthServer {
 public:
  // nullptr with `*error` when it cannot listen. The probes are called from civetweb's threads.
  static std::unique_ptr<HealthServer> start(const ListenAddress& address, Probes probes,
                                             std::string* error);
  ~HealthServer();
  HealthServer(const HealthServer&) = delete;
  HealthServer& operator=(const HealthServer&) = delete;

  int port() const { return port_; }

 private:
  HealthServer() = default;
  static int serve(mg_connection* connection, void* probe);

  Probes probes_;
  mg_context* context_ = nullptr;
  int port_ = 0;
};

}  // namespace cellar::health
