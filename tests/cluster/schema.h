// A CustomResourceDefinition's openAPIV3Schema applied as kube-apiserver applies it: defaulting,
// pruning, validation (including the x-kubernetes-validations rules Cellar's CRDs use), and the
// structural-schema check a CRD must pass before it is accepted.
//
// Pure functions: JSON in, JSON out, no I/O, safe to call from any thread.
#pragma once

#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

namespace cellar::testcluster {

using json = nlohmann::json;

// One metav1.StatusCause of a 422 Invalid answer.
struct FieldIssue {
  std::string type;     // metav1.CauseType: "FieldValueRequired", "FieldValueInvalid",
                        // "FieldValueNotSupported", "FieldValueTypeInvalid", "FieldValueTooLong",
                        // "FieldValueTooMany", "FieldValueForbidden", ...
  std::string field;    // "spec.compressionLevel", "spec.containers[0].name"
  std::string message;  // the whole message as kube-apiserver words it, e.g.
                        // `Unsupported value: "zip": supported values: "custom", "plain"`
};

// The fields of metav1.ObjectMeta. Everything else under an object's metadata is not a field
// kube-apiserver keeps: it is dropped on decode, and not a struct field to server-side apply.
const std::set<std::string>& object_meta_fields();

struct SchemaOutcome {
  json object;                              // defaulted and pruned
  std::vector<std::string> unknown_fields;  // pruned paths, e.g. "spec.foo", for fieldValidation
  std::vector<FieldIssue> issues;           // empty: valid
};

// Applies an openAPIV3Schema to a custom resource as kube-apiserver does on create/update:
// pruning of unknown fields (honouring x-kubernetes-preserve-unknown-fields; apiVersion, kind and
// metadata are never pruned at the root, and metadata keeps its ObjectMeta meaning), defaults
// (also inside array items and additionalProperties), then validation: type, required, enum,
// minimum/maximum (+exclusive), minLength/maxLength, pattern, minItems/maxItems, uniqueItems,
// minProperties/maxProperties, format (int32, int64, date-time, date, ...), nullable,
// x-kubernetes-int-or-string, additionalProperties, items, and x-kubernetes-validations rules of
// the small CEL subset Cellar's CRDs use (see cel_rules.h). A rule outside that subset is reported
// as an issue rather than silently passing.
//
// `old_object` is the stored object on update, null on create: transition rules (those that
// mention oldSelf) are evaluated only when it is an object and the field existed before.
SchemaOutcome apply_schema(const json& schema, json object, const json& old_object = nullptr);

// Checks a CRD version's schema is structural, as the apiserver rejects a CRD otherwise: every
// node specifies a type (unless x-kubernetes-int-or-string or x-kubernetes-preserve-unknown-fields
// says otherwise), the root is an object, items is a single schema, and the keywords that
// structural schemas forbid ($ref, definitions, dependencies, patternProperties, additionalItems,
// ...) are absent. Issues are reported under `field_prefix`, e.g.
// "spec.versions[0].schema.openAPIV3Schema".
std::vector<FieldIssue> check_structural(const json& schema, const std::string& field_prefix);

}  // namespace cellar::testcluster
