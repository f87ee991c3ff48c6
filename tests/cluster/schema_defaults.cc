// Pruning and defaulting: the two steps that change the object before it is validated.
#include <set>

#include "tests/cluster/schema.h"
#include "tests/cluster/schema_steps.h"

namespace cellar::testcluster::schema_steps {

std::string child_path(const std::string& path, const std::string& key) {
  return path.empty() ? key : path + "." + key;
}

std::string index_path(const std::string& path, size_t index) {
  return path + "[" + std::to_string(index) + "]";
}

bool flag(const json& schema, const char* key) {
  auto it = schema.find(key);
  return it != schema.end() && it->is_boolean() && it->get<bool>();
}

std::string type_of(const json& schema) {
  auto it = schema.find("type");
  return it != schema.end() && it->is_string() ? it->get<std::string>() : "";
}

namespace {

const json* properties(const json& schema) {
  auto it = schema.find("properties");
  return it != schema.end() && it->is_object() ? &*it : nullptr;
}

const json* additional_schema(const json& schema) {
  auto it = schema.find("additionalProperties");
  return it != schema.end() && it->is_object() ? &*it : nullptr;
}

void prune_object(json& value, const json& schema, const std::string& path, bool root,
                  std::vector<std::string>* unknown) {
  const json* props = properties(schema);
  const json* additional = additional_schema(schema);
  bool preserve = flag(schema, "x-kubernetes-preserve-unknown-fields");
  // Embedded resources and the root always keep their type and object metadata.
  bool keeps_meta = root || flag(schema, "x-kubernetes-embedded-resource");
  for (auto it = value.begin(); it != value.end();) {
    const std::string key = it.key();
    const std::string here = child_path(path, key);
    if (keeps_meta && (key == "apiVersion" || key == "kind" || key == "metadata")) {
      if (key == "metadata" && it->is_object()) {
        for (auto m = it->begin(); m != it->end();) {
          if (object_meta_fields().count(m.key())) {
            ++m;
          } else {
            unknown->push_back(child_path(here, m.key()));
            m = it->erase(m);
          }
        }
      }
      // A schema that describes apiVersion or kind still applies to them.
      if (key != "metadata" && props && props->contains(key)) {
        prune(*it, (*props)[key], here, false, unknown);
      }
      ++it;
      continue;
    }
    if (props && props->contains(key)) {
      prune(*it, (*props)[key], here, false, unknown);
      ++it;
    } else if (additional) {
      prune(*it, *additional, here, false, unknown);
      ++it;
    } else if (preserve) {
      ++it;
    } else {
      unknown->push_back(here);
      it = value.erase(it);
    }
  }
}

}  // namespace

void prune(json& value, const json& schema, const std::string& path, bool root,
           std::vector<std::string>* unknown) {
  if (!schema.is_object() || flag(schema, "x-kubernetes-int-or-string")) return;
  if (value.is_object()) {
    std::string type = type_of(schema);
    if (type == "object" || type.empty()) prune_object(value, schema, path, root, unknown);
  } else if (value.is_array()) {
    auto items = schema.find("items");
    if (items == schema.end() || !items->is_object()) return;
    for (size_t i = 0; i < value.size(); ++i) {
      prune(value[i], *items, index_path(path, i), false, unknown);
    }
  }
}

void apply_defaults(json& value, const json& schema, bool root) {
  if (!schema.is_object()) return;
  if (value.is_array()) {
    auto items = schema.find("items");
    if (items == schema.end() || !items->is_object()) return;
    for (auto& item : value) apply_defaults(item, *items, false);
    return;
  }
  if (!value.is_object()) return;
  if (const json* props = properties(schema)) {
    for (auto p = props->begin(); p != props->end(); ++p) {
      if (root && p.key() == "metadata") continue;
      const json& prop = *p;
      if (!prop.is_object()) continue;
      auto present = value.find(p.key());
      bool absent = present == value.end() || (present->is_null() && !flag(prop, "nullable"));
      if (absent && prop.contains("default")) value[p.key()] = prop["default"];
    }
  }
  const json* props = properties(schema);
  const json* additional = additional_schema(schema);
  for (auto it = value.begin(); it != value.end();) {
    if (root && it.key() == "metadata") {
      ++it;
      continue;
    }
    const json* sub = props && props->contains(it.key()) ? &(*props)[it.key()] : additional;
    if (!sub) {
      ++it;
      continue;
    }
    // A null the schema does not allow is dropped rather than rejected, as on decode.
    if (it->is_null() && !flag(*sub, "nullable")) {
      it = value.erase(it);
      continue;
    }
    apply_defaults(*it, *sub, false);
    ++it;
  }
}

}  // namespace cellar::testcluster::schema_steps

namespace cellar::testcluster {

const std::set<std::string>& object_meta_fields() {
  static const std::set<std::string> fields = {"name",
                                               "generateName",
                                               "namespace",
                                               "selfLink",
                                               "uid",
                                               "resourceVersion",
                                               "generation",
                                               "creationTimestamp",
                                               "labels",
                                               "deletionTimestamp",
                                               "deletionGracePeriodSeconds",
                                               "annotations",
                                               "ownerReferences",
                                               "finalizers",
                                               "managedFields"};
  return fields;
}

}  // namespace cellar::testcluster
