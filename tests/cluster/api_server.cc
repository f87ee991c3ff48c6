#include "tests/cluster/api_server.h"

#include <exception>
#include <thread>

#include "tests/cluster/api_path.h"
#include "tests/cluster/discovery.h"
#include "tests/cluster/openapi.h"

namespace cellar::testcluster {

namespace {

constexpr const char* kHookPrefix = "/cellar-test/v1/";

bool is_health_probe(const std::string& path) {
  for (const char* probe : {"/healthz", "/livez", "/readyz"}) {
    if (path == probe || path.starts_with(std::string(probe) + "/")) return true;
  }
  return false;
}

HttpResponseData text_response(int status, const std::string& text) {
  return {status, "text/plain; charset=utf-8", {}, text};
}

ApiError not_found_path() {
  ApiError error;
  error.code = 404;
  error.reason = "NotFound";
  error.message = "the server could not find the requested resource";
  error.details = json::object();
  return error;
}

// Accept names only media types this server cannot produce (protobuf): 406, so clients fall back.
bool accepts_json(const HttpRequestData& request) {
  const std::string accept = request.header("accept");
  return accept.empty() || accept.find("json") != std::string::npos ||
         accept.find("*/*") != std::string::npos;
}

// Passes everything through, noting the status of a whole answer (for the write log).
class StatusRecorder : public Responder {
 public:
  explicit StatusRecorder(Responder& inner) : inner_(inner) {}
  void respond(const HttpResponseData& response) override {
    if (status == 0) status = response.status;
    inner_.respond(response);
  }
  bool begin_stream(int code, const std::string& content_type,
                    const std::vector<std::pair<std::string, std::string>>& headers) override {
    if (status == 0) status = code;
    return inner_.begin_stream(code, content_type, headers);
  }
  bool send_chunk(std::string_view data) override { return inner_.send_chunk(data); }
  bool closed() override { return inner_.closed(); }

  int status = 0;

