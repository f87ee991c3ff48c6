// What kube-apiserver's registry strategies do to an object as it is created, changed and
// deleted: per-type defaults on create, what counts for metadata.generation, which finalizers a
// DELETE's propagation policy leaves, and when an object being deleted may finally go. Pure
// functions over the JSON document, so the Store and the in-process controllers agree. They live
// in their own namespace because their short names are ones other parts of the cluster use too.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/cluster/resource_type.h"

namespace cellar::testcluster::lifecycle {

inline constexpr char kOrphanFinalizer[] = "orphan";
inline constexpr char kForegroundFinalizer[] = "foregroundDeletion";

// metadata.<field> when it is a string, else "".
std::string meta_string(const nlohmann::json& object, const char* field);
std::vector<std::string> finalizers_of(const nlohmann::json& object);
bool has_finalizer(const nlohmann::json& object, const std::string& finalizer);
// The uids of metadata.ownerReferences, in order.
std::vector<std::string> owner_uids(const nlohmann::json& object);
bool being_deleted(const nlohmann::json& object);

// An object being deleted goes once nothing holds it: no finalizer and, for a namespace, no
// `spec.finalizers` (its controller's hold).
bool nothing_holds(const nlohmann::json& object);

// Whether anything but metadata and status differs: what metadata.generation counts.
bool spec_changed(const nlohmann::json& before, const nlohmann::json& after);

// What create does to .status (and a namespace's spec.finalizers) for types with a status
// subresource: a client cannot create an object with a status of its choosing.
void reset_status_on_create(const ResourceType& type, nlohmann::json& object);

// metadata.finalizers after a DELETE with `requested_policy` ("" for none): the garbage
// collector's finalizers follow the policy, others stay. With no policy, batch/v1 Jobs orphan
// their Pods, for compatibility, as kube-apiserver does; everything else goes in the background.
nlohmann::json finalizers_after_delete(const ResourceType& type, const nlohmann::json& object,
                                       const std::string& requested_policy);

// Where kube-apiserver keeps an object in etcd; its delete-precondition failures quote it.
std::string storage_key(const ResourceType& type, const std::string& ns, const std::string& name);

bool is_namespaces(const ResourceType& type);

}  // namespace cellar::testcluster::lifecycle
