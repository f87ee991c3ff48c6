#include "tests/cluster/garbage_collector.h"

#include <algorithm>
#include <set>

#include "tests/cluster/builtin_types.h"
#include "tests/cluster/lifecycle_rules.h"

namespace cellar::testcluster {
namespace {

using lifecycle::being_deleted;
using lifecycle::has_finalizer;
using lifecycle::kForegroundFinalizer;
using lifecycle::kOrphanFinalizer;
using lifecycle::meta_string;
using lifecycle::owner_uids;

std::string uid_of(const json& object) {
  return meta_string(object, "uid");
}
std::string name_of(const json& object) {
  return meta_string(object, "name");
}
std::string namespace_of(const json& object) {
  return meta_string(object, "namespace");
}

json owner_references(const json& object) {
  auto meta = object.find("metadata");
  if (meta == object.end() || !meta->is_object()) return json::array();
  return meta->value("ownerReferences", json::array());
}

bool waits_for_dependents(const json& object) {
  return being_deleted(object) && has_finalizer(object, kForegroundFinalizer);
}

// A change that drops `finalizer`; the Store removes the object if that was its last one.
std::function<Outcome<json>(json)> without_finalizer(const char* finalizer) {
  return [finalizer](json current) -> Outcome<json> {
    auto finalizers = current["metadata"].find("finalizers");
    if (finalizers != current["metadata"].end() && finalizers->is_array()) {
      finalizers->erase(std::remove(finalizers->begin(), finalizers->end(), finalizer),
                        finalizers->end());
    }
    return current;
  };
}

// A change that drops the ownerReferences to `uids`.
std::function<Outcome<json>(json)> without_owners(std::set<std::string> uids) {
  return [uids = std::move(uids)](json current) -> Outcome<json> {
    if (!current["metadata"].contains("ownerReferences")) return current;
    auto& refs = current["metadata"]["ownerReferences"];
    if (!refs.is_array()) return current;
    refs.erase(std::remove_if(refs.begin(), refs.end(),
                              [&](const json& ref) { return uids.contains(ref.value("uid", "")); }),
               refs.end());
    if (refs.empty()) current["metadata"].erase("ownerReferences");
    return current;
  };
}

}  // namespace

GarbageCollector::GarbageCollector(Store& store, Registry& /*registry*/)
    : store_(store),
      namespaces_(store),
      follower_(
          store, std::nullopt, [this](const StoredEvent& event) { handle(event); },
          [this] { resync(); }) {}

GarbageCollector::~GarbageCollector() {
  stop();
}

void GarbageCollector::start() {
  namespaces_.start();
  follower_.start();
}

void GarbageCollector::stop() {
  follower_.stop();
  namespaces_.stop();
}

void GarbageCollector::handle(const StoredEvent& event) {
  const std::string uid = uid_of(event.object);
  const bool deleted = event.type == "DELETED";
  std::vector<std::string> owners = deleted ? std::vector<std::string>{} : owner_uids(event.object);
  // Owners it referenced before this event and owners it references now may both be affected.
  std::set<std::string> affected(owners.begin(), owners.end());
  if (auto seen = owners_seen_.find(uid); seen != owners_seen_.end()) {
    affected.insert(seen->second.begin(), seen->second.end());
    if (owners.empty()) owners_seen_.erase(seen);
  }
  if (!owners.empty()) owners_seen_[uid] = owners;

  if (deleted) {
    for (const auto& dependent : store_.dependents_of(uid)) collect_if_ownerless(dependent);
  } else if (!owners.empty() || being_deleted(event.object)) {
    examine(uid);
  }
  for (const auto& owner : affected) {
    if (owner != uid) examine(owner);
  }
}

void GarbageCollector::resync() {
  // Only after a gap in the events: look again at every owner being deleted and every dependent.
  for (const auto& ns : store_.list(namespaces_type(), "").items) {
    for (const auto& item : store_.objects_in_namespace(name_of(ns))) examine(uid_of(item.object));
  }
}

void GarbageCollector::examine(const std::string& uid) {
  auto found = store_.find_by_uid(uid);
  if (!found || !found->type) return;
  const json& object = found->object;
  if (being_deleted(object)) {
    if (has_finalizer(object, kOrphanFinalizer)) {
      finish_orphan(*found);
    } else if (has_finalizer(object, kForegroundFinalizer)) {
      finish_foreground(*found);
    }
    // Otherwise it is on its way out; its dependents are looked at once it is gone.
    return;
  }
  if (!owner_references(object).empty()) collect_if_ownerless(*found);
}

void GarbageCollector::finish_orphan(const StoredObject& owner) {
  const std::string uid = uid_of(owner.object);
  for (const auto& dependent : store_.dependents_of(uid)) {
    if (!dependent.type) continue;
    store_.mutate(*dependent.type, namespace_of(dependent.object), name_of(dependent.object),
                  UpdatePart::kMain, without_owners({uid}));
  }
  store_.mutate(*owner.type, namespace_of(owner.object), name_of(owner.object), UpdatePart::kMain,
                without_finalizer(kOrphanFinalizer));
}

void GarbageCollector::finish_foreground(const StoredObject& owner) {
  const std::string uid = uid_of(owner.object);
  bool blocked = false;
  for (const auto& dependent : store_.dependents_of(uid)) {
    for (const auto& ref : owner_references(dependent.object)) {
      if (ref.value("uid", "") == uid && ref.value("blockOwnerDeletion", false)) blocked = true;
    }
    collect_if_ownerless(dependent);
  }
  if (blocked) return;  // the dependents' DELETED events bring this owner back here
  store_.mutate(*owner.type, namespace_of(owner.object), name_of(owner.object), UpdatePart::kMain,
                without_finalizer(kForegroundFinalizer));
}

void GarbageCollector::collect_if_ownerless(const StoredObject& dependent) {
  const json& object = dependent.object;
  if (!dependent.type || being_deleted(object)) return;
  const std::string ns = namespace_of(object);
  std::set<std::string> dangling, waiting;
  bool solid = false;
  for (const auto& uid : owner_uids(object)) {
    auto owner = store_.find_by_uid(uid);
    // An owner in another namespace does not count: ownership never crosses namespaces.
    const bool reachable = owner && owner->type &&
                           (!owner->type->namespaced ||
                            (dependent.type->namespaced && namespace_of(owner->object) == ns));
    if (!reachable) {
      dangling.insert(uid);
    } else if (waits_for_dependents(owner->object)) {
      waiting.insert(uid);
    } else {
      solid = true;
    }
  }
  if (dangling.empty() && waiting.empty()) return;
  const std::string name = name_of(object);
  if (solid) {
    dangling.insert(waiting.begin(), waiting.end());
    store_.mutate(*dependent.type, ns, name, UpdatePart::kMain, without_owners(dangling));
    return;
  }
  DeleteRequest request;
  request.precondition_uid = uid_of(object);
  if (!waiting.empty() && !store_.dependents_of(uid_of(object)).empty()) {
    request.propagation_policy = "Foreground";  // its own dependents go first, as its owner asked
  } else if (has_finalizer(object, kOrphanFinalizer)) {
    request.propagation_policy = "Orphan";
  } else if (has_finalizer(object, kForegroundFinalizer)) {
    request.propagation_policy = "Foreground";
  } else {
    request.propagation_policy = "Background";
  }
  store_.remove(*dependent.type, ns, name, request);
}

}  // namespace cellar::testcluster
