#include "tests/cluster/store.h"

#include <algorithm>
#include <set>
#include <unordered_map>

#include "tests/cluster/builtin_types.h"
#include "tests/cluster/event_history.h"
#include "tests/cluster/job_selector.h"
#include "tests/cluster/lifecycle_rules.h"
#include "tests/cluster/meta_validation.h"
#include "tests/cluster/object_meta.h"
#include "tests/cluster/watch_window.h"

namespace cellar::testcluster {
namespace {

using meta::create_causes;
using meta::field_cause;
using meta::generated_name;
using meta::key_prefix;
using meta::new_uid;
using meta::now_rfc3339;
using meta::object_key;
using meta::random_name_suffix;
using meta::update_causes;

using lifecycle::being_deleted;
using lifecycle::finalizers_after_delete;
using lifecycle::is_namespaces;
using lifecycle::meta_string;
using lifecycle::nothing_holds;
using lifecycle::owner_uids;
using lifecycle::reset_status_on_create;
using lifecycle::spec_changed;
using lifecycle::storage_key;

constexpr int kGenerateNameAttempts = 8;

bool is_jobs(const ResourceType& type) {
  return type.group == "batch" && type.plural == "jobs";
}

// What the type's registry strategy adds to the metadata rules on a write.
void append_strategy_causes(const ResourceType& type, const json& object, bool on_create,
                            json& causes) {
  if (!is_jobs(type)) return;
  for (auto& cause : job_selector_causes(object, on_create)) causes.push_back(std::move(cause));
}

// A document of the wrong shape (a number where a name belongs) is the writer's mistake: it is
// answered 400, as kube-apiserver answers what it cannot decode, and never escapes as an
// exception.
template <typename Write>
Outcome<json> guarded(Write write) {
  try {
    return write();
  } catch (const json::exception& e) {
    return ApiError::bad_request(std::string("the object could not be read: ") + e.what());
  }
}

// "<group>/<plural>/" of a key "<group>/<plural>/<namespace>/<name>".
std::string type_prefix_of(const std::string& key) {
  const auto first = key.find('/');
  return key.substr(0, key.find('/', first + 1) + 1);
}

// The first key past every key that starts with `prefix` (which ends in '/').
std::string end_of_range(std::string prefix) {
  prefix.back() = static_cast<char>('/' + 1);
  return prefix;
}

}  // namespace

struct Store::Impl {
  Impl(size_t history_size, WatchWindowOptions window)
      : history(history_size), window_options(std::move(window)) {}

  mutable std::mutex mu;
  uint64_t resource_version = 0;
  // Sorted by key, so the objects of one type in one namespace are one range.
  std::map<std::string, std::shared_ptr<const json>> objects;
  std::unordered_map<std::string, std::string> key_by_uid;
  std::unordered_map<std::string, std::set<std::string>> dependents;  // owner uid → keys
  // "<group>/<plural>/" → the type last written under it.
  std::map<std::string, std::shared_ptr<const ResourceType>> types;
  // Appended to under `mu`, so events are in resourceVersion order; read under its own lock.
  EventHistory history;
  // "<group>/<plural>/" → that type's watch window, opened when the type is first served.
  const WatchWindowOptions window_options;
  std::map<std::string, std::unique_ptr<WatchWindow>> windows;

  WatchWindow& window(const std::string& type_prefix) {
    auto& slot = windows[type_prefix];
    if (!slot) slot = std::make_unique<WatchWindow>(window_options, resource_version);
    return *slot;
  }

  void remember_type(const ResourceType& type) {
    auto& slot = types[key_prefix(type, "")];
    if (!slot || slot->kind != type.kind || slot->version != type.version ||
        slot->namespaced != type.namespaced ||
        slot->status_subresource != type.status_subresource) {
      slot = std::make_shared<const ResourceType>(type);
    }
  }

  std::shared_ptr<const ResourceType> type_of_key(const std::string& key) const {
    auto first = key.find('/');
    auto second = key.find('/', first + 1);
    auto it = types.find(key.substr(0, second + 1));
    return it == types.end() ? nullptr : it->second;
  }

