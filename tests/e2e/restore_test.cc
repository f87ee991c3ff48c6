// Restores end to end: a real Backup by the real controller and agent, then a Restore of it into
// the same real PostgreSQL, checked by what the target database holds afterwards.
#include <signal.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "tests/e2e/restore_fixture.h"

namespace cellar::testing {
namespace {

namespace fs = std::filesystem;

TEST_F(RestoreE2E, RestoresIntoANewDatabaseWithEveryRowOfTheSource) {
  completed_backup("src");
  apply_restore("copy", "src", "shop_copy", "  createDatabase: true\n");
  ASSERT_TRUE(wait_for_restore("copy", "Completed"));
  expect_same_rows("shop_copy");

  const nlohmann::json status =
      nlohmann::json::parse(kubectl({"get", "restore/copy", "-o", "jsonpath={.status}"}));
  EXPECT_EQ(status["backup"]["name"], "src");
  EXPECT_EQ(status["backup"]["checksum"], status_field("src", ".status.checksum"));
  EXPECT_EQ(status["backup"]["location"], status_field("src", ".status.location"));
  EXPECT_EQ(status["jobName"], "copy-restore");
  EXPECT_TRUE(status.contains("durationSeconds"));
  EXPECT_NE(status["message"].get<std::string>().find("checksum verified"), std::string::npos);
  EXPECT_EQ(status["conditions"][0]["type"], "Ready");
  EXPECT_EQ(status["conditions"][0]["status"], "True");

  const std::string table = kubectl({"get", "restores"});
  for (const char* column : {"PHASE", "BACKUP", "TARGET", "DURATION", "AGE"}) {
    EXPECT_NE(table.find(column), std::string::npos) << table;
  }
  EXPECT_NE(table.find("shop_copy"), std::string::npos) << table;
  EXPECT_NE(kubectl({"get", "rst", "-o", "wide"}).find("MESSAGE"), std::string::npos);
  const std::string events =
      kubectl({"get", "events", "--field-selector", "involvedObject.kind=Restore", "-o",
               "jsonpath={.items[*].reason}"});
  EXPECT_NE(events.find("Completed"), std::string::npos) << events;
}

TEST_F(RestoreE2E, APlainAndACompressedPlainBackupRestoreToo) {
  completed_backup("plain", "  format: plain\n");
  completed_backup("plaingz", "  format: plain\n  compressionLevel: 6\n");
  EXPECT_TRUE(status_field("plaingz", ".status.location").ends_with(".sql.gz"));
  apply_restore("fromplain", "plain", "shop_plain", "  createDatabase: true\n");
  apply_restore("fromgz", "plaingz", "shop_gz", "  createDatabase: true\n");
  ASSERT_TRUE(wait_for_restore("fromplain", "Completed"));
  ASSERT_TRUE(wait_for_restore("fromgz", "Completed"));
  expect_same_rows("shop_plain");
  expect_same_rows("shop_gz");
}

TEST_F(RestoreE2E, ADumpAlteredByOneByteFailsAndTouchesNothing) {
  completed_backup("tampered");
  const std::string file = dump_file_of("tampered");
  {
    std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
    f.seekg(static_cast<std::streamoff>(fs::file_size(file) / 2));
    char c = 0;
    f.read(&c, 1);
    f.seekp(static_cast<std::streamoff>(fs::file_size(file) / 2));
    c = static_cast<char>(c ^ 0x01);
    f.write(&c, 1);
  }
  pg_->create_database("victim");
  pg_->psql("victim", "CREATE TABLE keep (id int); INSERT INTO keep SELECT generate_series(1, 7)");
  const std::string before = tables_and_rows("victim");

  apply_restore("into-victim", "tampered", "victim");
  apply_restore("into-new", "tampered", "never_made", "  createDatabase: true\n");
  ASSERT_TRUE(wait_for_restore("into-victim", "Failed"));
  ASSERT_TRUE(wait_for_restore("into-new", "Failed"));
  for (const char* name : {"into-victim", "into-new"}) {
    EXPECT_NE(restore_field(name, ".status.message")
                  .find("checksum mismatch: the dump is not the one that was backed up"),
              std::string::npos)
        << restore_field(name, ".status.message");
  }
  EXPECT_EQ(tables_and_rows("victim"), before);
  EXPECT_EQ(before, "keep:7 ");
  EXPECT_FALSE(database_exists("never_made"));
}

TEST_F(RestoreE2E, AFailureHalfWayLeavesTheTargetExactlyAsItWas) {
  completed_backup("full");
  // A target that already holds a table the dump creates, with other columns and rows.
  pg_->create_database("busy");
  pg_->psql("busy",
            "CREATE TABLE aaa_first (id int); INSERT INTO aaa_first VALUES (1), (2);"
            "CREATE TABLE orders (note text); INSERT INTO orders VALUES ('mine')");
  const std::string before = tables_and_rows("busy");
  apply_restore("conflict", "full", "busy");
  ASSERT_TRUE(wait_for_restore("conflict", "Failed"));
  const std::string message = restore_field("conflict", ".status.message");
  EXPECT_NE(message.find("already exists"), std::string::npos) << message;
  EXPECT_EQ(tables_and_rows("busy"), before);

  // With clean, what the dump recreates is dropped first, in the same transaction: a database
  // holding an older state of the same tables comes back to the dump's rows; other tables stay.
  apply_restore("first", "full", "stale", "  createDatabase: true\n");
  ASSERT_TRUE(wait_for_restore("first", "Completed"));
  pg_->psql("stale", "DELETE FROM events; CREATE TABLE mine (id int); INSERT INTO mine VALUES (1)");
  apply_restore("cleaned", "full", "stale", "  clean: true\n");
  ASSERT_TRUE(wait_for_restore("cleaned", "Completed"));
  expect_same_rows("stale");
  EXPECT_EQ(pg_->psql("stale", "SELECT count(*) FROM mine"), "1");
}

TEST_F(RestoreE2E, MissingOrFailedBackupsAndAWrongPasswordFailClearlyOnce) {
  apply_secret_and_claim("not-the-password");
  apply_backup("broken");
  ASSERT_TRUE(wait_for_phase("broken", "Failed"));
  apply(R"(apiVersion: v1
kind: Secret
metadata:
  name: wrong
stringData:
  password: "not-the-admin-password"
)");
  apply_restore("of-nothing", "no-such-backup", "x");
  apply_restore("of-failed", "broken", "x");
  ASSERT_TRUE(wait_for_restore("of-nothing", "Failed"));
  ASSERT_TRUE(wait_for_restore("of-failed", "Failed"));
  EXPECT_EQ(restore_field("of-nothing", ".status.message"),
            "Backup \"no-such-backup\" not found in namespace \"backups\": fix spec.backupName, "
            "or create a new Restore of an existing Backup");
  EXPECT_EQ(restore_field("of-failed", ".status.message"),
            "Backup \"broken\" is Failed, not Completed: only a Completed Backup can be restored");
  EXPECT_EQ(kubectl({"get", "jobs", "-l", "cellar.dev/restore", "-o", "name"}), "");

  // A Completed Backup (the Secret fixed), restored with a wrong password for the target.
  apply_secret_and_claim("s3cret-app-pw");
  completed_backup("good");
  apply_restore("badpw", "good", "shop", "", "wrong");
  ASSERT_TRUE(wait_for_restore("badpw", "Failed"));
  EXPECT_NE(restore_field("badpw", ".status.message").find("password authentication failed"),
            std::string::npos)
      << restore_field("badpw", ".status.message");
  // Settled: no more writes, one Pod (backoffLimit 0).
  std::this_thread::sleep_for(std::chrono::seconds(2));
  reset_stats();
  std::this_thread::sleep_for(std::chrono::seconds(3));
  EXPECT_EQ(controller_writes(), 0);
  const std::string pods = kubectl({"get", "pods", "-l", "job-name=badpw-restore", "-o", "name"});
  EXPECT_EQ(std::count(pods.begin(), pods.end(), '\n'), 1) << pods;
}

TEST_F(RestoreE2E, AMissingTargetSecretFailsBeforeAnyJob) {
  completed_backup("ok");
  apply_restore("nosecret", "ok", "x", "", "absent");
  ASSERT_TRUE(wait_for_restore("nosecret", "Failed"));
  EXPECT_EQ(restore_field("nosecret", ".status.message"),
            "Secret \"absent\" not found in namespace \"backups\": create it, or fix "
            "spec.target.passwordSecretRef.name");
  EXPECT_EQ(kubectl({"get", "jobs", "-l", "cellar.dev/restore", "-o", "name"}), "");
}

TEST_F(RestoreE2E, ControllerKilledMidRestoreAdoptsTheSameJobAndRestoresOnce) {
  completed_backup("once");
  // The target's customers table is locked, so the restore's DROP (clean) waits in its
  // transaction while the controller is killed and started again.
  pg_->create_database("slow");
  pg_->psql("slow", "CREATE TABLE customers (id int)");
  lock_table("slow", "customers");
  apply_restore("survivor", "once", "slow", "  clean: true\n");
  ASSERT_TRUE(wait_for_restore("survivor", "InProgress"));
  const std::string job_uid =
      kubectl({"get", "job/survivor-restore", "-o", "jsonpath={.metadata.uid}"});
  kill_controller(SIGKILL);
  start_controller();
  std::this_thread::sleep_for(std::chrono::seconds(2));
  unlock();
  ASSERT_TRUE(wait_for_restore("survivor", "Completed"));
  EXPECT_EQ(kubectl({"get", "jobs", "-l", "cellar.dev/restore", "-o", "name"}),
            "job.batch/survivor-restore\n");
  EXPECT_EQ(kubectl({"get", "job/survivor-restore", "-o", "jsonpath={.metadata.uid}"}), job_uid);
  const std::string pods =
      kubectl({"get", "pods", "-l", "job-name=survivor-restore", "-o", "name"});
  EXPECT_EQ(std::count(pods.begin(), pods.end(), '\n'), 1) << pods;
  expect_same_rows("slow");
}

TEST_F(RestoreE2E, RestoringIntoADatabaseBeingDumpedSaysSo) {
  completed_backup("earlier");
  lock_orders();
  apply_backup("running");
  ASSERT_TRUE(wait_for_phase("running", "InProgress"));
  // Allowed (the restore itself fails here: shop holds the tables already), and said.
  apply_restore("overlap", "earlier", "shop");
  std::string reasons;
  for (int i = 0; i < 60 && reasons.find("TargetBeingBackedUp") == std::string::npos; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    reasons = kubectl({"get", "events", "--field-selector",
                       "involvedObject.kind=Restore,involvedObject.name=overlap", "-o",
                       "jsonpath={.items[*].reason}"});
  }
  EXPECT_NE(reasons.find("TargetBeingBackedUp"), std::string::npos) << reasons;
  ASSERT_TRUE(wait_for_restore("overlap", "Failed"));
  unlock();
  ASSERT_TRUE(wait_for_phase("running", "Completed"));
}

TEST_F(RestoreE2E, SpecIsImmutable) {
  completed_backup("fixed");
  apply_restore("frozen", "fixed", "shop_frozen", "  createDatabase: true\n");
  CommandResult r = kubectl_result(
      {"patch", "restore/frozen", "--type=merge", "-p", R"({"spec":{"clean":true}})"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("spec is immutable; create a new Restore instead"), std::string::npos)
      << r.describe();
}

}  // namespace
}  // namespace cellar::testing
