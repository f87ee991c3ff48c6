#include "controller/kube/client.h"

#include <spdlog/spdlog.h>

#include <cctype>
#include <map>
#include <utility>

#include "controller/kube/list_reader.h"

namespace cellar::kube {
namespace {

bool is_unreserved(unsigned char c) {
  return std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~';
}

std::string percent(unsigned char c) {
  static const char* hex = "0123456789ABCDEF";
  return {'%', hex[c >> 4], hex[c & 15]};
}

// A path segment: names are DNS labels in practice, but a stray character must never change
// which resource a request reaches.
std::string escape_segment(const std::string& s) {
  std::string out;
  for (unsigned char c : s) {
    if (is_unreserved(c) || c == ':' || c == '@') {
      out.push_back(static_cast<char>(c));
    } else {
      out += percent(c);
    }
  }
  return out;
}

// Query values as Go's url.QueryEscape writes them, so selectors reach the server exactly as
// kubectl would send them ("app=db,tier!=web" -> "app%3Ddb%2Ctier%21%3Dweb").
std::string escape_query(const std::string& s) {
  std::string out;
  for (unsigned char c : s) {
    if (is_unreserved(c)) {
      out.push_back(static_cast<char>(c));
    } else if (c == ' ') {
      out.push_back('+');
    } else {
      out += percent(c);
    }
  }
  return out;
}

// Sorted by key, as client-go encodes its parameters: the same call always makes the same URL.
std::string with_query(std::string path, const std::map<std::string, std::string>& params) {
  char sep = '?';
  for (const auto& [key, value] : params) {
    path += sep;
    path += escape_query(key) + "=" + escape_query(value);
    sep = '&';
  }
  return path;
}

std::string meta(const json& object, const char* field) {
  auto m = object.find("metadata");
  if (m == object.end() || !m->is_object()) return {};
  auto f = m->find(field);
  return f != m->end() && f->is_string() ? f->get<std::string>() : std::string();
}

Error client_error(std::string message) {
  Error e;
  e.reason = "BadRequest";
  e.message = std::move(message);
  return e;
}

bool is_success(int status) {
  return status >= 200 && status < 300;
}

}  // namespace

std::string Resource::path(const std::string& ns, const std::string& name,
                           const std::string& subresource) const {
  std::string p = group.empty() ? "/api/" + version : "/apis/" + group + "/" + version;
  if (namespaced && !ns.empty()) p += "/namespaces/" + escape_segment(ns);
  p += "/" + plural;
  if (!name.empty()) {
    p += "/" + escape_segment(name);
    if (!subresource.empty()) p += "/" + subresource;
  }
  return p;
}

namespace resources {
const Resource& namespaces() {
  static const Resource r{"", "v1", "namespaces", false};
  return r;
}
const Resource& secrets() {
  static const Resource r{"", "v1", "secrets", true};
  return r;
}
const Resource& configmaps() {
  static const Resource r{"", "v1", "configmaps", true};
  return r;
}
const Resource& pods() {
  static const Resource r{"", "v1", "pods", true};
  return r;
}
const Resource& events() {
  static const Resource r{"", "v1", "events", true};
  return r;
}
const Resource& persistentvolumeclaims() {
  static const Resource r{"", "v1", "persistentvolumeclaims", true};
  return r;
}
const Resource& jobs() {
  static const Resource r{"batch", "v1", "jobs", true};
  return r;
}
const Resource& leases() {
  static const Resource r{"coordination.k8s.io", "v1", "leases", true};
  return r;
}
const Resource& customresourcedefinitions() {
  static const Resource r{"apiextensions.k8s.io", "v1", "customresourcedefinitions", false};
  return r;
}
}  // namespace resources

Watch::Watch(std::unique_ptr<LineReader> lines) : lines_(std::move(lines)) {}

std::optional<WatchEvent> Watch::next() {
  while (auto line = lines_->read_line()) {
    if (line->empty()) continue;
    auto event = json::parse(*line, nullptr, /*allow_exceptions=*/false);
    if (!event.is_object() || !event.contains("type") || !event["type"].is_string() ||
        !event.contains("object")) {
      spdlog::debug("watch: ending the stream at a line that is not an event");
      lines_->cancel();
      return std::nullopt;
    }
    return WatchEvent{event["type"].get<std::string>(), std::move(event["object"])};
  }
  return std::nullopt;
}

void Watch::stop() {
  lines_->cancel();
}

Client::Client(std::shared_ptr<Transport> transport, ClientOptions options)
    : transport_(std::move(transport)),
      options_(std::move(options)),
      limiter_(options_.qps, options_.burst) {}

void Client::observe(const std::string& verb, const Result<HttpResponse>& response) const {
  if (!options_.on_request) return;
  options_.on_request(verb, response ? std::to_string(response->status) : std::string("error"));
}

Result<HttpResponse> Client::send(HttpRequest request, const std::string& verb) {
  limiter_.wait();
  if (options_.fence && request.method != "GET" && !options_.fence->allows()) {
    // A transport-like failure: retryable, so nothing ends Failed for it, and the process that
    // lost its lease exits before any retry could leave.
    return Error::transport(request.method + " " + request.target +
                            ": not sent, this replica does not hold the leader lease");
  }
  request.user_agent = options_.user_agent;
  request.timeout = options_.request_timeout;
  auto response = transport_->send(request);
  observe(verb, response);
  if (!response) return response.error();
  spdlog::debug("{} {} -> {}", request.method, request.target, response->status);
  if (!is_success(response->status)) {
    return Error::from_response(response->status, response->body, response->retry_after);
  }
  return response;
}

Result<json> Client::call(HttpRequest request, const std::string& verb) {
  const std::string what = request.method + " " + request.target;
  auto response = send(std::move(request), verb);
  if (!response) return response.error();
  if (response->body.empty()) return json::object();
  auto body = json::parse(response->body, nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded()) {
    return Error::transport(what + ": the answer (" + std::to_string(response->status) +
                            ") is not JSON");
  }
  return body;
}

Result<json> Client::request(const std::string& method, const std::string& target, const json& body,
                             const std::string& content_type) {
  std::string verb = method;
  for (char& ch : verb) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return request_as(verb, method, target, body, content_type);
}

Result<json> Client::request_as(const std::string& verb, const std::string& method,
                                const std::string& target, const json& body,
                                const std::string& content_type) {
  HttpRequest r;
  r.method = method;
  r.target = target;
  if (!body.is_null()) {
    r.body = body.dump();
    r.content_type = content_type;
  }
  return call(std::move(r), verb);
}

Result<json> Client::get(const Resource& r, const std::string& ns, const std::string& name) {
  return request_as("get", "GET", r.path(ns, name));
}

namespace {

std::string list_target(const Resource& r, const std::string& ns, const ListOptions& options) {
  std::map<std::string, std::string> params;
  if (!options.label_selector.empty()) params["labelSelector"] = options.label_selector;
  if (!options.field_selector.empty()) params["fieldSelector"] = options.field_selector;
  if (options.limit > 0) params["limit"] = std::to_string(options.limit);
  if (!options.continue_token.empty()) params["continue"] = options.continue_token;
  if (!options.resource_version.empty()) params["resourceVersion"] = options.resource_version;
  return with_query(r.path(ns), params);
}

}  // namespace

Result<json> Client::list(const Resource& r, const std::string& ns, const ListOptions& options) {
  return request_as("list", "GET", list_target(r, ns, options));
}

Result<json> Client::list_each(const Resource& r, const std::string& ns, const ListOptions& options,
                               const std::function<void(json&&)>& item) {
  HttpRequest request;
  request.method = "GET";
  request.target = list_target(r, ns, options);
  const std::string what = "GET " + request.target;
  auto response = send(std::move(request), "list");
  if (!response) return response.error();
  std::optional<json> rest = read_list(response->body, item);
  if (!rest) {
    return Error::transport(what + ": the answer (" + std::to_string(response->status) +
                            ") is not a JSON list");
  }
  return std::move(*rest);
}

Result<json> Client::create(const Resource& r, const std::string& ns, const json& object) {
  std::string where = ns.empty() ? meta(object, "namespace") : ns;
  return request_as("create", "POST", r.path(where), object);
}

Result<json> Client::update(const Resource& r, const std::string& ns, const json& object) {
  std::string name = meta(object, "name");
  if (name.empty()) return client_error("update " + r.plural + ": the object has no metadata.name");
  std::string where = ns.empty() ? meta(object, "namespace") : ns;
  return request_as("update", "PUT", r.path(where, name), object);
}

Result<json> Client::merge_patch(const Resource& r, const std::string& ns, const std::string& name,
                                 const json& patch) {
  return request_as("patch", "PATCH", r.path(ns, name), patch, "application/merge-patch+json");
}

Result<json> Client::get_status(const Resource& r, const std::string& ns, const std::string& name) {
  return request_as("get", "GET", r.path(ns, name, "status"));
}

Result<json> Client::update_status(const Resource& r, const std::string& ns, const json& object) {
  std::string name = meta(object, "name");
  if (name.empty()) {
    return client_error("update status of " + r.plural + ": the object has no metadata.name");
  }
  std::string where = ns.empty() ? meta(object, "namespace") : ns;
  return request_as("update", "PUT", r.path(where, name, "status"), object);
}

Result<json> Client::merge_patch_status(const Resource& r, const std::string& ns,
                                        const std::string& name, const json& patch) {
  return request_as("patch", "PATCH", r.path(ns, name, "status"), patch,
                    "application/merge-patch+json");
}

Result<json> Client::remove(const Resource& r, const std::string& ns, const std::string& name,
                            const DeleteOptions& options) {
  json body = nullptr;
  if (!options.propagation_policy.empty() || !options.precondition_uid.empty() ||
      !options.precondition_resource_version.empty()) {
    body = {{"kind", "DeleteOptions"}, {"apiVersion", "v1"}};
    if (!options.propagation_policy.empty()) body["propagationPolicy"] = options.propagation_policy;
    if (!options.precondition_uid.empty()) {
      body["preconditions"]["uid"] = options.precondition_uid;
    }
    if (!options.precondition_resource_version.empty()) {
      body["preconditions"]["resourceVersion"] = options.precondition_resource_version;
    }
  }
  return request_as("delete", "DELETE", r.path(ns, name), body);
}

Result<std::unique_ptr<Watch>> Client::watch(const Resource& r, const std::string& ns,
                                             const WatchOptions& options) {
  std::map<std::string, std::string> params{{"watch", "true"}};
  if (!options.resource_version.empty()) params["resourceVersion"] = options.resource_version;
  if (!options.label_selector.empty()) params["labelSelector"] = options.label_selector;
  if (!options.field_selector.empty()) params["fieldSelector"] = options.field_selector;
  if (options.allow_bookmarks) params["allowWatchBookmarks"] = "true";
  if (options.timeout_seconds) params["timeoutSeconds"] = std::to_string(*options.timeout_seconds);

  HttpRequest request;
  request.target = with_query(r.path(ns), params);
  request.user_agent = options_.user_agent;
  // The silence a watch may keep: the server's own end of the watch plus a margin, or, when it
  // sets none, long enough that bookmarks (about one a minute) keep a healthy stream alive.
  request.timeout = options.timeout_seconds ? std::chrono::seconds{*options.timeout_seconds + 30}
                                            : std::chrono::seconds{300};

  limiter_.wait();
  auto response = transport_->stream(request);
  if (options_.on_request) {
    options_.on_request("watch", response ? std::to_string(response->status) : "error");
  }
  if (!response) return response.error();
  spdlog::debug("WATCH {} -> {}", request.target, response->status);
  if (!is_success(response->status) || !response->lines) {
    return Error::from_response(response->status, response->body, response->retry_after);
  }
  return std::make_unique<Watch>(std::move(response->lines));
}

}  // namespace cellar::kube
