// Backups end to end with controllers the test starts itself: one or more cellar-controller
// replicas with --leader-elect (told apart by the identity in their user agent and the Lease's
// holder), and helpers to read the Lease, the test cluster's write log and an HTTP endpoint.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "tests/e2e/backup_fixture.h"

namespace cellar::testing {

struct Replica {
  std::unique_ptr<ChildProcess> process;
  std::string log_path;
};

struct LoggedWrite {
  int64_t micros = 0;
  std::string method;
  std::string path;
  std::string user_agent;
  int code = 0;
};

class ReplicasE2E : public BackupE2E {
 protected:
  ReplicasE2E() { start_controller_in_setup_ = false; }
  void TearDown() override;

  // Starts a replica with --leader-elect and `extra` flags; its index in replicas_.
  size_t start_replica(const std::vector<std::string>& extra);
  // The Lease cellar-controller in namespace default, as JSON; null when absent.
  nlohmann::json lease();
  std::string lease_holder();
  // Waits until the Lease names a holder other than `not_this` (empty: any); "" on timeout.
  std::string wait_for_holder(const std::string& not_this, std::chrono::milliseconds timeout);
  // The user agent of the replica with this identity.
  static std::string user_agent(const std::string& identity);
  // Every user agent of a cellar-controller replica that made any request since the last reset.
  std::vector<std::string> replica_user_agents();
  std::map<std::string, int> writes_by_user_agent();
  std::vector<LoggedWrite> write_log();
  // curl's answer: "<status>\n<body>".
  static CommandResult http_get(const std::string& url);

  std::vector<Replica> replicas_;
};

}  // namespace cellar::testing