  void reindex(const std::string& key, const json* before, const json* after) {
    if (before) {
      key_by_uid.erase(meta_string(*before, "uid"));
      for (const auto& uid : owner_uids(*before)) {
        auto it = dependents.find(uid);
        if (it == dependents.end()) continue;
        it->second.erase(key);
        if (it->second.empty()) dependents.erase(it);
      }
    }
    if (after) {
      key_by_uid[meta_string(*after, "uid")] = key;
      for (const auto& uid : owner_uids(*after)) dependents[uid].insert(key);
    }
  }

  // Every resourceVersion must have its event: the counter moves only once nothing can fail.
  std::shared_ptr<const json> put(const std::string& key, json object, const char* event) {
    // Opened before the counter moves: a first write is inside its type's window.
    WatchWindow& type_window = window(type_prefix_of(key));
    object["metadata"]["resourceVersion"] = std::to_string(resource_version + 1);
    ++resource_version;
    auto stored = std::make_shared<const json>(std::move(object));
    auto& slot = objects[key];
    reindex(key, slot.get(), stored.get());
    std::shared_ptr<const json> before = std::exchange(slot, stored);
    type_window.append(event, stored, std::move(before), resource_version, key);
    history.append(event, stored, resource_version, key);
    return stored;
  }

  std::shared_ptr<const json> erase(const std::string& key, json last) {
    auto it = objects.find(key);
    WatchWindow& type_window = window(type_prefix_of(key));
    last["metadata"]["resourceVersion"] = std::to_string(resource_version + 1);
    ++resource_version;
    auto stored = std::make_shared<const json>(std::move(last));
    reindex(key, it->second.get(), nullptr);
    type_window.append("DELETED", stored, it->second, resource_version, key);
    objects.erase(it);
    history.append("DELETED", stored, resource_version, key);
    return stored;
  }

  // Writes `next` as the new state of the object at `key`: deletes it instead when nothing holds
  // it any more, and writes nothing when nothing changed.
  json commit(const std::string& key, const json& current, json next) {
    if (nothing_holds(next)) return *erase(key, std::move(next));
    if (next == current) return current;
    return *put(key, std::move(next), "MODIFIED");
  }

  // The NamespaceLifecycle admission plugin's answer to a create in `ns`: 404 when it does not
  // exist, 403 (with a NamespaceTerminating cause) while it is being deleted.
  std::optional<ApiError> check_namespace(const ResourceType& type, const std::string& ns,
                                          const std::string& name) const {
    ResourceType ns_type = namespaces_type();
    auto it = objects.find(object_key(ns_type, "", ns));
    if (it == objects.end()) return ApiError::not_found(ns_type, ns);
    if (being_deleted(*it->second)) {
      ApiError error = ApiError::forbidden(
          type, name,
          "unable to create new content in namespace " + ns + " because it is being terminated");
      error.details["causes"] =
          json::array({field_cause("NamespaceTerminating", "metadata.namespace",
                                   "namespace " + ns + " is being terminated")});
      return error;
    }
    return std::nullopt;
  }

