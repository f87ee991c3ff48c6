// What every `kubectl cellar` end-to-end test starts from: the BackupE2E fixture (real PostgreSQL,
// cellar-test-cluster, the real controller and agent) plus the real kubectl, which finds
// kubectl-cellar on its PATH as it would on a user's machine.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "tests/e2e/backup_fixture.h"

namespace cellar::testing {

// `text` split into its lines, without their '\n'.
std::vector<std::string> lines_of(const std::string& text);

class CliE2E : public BackupE2E {
 protected:
  // The environment kubectl runs in: this cluster's kubeconfig, the cluster's folder as HOME (as
  // TestCluster::kubectl does), and the plugin's folder first on PATH.
  std::vector<std::string> kubectl_env() const;

  // `kubectl cellar ARGS -n <test namespace>`, run to its end.
  CommandResult cellar(std::vector<std::string> args);

  // The same in the background, stdout piped for read_stdout_line, stderr into `stderr_path`.
  std::unique_ptr<ChildProcess> cellar_background(std::vector<std::string> args,
                                                  const std::string& stderr_path);

  // Reads the piped stdout until a line contains `text`; every line read goes into `seen`.
  static bool read_until(ChildProcess& child, const std::string& text, std::string& seen,
                         std::chrono::seconds within);

  // The rest of the piped stdout once the process ended.
  static std::string read_rest(ChildProcess& child);
};

}  // namespace cellar::testing
