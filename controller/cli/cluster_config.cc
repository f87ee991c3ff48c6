#include "controller/cli/cluster_config.h"

namespace cellar::cli {

kube::Result<kube::Config> load_cluster_config(const ClusterFlags& flags) {
  return kube::load_config(flags.kubeconfig, flags.context);
}

std::string target_namespace(const ClusterFlags& flags, const kube::Config& config) {
  if (!flags.ns.empty()) return flags.ns;
  return config.ns.empty() ? "default" : config.ns;
}

}  // namespace cellar::cli