 private:
  Responder& inner_;
};

}  // namespace

ApiServer::ApiServer(Store& store, Registry& registry, ApiServerOptions options)
    : store_(store),
      registry_(registry),
      options_(std::move(options)),
      watches_(store, options_.bookmark_interval, &faults_),
      rest_(store, registry, watches_) {}

void ApiServer::attach(const std::string& address, std::function<void()> cut_streams) {
  address_ = address;
  cut_streams_ = std::move(cut_streams);
}

void ApiServer::close_watches() {
  watches_.close_all();
}

void ApiServer::handle(const HttpRequestData& request, Responder& responder) {
  const auto arrived = std::chrono::system_clock::now();
  StatusRecorder recorder(responder);
  try {
    route(request, recorder);
  } catch (const std::exception& e) {
    // A body of an unexpected shape must cost its request, never the server. (A responder that
    // already answered ignores this one.)
    recorder.respond(error_response(ApiError::internal(e.what())));
  }
  if (!request.path.starts_with(kHookPrefix) && !is_health_probe(request.path)) {
    stats_.log_write(arrived, request.method, request.path, request.header("user-agent"),
                     recorder.status);
  }
}

void ApiServer::route(const HttpRequestData& request, Responder& responder) {
  if (is_health_probe(request.path)) {
    responder.respond(text_response(200, "ok"));
    return;
  }
  if (request.header("authorization") != "Bearer " + options_.token) {
    responder.respond(error_response(ApiError::unauthorized()));
    return;
  }
  if (request.path.starts_with(kHookPrefix)) {
    serve_hook(request, responder);
    return;
  }
  auto path = parse_api_path(request.path);
  std::string resource;
  if (path && !path->plural.empty()) {
    if (auto type = registry_.find(path->group, path->version, path->plural)) {
      resource = type->group_resource();
      if (!path->subresource.empty()) resource += "/" + path->subresource;
    }
  }
  stats_.record(request.method, request.header("user-agent"), resource,
                path ? request_verb(request, *path) : request.method);
  auto latency = faults_.latency();
  if (latency.count() > 0) std::this_thread::sleep_for(latency);
  if (auto failure = faults_.take(request.method, request.path)) {
    responder.respond(error_response(*failure));
    return;
  }
  if (!accepts_json(request)) {
    ApiError error;
    error.code = 406;
    error.reason = "NotAcceptable";
    error.message = "only the following media types are accepted: application/json";
    responder.respond(error_response(error));
    return;
  }
  if (serve_non_resource(request, responder)) return;
  serve_resource(request, responder);
}

void ApiServer::serve_hook(const HttpRequestData& request, Responder& responder) {
  const std::string hook = request.path.substr(std::string(kHookPrefix).size());
  const bool post = request.method == "POST";
  json body = request.body.empty() ? json::object() : json::parse(request.body, nullptr, false);
  if (body.is_discarded()) {
    responder.respond(error_response(ApiError::bad_request("the hook's body is not JSON")));
    return;
  }
  if (hook == "faults" && post) {
    std::string error;
    auto actions = faults_.configure(body, &error);
    if (!actions) {
      responder.respond(error_response(ApiError::bad_request(error)));
      return;
    }
    if (actions->close_watches) {
      // Sockets first, so that nothing more reaches a client once this answer has.
      if (cut_streams_) cut_streams_();
      watches_.close_all();
    }
  } else if (hook == "compact" && post) {
    store_.compact();
  } else if (hook == "stats" && request.method == "GET") {
    responder.respond(json_response(200, stats_.snapshot(watches_.open_watches())));
    return;
  } else if (hook == "writes" && request.method == "GET") {
    responder.respond(json_response(200, stats_.write_log()));
    return;
  } else if (hook == "stats/reset" && post) {
    stats_.reset();
  } else {
    responder.respond(error_response(not_found_path()));
    return;
  }
  responder.respond(json_response(200, {{"ok", true}}));
}

bool ApiServer::serve_non_resource(const HttpRequestData& request, Responder& responder) {
  const std::string& path = request.path;
  if (request.method != "GET") return false;
  if (path == "/version") {
    responder.respond(json_response(200, version_info()));
  } else if (path == "/api") {
    responder.respond(json_response(200, core_api_versions(address_)));
  } else if (path == "/apis") {
    responder.respond(json_response(200, api_group_list(registry_.all())));
  } else if (path.starts_with("/apis/") && path.find('/', 6) == std::string::npos) {
    auto group = api_group(registry_.all(), path.substr(6));
    responder.respond(group ? json_response(200, *group) : error_response(not_found_path()));
  } else if (path == "/openapi/v3") {
    responder.respond(json_response(200, openapi_v3_index(registry_.all())));
  } else if (path.starts_with("/openapi/v3/")) {
    auto gv = parse_api_path(path.substr(std::string("/openapi/v3").size()));
    std::optional<json> document;
    if (gv && gv->plural.empty())
      document = openapi_v3_document(registry_.all(), gv->group, gv->version);
    responder.respond(document ? json_response(200, *document) : error_response(not_found_path()));
  } else if (path == "/openapi/v2") {
    // Only a JSON-accepting client gets here (protobuf-only got its 406 above); this server
    // publishes schemas through v3.
    responder.respond(error_response(not_found_path()));
  } else {
    auto parsed = parse_api_path(path);
    if (!parsed || !parsed->plural.empty()) return false;
    auto list = api_resource_list(registry_.all(), parsed->group, parsed->version);
    responder.respond(list ? json_response(200, *list) : error_response(not_found_path()));
  }
  return true;
}

void ApiServer::serve_resource(const HttpRequestData& request, Responder& responder) {
  auto path = parse_api_path(request.path);
  if (!path) {
    responder.respond(error_response(not_found_path()));
    return;
  }
  auto type = registry_.find(path->group, path->version, path->plural);
  // A namespaced type must be named through its namespace (except to list across all of them),
  // and a cluster-scoped one must not be.
  bool scope_ok =
      type.has_value() && (type->namespaced ? (path->namespaced_path || path->is_collection())
                                            : !path->namespaced_path);
  if (!scope_ok) {
    responder.respond(error_response(not_found_path()));
    return;
  }
  rest_.serve(request, *path, *type, responder);
}

}  // namespace cellar::testcluster
