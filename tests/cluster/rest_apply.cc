// Server-side apply: PATCH with application/apply-patch+yaml, on the main resource and /status,
// creating the object when it does not exist yet. The merge and the ownership rules are
// apply_fields()'s; this file reads the request and runs the result through the same admission
// and store as every other write.
#include <functional>

#include "tests/cluster/apply_body.h"
#include "tests/cluster/managed_fields.h"
#include "tests/cluster/rest_handlers.h"
#include "tests/cluster/rest_support.h"
#include "tests/cluster/schema_steps.h"
#include "tests/cluster/write_ownership.h"

namespace cellar::testcluster {
namespace {

ApiError missing_field_manager() {
  ApiError error;
  error.code = 422;
  error.reason = "Invalid";
  error.message =
      "PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required for "
      "apply patch";
  error.details = {{"group", "meta.k8s.io"},
                   {"kind", "PatchOptions"},
                   {"causes", json::array({{{"reason", "FieldValueRequired"},
                                            {"message",
                                             "Required value: is required for apply "
                                             "patch"},
                                            {"field", "fieldManager"}}})}};
  return error;
}

// The apply configuration with its identity checked and put in place, and what it may set for
// this write: no status through the main resource of a type with a status subresource, only
// status through /status.
Outcome<json> scoped_config(json config, const ResourceType& type, const ApiPath& path) {
  if (!config.is_object())
    return ApiError::bad_request("the apply configuration must be an object");
  if (!config.contains("metadata")) config["metadata"] = json::object();
  json& meta = config["metadata"];
  if (!meta.is_object()) return ApiError::bad_request("metadata must be an object");
  if (meta.contains("managedFields") && !meta["managedFields"].is_null()) {
    return ApiError::bad_request("metadata.managedFields must be nil");
  }
  const std::string version = config.value("apiVersion", "");
  if (version != type.api_version()) {
    return ApiError::bad_request(
        "Incorrect version specified in apply patch. Specified patch version: " + version +
        ", expected: " + type.api_version());
  }
  const std::string kind = config.value("kind", "");
  if (kind.empty()) {
    return ApiError::bad_request("Object 'Kind' is missing in '" + config.dump() + "'");
  }
  if (kind != type.kind) {
    return ApiError::bad_request("the kind in the data (" + kind +
                                 ") does not match the expected kind (" + type.kind + ")");
  }
  const std::string name = meta.value("name", "");
  if (!name.empty() && name != path.name) {
    return ApiError::bad_request("the name of the object (" + name +
                                 ") does not match the name on the URL (" + path.name + ")");
  }
  meta["name"] = path.name;
  if (type.namespaced) {
    const std::string ns = meta.value("namespace", "");
    if (!ns.empty() && ns != path.ns) {
      return ApiError::bad_request(
          "the namespace of the provided object does not match the namespace sent on the "
          "request");
    }
    meta["namespace"] = path.ns;
  } else {
    meta.erase("namespace");
  }
  if (path.subresource == "status") {
    json status_only = {{"apiVersion", config["apiVersion"]},
                        {"kind", config["kind"]},
                        {"metadata", {{"name", path.name}}}};
    if (type.namespaced) status_only["metadata"]["namespace"] = path.ns;
    if (config.contains("status")) status_only["status"] = config["status"];
    return status_only;
  }
  if (type.status_subresource) config.erase("status");
  return config;
}

// Custom resources: fields the schema does not know are dropped from the configuration before
// it is merged, so nobody comes to own them; ?fieldValidation= decides what they cost.
Outcome<std::vector<std::string>> prune_config(json& config, const ResourceType& type,
                                               FieldValidation mode) {
  std::vector<std::string> warnings;
  if (!type.schema.is_object()) return warnings;
  std::vector<std::string> unknown;
  schema_steps::prune(config, type.schema, "", true, &unknown);
  if (unknown.empty() || mode == FieldValidation::kIgnore) return warnings;
  if (mode == FieldValidation::kStrict) {
    std::string fields;
    for (const auto& field : unknown) {
      if (!fields.empty()) fields += ", ";
      fields += "unknown field \"" + field + "\"";
    }
    return ApiError::bad_request(type.kind + " in version \"" + type.version +
                                 "\" cannot be handled as a " + type.kind +
                                 ": strict decoding error: " + fields);
  }
  for (const auto& field : unknown) warnings.push_back("unknown field \"" + field + "\"");
  return warnings;
}

// `base` with the status of `source` (none when `source` has none).
json with_status_of(json base, const json& source) {
  if (source.is_object() && source.contains("status")) {
    base["status"] = source["status"];
  } else {
    base.erase("status");
  }
  return base;
}

}  // namespace

HttpResponseData RestHandlers::apply(const HttpRequestData& request, const ApiPath& path,
                                     const ResourceType& type) {
  const std::string manager = request.query_param("fieldManager");
  if (manager.empty()) return error_response(missing_field_manager());
  auto mode = field_validation(request);
  if (!mode.ok()) return error_response(mode.error());
  std::string why;
  auto body = decode_apply_body(request.body, &why);
  if (!body) return error_response(ApiError::bad_request("error decoding YAML: " + why));
  auto scoped = scoped_config(std::move(*body), type, path);
  if (!scoped.ok()) return error_response(scoped.error());
  json config = std::move(scoped.value());
  auto pruned = prune_config(config, type, mode.value());
  if (!pruned.ok()) return error_response(pruned.error());
  std::vector<std::string> warnings = pruned.value();
  const std::string sent_rv = metadata_string(config, "resourceVersion");
  config["metadata"].erase("resourceVersion");

  const bool force = request.query_param("force") == "true";
  const bool status_write = path.subresource == "status";
  const bool dry_run = is_dry_run(request);
  const WriteScope scope = write_scope(type, path);
  const FieldShape shape = FieldShape::root(type.schema);
  const std::string now = managed_fields_time();

  // The object `live` becomes (an empty object of the type when creating), admitted.
  auto applied_to = [&](const json& live, const json& stored) -> Outcome<json> {
    auto fields = apply_fields(live, config, starting_fields(live, nullptr, true), manager, force,
                               scope, shape, now);
    if (!fields.ok()) return fields.error();
    json merged = std::move(fields.value().object);
    set_managed_fields(merged, fields.value().entries);
    json effective = merged;
    if (stored.is_object() && status_write) {
      effective = with_status_of(stored, merged);
      set_managed_fields(effective, fields.value().entries);
    } else if (stored.is_object() && type.status_subresource) {
      effective = with_status_of(merged, stored);
    } else if (type.status_subresource) {
      effective.erase("status");  // a new object's status is the controllers' to write
    }
    auto admitted = admit_write(type, std::move(effective), stored, mode.value());
    if (!admitted.ok()) return admitted.error();
    warnings.insert(warnings.end(), admitted.value().warnings.begin(),
                    admitted.value().warnings.end());
    return std::move(admitted.value().object);
  };

  auto change = [&](json current) -> Outcome<json> {
    if (!sent_rv.empty() && sent_rv != metadata_string(current, "resourceVersion")) {
      return ApiError::conflict(type, path.name,
                                "the object has been modified; please apply your changes to the "
                                "latest version and try again");
    }
    return applied_to(current, current);
  };
  // The status write is composed from the stored object, so it may replace it whole (its
  // managedFields included).
  const UpdatePart part = status_write              ? UpdatePart::kAll
                          : type.status_subresource ? UpdatePart::kMain
                                                    : UpdatePart::kAll;
  auto respond = [&](int code, const json& object) {
    HttpResponseData response = json_response(code, object);
    add_warnings(response, warnings);
    return response;
  };
  for (int attempt = 0; attempt < 2; ++attempt) {
    Outcome<json> written = ApiError::internal("unreachable");
    if (dry_run) {
      auto current = store_.get(type, path.ns, path.name);
      written = current.ok() ? change(current.value()) : Outcome<json>(current.error());
    } else {
      written = store_.mutate(type, path.ns, path.name, part, change);
    }
    if (written.ok()) return respond(200, written.value());
    if (written.error().code != 404 || status_write) return error_response(written.error());

    // Create-on-apply: the configuration applied to nothing, then the create rules.
    json empty = {{"apiVersion", type.api_version()},
                  {"kind", type.kind},
                  {"metadata", {{"name", path.name}}}};
    if (type.namespaced) empty["metadata"]["namespace"] = path.ns;
    auto object = applied_to(empty, nullptr);
    if (!object.ok()) return error_response(object.error());
    auto created = store_.create(type, object.value(), dry_run);
    if (created.ok()) return respond(201, created.value());
    // Someone created it meanwhile: apply to theirs.
    if (created.error().code != 409 || created.error().reason != "AlreadyExists") {
      return error_response(created.error());
    }
    warnings.clear();
  }
  return error_response(ApiError::internal("the object kept appearing and disappearing"));
}

}  // namespace cellar::testcluster
