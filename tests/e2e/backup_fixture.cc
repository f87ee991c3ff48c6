#include "tests/e2e/backup_fixture.h"

#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <fstream>
#include <thread>

namespace cellar::testing {

namespace {

constexpr const char* kAppPassword = "s3cret-app-pw";

}  // namespace

void BackupE2E::SetUp() {
  std::string error;
  pg_ = PostgresServer::start(&error);
  ASSERT_NE(pg_, nullptr) << error;
  pg_->create_database("shop");
  pg_->load_sample_data("shop");
  pg_->create_role("app", kAppPassword);
  pg_->psql("shop", "GRANT SELECT ON ALL TABLES IN SCHEMA public TO app");
  pg_->psql("shop", "GRANT SELECT ON ALL SEQUENCES IN SCHEMA public TO app");

  TestClusterOptions options;
  options.images.push_back(std::string(kAgentImage) + "=" + CELLAR_AGENT_BIN);
  options.extra_args = cluster_args_;
  cluster_ = TestCluster::start(options);
  ASSERT_NE(cluster_, nullptr);
  auto crds = cluster_->kubectl({"apply", "-f", CELLAR_SOURCE_DIR "/crds/"});
  ASSERT_EQ(crds.exit_code, 0) << crds.describe();
  auto established = cluster_->kubectl(
      {"wait", "--for=condition=Established", "crd/backups.cellar.dev", "--timeout=30s"});
  ASSERT_EQ(established.exit_code, 0) << established.describe();
  auto ns = cluster_->kubectl({"apply", "-f", "-"}, std::chrono::seconds(60),
                              "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: " + ns_ + "\n");
  ASSERT_EQ(ns.exit_code, 0) << ns.describe();
  if (start_controller_in_setup_) start_controller();
}

void BackupE2E::TearDown() {
  if (HasFailure() && cluster_) {
    std::cerr << "--- controller log ---\n"
              << read_file(cluster_->dir() + "/controller-" + std::to_string(controller_starts_) +
                           ".log")
              << "--- backups ---\n"
              << cluster_->kubectl({"get", "backups", "-n", ns_, "-o", "yaml"}).out;
  }
  unlock();
  if (controller_) controller_->terminate();
  controller_.reset();
  cluster_.reset();
  pg_.reset();
}

void BackupE2E::start_controller() {
  ++controller_starts_;
  ChildProcessOptions o;
  o.argv = {CELLAR_CONTROLLER_BIN, "--kubeconfig", cluster_->kubeconfig_path()};
  o.argv.insert(o.argv.end(), controller_args_.begin(), controller_args_.end());
  o.env = controller_env_;
  o.stderr_path = cluster_->dir() + "/controller-" + std::to_string(controller_starts_) + ".log";
  std::string error;
  controller_ = ChildProcess::spawn(o, &error);
  ASSERT_NE(controller_, nullptr) << error;
}

void BackupE2E::kill_controller(int signo) {
  controller_->signal(signo);
  controller_->wait(std::chrono::seconds(10));
  controller_.reset();
}

CommandResult BackupE2E::kubectl_result(const std::vector<std::string>& args) {
  std::vector<std::string> full = args;
  full.push_back("-n");
  full.push_back(ns_);
  return cluster_->kubectl(full);
}

std::string BackupE2E::kubectl(const std::vector<std::string>& args) {
  CommandResult r = kubectl_result(args);
  EXPECT_EQ(r.exit_code, 0) << r.describe();
  return r.out;
}

void BackupE2E::apply(const std::string& yaml) {
  CommandResult r =
      cluster_->kubectl({"apply", "-n", ns_, "-f", "-"}, std::chrono::seconds(60), yaml);
  ASSERT_EQ(r.exit_code, 0) << r.describe() << "\n" << yaml;
}

void BackupE2E::apply_secret_and_claim(const std::string& password) {
  apply(R"(apiVersion: v1
kind: Secret
metadata:
  name: db
stringData:
  password: ")" +
        password + R"("
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: dumps
spec:
  accessModes: [ReadWriteOnce]
  resources:
    requests:
      storage: 1Gi
)");
}

void BackupE2E::apply_backup(const std::string& name, const std::string& extra_spec) {
  apply(R"(apiVersion: cellar.dev/v1alpha1
kind: Backup
metadata:
  name: )" +
        name + R"(
spec:
  database:
    host: 127.0.0.1
    port: )" +
        std::to_string(pg_->port()) + R"(
    name: shop
    user: app
    passwordSecretRef: {name: db, key: password}
  storage:
    persistentVolumeClaim: {claimName: dumps, subPath: shop}
)" + extra_spec);
}

