// Backups end to end: the real cellar-controller, cellar-agent, kubectl and PostgreSQL against
// cellar-test-cluster.
#include <openssl/evp.h>
#include <signal.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "tests/e2e/backup_fixture.h"

namespace cellar::testing {
namespace {

namespace fs = std::filesystem;

std::string sha256_of_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr);
  char buf[65536];
  while (in.read(buf, sizeof buf) || in.gcount() > 0) {
    EVP_DigestUpdate(ctx, buf, static_cast<size_t>(in.gcount()));
  }
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_DigestFinal_ex(ctx, digest, &length);
  EVP_MD_CTX_free(ctx);
  std::string hex;
  char two[3];
  for (unsigned char b : std::string_view(reinterpret_cast<char*>(digest), length)) {
    std::snprintf(two, sizeof two, "%02x", b);
    hex += two;
  }
  return hex;
}

// The dump file a Completed Backup names, on the host.
std::string only_dump_in(const std::string& folder) {
  std::vector<std::string> files;
  if (fs::exists(folder)) {
    for (const auto& e : fs::directory_iterator(folder)) files.push_back(e.path().string());
  }
  EXPECT_EQ(files.size(), 1u) << "files in " << folder;
  return files.empty() ? "" : files[0];
}

TEST_F(BackupE2E, CompletesWithSizeAndChecksumOfTheDump) {
  apply_secret_and_claim("s3cret-app-pw");
  apply_backup("first");
  ASSERT_TRUE(wait_for_phase("first", "Completed"));

  nlohmann::json status = get_backup("first")["status"];
  const std::string file = only_dump_in(claim_folder() + "/shop");
  ASSERT_FALSE(file.empty());
  EXPECT_EQ(status["sizeBytes"].get<int64_t>(), static_cast<int64_t>(fs::file_size(file)));
  EXPECT_EQ(status["checksum"], "sha256:" + sha256_of_file(file));
  EXPECT_EQ(status["location"], "pvc://dumps/shop/" + fs::path(file).filename().string());
  EXPECT_FALSE(status["size"].get<std::string>().empty());
  EXPECT_TRUE(status["serverVersion"].get<std::string>().starts_with("15"));
  EXPECT_GT(status["databaseSizeBytes"].get<int64_t>(), 0);
  EXPECT_TRUE(status.contains("durationSeconds"));
  EXPECT_EQ(status["jobName"], "first");
  EXPECT_EQ(status["conditions"][0]["type"], "Ready");
  EXPECT_EQ(status["conditions"][0]["status"], "True");

  // The dump is a real one: pg_restore reads it, and it restores to the same rows.
  auto list = pg_->run_client({pg_->bin_dir() + "/pg_restore", "--list", file});
  ASSERT_EQ(list.exit_code, 0) << list.describe();
  pg_->create_database("restored");
  auto restore =
      pg_->run_client({pg_->bin_dir() + "/pg_restore", "--no-owner", "--dbname", "restored", file});
  ASSERT_EQ(restore.exit_code, 0) << restore.describe();
  for (const char* table : {"customers", "orders", "events"}) {
    const std::string count = std::string("SELECT count(*) FROM ") + table;
    EXPECT_EQ(pg_->psql("restored", count), pg_->psql("shop", count)) << table;
  }
}

TEST_F(BackupE2E, KubectlShowsPhaseAndSizeAndExplainsTheSpec) {
  apply_secret_and_claim("s3cret-app-pw");
  apply_backup("shown");
  ASSERT_TRUE(wait_for_phase("shown", "Completed"));
  const std::string table = kubectl({"get", "backups"});
  EXPECT_NE(table.find("PHASE"), std::string::npos) << table;
  EXPECT_NE(table.find("SIZE"), std::string::npos) << table;
  EXPECT_NE(table.find("Completed"), std::string::npos) << table;
  EXPECT_NE(table.find("iB"), std::string::npos) << table;
  const std::string wide = kubectl({"get", "bk", "-o", "wide"});
  EXPECT_NE(wide.find("MESSAGE"), std::string::npos) << wide;
  const std::string spec = kubectl({"explain", "backup.spec"});
  EXPECT_NE(spec.find("deletionPolicy"), std::string::npos) << spec;
  EXPECT_NE(spec.find("Immutable once created, except cancel"), std::string::npos) << spec;
  const std::string database = kubectl({"explain", "backup.spec.database"});
  EXPECT_NE(database.find("passwordSecretRef"), std::string::npos) << database;
}

