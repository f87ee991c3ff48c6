// The parts of metav1.ObjectMeta that Cellar's reconcilers read, projected from JSON.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
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

// Drops the labels and annotations Cellar never reads, keeping its own (`cellar.dev/...`) and a
// Pod's `job-name`. For the informers' caches: a kubectl-applied object carries its whole previous
// configuration as an annotation, and every Job and Pod carries four or five labels of Kubernetes'
// own; kept, they would be most of the cache.
void keep_cellar_keys(ObjectMeta& meta);

// An informer transform: `parse` (object JSON -> a struct with `meta`), then keep_cellar_keys.
template <typename Parse>
auto cache_projection(Parse parse) {
  return [parse](const nlohmann::json& object) {
    auto value = parse(object);
    keep_cellar_keys(value.meta);
    return std::optional(std::move(value));
  };
}

}  // namespace cellar::api
