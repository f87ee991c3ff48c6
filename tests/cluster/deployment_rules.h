// What kube-apiserver's apps/v1 Deployment strategy does to a write: the defaults (replicas 1, a
// 25%/25% RollingUpdate, revisionHistoryLimit 10, progressDeadlineSeconds 600, the pod template's
// PodSpec defaults) and the essential checks of ValidateDeploymentSpec, in its words. The test
// cluster only stores Deployments: nothing makes their ReplicaSets or Pods. Pure functions.
#pragma once

#include <nlohmann/json.hpp>

namespace cellar::testcluster {

void default_deployment(nlohmann::json& deployment);

// Causes for the 422: replicas not negative; a selector that is set, valid, not empty and matches
// the template's labels; the template's labels and annotations; restartPolicy Always; no
// activeDeadlineSeconds. `old_deployment` (null on create): the selector may not change.
nlohmann::json deployment_causes(const nlohmann::json& deployment,
                                 const nlohmann::json& old_deployment);

}  // namespace cellar::testcluster
