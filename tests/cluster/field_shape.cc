#include "tests/cluster/field_shape.h"

#include <set>

#include "tests/cluster/field_set.h"
#include "tests/cluster/schema.h"

namespace cellar::testcluster {
namespace {

// Built-in fields that are Go maps (map[string]...): their entries are owned one by one.
bool builtin_map(const std::string& field) {
  static const std::set<std::string> maps = {
      "labels",       "annotations", "data",   "stringData", "binaryData",
      "nodeSelector", "matchLabels", "limits", "requests",   "capacity",
      "allocatable",  "hard",        "used"};
  return maps.contains(field);
}

// Built-in lists that are not atomic, from the Go types' listType/listMapKeys and patch merge
// keys (kube-apiserver's OpenAPI turns the latter into list-type map).
ListShape builtin_list(const std::string& field) {
  static const std::pair<const char*, std::vector<std::string>> kMaps[] = {
      {"containers", {"name"}},
      {"initContainers", {"name"}},
      {"ephemeralContainers", {"name"}},
      {"volumes", {"name"}},
      {"env", {"name"}},
      {"ports", {"containerPort", "protocol"}},
      {"volumeMounts", {"mountPath"}},
      {"volumeDevices", {"devicePath"}},
      {"conditions", {"type"}},
      {"imagePullSecrets", {"name"}},
      {"hostAliases", {"ip"}},
      {"topologySpreadConstraints", {"topologyKey", "whenUnsatisfiable"}},
      {"resourceClaims", {"name"}},
      {"containerStatuses", {"name"}},
      {"initContainerStatuses", {"name"}},
      {"secrets", {"name"}},
  };
  for (const auto& [name, keys] : kMaps) {
    if (field == name) return {ListType::kMap, keys};
  }
  if (field == "finalizers") return {ListType::kSet, {}};
  return {};
}

const json* find_object(const json* schema, const char* key) {
  if (schema == nullptr || !schema->is_object()) return nullptr;
  auto it = schema->find(key);
  return it != schema->end() && it->is_object() ? &*it : nullptr;
}

}  // namespace

FieldShape FieldShape::root(const json& schema) {
  if (schema.is_object()) return FieldShape(Origin::kCustom, &schema, "", true);
  return FieldShape(Origin::kBuiltin, nullptr, "", true);
}

bool FieldShape::atomic_map() const {
  switch (origin_) {
    case Origin::kCustom:
      return schema_->value("x-kubernetes-map-type", "") == "atomic";
    case Origin::kBuiltin:
      // LabelSelector is `structType=atomic`; a Service's selector is `mapType=atomic`.
      return field_ == "selector";
    default:
      return false;
  }
}

bool FieldShape::declares(const std::string& key) const {
  if (root_) return true;
  switch (origin_) {
    case Origin::kCustom: {
      const json* properties = find_object(schema_, "properties");
      return properties != nullptr && properties->contains(key);
    }
    case Origin::kBuiltin:
      return !builtin_map(field_);
    case Origin::kMetadata:
      return field_.empty() ? object_meta_fields().contains(key) : field_ == "ownerReferences";
    case Origin::kDeduced:
      return false;
  }
  return false;
}

FieldShape FieldShape::child(const std::string& key) const {
  if (root_ && key == "metadata") return FieldShape(Origin::kMetadata, nullptr, "", false);
  switch (origin_) {
    case Origin::kCustom: {
      if (const json* properties = find_object(schema_, "properties")) {
        if (const json* field = find_object(properties, key.c_str())) {
          return FieldShape(Origin::kCustom, field, key, false);
        }
      }
      if (const json* additional = find_object(schema_, "additionalProperties")) {
        return FieldShape(Origin::kCustom, additional, key, false);
      }
      return FieldShape(Origin::kDeduced, nullptr, key, false);
    }
    case Origin::kBuiltin:
      return FieldShape(Origin::kBuiltin, nullptr, key, false);
    case Origin::kMetadata:
      // Below labels/annotations only strings; below an ownerReference its fields.
      return FieldShape(Origin::kMetadata, nullptr, field_.empty() ? key : field_, false);
    case Origin::kDeduced:
      return FieldShape(Origin::kDeduced, nullptr, key, false);
  }
  return *this;
}

ListShape FieldShape::list() const {
  switch (origin_) {
    case Origin::kCustom: {
      const std::string type = schema_->value("x-kubernetes-list-type", "atomic");
      if (type == "set") return {ListType::kSet, {}};
      if (type == "map") {
        ListShape shape{ListType::kMap, {}};
        const json keys = schema_->value("x-kubernetes-list-map-keys", json::array());
        for (const auto& key : keys) {
          if (key.is_string()) shape.keys.push_back(key.get<std::string>());
        }
        if (shape.keys.empty()) return {};
        return shape;
      }
      return {};
    }
    case Origin::kBuiltin:
      return builtin_list(field_);
    case Origin::kMetadata:
      if (field_ == "ownerReferences") return {ListType::kMap, {"uid"}};
      if (field_ == "finalizers") return {ListType::kSet, {}};
      return {};
    case Origin::kDeduced:
      return {};
  }
  return {};
}

FieldShape FieldShape::item() const {
  switch (origin_) {
    case Origin::kCustom: {
      if (const json* items = find_object(schema_, "items")) {
        return FieldShape(Origin::kCustom, items, "", false);
      }
      return FieldShape(Origin::kDeduced, nullptr, "", false);
    }
    case Origin::kMetadata:
      return FieldShape(Origin::kMetadata, nullptr, field_, false);
    default:
      return FieldShape(origin_, nullptr, "", false);
  }
}

std::string FieldShape::element_of(const json& item) const {
  const ListShape shape = list();
  if (shape.type == ListType::kSet) return value_element(item);
  if (shape.type != ListType::kMap || !item.is_object()) return "";
  json keys = json::object();
  // A Service's ports are keyed by port and protocol, a container's by containerPort and
  // protocol: the field name is shared, so the item tells them apart.
  std::vector<std::string> key_names = shape.keys;
  if (origin_ == Origin::kBuiltin && field_ == "ports" && item.contains("port") &&
      !item.contains("containerPort")) {
    key_names = {"port", "protocol"};
  }
  for (const auto& key : key_names) {
    auto it = item.find(key);
    if (it != item.end()) {
      keys[key] = *it;
    } else if (origin_ == Origin::kBuiltin && key == "protocol") {
      keys[key] = "TCP";  // the defaulted key of a container port
    } else if (origin_ != Origin::kBuiltin || shape.keys.size() == 1) {
      return "";
    }
  }
  return key_element(keys);
}

}  // namespace cellar::testcluster