bool BackupE2E::wait_for_phase(const std::string& name, const std::string& phase, int seconds) {
  CommandResult r =
      kubectl_result({"wait", "--for=jsonpath={.status.phase}=" + phase, "backup/" + name,
                      "--timeout=" + std::to_string(seconds) + "s"});
  if (r.exit_code != 0) {
    ADD_FAILURE() << "backup/" << name << " did not reach " << phase << ": " << r.describe() << "\n"
                  << get_backup(name).dump(2);
    return false;
  }
  return true;
}

std::string BackupE2E::status_field(const std::string& name, const std::string& jsonpath) {
  return kubectl({"get", "backup/" + name, "-o", "jsonpath={" + jsonpath + "}"});
}

nlohmann::json BackupE2E::get_backup(const std::string& name) {
  CommandResult r = kubectl_result({"get", "backup/" + name, "-o", "json"});
  if (r.exit_code != 0) return nullptr;
  return nlohmann::json::parse(r.out, nullptr, false);
}

std::string BackupE2E::claim_folder(const std::string& claim) const {
  return cluster_->volume_root() + "/" + ns_ + "/" + claim;
}

int BackupE2E::controller_writes() {
  auto stats = cluster_->get_hook("stats");
  EXPECT_TRUE(stats.ok()) << (stats.ok() ? "" : stats.error().to_string());
  if (!stats.ok()) return -1;
  return (*stats)["writesByUserAgent"].value("cellar-controller", 0);
}

void BackupE2E::reset_stats() {
  auto r = cluster_->post_hook("stats/reset");
  ASSERT_TRUE(r.ok()) << r.error().to_string();
}

bool BackupE2E::count_one_backup(const std::string& name) {
  apply_secret_and_claim("s3cret-app-pw");
  reset_stats();
  apply_backup(name);
  if (!wait_for_phase(name, "Completed")) return false;
  std::this_thread::sleep_for(std::chrono::seconds(1));
  return true;
}

void BackupE2E::lock_orders() {
  lock_table("shop", "orders");
}

void BackupE2E::lock_table(const std::string& db, const std::string& table) {
  ChildProcessOptions o;
  o.argv = {"/usr/bin/psql",
            "-d",
            db,
            "-v",
            "ON_ERROR_STOP=1",
            "-c",
            "BEGIN; LOCK TABLE " + table + " IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(600);"};
  o.env = pg_->superuser_env();
  o.env.push_back("PGAPPNAME=cellar-test-locker");
  o.stdout_path = pg_->folder() + "/locker.out";
  o.stderr_path = pg_->folder() + "/locker.err";
  std::string error;
  locker_ = ChildProcess::spawn(o, &error);
  ASSERT_NE(locker_, nullptr) << error;
  // The lock is held once the session waits in pg_sleep.
  for (int i = 0; i < 100; ++i) {
    if (pg_->psql(db,
                  "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
                  "WHERE c.relname = '" +
                      table + "' AND l.mode = 'AccessExclusiveLock' AND l.granted") == "1") {
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  FAIL() << "the lock on " << table << " was not taken";
}

void BackupE2E::unlock() {
  if (!locker_) return;
  // The server keeps a backend sleeping in pg_sleep after its client goes: end it there.
  pg_->psql("postgres",
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE application_name = 'cellar-test-locker'");
  locker_->terminate(std::chrono::seconds(2));
  locker_.reset();
}

int BackupE2E::container_pid(const std::string& job) {
  const std::string id = kubectl({"get", "pods", "-l", "job-name=" + job, "-o",
                                  "jsonpath={.items[0].status.containerStatuses[0].containerID}"});
  const std::string prefix = "cellar://";
  return id.starts_with(prefix) ? std::stoi(id.substr(prefix.size())) : 0;
}

bool BackupE2E::process_gone(int pid, int seconds) {
  for (int i = 0; i < seconds * 10; ++i) {
    if (kill(pid, 0) != 0 && errno == ESRCH) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return false;
}

void BackupE2E::apply_schedule(const std::string& name, const std::string& cron,
                               const std::string& extra_spec, const std::string& trigger) {
  std::string metadata = "  name: " + name + "\n";
  if (!trigger.empty()) {
    metadata += "  annotations:\n    cellar.dev/trigger: \"" + trigger + "\"\n";
  }
  apply("apiVersion: cellar.dev/v1alpha1\nkind: BackupSchedule\nmetadata:\n" + metadata +
        "spec:\n  schedule: \"" + cron + "\"\n" + extra_spec + R"(  backupTemplate:
    database:
      host: 127.0.0.1
      port: )" +
        std::to_string(pg_->port()) +
        R"(
      name: shop
      user: app
      passwordSecretRef: {name: db, key: password}
    storage:
      persistentVolumeClaim: {claimName: dumps, subPath: )" +
        name + "}\n");
}

}  // namespace cellar::testing
