// The kubeconfig that lets kubectl and Cellar's client reach the test cluster: one cluster
// (server URL and the CA as certificate-authority-data), one user (the bearer token) and the
// context `cellar-test`, current, with namespace `default`.
#pragma once

#include <string>

namespace cellar::testcluster {

struct KubeconfigContents {
  std::string server;  // "https://127.0.0.1:PORT"
  std::string ca_pem;
  std::string token;
};

// The kubeconfig YAML.
std::string render_kubeconfig(const KubeconfigContents& contents);

// Writes the kubeconfig to `path` atomically (a temp file beside it, then rename), readable by
// its owner only since it holds the token. False with *error on failure.
bool write_kubeconfig(const std::string& path, const KubeconfigContents& contents,
                      std::string* error);

}  // namespace cellar::testcluster
