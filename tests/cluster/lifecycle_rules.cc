#include "tests/cluster/lifecycle_rules.h"

#include <algorithm>

namespace cellar::testcluster::lifecycle {
namespace {

using json = nlohmann::json;

const json& metadata(const json& object) {
  static const json kEmpty = json::object();
  if (!object.is_object()) return kEmpty;
  auto it = object.find("metadata");
  return it != object.end() && it->is_object() ? *it : kEmpty;
}

bool is(const ResourceType& type, const char* group, const char* plural) {
  return type.group == group && type.plural == plural;
}

bool counted_by_generation(const std::string& field) {
  return field != "metadata" && field != "status";
}

}  // namespace

std::string meta_string(const json& object, const char* field) {
  const json& meta = metadata(object);
  auto it = meta.find(field);
  return it != meta.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::vector<std::string> finalizers_of(const json& object) {
  std::vector<std::string> values;
  const json& meta = metadata(object);
  auto it = meta.find("finalizers");
  if (it == meta.end() || !it->is_array()) return values;
  for (const auto& v : *it) {
    if (v.is_string()) values.push_back(v.get<std::string>());
  }
  return values;
}

bool has_finalizer(const json& object, const std::string& finalizer) {
  auto finalizers = finalizers_of(object);
  return std::find(finalizers.begin(), finalizers.end(), finalizer) != finalizers.end();
}

std::vector<std::string> owner_uids(const json& object) {
  std::vector<std::string> uids;
  const json& meta = metadata(object);
  auto refs = meta.find("ownerReferences");
  if (refs == meta.end() || !refs->is_array()) return uids;
  for (const auto& ref : *refs) {
    if (ref.is_object() && ref.contains("uid") && ref["uid"].is_string()) {
      uids.push_back(ref["uid"].get<std::string>());
    }
  }
  return uids;
}

bool being_deleted(const json& object) {
  return metadata(object).contains("deletionTimestamp");
}

bool nothing_holds(const json& object) {
  if (!being_deleted(object) || !finalizers_of(object).empty()) return false;
  auto spec = object.find("spec");
  if (spec != object.end() && spec->is_object()) {
    auto f = spec->find("finalizers");
    if (f != spec->end() && f->is_array() && !f->empty()) return false;
  }
  return true;
}

bool spec_changed(const json& before, const json& after) {
  if (!before.is_object() || !after.is_object()) return before != after;
  // Field by field, so no copy of either document is made on every write.
  for (const auto& [field, value] : before.items()) {
    if (!counted_by_generation(field)) continue;
    auto other = after.find(field);
    if (other == after.end() || *other != value) return true;
  }
  for (const auto& [field, value] : after.items()) {
    if (counted_by_generation(field) && !before.contains(field)) return true;
  }
  return false;
}

void reset_status_on_create(const ResourceType& type, json& object) {
  if (!type.status_subresource) return;
  object.erase("status");
  if (is_namespaces(type)) {
    object["status"] = {{"phase", "Active"}};
    object["spec"]["finalizers"] = json::array({"kubernetes"});
  } else if (is(type, "", "pods") || is(type, "", "persistentvolumeclaims")) {
    object["status"] = {{"phase", "Pending"}};
  } else if (is(type, "batch", "jobs") || is(type, "apps", "deployments")) {
    object["status"] = json::object();
  } else if (is(type, "", "services")) {
    object["status"] = {{"loadBalancer", json::object()}};
  } else if (is(type, "apiextensions.k8s.io", "customresourcedefinitions")) {
    json stored = json::array();
    for (const auto& v : object.value("spec", json::object()).value("versions", json::array())) {
      if (v.value("storage", false)) stored.push_back(v.value("name", ""));
    }
    object["status"] = {{"acceptedNames", {{"plural", ""}, {"kind", ""}}},
                        {"storedVersions", stored}};
  }
}

json finalizers_after_delete(const ResourceType& type, const json& object,
                             const std::string& requested_policy) {
  std::string policy = requested_policy;
  if (policy.empty()) {
    // A policy asked for by an earlier DELETE stays until a new one is given.
    if (has_finalizer(object, kOrphanFinalizer)) {
      policy = "Orphan";
    } else if (has_finalizer(object, kForegroundFinalizer)) {
      policy = "Foreground";
    } else if (is(type, "batch", "jobs") && type.version == "v1") {
      policy = "Orphan";
    }
  }
  json finalizers = json::array();
  for (const auto& f : finalizers_of(object)) {
    if (f != kOrphanFinalizer && f != kForegroundFinalizer) finalizers.push_back(f);
  }
  if (policy == "Orphan") finalizers.push_back(kOrphanFinalizer);
  if (policy == "Foreground") finalizers.push_back(kForegroundFinalizer);
  return finalizers;
}

std::string storage_key(const ResourceType& type, const std::string& ns, const std::string& name) {
  // Built-in resources are kept under their resource name alone; custom ones (and CRDs) under
  // their group too.
  std::string key = "/registry/";
  if (!type.schema.is_null() || type.group == "apiextensions.k8s.io") key += type.group + "/";
  key += type.plural + "/";
  if (type.namespaced) key += ns + "/";
  return key + name;
}

bool is_namespaces(const ResourceType& type) {
  return is(type, "", "namespaces");
}

}  // namespace cellar::testcluster::lifecycle
