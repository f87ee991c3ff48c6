// Watch streams as kube-apiserver serves them: one JSON event a line, each line its own chunk.
//
// A watch from resourceVersion "" or "0" first sends an ADDED event for every existing object,
// then changes; from "N" it sends the changes after N, or (when N is older than the store's
// history) an HTTP 200 with a single ERROR event holding a 410 Expired Status. Label and field
// selectors are applied as the apiserver's watch cache applies them: an object that stops
// matching is sent as DELETED, one that starts matching as ADDED. BOOKMARK events (only
// metadata.resourceVersion) go out every `bookmark_interval` when the client allows them, and
// the stream ends cleanly after timeoutSeconds. `as=Table` watches carry a one-row Table per
// event.
#pragma once

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "tests/cluster/faults.h"
#include "tests/cluster/http_server.h"
#include "tests/cluster/resource_type.h"
#include "tests/cluster/selector.h"
#include "tests/cluster/store.h"
#include "tests/cluster/table.h"

namespace cellar::testcluster {

struct WatchRequest {
  ResourceType type;
  std::string ns;  // empty: every namespace (or a cluster-scoped type)
  std::string resource_version;
  bool allow_bookmarks = false;
  // sendInitialEvents=true: the existing objects first, then a BOOKMARK annotated
  // k8s.io/initial-events-end (when bookmarks are allowed).
  bool send_initial_events = false;
  std::chrono::seconds timeout{1800};
  LabelSelector label_selector;
  FieldSelector field_selector;
  bool as_table = false;
  IncludeObject include = IncludeObject::kMetadata;
};

class WatchHandler {
 public:
  // `store` must outlive the handler.
  // `faults`, when given, may delay every event (its watch delay); it must outlive the handler.
  explicit WatchHandler(Store& store,
                        std::chrono::milliseconds bookmark_interval = std::chrono::seconds{1},
                        const Faults* faults = nullptr);
  WatchHandler(const WatchHandler&) = delete;
  WatchHandler& operator=(const WatchHandler&) = delete;

  // Serves one watch on `responder` until it times out, the client goes, or close_all() is
  // called. Blocks the calling (connection) thread.
  void serve(const WatchRequest& request, Responder& responder);

  // Ends every open watch at once (their handlers return without a clean end of stream; the HTTP
  // server cuts the sockets). New watches still start.
  void close_all();

  size_t open_watches() const;

 private:
  struct Open {
    std::atomic<bool> cut{false};
    Subscription* subscription = nullptr;
  };
  std::shared_ptr<Open> enroll();
  void leave(const std::shared_ptr<Open>& open);

  Store& store_;
  const std::chrono::milliseconds bookmark_interval_;
  const Faults* faults_;
  mutable std::mutex mu_;
  std::map<Open*, std::shared_ptr<Open>> open_;
};

}  // namespace cellar::testcluster