TEST_F(BackupE2E, WrongPasswordFailsWithTheServersWordsAndNoRetryStorm) {
  apply_secret_and_claim("not-the-password");
  apply_backup("wrongpw");
  ASSERT_TRUE(wait_for_phase("wrongpw", "Failed"));
  EXPECT_NE(
      status_field("wrongpw", ".status.message").find("password authentication failed for user"),
      std::string::npos);
  // backoffLimit 1: two attempts, one Job, and nothing more once Failed.
  std::this_thread::sleep_for(std::chrono::seconds(2));
  reset_stats();
  std::this_thread::sleep_for(std::chrono::seconds(3));
  EXPECT_EQ(controller_writes(), 0);
  EXPECT_EQ(kubectl({"get", "jobs", "-o", "name"}), "job.batch/wrongpw\n");
  const std::string pods = kubectl({"get", "pods", "-l", "job-name=wrongpw", "-o", "name"});
  EXPECT_LE(std::count(pods.begin(), pods.end(), '\n'), 2) << pods;
}

TEST_F(BackupE2E, MissingSecretFailsBeforeAnyJobExists) {
  apply_backup("nosecret");
  ASSERT_TRUE(wait_for_phase("nosecret", "Failed"));
  EXPECT_NE(status_field("nosecret", ".status.message").find("Secret \"db\" not found"),
            std::string::npos);
  EXPECT_EQ(kubectl({"get", "jobs", "-o", "name"}), "");
}

TEST_F(BackupE2E, DeadlineExceededFailsTheBackup) {
  apply_secret_and_claim("s3cret-app-pw");
  lock_orders();
  apply_backup("slow", "  activeDeadlineSeconds: 3\n  backoffLimit: 0\n");
  ASSERT_TRUE(wait_for_phase("slow", "InProgress"));
  const int pid = container_pid("slow");
  ASSERT_GT(pid, 0);
  ASSERT_TRUE(wait_for_phase("slow", "Failed", 90));
  EXPECT_NE(status_field("slow", ".status.message").find("DeadlineExceeded"), std::string::npos);
  EXPECT_TRUE(process_gone(pid, 10)) << "agent pid " << pid;
}

TEST_F(BackupE2E, CancelStopsTheDump) {
  apply_secret_and_claim("s3cret-app-pw");
  lock_orders();
  apply_backup("cancelled");
  ASSERT_TRUE(wait_for_phase("cancelled", "InProgress"));
  const int pid = container_pid("cancelled");
  ASSERT_GT(pid, 0);
  kubectl({"patch", "backup/cancelled", "--type=merge", "-p", R"({"spec":{"cancel":true}})"});
  ASSERT_TRUE(wait_for_phase("cancelled", "Cancelled"));
  // The dump's process goes with its Job.
  EXPECT_TRUE(process_gone(pid, 10)) << "agent pid " << pid;
  EXPECT_EQ(kubectl({"get", "jobs", "-o", "name"}), "");
}

TEST_F(BackupE2E, ControllerKilledMidBackupAdoptsTheSameJob) {
  apply_secret_and_claim("s3cret-app-pw");
  lock_orders();
  apply_backup("survivor");
  ASSERT_TRUE(wait_for_phase("survivor", "InProgress"));
  const std::string job_uid = kubectl({"get", "job/survivor", "-o", "jsonpath={.metadata.uid}"});
  kill_controller(SIGKILL);
  unlock_orders();
  start_controller();
  ASSERT_TRUE(wait_for_phase("survivor", "Completed"));
  EXPECT_EQ(kubectl({"get", "jobs", "-o", "name"}), "job.batch/survivor\n");
  EXPECT_EQ(kubectl({"get", "job/survivor", "-o", "jsonpath={.metadata.uid}"}), job_uid);
}

TEST_F(BackupE2E, DeletionPolicyDeleteRemovesTheDump) {
  apply_secret_and_claim("s3cret-app-pw");
  apply_backup("doomed", "  deletionPolicy: Delete\n");
  ASSERT_TRUE(wait_for_phase("doomed", "Completed"));
  const std::string file = only_dump_in(claim_folder() + "/shop");
  ASSERT_TRUE(fs::exists(file));
  kubectl({"delete", "backup/doomed", "--timeout=60s"});
  EXPECT_FALSE(fs::exists(file));
  EXPECT_EQ(kubectl({"get", "backups", "-o", "name"}), "");
}

TEST_F(BackupE2E, OneSuccessfulBackupTakesFewWrites) {
  ASSERT_TRUE(count_one_backup("counted"));
  const int writes = controller_writes();
  std::cout << "API writes for one successful Backup: " << writes << "\n";
  EXPECT_LE(writes, 4);  // its Job, InProgress, Completed, one Event (DESIGN)
}

