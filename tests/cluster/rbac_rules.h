// kube-apiserver's validation of rbac.authorization.k8s.io/v1 objects, in its words: a Role's or
// ClusterRole's rules (verbs, and api groups and resources for resource rules), a binding's roleRef
// (a RoleBinding may name a Role or a ClusterRole, a ClusterRoleBinding only a ClusterRole; it
// cannot change once made) and subjects. The test cluster stores RBAC objects but does not
// authorize by them: every request with the token may do anything. Pure functions.
#pragma once

#include <nlohmann/json.hpp>

#include "tests/cluster/resource_type.h"

namespace cellar::testcluster {

// True for the four RBAC types.
bool is_rbac(const ResourceType& type);

// Causes for the 422 of a write of `object` (a Role, ClusterRole, RoleBinding or
// ClusterRoleBinding); `old_object` is null on create.
nlohmann::json rbac_causes(const ResourceType& type, const nlohmann::json& object,
                           const nlohmann::json& old_object);

}  // namespace cellar::testcluster
