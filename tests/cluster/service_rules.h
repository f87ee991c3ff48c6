// What kube-apiserver's v1 Service strategy does to a write: the defaults (type ClusterIP,
// sessionAffinity None, internalTrafficPolicy Cluster, each port's protocol TCP and targetPort its
// port) and the essential checks of ValidateService, in its words. No cluster IP is allocated and
// nothing routes traffic: the test cluster only stores Services. Pure functions.
#pragma once

#include <nlohmann/json.hpp>

namespace cellar::testcluster {

void default_service(nlohmann::json& service);

// Causes for the 422: a supported type; ports (required unless headless or ExternalName) with
// names (required when there are several, unique), ports in 1-65535, a supported protocol; the
// selector's labels.
nlohmann::json service_causes(const nlohmann::json& service);

}  // namespace cellar::testcluster
