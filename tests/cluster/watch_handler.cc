#include "tests/cluster/watch_handler.h"

#include <algorithm>
#include <thread>
#include <unordered_set>

namespace cellar::testcluster {

namespace {

using Clock = std::chrono::steady_clock;

std::string object_id(const json& object) {
  const json& meta = object.value("metadata", json::object());
  return meta.value("namespace", "") + "/" + meta.value("name", "");
}

uint64_t object_rv(const json& object) {
  try {
    return std::stoull(object.at("metadata").value("resourceVersion", "0"));
  } catch (...) {
    return 0;
  }
}

// What one watch sends, and what it knows of which objects its client has seen match.
class EventWriter {
 public:
  EventWriter(const WatchRequest& request, Responder& responder)
      : request_(request),
        responder_(responder),
        filtered_(!request.label_selector.empty() || !request.field_selector.empty()) {}

  bool matches(const json& object) const {
    const json& meta = object.value("metadata", json::object());
    return request_.label_selector.matches(meta.value("labels", json(nullptr))) &&
           request_.field_selector.matches(object);
  }

  // Records that the client may know `object` (seen matching earlier, as far as we can tell).
  void assume_known(const json& object) {
    if (filtered_) known_.insert(object_id(object));
  }

  bool send(const std::string& type, const json& object) {
    json event = {{"type", type}};
    if (request_.as_table && type != "ERROR") {
      event["object"] = make_table(request_.type, {object}, "", "", request_.include);
    } else {
      event["object"] = object;
    }
    return responder_.send_chunk(event.dump(-1, ' ', false, json::error_handler_t::replace) + "\n");
  }

  // Sends a store event as the client should see it through the selectors.
  bool forward(const StoredEvent& event) {
    if (!filtered_) return send(event.type, event.object);
    const std::string id = object_id(event.object);
    const bool was_known = known_.count(id) > 0;
    const bool now_matches = matches(event.object);
    if (event.type == "DELETED") {
      known_.erase(id);
      return (was_known || now_matches) ? send("DELETED", event.object) : true;
    }
    if (now_matches) {
      known_.insert(id);
      return send(event.type == "ADDED" || !was_known ? "ADDED" : "MODIFIED", event.object);
    }
    if (was_known) {
      known_.erase(id);
      return send("DELETED", event.object);
    }
    return true;
  }

  bool bookmark(uint64_t resource_version, bool initial_events_end) {
    json meta = {{"resourceVersion", std::to_string(resource_version)}};
    if (initial_events_end) meta["annotations"] = {{"k8s.io/initial-events-end", "true"}};
    json object = {{"kind", request_.type.kind},
                   {"apiVersion", request_.type.api_version()},
                   {"metadata", meta}};
    json event = {{"type", "BOOKMARK"}, {"object", object}};
    return responder_.send_chunk(event.dump() + "\n");
  }

 private:
  const WatchRequest& request_;
  Responder& responder_;
  const bool filtered_;
  std::unordered_set<std::string> known_;
};

}  // namespace

WatchHandler::WatchHandler(Store& store, std::chrono::milliseconds bookmark_interval,
                           const Faults* faults)
    : store_(store), bookmark_interval_(bookmark_interval), faults_(faults) {}

std::shared_ptr<WatchHandler::Open> WatchHandler::enroll() {
  auto open = std::make_shared<Open>();
  std::lock_guard<std::mutex> lock(mu_);
  open_[open.get()] = open;
  return open;
}

void WatchHandler::leave(const std::shared_ptr<Open>& open) {
  std::lock_guard<std::mutex> lock(mu_);
  open_.erase(open.get());
}

void WatchHandler::close_all() {
  std::lock_guard<std::mutex> lock(mu_);
  for (auto& [key, open] : open_) {
    open->cut.store(true);
    if (open->subscription != nullptr) open->subscription->close();
  }
}

size_t WatchHandler::open_watches() const {
  std::lock_guard<std::mutex> lock(mu_);
  return open_.size();
}

void WatchHandler::serve(const WatchRequest& request, Responder& responder) {
  uint64_t from = 0;
  const std::string& rv = request.resource_version;
  const bool from_state = rv.empty() || rv == "0" || request.send_initial_events;
  if (!rv.empty()) {
    try {
      size_t used = 0;
      from = std::stoull(rv, &used);
      if (used != rv.size()) throw std::invalid_argument(rv);
    } catch (...) {
      ApiError error = ApiError::bad_request("invalid resource version: " + rv);
      responder.respond({400, "application/json", {}, error.to_status().dump()});
      return;
    }
  }
  auto open = enroll();
  if (!responder.begin_stream(200, "application/json", {})) {
    leave(open);
    return;
  }
  EventWriter writer(request, responder);

  // Starting from the current state: list it, then follow the events after the list.
  std::unique_ptr<Subscription> subscription;
  std::optional<ApiError> failure;
  if (from_state) {
    Store::ListResult state = store_.list(request.type, request.ns);
    for (const auto& object : state.items) {
      if (!writer.matches(object)) continue;
      writer.assume_known(object);
      if (!writer.send("ADDED", object)) break;
    }
    if (request.send_initial_events && request.allow_bookmarks) {
      writer.bookmark(state.resource_version, true);
    }
    from = state.resource_version;
  } else {
    // The client's view at `from` is unknown here: anything changed since may have matched, so
    // it is treated as known (a DELETED for an object never seen is harmless; a missed one is not).
    for (const auto& object : store_.list(request.type, request.ns).items) {
      if (writer.matches(object) || object_rv(object) > from) writer.assume_known(object);
    }
  }
  auto outcome = store_.subscribe(&request.type, request.ns, from);
  if (!outcome.ok()) {
    writer.send("ERROR", outcome.error().to_status());
    leave(open);
    return;
  }
  subscription = std::move(outcome.value());
  {
    std::lock_guard<std::mutex> lock(mu_);
    open->subscription = subscription.get();
    if (open->cut.load()) subscription->close();
  }

  const auto end = Clock::now() + request.timeout;
  auto next_bookmark = Clock::now() + bookmark_interval_;
  uint64_t last_sent = from;
  // Without bookmarks the loop still wakes each second to notice a client that went away.
  const auto idle_check = std::chrono::seconds{1};
  while (!open->cut.load() && !responder.closed()) {
    const uint64_t reached = subscription->current_resource_version();
    auto wake = std::min(end, request.allow_bookmarks ? next_bookmark : Clock::now() + idle_check);
    auto event = subscription->next(wake);
    if (event) {
      // kube-apiserver's watchers see a write after etcd's watch and the watch cache have passed
      // it on, often well after the writer had its answer; the fault makes that lag long.
      if (const auto delay = faults_ ? faults_->watch_delay() : Clock::duration::zero();
          delay > Clock::duration::zero() && event->at != Clock::time_point{}) {
        while (!open->cut.load() && !responder.closed() && Clock::now() < event->at + delay) {
          std::this_thread::sleep_for(std::min<Clock::duration>(event->at + delay - Clock::now(),
                                                                std::chrono::milliseconds(100)));
        }
      }
      if (!writer.forward(*event)) break;
      last_sent = event->resource_version;
      continue;
    }
    const auto now = Clock::now();
    if (now >= end || open->cut.load()) break;
    if (now < wake) break;  // the subscription ended (compaction, shutdown)
    if (request.allow_bookmarks && now >= next_bookmark) {
      if (!writer.bookmark(std::max(reached, last_sent), false)) break;
      next_bookmark = now + bookmark_interval_;
    }
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    open->subscription = nullptr;
  }
  subscription->close();
  leave(open);
}

}  // namespace cellar::testcluster
