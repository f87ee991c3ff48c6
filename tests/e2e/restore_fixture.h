// What every Restore end-to-end test starts from: BackupE2E (a real PostgreSQL, the test cluster,
// the real controller), the Backup's Secret and claim, and a Secret for the server's owner, whom
// restores run as (the dump recreates tables it owns); and helpers to read what a restore left.
#pragma once

#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "tests/e2e/backup_fixture.h"

namespace cellar::testing {

inline const char* const kTables[] = {"customers", "orders", "events"};

class RestoreE2E : public BackupE2E {
 protected:
  void SetUp() override {
    BackupE2E::SetUp();
    if (HasFatalFailure()) return;
    apply_secret_and_claim("s3cret-app-pw");
    // Restores run as the server's owner: the dump recreates tables it owns.
    apply(R"(apiVersion: v1
kind: Secret
metadata:
  name: pg-admin
stringData:
  password: ")" +
          pg_->password() + "\"\n");
  }

  // A Backup of shop, waited for until Completed.
  void completed_backup(const std::string& name, const std::string& extra_spec = "") {
    apply_backup(name, extra_spec);
    ASSERT_TRUE(wait_for_phase(name, "Completed"));
  }

  void apply_restore(const std::string& name, const std::string& backup, const std::string& target,
                     const std::string& extra_spec = "", const std::string& secret = "pg-admin") {
    apply("apiVersion: cellar.dev/v1alpha1\nkind: Restore\nmetadata:\n  name: " + name +
          "\nspec:\n  backupName: " + backup + "\n  target:\n    host: 127.0.0.1\n    port: " +
          std::to_string(pg_->port()) + "\n    name: " + target +
          "\n    user: postgres\n    passwordSecretRef: {name: " + secret + ", key: password}\n" +
          extra_spec);
  }

  bool wait_for_restore(const std::string& name, const std::string& phase, int seconds = 60) {
    CommandResult r =
        kubectl_result({"wait", "--for=jsonpath={.status.phase}=" + phase, "restore/" + name,
                        "--timeout=" + std::to_string(seconds) + "s"});
    if (r.exit_code != 0) {
      ADD_FAILURE() << "restore/" << name << " not " << phase << ": " << r.describe() << "\n"
                    << kubectl_result({"get", "restore/" + name, "-o", "yaml"}).out;
    }
    return r.exit_code == 0;
  }

  std::string restore_field(const std::string& name, const std::string& jsonpath) {
    return kubectl({"get", "restore/" + name, "-o", "jsonpath={" + jsonpath + "}"});
  }

  bool database_exists(const std::string& db) {
    return pg_->psql("postgres", "SELECT count(*) FROM pg_database WHERE datname = '" + db + "'") ==
           "1";
  }

  // "table:rows" for every table of db's public schema, in name order.
  std::string tables_and_rows(const std::string& db) {
    std::string out;
    const std::string tables = pg_->psql(
        db, "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename");
    std::istringstream lines(tables);
    for (std::string table; std::getline(lines, table);) {
      if (table.empty()) continue;
      out += table + ":" + pg_->psql(db, "SELECT count(*) FROM " + table) + " ";
    }
    return out;
  }

  void expect_same_rows(const std::string& restored) {
    for (const char* table : kTables) {
      const std::string count = std::string("SELECT count(*) FROM ") + table;
      EXPECT_EQ(pg_->psql(restored, count), pg_->psql("shop", count)) << table;
    }
  }

  // The dump file of Completed Backup `backup`, on the host.
  std::string dump_file_of(const std::string& backup) {
    const std::string location = status_field(backup, ".status.location");
    const std::string prefix = "pvc://dumps/";
    EXPECT_TRUE(location.starts_with(prefix)) << location;
    return claim_folder() + "/" + location.substr(prefix.size());
  }
};

}  // namespace cellar::testing
