// What every Backup end-to-end test starts: a real PostgreSQL with sample data, cellar-test-cluster
// (its job runner maps the agent image to the real cellar-agent), Cellar's CRDs applied with the
// real kubectl, and the real cellar-controller. Each test gets its own namespace.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "tests/support/child_process.h"
#include "tests/support/postgres_server.h"
#include "tests/support/test_cluster.h"

namespace cellar::testing {

inline constexpr const char* kAgentImage = "cellar-agent:e2e";

class BackupE2E : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  // The controller, started (again) against the cluster, its log in the cluster's folder.
  void start_controller();
  void kill_controller(int signo);

  // kubectl with the test's namespace; fails the test when kubectl does.
  std::string kubectl(const std::vector<std::string>& args);
  CommandResult kubectl_result(const std::vector<std::string>& args);
  void apply(const std::string& yaml);
  // Secret "db" (key "password") with `password`, and PVC "dumps".
  void apply_secret_and_claim(const std::string& password);
  // A Backup of database "shop" as role "app"; `extra_spec` lines (YAML, 4-space indented) are
  // added to its spec.
  void apply_backup(const std::string& name, const std::string& extra_spec = "");
  // A BackupSchedule `name` of database shop (as role app, dumps into PVC dumps, folder `name`).
  // `extra_spec` lines are YAML indented 2 spaces (under spec); `trigger`, when not empty, is the
  // cellar.dev/trigger annotation it is created with.
  void apply_schedule(const std::string& name, const std::string& cron,
                      const std::string& extra_spec = "", const std::string& trigger = "");
  // kubectl wait for the phase; returns false (and records the Backup) on timeout.
  bool wait_for_phase(const std::string& name, const std::string& phase, int seconds = 60);
  std::string status_field(const std::string& name, const std::string& jsonpath);
  nlohmann::json get_backup(const std::string& name);
  // Where a PVC of this namespace lives on the host.
  std::string claim_folder(const std::string& claim = "dumps") const;
  // Writes by the controller (by its user agent) since the last reset.
  int controller_writes();
  void reset_stats();
  // With the Secret and claim in place, the test cluster's counters reset, then Backup `name`
  // applied and followed to Completed, and a second more for anything late: what one successful
  // Backup costs is then in the stats. False when it did not complete.
  bool count_one_backup(const std::string& name);
  // A connection holding an ACCESS EXCLUSIVE lock on shop.orders, so pg_dump waits.
  void lock_orders();
  // The same on `table` of database `db` (one lock at a time).
  void lock_table(const std::string& db, const std::string& table);
  void unlock();
  void unlock_orders() { unlock(); }
  // The host pid of the running container of Job `job` (the test cluster reports it in the Pod's
  // containerID as cellar://<pid>); 0 when there is none.
  int container_pid(const std::string& job);
  // Waits up to `seconds` for a process to be gone; true once it is.
  static bool process_gone(int pid, int seconds);

  std::string ns_ = "backups";
  // Further cellar-test-cluster arguments, set before SetUp (e.g. --watch-window).
  std::vector<std::string> cluster_args_;
  // The controller's arguments after `--kubeconfig FILE`; a test may replace them before SetUp
  // (e.g. with a Deployment's rendered container args).
  std::vector<std::string> controller_args_ = {"--agent-image", kAgentImage, "--log-level",
                                               "debug"};
  // "NAME=VALUE" entries added to the controller's environment at its next start.
  std::vector<std::string> controller_env_;
  // False: SetUp starts no controller (tests that run their own, e.g. several replicas).
  bool start_controller_in_setup_ = true;
  std::unique_ptr<PostgresServer> pg_;
  std::unique_ptr<TestCluster> cluster_;
  std::unique_ptr<ChildProcess> controller_;
  std::unique_ptr<ChildProcess> locker_;
  int controller_starts_ = 0;
};

}  // namespace cellar::testing
