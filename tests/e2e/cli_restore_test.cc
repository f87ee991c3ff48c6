// `kubectl cellar restore` end to end: the real kubectl runs kubectl-cellar against
// cellar-test-cluster; the real cellar-controller and cellar-agent make the Backup from a real
// PostgreSQL and restore it into another database on the same server.
#include <map>
#include <regex>

#include "tests/e2e/cli_fixture.h"

namespace cellar::testing {
namespace {

// The tables of the sample database (PostgresServer::load_sample_data).
const std::vector<std::string> kTables = {"customers", "orders", "events"};

// The name from "restore.cellar.dev/<name> created".
std::string restore_name(const std::string& out) {
  std::smatch m;
  static const std::regex created("^restore\\.cellar\\.dev/([a-z0-9.-]+) created$");
  const std::string first = lines_of(out).empty() ? "" : lines_of(out).front();
  return std::regex_match(first, m, created) ? m[1].str() : "";
}

class CliRestoreE2E : public CliE2E {
 protected:
  void SetUp() override {
    CliE2E::SetUp();
    if (HasFatalFailure()) return;
    // As a Restore usually runs: as the application's own role, which owns its tables (a restore
    // recreates each object under its owner, so the role must be that owner) and may create
    // databases (--create).
    for (const std::string& table : kTables) {
      pg_->psql("shop", "ALTER TABLE " + table + " OWNER TO app");
    }
    pg_->psql("postgres", "ALTER ROLE app CREATEDB");
  }

  // A Completed Backup `name` of database shop, dumped as role app.
  void completed_backup(const std::string& name) {
    apply_secret_and_claim("s3cret-app-pw");
    apply_backup(name);
    ASSERT_TRUE(wait_for_phase(name, "Completed"));
  }

  nlohmann::json get_restore(const std::string& name) {
    CommandResult r = kubectl_result({"get", "restore/" + name, "-o", "json"});
    if (r.exit_code != 0) return nullptr;
    return nlohmann::json::parse(r.out, nullptr, false);
  }

  std::string row_count(const std::string& db, const std::string& table) {
    return pg_->psql(db, "SELECT count(*) FROM " + table);
  }
};

TEST_F(CliRestoreE2E, RestoreIntoANewDatabaseWaitsForCompletedAndHasEveryRow) {
  completed_backup("shop-now");

  CommandResult r =
      cellar({"restore", "shop-now", "--to-database", "shop_check", "--create", "--wait"});
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  EXPECT_EQ(r.err, "");
  const std::vector<std::string> lines = lines_of(r.out);
  ASSERT_GE(lines.size(), 3u) << r.describe();
  const std::string name = restore_name(r.out);
  ASSERT_FALSE(name.empty()) << r.describe();
  EXPECT_TRUE(std::regex_match(name, std::regex("shop-now-restore-[a-z0-9]{5}"))) << name;
  // Each phase on its line with whole seconds since the create, then the end.
  const std::regex phase_line("(Pending|InProgress) \\([0-9]+s\\)");
  bool in_progress = false;
  for (size_t i = 1; i + 1 < lines.size(); ++i) {
    EXPECT_TRUE(std::regex_match(lines[i], phase_line)) << lines[i];
    in_progress = in_progress || lines[i].starts_with("InProgress (");
  }
  EXPECT_TRUE(in_progress) << r.out;
  std::smatch done;
  ASSERT_TRUE(std::regex_match(lines.back(), done,
                               std::regex("Completed \\(into shop_check in ([0-9]+)s\\)")))
      << r.out;

  // The Restore is the one printed, aimed where the Backup's database was, under the new name.
  nlohmann::json restore = get_restore(name);
  ASSERT_TRUE(restore.is_object());
  EXPECT_EQ(restore["spec"]["backupName"], "shop-now");
  EXPECT_EQ(restore["spec"]["target"]["host"], "127.0.0.1");
  EXPECT_EQ(restore["spec"]["target"]["port"], pg_->port());
  EXPECT_EQ(restore["spec"]["target"]["name"], "shop_check");
  EXPECT_EQ(restore["spec"]["target"]["user"], "app");
  EXPECT_EQ(restore["spec"]["target"]["passwordSecretRef"],
            (nlohmann::json{{"name", "db"}, {"key", "password"}}));
  EXPECT_EQ(restore["spec"]["createDatabase"], true);
  EXPECT_EQ(restore["status"]["phase"], "Completed");
  EXPECT_EQ(std::to_string(restore["status"]["durationSeconds"].get<int64_t>()), done[1].str());
  EXPECT_EQ(restore["status"]["backup"]["checksum"], status_field("shop-now", ".status.checksum"));

  // The new database holds what the source holds.
  for (const std::string& table : kTables) {
    const std::string source = row_count("shop", table);
    EXPECT_FALSE(source.empty()) << table;
    EXPECT_EQ(row_count("shop_check", table), source) << table;
  }
}

TEST_F(CliRestoreE2E, AnEncryptedBackupRestoresWithTheIdentitySecretAndNotWithout) {
  const std::string key_file = cluster_->dir() + "/shop.key";
  ClientResult made = pg_->run_client({"age-keygen", "-o", key_file});
  ASSERT_EQ(made.exit_code, 0) << made.describe();
  const std::string recipient = pg_->run_client({"age-keygen", "-y", key_file}).out;
  apply_secret_and_claim("s3cret-app-pw");
  apply_backup("sealed", "  encryption:\n    ageRecipients: [" +
                             recipient.substr(0, recipient.find('\n')) + "]\n");
  ASSERT_TRUE(wait_for_phase("sealed", "Completed"));

  // Without the identity: refused before anything is created, saying which flag to give.
  CommandResult refused = cellar({"restore", "sealed", "--to-database", "shop_sealed", "--create"});
  EXPECT_EQ(refused.exit_code, 1) << refused.describe();
  EXPECT_NE(refused.err.find("--identity-secret SECRET[:KEY]"), std::string::npos)
      << refused.describe();
  EXPECT_EQ(kubectl({"get", "restores", "-o", "name"}), "");

  kubectl({"create", "secret", "generic", "shop-key", "--from-file=identity=" + key_file});
  CommandResult r = cellar({"restore", "sealed", "--to-database", "shop_sealed", "--create",
                            "--identity-secret", "shop-key", "--wait"});
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  nlohmann::json restore = get_restore(restore_name(r.out));
  ASSERT_TRUE(restore.is_object());
  EXPECT_EQ(restore["spec"]["decryption"]["identitySecretRef"],
            (nlohmann::json{{"name", "shop-key"}, {"key", "identity"}}));
  for (const std::string& table : kTables) {
    EXPECT_EQ(row_count("shop_sealed", table), row_count("shop", table)) << table;
  }
}

TEST_F(CliRestoreE2E, ARestoreThatFailsExitsOneWithTheControllersMessage) {
  completed_backup("shop-now");
  std::map<std::string, std::string> before;
  for (const std::string& table : kTables) before[table] = row_count("shop", table);

  // --create into the database that exists: the Restore fails, and what was there stays.
  CommandResult r = cellar({"restore", "shop-now", "--to-database", "shop", "--create", "--wait"});
  EXPECT_EQ(r.exit_code, 1) << r.describe();
  const std::string name = restore_name(r.out);
  ASSERT_FALSE(name.empty()) << r.describe();
  nlohmann::json restore = get_restore(name);
  ASSERT_TRUE(restore.is_object());
  EXPECT_EQ(restore["status"]["phase"], "Failed");
  const std::string message = restore["status"].value("message", "");
  EXPECT_FALSE(message.empty());
  EXPECT_EQ(r.err, "Failed: " + message + "\n") << r.describe();
  for (const std::string& table : kTables) {
    EXPECT_EQ(row_count("shop", table), before[table]) << table;
  }
}

TEST_F(CliRestoreE2E, AFailedBackupIsRefusedWithItsPhaseAndMessage) {
  apply_secret_and_claim("not-the-password");
  apply_backup("shop-bad", "  backoffLimit: 0\n");
  ASSERT_TRUE(wait_for_phase("shop-bad", "Failed"));
  const std::string message = status_field("shop-bad", ".status.message");
  ASSERT_NE(message.find("password authentication failed"), std::string::npos) << message;

  CommandResult r =
      cellar({"restore", "shop-bad", "--to-database", "shop_check", "--create", "--wait"});
  EXPECT_EQ(r.exit_code, 1) << r.describe();
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err,
            "error: Backup \"shop-bad\" is Failed, not Completed: only a Completed Backup can be "
            "restored (status.message: " +
                message + ")\n");
  // Refused before anything was created.
  EXPECT_EQ(kubectl({"get", "restores", "-o", "name"}), "");
}

TEST_F(CliRestoreE2E, AMissingBackupIsAnErrorNamingIt) {
  CommandResult r = cellar({"restore", "absent", "--to-database", "shop_check", "--wait"});
  EXPECT_EQ(r.exit_code, 1) << r.describe();
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, "error: backup \"absent\" not found in namespace \"backups\"\n");
  EXPECT_EQ(kubectl({"get", "restores", "-o", "name"}), "");
}

