// How each node of an object merges and is owned under server-side apply: which maps are
// structs (their fields are owned one by one) or plain maps (each entry is owned), which are
// atomic, and how each list merges (`atomic`, `set`, or `map` by its keys). For custom resources
// this reads the CRD's schema (`x-kubernetes-list-type`, `x-kubernetes-list-map-keys`,
// `x-kubernetes-map-type`); for built-in kinds it follows the Go types' listType / patch merge
// key tags for the fields the test cluster's kinds have; metadata is always ObjectMeta.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace cellar::testcluster {

using json = nlohmann::json;

enum class ListType { kAtomic, kSet, kMap };

struct ListShape {
  ListType type = ListType::kAtomic;
  std::vector<std::string> keys;  // kMap only
};

class FieldShape {
 public:
  // The root of an object: `schema` is a CRD version's openAPIV3Schema, or null for a built-in.
  static FieldShape root(const json& schema);

  // A map whose entries are not owned one by one (x-kubernetes-map-type: atomic).
  bool atomic_map() const;
  // `key` is a declared field of a struct: present and non-empty, it is owned only through its
  // own fields. Otherwise it is a map entry, owned as itself.
  bool declares(const std::string& key) const;
  FieldShape child(const std::string& key) const;
  ListShape list() const;
  FieldShape item() const;

  // The path element of `item` in a list of this shape: k:{...} or v:...; "" when the item
  // lacks a key (a list of maps) or the list is atomic.
  std::string element_of(const json& item) const;

 private:
  enum class Origin { kCustom, kBuiltin, kMetadata, kDeduced };
  FieldShape(Origin origin, const json* schema, std::string field, bool root)
      : origin_(origin), schema_(schema), field_(std::move(field)), root_(root) {}

  Origin origin_;
  const json* schema_;  // kCustom only; must outlive the shape
  std::string field_;   // the field this node was reached by
  bool root_;
};

}  // namespace cellar::testcluster