TEST_F(BackupE2E, OneBackupReadsItsSecretAndClaimOnce) {
  ASSERT_TRUE(count_one_backup("checked"));
  auto stats = cluster_->get_hook("stats");
  ASSERT_TRUE(stats.ok()) << stats.error().to_string();
  const nlohmann::json reads =
      (*stats)["readsByUserAgent"].value("cellar-controller", nlohmann::json::object());
  // Asked beside the Job's creation; the passes the Job's and Pod's first events bring before
  // status names the Job do not ask again.
  EXPECT_EQ(reads.value("/secrets/get"_json_pointer, 0), 1) << reads.dump();
  EXPECT_EQ(reads.value("/persistentvolumeclaims/get"_json_pointer, 0), 1) << reads.dump();
}

TEST_F(BackupE2E, IdleControllerWithManyCompletedBackupsWritesNothing) {
  kill_controller(SIGTERM);
  apply_secret_and_claim("s3cret-app-pw");
  auto client = cluster_->client();
  const kube::Resource backups{"cellar.dev", "v1alpha1", "backups", true};
  for (int i = 0; i < 100; ++i) {
    const std::string name = "done-" + std::to_string(i);
    apply_backup(name);
    auto current = client->get(backups, ns_, name);
    ASSERT_TRUE(current.ok());
    nlohmann::json object = *current;
    object["status"] = {{"phase", "Completed"}, {"sizeBytes", 1024}, {"size", "1.00 KiB"}};
    ASSERT_TRUE(client->update_status(backups, ns_, object).ok());
  }
  start_controller();
  ASSERT_EQ(kubectl({"get", "backups", "-o", "name"}).size() > 0, true);
  std::this_thread::sleep_for(std::chrono::seconds(2));  // caches synced, first passes done
  reset_stats();
  std::this_thread::sleep_for(std::chrono::seconds(30));
  EXPECT_EQ(controller_writes(), 0);
}

}  // namespace
}  // namespace cellar::testing

