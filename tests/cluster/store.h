// The test cluster's object store: what etcd plus kube-apiserver's registry layer do.
//
// Every object lives as its full JSON document. The store owns the rules that hold whichever way
// a write arrives (over HTTP or from the job runner in-process): one global resourceVersion
// counter, uid and creationTimestamp, metadata.generation bumped on spec changes only, optimistic
// concurrency, the status subresource split, finalizers and deletionTimestamp, and a bounded
// history of events from which watches start (older than the history: 410 Gone).
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "tests/cluster/api_error.h"
#include "tests/cluster/resource_type.h"

namespace cellar::testcluster {

using json = nlohmann::json;

// Either a T or the ApiError kube-apiserver would answer with.
template <typename T>
class Outcome {
 public:
  Outcome(T value) : v_(std::in_place_index<0>, std::move(value)) {}         // NOLINT
  Outcome(ApiError error) : v_(std::in_place_index<1>, std::move(error)) {}  // NOLINT
  bool ok() const { return v_.index() == 0; }
  T& value() { return std::get<0>(v_); }
  const T& value() const { return std::get<0>(v_); }
  const ApiError& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, ApiError> v_;
};

struct StoredEvent {
  std::string type;  // ADDED, MODIFIED, DELETED
  json object;       // the object as of this event (for DELETED: its last state)
  uint64_t resource_version = 0;
  std::string key;  // "<group>/<plural>/<namespace>/<name>"; namespace empty for cluster scope
  std::chrono::steady_clock::time_point at{};  // when it happened (watch-window events)
};

// Which part of an object an update may change.
enum class UpdatePart {
  kMain,    // everything but .status (when the type has a status subresource)
  kStatus,  // only .status (and nothing else) — the /status subresource
  kAll,     // everything: for types without a status subresource, and for in-process writers
};

// An object with its type, for controllers that act on objects of every type (garbage collector,
// namespace controller).
struct StoredObject {
  std::shared_ptr<const ResourceType> type;
  json object;
};

struct DeleteRequest {
  std::string propagation_policy;  // "", Background, Foreground, Orphan
  std::string precondition_uid;
  std::string precondition_resource_version;
};

// A subscription to the store's events from a resourceVersion on. next() blocks.
class Subscription {
 public:
  virtual ~Subscription() = default;
  // The next event matching the subscription, or nullopt when `deadline` passed or the
  // subscription ended: close(), Store::close_subscriptions(), or it fell so far behind that the
  // history no longer holds its next event (subscribing again from the last resourceVersion seen
  // then gets 410). Events arrive in resourceVersion order, each exactly once.
  virtual std::optional<StoredEvent> next(std::chrono::steady_clock::time_point deadline) = 0;
  // The newest resourceVersion the store has reached; a watch uses it for bookmarks.
  virtual uint64_t current_resource_version() const = 0;
  virtual void close() = 0;
};

// How long each resource type's watch window keeps events (see watch_window.h): kube-apiserver's
// watch cache figures by default.
struct WatchWindowOptions {
  std::chrono::steady_clock::duration fresh_duration = std::chrono::seconds{75};
  size_t min_events = 100;
  // Where the windows' clock comes from: tests pass their own.
  std::function<std::chrono::steady_clock::time_point()> now = std::chrono::steady_clock::now;
};

class Store {
 public:
  // `history`: how many events of every type are kept for the cluster's own controllers, which
  // follow all types at once. `window`: each type's watch window, which watches and lists of
  // that type are served from.
  explicit Store(size_t history = 10000, WatchWindowOptions window = {});
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // Assigns uid, creationTimestamp, resourceVersion, generation (1); generateName (cut so the name
  // fits 63 characters); the namespace must exist (404) and not be terminating (403) for
  // namespaced types; the metadata (and a Job's selector) validated as kube-apiserver does (422);
  // 409 AlreadyExists. Returns the stored object.
  // `dry_run`: every check, nothing stored (?dryRun=All).
  Outcome<json> create(const ResourceType& type, json object, bool dry_run = false);
  // The namespace check of create() alone, for the REST layer to answer it before the checks that
  // kube-apiserver makes after admission (a custom resource's schema). Nullopt when it passes.
  std::optional<ApiError> check_create_namespace(const ResourceType& type,
                                                 const json& object) const;
  Outcome<json> get(const ResourceType& type, const std::string& ns, const std::string& name) const;

