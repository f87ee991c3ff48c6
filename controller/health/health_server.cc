#include "controller/health/health_server.h"

#include <civetweb.h>

#include <mutex>

namespace cellar::health {
namespace {

// civetweb's library-wide set-up, once per process (prometheus-cpp's Exposer does its own, which
// civetweb counts).
void init_civetweb() {
  static std::once_flag once;
  std::call_once(once, [] { mg_init_library(0); });
}

void reply(mg_connection* connection, int status, const std::string& body) {
  mg_printf(connection,
            "HTTP/1.1 %d %s\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: "
            "%zu\r\nConnection: close\r\n\r\n",
            status, status == 200 ? "OK" : "Service Unavailable", body.size());
  mg_write(connection, body.data(), body.size());
}

}  // namespace

int HealthServer::serve(mg_connection* connection, void* probe) {
  auto* check = static_cast<std::function<std::optional<std::string>()>*>(probe);
  auto problem = (*check)();
  if (problem) {
    reply(connection, 503, *problem + "\n");
  } else {
    reply(connection, 200, "ok\n");
  }
  return 200;
}

std::unique_ptr<HealthServer> HealthServer::start(const ListenAddress& address, Probes probes,
                                                  std::string* error) {
  init_civetweb();
  std::unique_ptr<HealthServer> server(new HealthServer());
  server->probes_ = std::move(probes);
  const std::string ports = address.civetweb_ports();
  const char* options[] = {"listening_ports", ports.c_str(), "num_threads", "2", nullptr};
  mg_callbacks callbacks{};
  server->context_ = mg_start(&callbacks, nullptr, options);
  if (server->context_ == nullptr) {
    *error = "cannot listen on " + ports + " for /healthz and /readyz";
    return nullptr;
  }
  mg_set_request_handler(server->context_, "/healthz$", &HealthServer::serve,
                         &server->probes_.live);
  mg_set_request_handler(server->context_, "/readyz$", &HealthServer::serve,
                         &server->probes_.ready);
  mg_server_port port{};
  if (mg_get_server_ports(server->context_, 1, &port) == 1) server->port_ = port.port;
  return server;
}

HealthServer::~HealthServer() {
  if (context_ != nullptr) mg_stop(context_);
}

}  // namespace cellar::health
