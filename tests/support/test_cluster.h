// A running cellar-test-cluster for one test: its own folder, kubeconfig, volume root and port.
//
// TestCluster::start() runs the binary (CELLAR_TEST_CLUSTER_BIN) with a fresh temp folder and
// waits for it to print `ready`; the destructor stops it and removes the folder. Helpers talk to
// it the ways the tests need: as Cellar's own client does (config()), through the /cellar-test/v1
// hooks (faults, compact, stats; see tests/cluster/README.md), and through real kubectl.
#pragma once

#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "controller/kube/client.h"
#include "controller/kube/config.h"
#include "controller/kube/error.h"
#include "tests/support/child_process.h"
#include "tests/support/temp_dir.h"
#include "tests/support/tool_path.h"

namespace cellar::testing {

struct TestClusterOptions {
  // --image IMAGE=PATH mappings for the job runner: the program a container of IMAGE runs.
  std::vector<std::string> images;
  // Further command-line arguments, for tests of the binary itself.
  std::vector<std::string> extra_args;
};

class TestCluster {
 public:
  // Starts a cluster and waits up to 30 s for `ready`. On failure records a GoogleTest failure
  // (with the server's log) and returns nullptr; callers ASSERT_NE(cluster, nullptr).
  static std::unique_ptr<TestCluster> start(const TestClusterOptions& options = {});
  // stop(), then the temp folder goes.
  ~TestCluster();
  TestCluster(const TestCluster&) = delete;
  TestCluster& operator=(const TestCluster&) = delete;

  const std::string& kubeconfig_path() const { return kubeconfig_path_; }
  const std::string& volume_root() const { return volume_root_; }
  // The cluster's own temp folder; tests may put their files (manifests) here too.
  const std::string& dir() const { return dir_.path(); }
  // The kubeconfig as Cellar's client reads it.
  const kube::Config& config() const { return config_; }
  // A client for this cluster over HTTPS.
  std::unique_ptr<kube::Client> client(const kube::ClientOptions& options = {}) const;

  // POST/GET on a test hook. `path` is relative to /cellar-test/v1 ("faults", "stats/reset") or
  // absolute ("/cellar-test/v1/compact").
  kube::Result<nlohmann::json> post_hook(const std::string& path,
                                         const nlohmann::json& body = nlohmann::json::object());
  kube::Result<nlohmann::json> get_hook(const std::string& path);

  // Runs kubectl (kubectl_path()) with KUBECONFIG pointing at this cluster, `stdin_text` as its
  // input.
  CommandResult kubectl(const std::vector<std::string>& args,
                        std::chrono::milliseconds timeout = std::chrono::seconds{60},
                        const std::string& stdin_text = "") const;
  // Starts kubectl in the background (e.g. `get -w`), its stdout going to `stdout_path` and its
  // stderr to `stdout_path` + ".err"; nullptr when it cannot start.
  std::unique_ptr<ChildProcess> kubectl_background(const std::vector<std::string>& args,
                                                   const std::string& stdout_path) const;

  // The server's stderr so far (its log), for failure messages.
  std::string log() const;

  // SIGTERM and wait (SIGKILL after 10 s). Returns the server's exit status; idempotent.
  int stop();

 private:
  TestCluster() = default;

  TempDir dir_{"cellar-cluster"};
  std::string kubeconfig_path_;
  std::string volume_root_;
  std::string log_path_;
  kube::Config config_;
  std::unique_ptr<ChildProcess> process_;
  std::shared_ptr<kube::Transport> transport_;
  std::unique_ptr<kube::Client> hooks_;
  std::optional<int> exit_status_;
};

}  // namespace cellar::testing
