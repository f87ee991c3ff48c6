#include "tests/cluster/admission.h"

#include <openssl/evp.h>

#include "tests/cluster/deployment_rules.h"
#include "tests/cluster/meta_validation.h"
#include "tests/cluster/rbac_rules.h"
#include "tests/cluster/schema.h"
#include "tests/cluster/service_rules.h"

namespace cellar::testcluster {

namespace {

json cause(const std::string& type, const std::string& field, const std::string& message) {
  return {{"reason", type}, {"message", message}, {"field", field}};
}

std::string object_name(const json& object) {
  return object.value("metadata", json::object()).value("name", "");
}

// stringData is write-only: each entry lands base64-encoded in data, replacing a key there.
void fold_string_data(json& secret) {
  if (!secret.contains("stringData")) return;
  if (secret["stringData"].is_object()) {
    if (!secret["data"].is_object()) secret["data"] = json::object();
    for (const auto& [key, value] : secret["stringData"].items()) {
      if (value.is_string()) secret["data"][key] = base64_encode(value.get<std::string>());
    }
  }
  secret.erase("stringData");
}

Outcome<Admitted> admit_custom_resource(const ResourceType& type, json object,
                                        const json& old_object, FieldValidation mode) {
  SchemaOutcome outcome = apply_schema(type.schema, std::move(object), old_object);
  Admitted admitted{std::move(outcome.object), {}};
  if (!outcome.unknown_fields.empty() && mode == FieldValidation::kStrict) {
    std::string fields;
    for (const auto& field : outcome.unknown_fields) {
      if (!fields.empty()) fields += ", ";
      fields += "unknown field \"" + field + "\"";
    }
    return ApiError::bad_request(type.kind + " in version \"" + type.version +
                                 "\" cannot be handled as a " + type.kind +
                                 ": strict decoding error: " + fields);
  }
  if (mode == FieldValidation::kWarn) {
    for (const auto& field : outcome.unknown_fields) {
      admitted.warnings.push_back("unknown field \"" + field + "\"");
    }
  }
  for (auto& warning : meta::finalizer_warnings(admitted.object, old_object)) {
    admitted.warnings.push_back(std::move(warning));
  }
  if (!outcome.issues.empty()) {
    json causes = json::array();
    for (const auto& issue : outcome.issues) {
      causes.push_back(cause(issue.type, issue.field, issue.message));
    }
    return ApiError::invalid(type, object_name(admitted.object), causes);
  }
  return admitted;
}

void default_crd(json& crd) {
  json& spec = crd["spec"];
  if (!spec.is_object()) return;
  json& names = spec["names"];
  if (names.is_object() && names.contains("kind") && names["kind"].is_string()) {
    std::string kind = names["kind"];
    if (!names.contains("singular")) {
      std::string singular = kind;
      for (auto& c : singular) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      names["singular"] = singular;
    }
    if (!names.contains("listKind")) names["listKind"] = kind + "List";
  }
  if (!spec.contains("conversion")) spec["conversion"] = {{"strategy", "None"}};
}

json validate_crd(const json& crd) {
  json causes = json::array();
  const json& spec = crd.value("spec", json::object());
  const std::string group = spec.value("group", "");
  const json names = spec.value("names", json::object());
  const std::string plural = names.value("plural", "");
  const std::string name = object_name(crd);
  if (group.empty()) causes.push_back(cause("FieldValueRequired", "spec.group", "Required value"));
  if (plural.empty()) {
    causes.push_back(cause("FieldValueRequired", "spec.names.plural", "Required value"));
  }
  if (names.value("kind", "").empty()) {
    causes.push_back(cause("FieldValueRequired", "spec.names.kind", "Required value"));
  }
  if (!group.empty() && !plural.empty() && name != plural + "." + group) {
    causes.push_back(
        cause("FieldValueInvalid", "metadata.name",
              "Invalid value: \"" + name + "\": must be spec.names.plural+\".\"+spec.group"));
  }
  const std::string scope = spec.value("scope", "");
  if (scope != "Namespaced" && scope != "Cluster") {
    causes.push_back(cause(
        "FieldValueNotSupported", "spec.scope",
        "Unsupported value: \"" + scope + "\": supported values: \"Cluster\", \"Namespaced\""));
  }
  const json versions = spec.value("versions", json::array());
  if (!versions.is_array() || versions.empty()) {
    causes.push_back(cause("FieldValueRequired", "spec.versions", "Required value"));
    return causes;
  }
  int storage = 0;
  for (size_t i = 0; i < versions.size(); ++i) {
    const json& version = versions[i];
    const std::string prefix = "spec.versions[" + std::to_string(i) + "]";
    if (version.value("storage", false)) ++storage;
    const json schema =
        version.value("schema", json::object()).value("openAPIV3Schema", json(nullptr));
    if (schema.is_null()) continue;
    for (const auto& issue : check_structural(schema, prefix + ".schema.openAPIV3Schema")) {
      causes.push_back(cause(issue.type, issue.field, issue.message));
    }
  }
  if (storage != 1) {
    causes.push_back(cause("FieldValueInvalid", "spec.versions",
                           "Invalid value: " + versions.dump() +
                               ": must have exactly one version marked as storage version"));
  }
  return causes;
}

}  // namespace

std::optional<FieldValidation> parse_field_validation(const std::string& value) {
  if (value.empty() || value == "Warn") return FieldValidation::kWarn;
  if (value == "Strict") return FieldValidation::kStrict;
  if (value == "Ignore") return FieldValidation::kIgnore;
  return std::nullopt;
}

std::string base64_encode(const std::string& bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(bytes.data()),
                          static_cast<int>(bytes.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

Outcome<Admitted> admit_write(const ResourceType& type, json object, const json& old_object,
                              FieldValidation mode) {
  if (type.schema.is_object()) {
    return admit_custom_resource(type, std::move(object), old_object, mode);
  }
  if (type.group.empty() && type.plural == "secrets") {
    fold_string_data(object);
    if (!object.contains("type")) object["type"] = "Opaque";  // SetDefaults_Secret
  }
  json causes = json::array();
  if (type.group == "apps" && type.plural == "deployments") {
    default_deployment(object);
    causes = deployment_causes(object, old_object);
  } else if (type.group.empty() && type.plural == "services") {
    default_service(object);
    causes = service_causes(object);
  } else if (is_rbac(type)) {
    causes = rbac_causes(type, object, old_object);
  }
  if (!causes.empty()) return ApiError::invalid(type, object_name(object), causes);
  if (type.group == "apiextensions.k8s.io" && type.plural == "customresourcedefinitions") {
    default_crd(object);
    json causes = validate_crd(object);
    if (!causes.empty()) return ApiError::invalid(type, object_name(object), causes);
  }
  return Admitted{std::move(object), {}};
}

}  // namespace cellar::testcluster
