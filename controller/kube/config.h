// Where the cluster is and how to authenticate to it: a kubeconfig or the in-cluster service
// account.
#pragma once

#include <string>

#include "controller/kube/error.h"

namespace cellar::kube {

struct Config {
  std::string server;  // "https://127.0.0.1:6443", no trailing slash
  std::string ca_pem;  // PEM of the CA that signs the server's certificate; empty: system roots
  bool insecure_skip_tls_verify = false;
  std::string client_cert_pem;
  std::string client_key_pem;
  std::string token;       // bearer token given inline
  std::string token_file;  // bearer token read from this file, re-read when it changes
  std::string tls_server_name;
  std::string ns;  // the context's namespace ("default" when unset)
};

// Reads a kubeconfig file: its current-context (or `context` when given), that context's cluster
// (server, certificate-authority[-data], insecure-skip-tls-verify, tls-server-name) and user
// (client-certificate[-data], client-key[-data], token, tokenFile) and namespace. Relative file
// paths are resolved against the kubeconfig's own folder, as kubectl does.
Result<Config> load_kubeconfig(const std::string& path, const std::string& context = "");

// Parses kubeconfig text; `base_dir` resolves relative paths.
Result<Config> parse_kubeconfig(const std::string& yaml, const std::string& base_dir,
                                const std::string& context = "");

// The pod's service account: KUBERNETES_SERVICE_HOST/PORT, the token file and CA under
// /var/run/secrets/kubernetes.io/serviceaccount (or `root` for tests).
Result<Config> in_cluster_config(
    const std::string& root = "/var/run/secrets/kubernetes.io/serviceaccount");

// The kubeconfig file to read, as kubectl finds it: an explicit --kubeconfig, then $KUBECONFIG
// (the first existing file of the list), then ~/.kube/config; empty when there is none.
std::string find_kubeconfig(const std::string& kubeconfig_flag);

// As controllers do: find_kubeconfig's file (its `context`, or its current one), else in-cluster.
Result<Config> load_config(const std::string& kubeconfig_flag, const std::string& context = "");

}  // namespace cellar::kube