  struct ListResult {
    std::vector<json> items;
    uint64_t resource_version = 0;
  };
  // `ns` empty: every namespace. `filter` (may be empty) keeps the objects it returns true for.
  // Opens the type's watch window.
  ListResult list(const ResourceType& type, const std::string& ns,
                  const std::function<bool(const json&)>& filter = {}) const;

  // One page of a list, read as etcd serves it: the objects of `type` in `ns` (all when empty) as
  // they were at resourceVersion `at` (0: now), in key order after `start_after`
  // ("<namespace>/<name>"), at most `limit` of them (0: all) that `filter` keeps. The cost is the
  // page's and the changes since `at`, not the collection's: documents are shared, not copied.
  // `at` older than the type's window: 410; newer than the store: 504, as kube-apiserver answers.
  struct PageRequest {
    uint64_t at = 0;
    std::string start_after;
    size_t limit = 0;
    std::function<bool(const json&)> filter;
    bool count_remaining = false;  // fill Page::remaining (the objects after the page)
  };
  struct Page {
    std::vector<std::shared_ptr<const json>> items;
    uint64_t resource_version = 0;
    bool more = false;     // objects follow the page (whether or not the filter keeps them)
    std::string last_key;  // "<namespace>/<name>" of the page's last object
    size_t remaining = 0;
  };
  Outcome<Page> list_page(const ResourceType& type, const std::string& ns,
                          const PageRequest& request) const;
  // The message of the 410 for a list at a resourceVersion older than the window.
  static constexpr const char* kListTooOldMessage =
      "The resourceVersion for the provided list is too old.";

  // Replaces an object. metadata.resourceVersion set and stale: 409 Conflict; unset: unconditional.
  // Keeps uid, creationTimestamp; validates the metadata as kube-apiserver's
  // ValidateObjectMetaUpdate does (422); bumps generation when anything but metadata and status
  // changed; an update that changes nothing keeps the resourceVersion and emits no event, as
  // kube-apiserver does. Removing the last finalizer of an object being deleted deletes it.
  Outcome<json> update(const ResourceType& type, json object, UpdatePart part);

  // Reads, changes and writes an object atomically (no 409 possible): for patches and for the job
  // runner's status writes. `change` gets the current object and returns the new one or an error.
  // It runs under the store's lock, so it must not call the Store.
  Outcome<json> mutate(const ResourceType& type, const std::string& ns, const std::string& name,
                       UpdatePart part, const std::function<Outcome<json>(json)>& change);

  // With finalizers: sets deletionTimestamp (and for Foreground, the foregroundDeletion finalizer)
  // and returns the object. Without: removes it and returns it. Preconditions: 409 Conflict.
  Outcome<json> remove(const ResourceType& type, const std::string& ns, const std::string& name,
                       const DeleteRequest& request);

  // Events of one type (all types when `type` is null) in `ns` (all when empty) after
  // `from_resource_version`. 0 means "from now". Older than the type's window (or, for all
  // types, the history): ApiError::gone(). The first subscription or list of a type opens its
  // window.
  Outcome<std::unique_ptr<Subscription>> subscribe(const ResourceType* type, const std::string& ns,
                                                   uint64_t from_resource_version);

  uint64_t current_resource_version() const;

  // Ends every open subscription (their next() returns nullopt): for the fault switch and shutdown.
  void close_subscriptions();

  // The oldest resourceVersion a watch or list of `type` may start from (opens its window).
  uint64_t oldest_resource_version(const ResourceType& type) const;

  // Forgets the event history up to now: a subscription from an older resourceVersion gets 410,
  // and open subscriptions that had not caught up end. For `/cellar-test/v1/compact`.
  void compact();

  // The objects in namespace `ns`, of every type written so far; at most `limit` of them.
  std::vector<StoredObject> objects_in_namespace(const std::string& ns,
                                                 size_t limit = SIZE_MAX) const;
  // The objects that carry an ownerReference to `owner_uid`.
  std::vector<StoredObject> dependents_of(const std::string& owner_uid) const;
  // The object with this uid, if any.
  std::optional<StoredObject> find_by_uid(const std::string& uid) const;

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace cellar::testcluster
