// Small rules over an object's metadata that kube-apiserver applies whatever the resource: where
// it is kept, when it was made, its uid, generated names and name validation. In a namespace of
// their own, as their short names are ones other parts of the cluster use too.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/cluster/resource_type.h"

namespace cellar::testcluster::meta {

// "<group>/<plural>/<namespace>/<name>"; namespace empty for cluster-scoped types. Keys of one
// type (and one namespace) are contiguous in sorted order, so a list is a range scan.
std::string object_key(const ResourceType& type, const std::string& ns, const std::string& name);
// The prefix every key of `type` (in `ns`, when not empty) starts with.
std::string key_prefix(const ResourceType& type, const std::string& ns);

// Now, as metav1.Time puts it on the wire: RFC 3339, whole seconds, UTC ("2024-05-01T12:00:00Z").
std::string now_rfc3339();
// A random (version 4) UUID.
std::string new_uid();
// What generateName appends: 5 characters from the apiserver's alphabet (no vowels, so no words).
std::string random_name_suffix();

// The reasons `name` is not a valid object name of `type`, as field-error details; empty when it
// is valid. Namespaces need an RFC 1123 label, everything else an RFC 1123 subdomain.
std::vector<std::string> name_problems(const ResourceType& type, const std::string& name);

// The metav1.StatusCauses kube-apiserver's validation gives for incomplete ownerReferences in
// `metadata` (each needs apiVersion, kind, name and uid); empty when they are complete.
nlohmann::json owner_reference_causes(const nlohmann::json& metadata);

// A metav1.StatusCause for the Invalid error: `reason` is the field error type
// ("FieldValueInvalid"), `message` its body ("Invalid value: \"x\": ...").
nlohmann::json field_cause(const std::string& reason, const std::string& field,
                           const std::string& message);

}  // namespace cellar::testcluster::meta