namespace cellar::testing {
namespace {

TEST_F(BackupE2E, SpecIsImmutableExceptCancel) {
  apply_secret_and_claim("s3cret-app-pw");
  apply_backup("fixed");
  ASSERT_TRUE(wait_for_phase("fixed", "Completed"));
  CommandResult r = kubectl_result(
      {"patch", "backup/fixed", "--type=merge", "-p", R"({"spec":{"database":{"name":"other"}}})"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("spec.database is immutable"), std::string::npos) << r.describe();
}

TEST_F(BackupE2E, CancelCannotBeTakenBack) {
  apply_secret_and_claim("s3cret-app-pw");
  apply_backup("once", "  cancel: true\n");
  ASSERT_TRUE(wait_for_phase("once", "Cancelled"));
  CommandResult r = kubectl_result(
      {"patch", "backup/once", "--type=merge", "-p", R"({"spec":{"cancel":false}})"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("cannot be set back to false"), std::string::npos) << r.describe();
}

TEST_F(BackupE2E, MissingClaimFailsBeforeAnyJobExists) {
  apply(R"(apiVersion: v1
kind: Secret
metadata:
  name: db
stringData:
  password: s3cret-app-pw
)");
  apply_backup("noclaim");
  ASSERT_TRUE(wait_for_phase("noclaim", "Failed"));
  EXPECT_NE(
      status_field("noclaim", ".status.message").find("PersistentVolumeClaim \"dumps\" not found"),
      std::string::npos);
  EXPECT_EQ(kubectl({"get", "jobs", "-o", "name"}), "");
}

TEST_F(BackupE2E, AJobItDoesNotOwnIsNeverTouched) {
  apply_secret_and_claim("s3cret-app-pw");
  apply(R"(apiVersion: batch/v1
kind: Job
metadata:
  name: taken
spec:
  suspend: true
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: main
          image: busybox
          command: [sh, -c, "true"]
)");
  const std::string uid = kubectl({"get", "job/taken", "-o", "jsonpath={.metadata.uid}"});
  apply_backup("taken");
  ASSERT_TRUE(wait_for_phase("taken", "Failed"));
  EXPECT_NE(status_field("taken", ".status.message").find("does not belong to this Backup"),
            std::string::npos);
  EXPECT_EQ(kubectl({"get", "job/taken", "-o", "jsonpath={.metadata.uid}"}), uid);
}

TEST_F(BackupE2E, FailedDumpDeletionKeepsTheBackupAndSaysWhy) {
  apply_secret_and_claim("s3cret-app-pw");
  apply_backup("stuck", "  deletionPolicy: Delete\n");
  ASSERT_TRUE(wait_for_phase("stuck", "Completed"));
  // Nobody may remove the dump now, not even the agent.
  const std::string file = only_dump_in(claim_folder() + "/shop");
  CommandResult locked = run_command({"chattr", "+i", file});
  ASSERT_EQ(locked.exit_code, 0) << locked.describe();
  kubectl({"delete", "backup/stuck", "--wait=false"});
  std::string message;
  for (int i = 0; i < 900 && message.find("Could not delete") == std::string::npos; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    message = status_field("stuck", ".status.message");
  }
  EXPECT_NE(message.find("Could not delete the dump"), std::string::npos) << message;
  EXPECT_EQ(status_field("stuck", ".metadata.finalizers[0]"), "cellar.dev/delete-dump");
  EXPECT_NE(kubectl({"get", "events", "--field-selector", "reason=CleanupFailed"}).find("stuck"),
            std::string::npos);
  EXPECT_TRUE(fs::exists(file));

  // Fixed, and the failed cleanup Job deleted as the message says: the next one succeeds.
  run_command({"chattr", "-i", file});
  const std::string cleanup =
      kubectl({"get", "jobs", "-l", "cellar.dev/purpose=delete-dump", "-o", "name"});
  ASSERT_FALSE(cleanup.empty());
  kubectl({"delete", cleanup.substr(0, cleanup.find('\n'))});
  CommandResult gone = kubectl_result({"wait", "--for=delete", "backup/stuck", "--timeout=90s"});
  EXPECT_EQ(gone.exit_code, 0) << gone.describe();
  EXPECT_FALSE(fs::exists(file));
}

// Any legal name works: the Job's name and the cellar.dev/backup label on it and its Pods are cut
// to 63 characters (kube-apiserver refuses longer label values with 422).
TEST_F(BackupE2E, ABackupWithASeventyCharacterNameCompletes) {
  const std::string name = "orders-before-the-spring-migration-of-the-warehouse-schema-to-v2-00001";
  ASSERT_EQ(name.size(), 70u);
  apply_secret_and_claim("s3cret-app-pw");
  apply_backup(name);
  ASSERT_TRUE(wait_for_phase(name, "Completed"));
  const std::string job = status_field(name, ".status.jobName");
  EXPECT_LE(job.size(), 63u);
  const std::string label =
      kubectl({"get", "job/" + job, "-o", "jsonpath={.metadata.labels.cellar\\.dev/backup}"});
  EXPECT_EQ(label, job);
  EXPECT_EQ(kubectl({"get", "job/" + job, "-o", "jsonpath={.metadata.ownerReferences[0].name}"}),
            name);
  EXPECT_GT(std::stoll(status_field(name, ".status.sizeBytes")), 0);
}

// An answer retrying cannot change ends the Backup Failed with the server's words, and then
// nothing more is written: no retry loop.
TEST_F(BackupE2E, AJobTheApiServerRefusesFailsTheBackupWithoutRetrying) {
  apply_secret_and_claim("s3cret-app-pw");
  auto fault = cluster_->post_hook(
      "faults", {{"failNext",
                  {{"count", 1},
                   {"code", 422},
                   {"method", "POST"},
                   {"pathPrefix", "/apis/batch/v1/namespaces/" + ns_ + "/jobs"}}}});
  ASSERT_TRUE(fault.ok()) << fault.error().to_string();
  apply_backup("refused");
  ASSERT_TRUE(wait_for_phase("refused", "Failed"));
  EXPECT_EQ(status_field("refused", ".status.message"),
            "The API server refused Job refused: injected fault");
  EXPECT_EQ(kubectl({"get", "jobs", "-o", "name"}), "");
  std::this_thread::sleep_for(std::chrono::seconds(1));
  reset_stats();
  std::this_thread::sleep_for(std::chrono::seconds(5));
  EXPECT_EQ(controller_writes(), 0);
}

// The namespace lifecycle forbids new objects (the dump's cleanup Job) in a namespace being
// deleted: the Backup's finalizer must still let go, or the namespace stays Terminating for good.
TEST_F(BackupE2E, DeletingTheNamespaceOfADeletePolicyBackupFinishes) {
  apply_secret_and_claim("s3cret-app-pw");
  apply_backup("last-one", "  deletionPolicy: Delete\n");
  ASSERT_TRUE(wait_for_phase("last-one", "Completed"));
  CommandResult deleted = cluster_->kubectl({"delete", "namespace", ns_, "--timeout=60s"});
  EXPECT_EQ(deleted.exit_code, 0) << deleted.describe();
  CommandResult gone = cluster_->kubectl({"get", "namespace", ns_});
  EXPECT_NE(gone.exit_code, 0) << gone.describe();
  EXPECT_NE(gone.err.find("NotFound"), std::string::npos) << gone.describe();
}

}  // namespace
}  // namespace cellar::testing