  Outcome<json> create(const ResourceType& type, json object, bool dry_run);
  Outcome<json> replace(const ResourceType& type, json incoming, UpdatePart part,
                        bool check_version);
  Outcome<json> remove(const ResourceType& type, const std::string& ns, const std::string& name,
                       const DeleteRequest& request);
};

Outcome<json> Store::Impl::create(const ResourceType& type, json object, bool dry_run) {
  if (!object.is_object())
    return ApiError::bad_request("the object to create is not a JSON object");
  if (!object.contains("metadata")) object["metadata"] = json::object();
  json& meta = object["metadata"];
  if (!meta.is_object()) return ApiError::bad_request("metadata must be an object");
  std::string ns = type.namespaced ? meta.value("namespace", "") : "";
  if (type.namespaced && ns.empty()) {
    return ApiError::bad_request("the namespace of the object must be set");
  }
  if (!type.namespaced) meta.erase("namespace");

  std::string name = meta.value("name", "");
  const std::string generate_name = meta.value("generateName", "");
  // Admission (the namespace's lifecycle) comes before naming and validation, as in
  // kube-apiserver, so it calls a nameless object by its generateName.
  if (type.namespaced) {
    const std::string called = !name.empty()            ? name
                               : !generate_name.empty() ? generate_name
                                                        : "Unknown";
    if (auto error = check_namespace(type, ns, called)) return *error;
  }
  if (name.empty() && !generate_name.empty()) {
    for (int i = 0; i < kGenerateNameAttempts; ++i) {
      name = generated_name(generate_name, random_name_suffix());
      if (!objects.contains(object_key(type, ns, name))) break;
    }
    meta["name"] = name;
  }

  object["apiVersion"] = object.value("apiVersion", type.api_version());
  object["kind"] = object.value("kind", type.kind);
  meta["uid"] = new_uid();
  meta["creationTimestamp"] = now_rfc3339();
  meta["generation"] = 1;
  meta.erase("deletionTimestamp");
  meta.erase("deletionGracePeriodSeconds");
  if (is_jobs(type)) generate_job_selector(object);
  json causes = create_causes(type, object["metadata"]);
  append_strategy_causes(type, object, true, causes);
  if (!causes.empty()) return ApiError::invalid(type, name, causes);
  const std::string key = object_key(type, ns, name);
  if (objects.contains(key)) return ApiError::already_exists(type, name);

  reset_status_on_create(type, object);
  if (dry_run) return object;
  remember_type(type);
  return *put(key, std::move(object), "ADDED");
}

Outcome<json> Store::Impl::replace(const ResourceType& type, json incoming, UpdatePart part,
                                   bool check_version) {
  if (!incoming.is_object() || !incoming["metadata"].is_object()) {
    return ApiError::bad_request("the object to update is not a JSON object with metadata");
  }
  const std::string name = meta_string(incoming, "name");
  const std::string ns = type.namespaced ? meta_string(incoming, "namespace") : "";
  const std::string key = object_key(type, ns, name);
  auto it = objects.find(key);
  if (it == objects.end()) return ApiError::not_found(type, name);
  const json& current = *it->second;

  const std::string wanted_version = meta_string(incoming, "resourceVersion");
  if (check_version && !wanted_version.empty() &&
      wanted_version != meta_string(current, "resourceVersion")) {
    return ApiError::conflict(type, name,
                              "the object has been modified; please apply your changes to the "
                              "latest version and try again");
  }
  const std::string wanted_uid = meta_string(incoming, "uid");
  if (!wanted_uid.empty() && wanted_uid != meta_string(current, "uid")) {
    return ApiError::conflict(type, name,
                              "Precondition failed: UID in precondition: " + wanted_uid +
                                  ", UID in object meta: " + meta_string(current, "uid"));
  }

  if (part == UpdatePart::kMain && !type.status_subresource) part = UpdatePart::kAll;
  json next;
  if (part == UpdatePart::kStatus) {
    next = current;
    next.erase("status");
    if (incoming.contains("status")) next["status"] = incoming["status"];
  } else {
    next = std::move(incoming);
    if (part == UpdatePart::kMain) {
      next.erase("status");
      if (current.contains("status")) next["status"] = current["status"];
    }
    // Bookkeeping belongs to the server, as kube-apiserver's BeforeUpdate keeps it: the request
    // addresses the object, and what the writer may not change it either restores or refuses.
    json& meta = next["metadata"];
    const json& old_meta = current["metadata"];
    for (const char* field :
         {"name", "namespace", "creationTimestamp", "generation", "resourceVersion"}) {
      meta.erase(field);
      if (old_meta.contains(field)) meta[field] = old_meta[field];
    }
    if (meta_string(next, "uid").empty()) meta["uid"] = old_meta["uid"];
    if (old_meta.contains("deletionTimestamp"))
      meta["deletionTimestamp"] = old_meta["deletionTimestamp"];
    if (old_meta.contains("deletionGracePeriodSeconds") &&
        !meta.contains("deletionGracePeriodSeconds")) {
      meta["deletionGracePeriodSeconds"] = old_meta["deletionGracePeriodSeconds"];
    }
    // A namespace's own finalizers change only through its controller (an in-process kAll write).
    if (is_namespaces(type) && part != UpdatePart::kAll) {
      next["spec"]["finalizers"] =
          current.value("spec", json::object()).value("finalizers", json::array());
    }
    json causes = update_causes(type, meta, old_meta);
    append_strategy_causes(type, next, false, causes);
    if (!causes.empty()) return ApiError::invalid(type, name, causes);
  }

  if (spec_changed(current, next)) {
    next["metadata"]["generation"] = current["metadata"].value("generation", 0) + 1;
  }
  remember_type(type);
  return commit(key, current, std::move(next));
}

Outcome<json> Store::Impl::remove(const ResourceType& type, const std::string& ns,
                                  const std::string& name, const DeleteRequest& request) {
  const std::string key = object_key(type, ns, name);
  auto it = objects.find(key);
  if (it == objects.end()) return ApiError::not_found(type, name);
  const json& current = *it->second;

  auto precondition_failed = [&](const std::string& what) {
    return ApiError::conflict(
        type, name,
        "StorageError: invalid object, Code: 4, Key: " + storage_key(type, ns, name) +
            ", ResourceVersion: 0, AdditionalErrorMsg: Precondition failed: " + what);
  };
  if (!request.precondition_uid.empty() &&
      request.precondition_uid != meta_string(current, "uid")) {
    return precondition_failed("UID in precondition: " + request.precondition_uid +
                               ", UID in object meta: " + meta_string(current, "uid"));
  }
  if (!request.precondition_resource_version.empty() &&
      request.precondition_resource_version != meta_string(current, "resourceVersion")) {
    return precondition_failed(
        "ResourceVersion in precondition: " + request.precondition_resource_version +
        ", ResourceVersion in object meta: " + meta_string(current, "resourceVersion"));
  }

  json next = current;
  json& meta = next["metadata"];
  if (is_namespaces(type)) {
    if (name == "default" || name == "kube-system" || name == "kube-public") {
      return ApiError::forbidden(type, name, "this namespace may not be deleted");
    }
    if (being_deleted(current)) return current;
    meta["deletionTimestamp"] = now_rfc3339();
    next["status"]["phase"] = "Terminating";
    return commit(key, current, std::move(next));
  }

  json finalizers = finalizers_after_delete(type, current, request.propagation_policy);
  meta.erase("finalizers");
  if (!finalizers.empty()) meta["finalizers"] = finalizers;

  if (!being_deleted(current)) {
    meta["deletionTimestamp"] = now_rfc3339();
    meta["deletionGracePeriodSeconds"] = 0;
    if (meta.value("generation", 0) > 0) meta["generation"] = meta["generation"].get<int64_t>() + 1;
  }
  if (finalizers.empty()) return *erase(key, std::move(next));
  return commit(key, current, std::move(next));
}

Store::Store(size_t history, WatchWindowOptions window)
    : impl_(std::make_shared<Impl>(history, std::move(window))) {
  const ResourceType ns_type = namespaces_type();
  for (const char* name : {"default", "kube-system", "kube-public"}) {
    create(ns_type, {{"apiVersion", "v1"}, {"kind", "Namespace"}, {"metadata", {{"name", name}}}});
  }
}

Outcome<json> Store::create(const ResourceType& type, json object, bool dry_run) {
  std::lock_guard lock(impl_->mu);
  return guarded([&] { return impl_->create(type, std::move(object), dry_run); });
}

std::optional<ApiError> Store::check_create_namespace(const ResourceType& type,
                                                      const json& object) const {
  if (!type.namespaced || !object.is_object()) return std::nullopt;
  const std::string ns = meta_string(object, "namespace");
  std::string name = meta_string(object, "name");
  if (name.empty()) name = meta_string(object, "generateName");
  if (name.empty()) name = "Unknown";
  std::lock_guard lock(impl_->mu);
  return impl_->check_namespace(type, ns, name);
}

Outcome<json> Store::get(const ResourceType& type, const std::string& ns,
                         const std::string& name) const {
  std::shared_ptr<const json> found;
  {
    std::lock_guard lock(impl_->mu);
    auto it = impl_->objects.find(object_key(type, ns, name));
    if (it == impl_->objects.end()) return ApiError::not_found(type, name);
    found = it->second;
  }
  return json(*found);
}

Store::ListResult Store::list(const ResourceType& type, const std::string& ns,
                              const std::function<bool(const json&)>& filter) const {
  std::vector<std::shared_ptr<const json>> found;
  ListResult result;
  {
    std::lock_guard lock(impl_->mu);
    // Serving a type opens its window, so a watch that lists first and subscribes from the
    // list's version always finds that version in the window.
    impl_->window(key_prefix(type, ""));
    const std::string prefix = key_prefix(type, ns);
    for (auto it = impl_->objects.lower_bound(prefix);
         it != impl_->objects.end() && it->first.compare(0, prefix.size(), prefix) == 0; ++it) {
      found.push_back(it->second);
    }
    result.resource_version = impl_->resource_version;
  }
  // Stored documents are immutable once written, so they are filtered and copied unlocked.
  for (const auto& object : found) {
    if (!filter || filter(*object)) result.items.push_back(*object);
  }
  return result;
}

Outcome<json> Store::update(const ResourceType& type, json object, UpdatePart part) {
  std::lock_guard lock(impl_->mu);
  return guarded([&] { return impl_->replace(type, std::move(object), part, true); });
}

Outcome<json> Store::mutate(const ResourceType& type, const std::string& ns,
                            const std::string& name, UpdatePart part,
                            const std::function<Outcome<json>(json)>& change) {
  std::lock_guard lock(impl_->mu);
  return guarded([&]() -> Outcome<json> {
    auto it = impl_->objects.find(object_key(type, ns, name));
    if (it == impl_->objects.end()) return ApiError::not_found(type, name);
    Outcome<json> changed = change(*it->second);
    if (!changed.ok()) return changed;
    json& next = changed.value();
    if (!next.is_object()) return ApiError::bad_request("the changed object is not a JSON object");
    // The object is addressed by the request, not by what the change left in its metadata.
    next["metadata"]["name"] = name;
    if (type.namespaced) next["metadata"]["namespace"] = ns;
    return impl_->replace(type, std::move(next), part, false);
  });
}

Outcome<json> Store::remove(const ResourceType& type, const std::string& ns,
                            const std::string& name, const DeleteRequest& request) {
  std::lock_guard lock(impl_->mu);
  return guarded([&] { return impl_->remove(type, ns, name, request); });
}

Outcome<std::unique_ptr<Subscription>> Store::subscribe(const ResourceType* type,
                                                        const std::string& ns,
                                                        uint64_t from_resource_version) {
  if (!type) return impl_->history.subscribe("", ns, from_resource_version);
  // A cluster-scoped type has no namespace to filter on.
  const std::string ns_filter = type->namespaced ? ns : "";
  std::lock_guard lock(impl_->mu);
  return impl_->window(key_prefix(*type, ""))
      .subscribe(ns_filter, from_resource_version, impl_->resource_version);
}

uint64_t Store::oldest_resource_version(const ResourceType& type) const {
  std::lock_guard lock(impl_->mu);
  return impl_->window(key_prefix(type, "")).oldest();
}

Outcome<Store::Page> Store::list_page(const ResourceType& type, const std::string& ns,
                                      const PageRequest& request) const {
  const std::string type_prefix = key_prefix(type, "");
  const std::string prefix = key_prefix(type, ns);
  const std::string end = end_of_range(prefix);
  // Keys never hold a NUL, so this is the first key after `start_after`.
  std::string first = type_prefix + request.start_after + std::string(1, '\0');
  if (request.start_after.empty() || first < prefix) first = prefix;

  Page page;
  std::lock_guard lock(impl_->mu);
  const uint64_t now = impl_->resource_version;
  const uint64_t at = request.at == 0 ? now : request.at;
  if (at > now) {
    ApiError error;
    error.code = 504;
    error.reason = "Timeout";
    error.message =
        "Too large resource version: " + std::to_string(at) + ", current: " + std::to_string(now);
    error.details = {{"causes", json::array({{{"reason", "ResourceVersionTooLarge"},
                                              {"message", "Too large resource version"}}})},
                     {"retryAfterSeconds", 1}};
    error.retry_after_seconds = 1;
    return error;
  }
  // The state at `at`: the current objects, but for those written since, as they were then.
  std::map<std::string, std::shared_ptr<const json>> then;
  if (at < now) {
    WatchWindow& type_window = impl_->window(type_prefix);
    if (at < type_window.oldest()) return ApiError::gone(kListTooOldMessage);
    then = type_window.states_at(at, first, end);
  }
  page.resource_version = at;
  auto current = impl_->objects.lower_bound(first);
  const auto current_end = impl_->objects.lower_bound(end);
  auto changed = then.begin();
  while (current != current_end || changed != then.end()) {
    const std::string* key = nullptr;
    const json* state = nullptr;
    std::shared_ptr<const json> shared;
    if (changed != then.end() && (current == current_end || changed->first <= current->first)) {
      if (current != current_end && current->first == changed->first) ++current;
      key = &changed->first;
      shared = changed->second;
      ++changed;
    } else {
      key = &current->first;
      shared = current->second;
      ++current;
    }
    state = shared.get();
    if (state == nullptr) continue;  // created after `at`, or deleted before it
    if (page.more) {
      ++page.remaining;
      continue;
    }
    if (request.limit > 0 && page.items.size() == request.limit) {
      page.more = true;
      if (!request.count_remaining) break;
      ++page.remaining;
      continue;
    }
    if (request.filter && !request.filter(*state)) continue;
    page.items.push_back(std::move(shared));
    page.last_key = key->substr(type_prefix.size());
  }
  return page;
}

uint64_t Store::current_resource_version() const {
  std::lock_guard lock(impl_->mu);
  return impl_->resource_version;
}

void Store::close_subscriptions() {
  impl_->history.close_subscriptions();
  std::lock_guard lock(impl_->mu);
  for (auto& [prefix, window] : impl_->windows) window->close_subscriptions();
}

void Store::compact() {
  // Under the store's lock, so no write slips between "now" and the forgetting.
  std::lock_guard lock(impl_->mu);
  impl_->history.compact();
  for (auto& [prefix, window] : impl_->windows) window->compact(impl_->resource_version);
}

std::vector<StoredObject> Store::objects_in_namespace(const std::string& ns, size_t limit) const {
  std::vector<StoredObject> found;
  std::lock_guard lock(impl_->mu);
  for (const auto& [prefix, type] : impl_->types) {
    if (!type->namespaced) continue;
    const std::string range = prefix + ns + "/";
    for (auto it = impl_->objects.lower_bound(range);
         it != impl_->objects.end() && it->first.compare(0, range.size(), range) == 0; ++it) {
      if (found.size() >= limit) return found;
      found.push_back({type, *it->second});
    }
  }
  return found;
}

std::vector<StoredObject> Store::dependents_of(const std::string& owner_uid) const {
  std::vector<StoredObject> found;
  std::lock_guard lock(impl_->mu);
  auto it = impl_->dependents.find(owner_uid);
  if (it == impl_->dependents.end()) return found;
  for (const auto& key : it->second) {
    found.push_back({impl_->type_of_key(key), *impl_->objects.at(key)});
  }
  return found;
}

std::optional<StoredObject> Store::find_by_uid(const std::string& uid) const {
  std::lock_guard lock(impl_->mu);
  auto it = impl_->key_by_uid.find(uid);
  if (it == impl_->key_by_uid.end()) return std::nullopt;
  return StoredObject{impl_->type_of_key(it->second), *impl_->objects.at(it->second)};
}

}  // namespace cellar::testcluster
