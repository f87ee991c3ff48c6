#include "tests/cluster/openapi.h"

#include <cstdio>
#include <functional>
#include <set>

namespace cellar::testcluster {

namespace {

constexpr const char* kObjectMeta = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta";

std::string reversed_domain(const std::string& group) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (true) {
    size_t dot = group.find('.', start);
    parts.push_back(group.substr(start, dot - start));
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  std::string out;
  for (auto it = parts.rbegin(); it != parts.rend(); ++it) out += (out.empty() ? "" : ".") + *it;
  return out;
}

json gvk(const ResourceType& type) {
  return {{"group", type.group}, {"version", type.version}, {"kind", type.kind}};
}

json ref(const std::string& name) {
  return {{"$ref", "#/components/schemas/" + name}};
}

json query_param(const char* name, const char* description) {
  return {{"name", name},
          {"in", "query"},
          {"description", description},
          {"schema", {{"type", "string"}, {"uniqueItems", true}}}};
}

json path_param(const char* name, const std::string& description) {
  return {{"name", name},
          {"in", "path"},
          {"description", description},
          {"required", true},
          {"schema", {{"type", "string"}, {"uniqueItems", true}}}};
}

json write_params() {
  return json::array(
      {query_param("dryRun", "When present, indicates that modifications should not be persisted."),
       query_param("fieldManager",
                   "fieldManager is a name associated with the actor or entity "
                   "that is making these changes."),
       query_param("fieldValidation",
                   "fieldValidation instructs the server on how to handle objects in the request "
                   "containing unknown or duplicate fields. Valid values are: Ignore, Warn "
                   "(default), Strict.")});
}

json operation(const ResourceType& type, const std::string& action, const std::string& id,
               const std::string& response_schema) {
  json op = {{"operationId", id},
             {"responses",
              {{"200",
                {{"description", "OK"},
                 {"content", {{"application/json", {{"schema", ref(response_schema)}}}}}}}}},
             {"x-kubernetes-action", action},
             {"x-kubernetes-group-version-kind", gvk(type)}};
  if (action == "put" || action == "post" || action == "patch") {
    op["parameters"] = write_params();
  }
  if (action == "put" || action == "post") {
    op["requestBody"] = {{"content", {{"application/json", {{"schema", ref(response_schema)}}}}},
                         {"required", true}};
  }
  if (action == "patch") {
    json any = {{"schema", {{"type", "object"}}}};
    op["requestBody"] = {
        {"content", {{"application/json-patch+json", any}, {"application/merge-patch+json", any}}},
        {"required", true}};
  }
  return op;
}

json object_meta_schema() {
  json string = {{"type", "string"}};
  json string_map = {{"type", "object"}, {"additionalProperties", string}};
  return {{"description",
           "ObjectMeta is metadata that all persisted resources must have, which includes all "
           "objects users must create."},
          {"type", "object"},
          {"properties",
           {{"name", string},
            {"generateName", string},
            {"namespace", string},
            {"uid", string},
            {"resourceVersion", string},
            {"generation", {{"type", "integer"}, {"format", "int64"}}},
            {"creationTimestamp", {{"type", "string"}, {"format", "date-time"}}},
            {"deletionTimestamp", {{"type", "string"}, {"format", "date-time"}}},
            {"labels", string_map},
            {"annotations", string_map},
            {"finalizers", {{"type", "array"}, {"items", string}}},
            {"ownerReferences", {{"type", "array"}, {"items", {{"type", "object"}}}}}}}};
}

// The kind's schema: a CRD's own, with apiVersion, kind and metadata as the apiserver adds them.
json kind_schema(const ResourceType& type) {
  json schema = type.schema.is_object()
                    ? type.schema
                    : json{{"type", "object"},
                           {"description", type.kind + " is a built-in Kubernetes kind."},
                           {"properties",
                            {{"spec", {{"type", "object"}}}, {"status", {{"type", "object"}}}}}};
  json& properties = schema["properties"];
  if (!properties.is_object()) properties = json::object();
  properties["apiVersion"] = {
      {"type", "string"},
      {"description",
       "APIVersion defines the versioned schema of this representation of an object."}};
  properties["kind"] = {{"type", "string"},
                        {"description",
                         "Kind is a string value representing the REST resource this object "
                         "represents."}};
  properties["metadata"] = {{"allOf", json::array({ref(kObjectMeta)})},
                            {"description", "Standard object's metadata."}};
  schema["x-kubernetes-group-version-kind"] = json::array({gvk(type)});
  return schema;
}

std::string hex_hash(const std::string& text) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%016zX", std::hash<std::string>{}(text));
  return buffer;
}

std::string gv_path(const std::string& group, const std::string& version) {
  return group.empty() ? "api/" + version : "apis/" + group + "/" + version;
}

}  // namespace

