// kube-apiserver's validation of an object's metadata, whatever the resource: names and generated
// names, labels, annotations, finalizers, ownerReferences, and what an update may not change
// (apimachinery's ValidateObjectMeta / ValidateObjectMetaUpdate, with the stricter finalizer rule
// the built-in types add). Each problem is a metav1.StatusCause with kube-apiserver's words, in its
// order, for ApiError::invalid. Pure functions over the JSON document.
//
// The wording is that of kube-apiserver 1.33 (the kubectl these tests drive): lengths are
// "characters", the annotations' limit is "may not be more than 262144 bytes".
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/cluster/resource_type.h"

namespace cellar::testcluster::meta {

// The longest name kube-apiserver generates: generateName is cut to 58 characters before its five
// random ones are appended, so a generated name always fits a label (63).
inline constexpr size_t kMaxGeneratedNameLength = 58;
// The sum of the annotations' keys and values, in bytes.
inline constexpr size_t kMaxAnnotationsSize = 262144;

// The name kube-apiserver makes of `generate_name` and a random `suffix` (random_name_suffix()).
std::string generated_name(const std::string& generate_name, const std::string& suffix);

// The reasons `name` is not a valid object name of `type`, each a whole cause message
// ("Invalid value: \"x\": ..."); empty when it is valid. Namespaces need an RFC 1123 label, core
// v1 Events and RBAC objects only a name that fits a URL path segment, Services an RFC 1035 label,
// everything else an RFC 1123 subdomain.
// `prefix`: `name` is a generateName, which may end in '-'.
std::vector<std::string> name_problems(const ResourceType& type, const std::string& name,
                                       bool prefix = false);

// IsQualifiedName: label keys, annotation keys (lower-cased first), finalizers.
std::vector<std::string> qualified_name_problems(const std::string& value);
// IsValidLabelValue.
std::vector<std::string> label_value_problems(const std::string& value);

// Causes for a labels map at `field` ("metadata.labels", "spec.template.labels"), keys in order.
nlohmann::json label_causes(const nlohmann::json& labels, const std::string& field);
// Causes for an annotations map at `field`: keys, then the total size.
nlohmann::json annotation_causes(const nlohmann::json& annotations, const std::string& field);
// Causes for metadata.finalizers: qualified names, orphan with foregroundDeletion, and for the
// built-in types (not CRDs, custom resources or core Events) a name without '/' must be one of
// the standard ones (kubernetes, orphan, foregroundDeletion).
nlohmann::json finalizer_causes(const ResourceType& type, const nlohmann::json& finalizers);
// The causes kube-apiserver gives for metadata.ownerReferences: apiVersion (its version), kind,
// name and uid required, no Event as owner, at most one controller.
nlohmann::json owner_reference_causes(const nlohmann::json& metadata);

// ValidateObjectMeta on create, after the name was generated: name, generateName, labels,
// annotations, ownerReferences, finalizers.
nlohmann::json create_causes(const ResourceType& type, const nlohmann::json& metadata);
// ValidateObjectMetaUpdate: no new finalizer once being deleted; uid, deletionTimestamp and
// deletionGracePeriodSeconds unchanged (the server restores name, namespace, creationTimestamp
// and generation itself, as BeforeUpdate does); labels, annotations, ownerReferences, finalizers.
nlohmann::json update_causes(const ResourceType& type, const nlohmann::json& metadata,
                             const nlohmann::json& old_metadata);

// The warnings (Warning headers) kube-apiserver gives for finalizers a write adds to a custom
// resource without a '/' in their name; `old_object` null on create.
std::vector<std::string> finalizer_warnings(const nlohmann::json& object,
                                            const nlohmann::json& old_object);

// A metav1.StatusCause for the Invalid error: `reason` is the field error type
// ("FieldValueInvalid"), `message` its body ("Invalid value: \"x\": ...").
nlohmann::json field_cause(const std::string& reason, const std::string& field,
                           const std::string& message);

// Go's %q of a string, as field errors quote values.
std::string quoted(const std::string& value);

// Go's %#v of a map[string]string (labels), as field errors print one.
std::string go_string_map(const nlohmann::json& labels);

}  // namespace cellar::testcluster::meta
