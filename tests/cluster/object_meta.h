// Small rules over an object's metadata that kube-apiserver applies whatever the resource: where
// it is kept, when it was made, its uid and generated names (validation: meta_validation.h). In a
// namespace of their own, as their short names are ones other parts of the cluster use too.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

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

}  // namespace cellar::testcluster::meta