std::string schema_name(const ResourceType& type) {
  if (type.schema.is_object()) {
    return reversed_domain(type.group) + "." + type.version + "." + type.kind;
  }
  if (type.group == "apiextensions.k8s.io") {
    return "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions." + type.version + "." +
           type.kind;
  }
  std::string short_group =
      type.group.empty() ? "core" : type.group.substr(0, type.group.find('.'));
  return "io.k8s.api." + short_group + "." + type.version + "." + type.kind;
}

std::optional<json> openapi_v3_document(const std::vector<ResourceType>& types,
                                        const std::string& group, const std::string& version) {
  json paths = json::object();
  json schemas = {{kObjectMeta, object_meta_schema()}};
  for (const auto& type : types) {
    if (type.group != group || type.version != version) continue;
    const std::string name = schema_name(type);
    const std::string id = type.kind;
    schemas[name] = kind_schema(type);
    schemas[name + "List"] = {
        {"type", "object"}, {"properties", {{"items", {{"type", "array"}, {"items", ref(name)}}}}}};
    const std::string base = "/" + gv_path(group, version);
    const std::string collection =
        base + (type.namespaced ? "/namespaces/{namespace}/" : "/") + type.plural;
    json scope = json::array();
    if (type.namespaced) scope.push_back(path_param("namespace", "object name and auth scope"));
    json named = scope;
    named.push_back(path_param("name", "name of the " + type.kind));

    paths[collection] = {
        {"get", operation(type, "list", "list" + id, name + "List")},
        {"post", operation(type, "post", "create" + id, name)},
        {"delete", operation(type, "deletecollection", "deleteCollection" + id, name + "List")},
        {"parameters", scope}};
    if (type.namespaced) {
      paths[base + "/" + type.plural] = {
          {"get", operation(type, "list", "list" + id + "ForAllNamespaces", name + "List")}};
    }
    paths[collection + "/{name}"] = {{"get", operation(type, "get", "read" + id, name)},
                                     {"put", operation(type, "put", "replace" + id, name)},
                                     {"patch", operation(type, "patch", "patch" + id, name)},
                                     {"delete", operation(type, "delete", "delete" + id, name)},
                                     {"parameters", named}};
    if (type.status_subresource) {
      paths[collection + "/{name}/status"] = {
          {"get", operation(type, "get", "read" + id + "Status", name)},
          {"put", operation(type, "put", "replace" + id + "Status", name)},
          {"patch", operation(type, "patch", "patch" + id + "Status", name)},
          {"parameters", named}};
    }
  }
  if (paths.empty()) return std::nullopt;
  return json{{"openapi", "3.0.0"},
              {"info", {{"title", "Kubernetes"}, {"version", "v1.33.1"}}},
              {"paths", paths},
              {"components", {{"schemas", schemas}}}};
}

json openapi_v3_index(const std::vector<ResourceType>& types) {
  std::set<std::pair<std::string, std::string>> versions;
  for (const auto& type : types) versions.insert({type.group, type.version});
  json paths = json::object();
  for (const auto& [group, version] : versions) {
    auto document = openapi_v3_document(types, group, version);
    if (!document) continue;
    const std::string path = gv_path(group, version);
    paths[path] = {
        {"serverRelativeURL", "/openapi/v3/" + path + "?hash=" + hex_hash(document->dump())}};
  }
  return {{"paths", paths}};
}

}  // namespace cellar::testcluster
