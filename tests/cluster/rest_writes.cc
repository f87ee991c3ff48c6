// The writing verbs: create, update, patch, delete and deletecollection, on the main resource
// and the status subresource.
#include <algorithm>
#include <functional>

#include "tests/cluster/patch.h"
#include "tests/cluster/protobuf_body.h"
#include "tests/cluster/rest_handlers.h"
#include "tests/cluster/rest_support.h"
#include "tests/cluster/write_ownership.h"

namespace cellar::testcluster {

namespace {

const char* const kModified =
    "the object has been modified; please apply your changes to the latest version and try again";

// `base` with the status of `source` (none when `source` has none).
json with_status_of(json base, const json& source) {
  if (source.is_object() && source.contains("status")) {
    base["status"] = source["status"];
  } else if (base.is_object()) {
    base.erase("status");
  }
  return base;
}

// Fills or checks apiVersion and kind, and puts the URL's namespace into the object.
std::optional<ApiError> normalize_identity(json& object, const ResourceType& type,
                                           const ApiPath& path) {
  if (!object.contains("apiVersion") || object["apiVersion"] == "") {
    object["apiVersion"] = type.api_version();
  } else if (object["apiVersion"] != type.api_version()) {
    return ApiError::bad_request(
        "the API version in the data (" + object["apiVersion"].get<std::string>() +
        ") does not match the expected API version (" + type.api_version() + ")");
  }
  if (!object.contains("kind") || object["kind"] == "") {
    object["kind"] = type.kind;
  } else if (object["kind"] != type.kind) {
    return ApiError::bad_request("the kind in the data (" + object["kind"].get<std::string>() +
                                 ") does not match the expected kind (" + type.kind + ")");
  }
  if (!object["metadata"].is_object()) object["metadata"] = json::object();
  if (type.namespaced) {
    const std::string ns = metadata_string(object, "namespace");
    if (!ns.empty() && ns != path.ns) {
      return ApiError::bad_request(
          "the namespace of the provided object does not match the namespace sent on the "
          "request");
    }
    object["metadata"]["namespace"] = path.ns;
  } else {
    object["metadata"].erase("namespace");
  }
  return std::nullopt;
}

std::string media_type(const HttpRequestData& request) {
  std::string value = request.header("content-type");
  value = value.substr(0, value.find(';'));
  std::transform(value.begin(), value.end(), value.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  while (!value.empty() && value.back() == ' ') value.pop_back();
  return value;
}

ApiError patch_failed(const std::string& message) {
  ApiError error;
  error.code = 422;
  error.reason = "Invalid";
  error.message = message;
  return error;
}

}  // namespace

// Runs `change` on the stored object atomically, or on a copy for a dry run.
static Outcome<json> apply_change(Store& store, const ResourceType& type, const ApiPath& path,
                                  UpdatePart part, bool dry_run,
                                  const std::function<Outcome<json>(json)>& change) {
  if (!dry_run) return store.mutate(type, path.ns, path.name, part, change);
  auto current = store.get(type, path.ns, path.name);
  if (!current.ok()) return current.error();
  return change(current.value());
}

HttpResponseData RestHandlers::create(const HttpRequestData& request, const ApiPath& path,
                                      const ResourceType& type) {
  auto body = parse_object_body(request);
  if (!body.ok()) return error_response(body.error());
  auto mode = field_validation(request);
  if (!mode.ok()) return error_response(mode.error());
  if (type.namespaced && !path.namespaced_path) {
    return error_response(ApiError::method_not_allowed(
        "the server does not allow this method on the requested resource"));
  }
  json object = std::move(body.value());
  if (auto error = normalize_identity(object, type, path)) return error_response(*error);
  // The status of a new object is the controllers' to write, not the creator's.
  if (type.status_subresource) object.erase("status");
  // The namespace's lifecycle is admission, which kube-apiserver runs before any validation.
  if (auto error = store_.check_create_namespace(type, object)) return error_response(*error);
  const json sent = object;
  auto admitted = admit_write(type, std::move(object), nullptr, mode.value());
  if (!admitted.ok()) return error_response(admitted.error());
  record_update(admitted.value().object, nullptr, sent, type, path, request);
  auto created = store_.create(type, admitted.value().object, is_dry_run(request));
  if (!created.ok()) return error_response(created.error());
  HttpResponseData response = json_response(201, created.value());
  add_warnings(response, admitted.value().warnings);
  return response;
}

HttpResponseData RestHandlers::update(const HttpRequestData& request, const ApiPath& path,
                                      const ResourceType& type) {
  auto body = parse_object_body(request);
  if (!body.ok()) return error_response(body.error());
  auto mode = field_validation(request);
  if (!mode.ok()) return error_response(mode.error());
  json object = std::move(body.value());
  if (auto error = normalize_identity(object, type, path)) return error_response(*error);
  const std::string name = metadata_string(object, "name");
  if (name != path.name) {
    return error_response(ApiError::bad_request("the name of the object (" + name +
                                                ") does not match the name on the URL (" +
                                                path.name + ")"));
  }
  const bool status_write = path.subresource == "status";
  const std::string sent_rv = metadata_string(object, "resourceVersion");
  const std::string sent_uid = metadata_string(object, "uid");
  if (!status_write && type.schema.is_object() && sent_rv.empty()) {
    // Custom resources allow no unconditional update.
    json cause = {{"reason", "FieldValueInvalid"},
                  {"message", "Invalid value: 0x0: must be specified for an update"},
                  {"field", "metadata.resourceVersion"}};
    return error_response(ApiError::invalid(type, name, json::array({cause})));
  }
  // A status write is composed from the stored object (so it may replace it whole, its
  // managedFields included).
  const UpdatePart part =
      status_write || !type.status_subresource ? UpdatePart::kAll : UpdatePart::kMain;
  std::vector<std::string> warnings;
  auto change = [&](json current) -> Outcome<json> {
    if (!sent_rv.empty() && sent_rv != metadata_string(current, "resourceVersion")) {
      return ApiError::conflict(type, name, kModified);
    }
    if (!sent_uid.empty() && sent_uid != metadata_string(current, "uid")) {
      return ApiError::conflict(type, name,
                                "Precondition failed: UID in precondition: " + sent_uid +
                                    ", UID in object meta: " + metadata_string(current, "uid"));
    }
    json effective = status_write              ? with_status_of(current, object)
                     : type.status_subresource ? with_status_of(object, current)
                                               : object;
    auto admitted = admit_write(type, std::move(effective), current, mode.value());
    if (!admitted.ok()) return admitted.error();
    warnings = admitted.value().warnings;
    record_update(admitted.value().object, current, object, type, path, request);
    return std::move(admitted.value().object);
  };
  auto written = apply_change(store_, type, path, part, is_dry_run(request), change);
  if (!written.ok()) return error_response(written.error());
  HttpResponseData response = json_response(200, written.value());
  add_warnings(response, warnings);
  return response;
}

HttpResponseData RestHandlers::patch(const HttpRequestData& request, const ApiPath& path,
                                     const ResourceType& type) {
  const std::string kind = media_type(request);
  if (kind == "application/apply-patch+yaml") return apply(request, path, type);
  const bool custom = type.schema.is_object();
  const bool known = kind == "application/merge-patch+json" ||
                     kind == "application/json-patch+json" ||
                     (kind == "application/strategic-merge-patch+json" && !custom);
  if (!known) {
    ApiError error = ApiError::unsupported_media_type(kind);
    if (custom) {
      error.message =
          "the body of the request was in an unknown format - accepted media types include: "
          "application/json-patch+json, application/merge-patch+json, "
          "application/apply-patch+yaml";
    }
    return error_response(error);
  }
  json patch_body = json::parse(request.body, nullptr, false);
  if (patch_body.is_discarded()) {
    return error_response(ApiError::bad_request("error decoding patch: invalid JSON"));
  }
  auto mode = field_validation(request);
  if (!mode.ok()) return error_response(mode.error());
  const bool status_write = path.subresource == "status";
  const UpdatePart part =
      status_write || !type.status_subresource ? UpdatePart::kAll : UpdatePart::kMain;
  std::vector<std::string> warnings;
  auto change = [&](json current) -> Outcome<json> {
    std::optional<json> patched;
    std::string error;
    if (kind == "application/merge-patch+json") {
      patched = merge_patch(current, patch_body);
    } else if (kind == "application/json-patch+json") {
      patched = json_patch(current, patch_body, &error);
    } else {
      patched = strategic_merge_patch(current, patch_body, type.kind, &error);
    }
    if (!patched) return patch_failed(error);
    if (!patched->is_object()) return patch_failed("the patch did not leave an object");
    const std::string rv = metadata_string(*patched, "resourceVersion");
    if (!rv.empty() && rv != metadata_string(current, "resourceVersion")) {
      return ApiError::conflict(type, path.name, kModified);
    }
    // Identity is not a patch's to change: kube-apiserver's checkName answers 400.
    if (!(*patched)["metadata"].is_object()) (*patched)["metadata"] = json::object();
    const std::string patched_name = metadata_string(*patched, "name");
    if (patched_name != path.name) {
      return ApiError::bad_request("the name of the object (" + patched_name +
                                   ") does not match the name on the URL (" + path.name + ")");
    }
    const std::string patched_ns = metadata_string(*patched, "namespace");
    if (type.namespaced && !patched_ns.empty() && patched_ns != path.ns) {
      return ApiError::bad_request("the namespace of the object (" + patched_ns +
                                   ") does not match the namespace on the request (" + path.ns +
                                   ")");
    }
    (*patched)["metadata"]["resourceVersion"] = current["metadata"]["resourceVersion"];
    (*patched)["apiVersion"] = type.api_version();
    (*patched)["kind"] = type.kind;
    if (type.namespaced) (*patched)["metadata"]["namespace"] = path.ns;
    json effective = status_write              ? with_status_of(current, *patched)
                     : type.status_subresource ? with_status_of(*patched, current)
                                               : *patched;
    auto admitted = admit_write(type, std::move(effective), current, mode.value());
    if (!admitted.ok()) return admitted.error();
    warnings = admitted.value().warnings;
    record_update(admitted.value().object, current, *patched, type, path, request);
    return std::move(admitted.value().object);
  };
  auto written = apply_change(store_, type, path, part, is_dry_run(request), change);
  if (!written.ok()) return error_response(written.error());
  HttpResponseData response = json_response(200, written.value());
  add_warnings(response, warnings);
  return response;
}

namespace {

// DeleteOptions from the body and the query string.
Outcome<DeleteRequest> delete_options(const HttpRequestData& request) {
  DeleteRequest options;
  if (!request.body.empty()) {
    json body = json::parse(request.body, nullptr, false);
    // client-go sends DeleteOptions as protobuf when it talks protobuf (Helm's uninstall).
    if (request.header("content-type").find("application/vnd.kubernetes.protobuf") == 0) {
      body = decode_protobuf_object(request.body, nullptr).value_or(json());
    }
    if (body.is_discarded() || !body.is_object()) {
      return ApiError::bad_request("the body of the request could not be decoded as DeleteOptions");
    }
    options.propagation_policy = body.value("propagationPolicy", "");
    if (options.propagation_policy.empty() && body.contains("orphanDependents") &&
        body["orphanDependents"].is_boolean()) {
      options.propagation_policy = body["orphanDependents"].get<bool>() ? "Orphan" : "Background";
    }
    const json preconditions = body.value("preconditions", json::object());
    if (preconditions.is_object()) {
      options.precondition_uid = preconditions.value("uid", "");
      options.precondition_resource_version = preconditions.value("resourceVersion", "");
    }
  }
  if (request.has_query_param("propagationPolicy")) {
    options.propagation_policy = request.query_param("propagationPolicy");
  }
  const std::string& policy = options.propagation_policy;
  if (!policy.empty() && policy != "Background" && policy != "Foreground" && policy != "Orphan") {
    return ApiError::bad_request("propagationPolicy: Unsupported value: \"" + policy +
                                 "\": supported values: \"Foreground\", \"Background\", "
                                 "\"Orphan\"");
  }
  return options;
}

}  // namespace

HttpResponseData RestHandlers::remove(const HttpRequestData& request, const ApiPath& path,
                                      const ResourceType& type) {
  auto options = delete_options(request);
  if (!options.ok()) return error_response(options.error());
  if (is_dry_run(request)) {
    auto current = store_.get(type, path.ns, path.name);
    if (!current.ok()) return error_response(current.error());
    return json_response(200, current.value());
  }
  auto removed = store_.remove(type, path.ns, path.name, options.value());
  if (!removed.ok()) return error_response(removed.error());
  return json_response(200, removed.value());
}

HttpResponseData RestHandlers::remove_collection(const HttpRequestData& request,
                                                 const ApiPath& path, const ResourceType& type) {
  auto options = delete_options(request);
  if (!options.ok()) return error_response(options.error());
  auto selectors = parse_selectors(request, type);
  if (!selectors.ok()) return error_response(selectors.error());
  const Selectors& match = selectors.value();
  auto listed = store_.list(type, path.ns, [&match](const json& o) { return match.matches(o); });
  json list = {{"kind", type.list_kind},
               {"apiVersion", type.api_version()},
               {"metadata", json::object()},
               {"items", json::array()}};
  for (const auto& object : listed.items) {
    if (is_dry_run(request)) {
      list["items"].push_back(object);
      continue;
    }
    auto removed = store_.remove(type, metadata_string(object, "namespace"),
                                 metadata_string(object, "name"), options.value());
    // Already gone is what was asked for; anything else is worth reporting.
    if (!removed.ok() && removed.error().code != 404) return error_response(removed.error());
    if (removed.ok()) list["items"].push_back(removed.value());
  }
  return json_response(200, list);
}

}  // namespace cellar::testcluster
