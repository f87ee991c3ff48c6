// A Kubernetes API client over group/version/resource, as client-go's dynamic client is.
//
// Objects travel as JSON documents; callers that keep many of them project what they need (see
// informer.h) instead of holding whole documents. Every call goes through the client-side rate
// limit; a 429 answer is returned as an Error whose retry_after says when to try again.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "controller/kube/error.h"
#include "controller/kube/observers.h"
#include "controller/kube/rate_limiter.h"
#include "controller/kube/transport.h"
#include "controller/kube/write_fence.h"

namespace cellar::kube {

using json = nlohmann::json;

struct Resource {
  std::string group;  // "" for the core group
  std::string version;
  std::string plural;
  bool namespaced = true;

  // "/api/v1/namespaces/ns/pods/name/status", parts left out when empty.
  std::string path(const std::string& ns, const std::string& name = "",
                   const std::string& subresource = "") const;
};

// Well-known resources.
namespace resources {
const Resource& namespaces();
const Resource& secrets();
const Resource& configmaps();
const Resource& pods();
const Resource& events();  // core/v1 events
const Resource& persistentvolumeclaims();
const Resource& jobs();
const Resource& leases();
const Resource& customresourcedefinitions();
}  // namespace resources

struct ListOptions {
  std::string label_selector;
  std::string field_selector;
  long limit = 0;              // 0: no paging
  std::string continue_token;  // from a previous page's metadata.continue
  std::string resource_version;
};

struct WatchOptions {
  std::string resource_version;  // watch for changes after this one
  std::string label_selector;
  std::string field_selector;
  bool allow_bookmarks = true;
  std::optional<int> timeout_seconds;  // the server ends the watch after this long
};

struct DeleteOptions {
  std::string propagation_policy;  // "", "Background", "Foreground" or "Orphan"
  std::string precondition_uid;
  std::string precondition_resource_version;
};

struct WatchEvent {
  std::string type;  // ADDED, MODIFIED, DELETED, BOOKMARK or ERROR (object is then a Status)
  json object;
};

// An open watch stream. next() and stop() may be called from different threads.
class Watch {
 public:
  explicit Watch(std::unique_ptr<LineReader> lines);
  Watch(const Watch&) = delete;
  Watch& operator=(const Watch&) = delete;

  // The next event; nullopt when the stream ended (timeout, server closed it, connection cut, or
  // stop()). A line that is not a valid event ends the stream too: what follows cannot be trusted.
  std::optional<WatchEvent> next();
  void stop();

 private:
  std::unique_ptr<LineReader> lines_;
};

struct ClientOptions {
  double qps = 200;  // sustained requests a second
  int burst = 400;
  std::string user_agent = "cellar";
  std::chrono::milliseconds request_timeout{std::chrono::seconds{30}};
  // With leader election: checked right before every write leaves (after the rate limit's
  // wait), which fails without being sent once the fence is closed. Null: writes always leave.
  std::shared_ptr<const WriteFence> fence;
  // Told of every request that left (those the fence stops never leave, so are not told).
  RequestObserver on_request;
};

class Client {
 public:
  Client(std::shared_ptr<Transport> transport, ClientOptions options = {});
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  Result<json> get(const Resource& r, const std::string& ns, const std::string& name);
  // A List document: items, metadata.resourceVersion and metadata.continue.
  Result<json> list(const Resource& r, const std::string& ns, const ListOptions& options = {});
  // The same list, its items handed to `item` one at a time as they are read, never all of them
  // as one document; the answer is the list without "items" (metadata.resourceVersion and
  // metadata.continue).
  Result<json> list_each(const Resource& r, const std::string& ns, const ListOptions& options,
                         const std::function<void(json&&)>& item);
  Result<json> create(const Resource& r, const std::string& ns, const json& object);
  // PUT; the object's metadata.resourceVersion makes it conditional (409 when stale).
  Result<json> update(const Resource& r, const std::string& ns, const json& object);
  // application/merge-patch+json (RFC 7386).
  Result<json> merge_patch(const Resource& r, const std::string& ns, const std::string& name,
                           const json& patch);
  // The status subresource: reads and writes only .status.
  Result<json> get_status(const Resource& r, const std::string& ns, const std::string& name);
  Result<json> update_status(const Resource& r, const std::string& ns, const json& object);
  Result<json> merge_patch_status(const Resource& r, const std::string& ns, const std::string& name,
                                  const json& patch);
  // Returns the server's answer: the object (with deletionTimestamp when finalizers hold it) or a
  // Status.
  Result<json> remove(const Resource& r, const std::string& ns, const std::string& name,
                      const DeleteOptions& options = {});
  Result<std::unique_ptr<Watch>> watch(const Resource& r, const std::string& ns,
                                       const WatchOptions& options = {});

  // Any request, for what the typed calls do not cover (discovery, /version). The body is JSON.
  Result<json> request(const std::string& method, const std::string& target,
                       const json& body = nullptr,
                       const std::string& content_type = "application/json");

 private:
  // `verb` names the request for on_request: get, list, create, update, patch, delete.
  Result<json> request_as(const std::string& verb, const std::string& method,
                          const std::string& target, const json& body = nullptr,
                          const std::string& content_type = "application/json");
  Result<json> call(HttpRequest request, const std::string& verb);
  // The rate limit, the fence, the request; a non-2xx answer as an Error.
  Result<HttpResponse> send(HttpRequest request, const std::string& verb);
  void observe(const std::string& verb, const Result<HttpResponse>& response) const;

  std::shared_ptr<Transport> transport_;
  ClientOptions options_;
  RateLimiter limiter_;
};

}  // namespace cellar::kube
