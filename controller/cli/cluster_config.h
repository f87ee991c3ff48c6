// Which cluster and namespace kubectl-cellar talks to, found the way kubectl finds them, so the
// plugin always acts where `kubectl get` looks.
#pragma once

#include <string>

#include "controller/cli/cli_options.h"
#include "controller/kube/config.h"
#include "controller/kube/error.h"

namespace cellar::cli {

// --kubeconfig, else the first existing file of $KUBECONFIG (which kubectl passes on to its
// plugins), else ~/.kube/config, else the in-cluster service account; --context picks a context
// other than the current one. Unlike kubectl, a $KUBECONFIG list is not merged: its first
// existing file is read whole.
kube::Result<kube::Config> load_cluster_config(const ClusterFlags& flags);

// -n/--namespace, else the context's namespace ("default" when it sets none).
std::string target_namespace(const ClusterFlags& flags, const kube::Config& config);

}  // namespace cellar::cli