TEST_F(CliRestoreE2E, WithoutWaitItReturnsOnceCreatedWithTheFlagsInItsTarget) {
  // A Backup name as long as a label value may be: the generated Restore name still fits 63.
  const std::string backup(63, 'b');
  completed_backup(backup);

  CommandResult generated =
      cellar({"restore", backup, "--to-database", "elsewhere", "--host", "db.invalid", "--port",
              "6543", "--user", "restorer", "--password-secret", "other:pw", "--clean"});
  ASSERT_EQ(generated.exit_code, 0) << generated.describe();
  EXPECT_EQ(generated.err, "");
  const std::string name = restore_name(generated.out);
  ASSERT_FALSE(name.empty()) << generated.describe();
  EXPECT_EQ(generated.out, "restore.cellar.dev/" + name + " created\n");
  EXPECT_LE(name.size(), 63u) << name;
  EXPECT_TRUE(std::regex_match(name, std::regex("b{38}-[0-9a-f]{10}-restore-[a-z0-9]{5}"))) << name;

  nlohmann::json restore = get_restore(name);
  ASSERT_TRUE(restore.is_object());
  EXPECT_EQ(restore["spec"]["backupName"], backup);
  EXPECT_EQ(restore["spec"]["target"],
            (nlohmann::json{{"host", "db.invalid"},
                            {"port", 6543},
                            {"name", "elsewhere"},
                            {"user", "restorer"},
                            {"passwordSecretRef", {{"name", "other"}, {"key", "pw"}}}}));
  EXPECT_EQ(restore["spec"]["clean"], true);
  EXPECT_EQ(restore["spec"]["createDatabase"], false);

  // A chosen name is used as given, and refused the second time.
  CommandResult chosen = cellar({"restore", backup, "--to-database", "x", "--name", "by-hand"});
  EXPECT_EQ(chosen.exit_code, 0) << chosen.describe();
  EXPECT_EQ(chosen.out, "restore.cellar.dev/by-hand created\n");
  CommandResult again = cellar({"restore", backup, "--to-database", "x", "--name", "by-hand"});
  EXPECT_EQ(again.exit_code, 1) << again.describe();
  EXPECT_EQ(again.err,
            "error: restores.cellar.dev \"by-hand\" already exists in namespace \"backups\"\n");
}

}  // namespace
}  // namespace cellar::testing
