// The parts of metav1.ObjectMeta that Cellar's reconcilers read, projected from JSON.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace cellar::api {

struct OwnerReference {
  std::string api_version;
  std::string kind;
  std::string name;
  std::string uid;
  bool controller = false;
};

struct ObjectMeta {
  std::string ns;
  std::string name;
  std::string uid;
  std::string resource_version;
  int64_t generation = 0;
  std::string creation_timestamp;  // RFC 3339, as the server wrote it
  bool being_deleted = false;      // metadata.deletionTimestamp is set
  std::vector<std::string> finalizers;
  std::map<std::string, std::string> labels;
  std::map<std::string, std::string> annotations;
  std::vector<OwnerReference> owner_references;

  // "namespace/name": the work queue's key.
  std::string key() const { return ns.empty() ? name : ns + "/" + name; }
  bool has_finalizer(const std::string& f) const;
  // The ownerReference with controller: true, or nullptr.
  const OwnerReference* controller_ref() const;
};

ObjectMeta parse_object_meta(const nlohmann::json& object);

}  // namespace cellar::api
