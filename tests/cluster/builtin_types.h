// The resource types kube-apiserver serves without any CRD, as the test cluster knows them.
#pragma once

#include <vector>

#include "tests/cluster/resource_type.h"

namespace cellar::testcluster {

// namespaces, secrets, configmaps, persistentvolumeclaims, pods, events, serviceaccounts, services
// (v1); jobs (batch/v1); deployments (apps/v1); events (events.k8s.io/v1); leases
// (coordination.k8s.io/v1); clusterroles, clusterrolebindings, roles, rolebindings
// (rbac.authorization.k8s.io/v1); customresourcedefinitions (apiextensions.k8s.io/v1). Deployments
// and Services are stored objects only: nothing runs them.
std::vector<ResourceType> builtin_types();

// The two built-ins the cluster's own controllers act on.
ResourceType namespaces_type();
ResourceType crds_type();

}  // namespace cellar::testcluster
