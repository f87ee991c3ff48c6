// The test cluster's HTTP front: bearer-token authentication, the /cellar-test/v1 hooks,
// injected faults and request counting, then routing to discovery, OpenAPI, health, /version and
// the REST verbs. One handler for HttpServer.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "tests/cluster/faults.h"
#include "tests/cluster/http_server.h"
#include "tests/cluster/registry.h"
#include "tests/cluster/rest_handlers.h"
#include "tests/cluster/store.h"
#include "tests/cluster/watch_handler.h"

namespace cellar::testcluster {

struct ApiServerOptions {
  std::string token;  // the bearer token every request but health probes must carry
  std::chrono::milliseconds bookmark_interval{std::chrono::seconds{1}};
};

class ApiServer {
 public:
  // `store` and `registry` must outlive the server.
  ApiServer(Store& store, Registry& registry, ApiServerOptions options);
  ApiServer(const ApiServer&) = delete;
  ApiServer& operator=(const ApiServer&) = delete;

  // The HttpHandler: serves one request.
  void handle(const HttpRequestData& request, Responder& responder);

  // Where the HTTP server listens ("127.0.0.1:PORT", for /api), and how to cut its open streams
  // (for the closeWatches fault). Set once the HTTP server has started, before requests arrive.
  void attach(const std::string& address, std::function<void()> cut_streams);

  // Ends every open watch: before the HTTP server stops, so that no handler waits.
  void close_watches();

 private:
  void route(const HttpRequestData& request, Responder& responder);
  void serve_hook(const HttpRequestData& request, Responder& responder);
  bool serve_non_resource(const HttpRequestData& request, Responder& responder);
  void serve_resource(const HttpRequestData& request, Responder& responder);

  Store& store_;
  Registry& registry_;
  ApiServerOptions options_;
  Faults faults_;  // before the watches, which read the watch delay
  WatchHandler watches_;
  RestHandlers rest_;
  RequestStats stats_;
  std::string address_;
  std::function<void()> cut_streams_;
};

}  // namespace cellar::testcluster
