#include "controller/api/object_meta.h"

#include <algorithm>

#include "controller/api/json_fields.h"

namespace cellar::api {

namespace {

std::map<std::string, std::string> string_map(const nlohmann::json& j, const char* key) {
  std::map<std::string, std::string> out;
  auto it = j.find(key);
  if (it == j.end() || !it->is_object()) return out;
  for (const auto& [k, v] : it->items()) {
    if (v.is_string()) out.emplace(k, v.get<std::string>());
  }
  return out;
}

}  // namespace

bool ObjectMeta::has_finalizer(const std::string& f) const {
  return std::find(finalizers.begin(), finalizers.end(), f) != finalizers.end();
}

const OwnerReference* ObjectMeta::controller_ref() const {
  for (const auto& ref : owner_references) {
    if (ref.controller) return &ref;
  }
  return nullptr;
}

ObjectMeta parse_object_meta(const nlohmann::json& object) {
  ObjectMeta meta;
  auto it = object.find("metadata");
  if (it == object.end() || !it->is_object()) return meta;
  const auto& m = *it;
  meta.ns = string_field(m, "namespace");
  meta.name = string_field(m, "name");
  meta.uid = string_field(m, "uid");
  meta.resource_version = string_field(m, "resourceVersion");
  if (auto g = m.find("generation"); g != m.end() && g->is_number_integer()) {
    meta.generation = g->get<int64_t>();
  }
  meta.creation_timestamp = string_field(m, "creationTimestamp");
  meta.being_deleted = m.contains("deletionTimestamp") && !m["deletionTimestamp"].is_null();
  if (auto f = m.find("finalizers"); f != m.end() && f->is_array()) {
    for (const auto& v : *f) {
      if (v.is_string()) meta.finalizers.push_back(v.get<std::string>());
    }
  }
  meta.labels = string_map(m, "labels");
  meta.annotations = string_map(m, "annotations");
  if (auto refs = m.find("ownerReferences"); refs != m.end() && refs->is_array()) {
    for (const auto& r : *refs) {
      if (!r.is_object()) continue;
      meta.owner_references.push_back({string_field(r, "apiVersion"), string_field(r, "kind"),
                                       string_field(r, "name"), string_field(r, "uid"),
                                       r.value("controller", false)});
    }
  }
  return meta;
}

void keep_cellar_keys(ObjectMeta& meta) {
  const auto foreign = [](const auto& entry) {
    return !entry.first.starts_with("cellar.dev/") && entry.first != "job-name";
  };
  std::erase_if(meta.labels, foreign);
  std::erase_if(meta.annotations, foreign);
}

}  // namespace cellar::api
