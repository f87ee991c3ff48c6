// Encrypted dumps through the cluster: a Backup with spec.encryption, made by the real controller
// and agent (which runs Debian's age), lands age-encrypted on its volume; Restores of it with the
// right identity, the wrong one and none; recipients refused at apply time; and the identity
// (private key) found nowhere it must not be: logs, Events, status, Job args or env.
#include <gmock/gmock.h>

#include <filesystem>
#include <sstream>
#include <thread>

#include "tests/e2e/restore_fixture.h"
#include "tests/support/temp_dir.h"

namespace cellar::testing {
namespace {

namespace fs = std::filesystem;
using ::testing::EndsWith;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

constexpr const char* kAgeHeader = "age-encryption.org/v1\n";

struct KeyPair {
  std::string identity;   // the file age-keygen writes: comments and the AGE-SECRET-KEY-1 line
  std::string secret;     // the AGE-SECRET-KEY-1... line itself
  std::string recipient;  // age1...
  std::string file;       // where the identity is on the host
};

class EncryptionE2E : public RestoreE2E {
 protected:
  KeyPair keygen(const std::string& name) {
    KeyPair key;
    key.file = cluster_->dir() + "/" + name + ".key";
    ClientResult made = pg_->run_client({"age-keygen", "-o", key.file});
    EXPECT_EQ(made.exit_code, 0) << made.describe();
    key.identity = read_file(key.file);
    std::istringstream lines(key.identity);
    for (std::string line; std::getline(lines, line);) {
      if (line.starts_with("AGE-SECRET-KEY-1")) key.secret = line;
    }
    ClientResult pub = pg_->run_client({"age-keygen", "-y", key.file});
    key.recipient = pub.out.substr(0, pub.out.find('\n'));
    EXPECT_THAT(key.recipient, StartsWith("age1"));
    return key;
  }
  // Secret `name` holding `key`'s identity file under key "identity", as README says to make it.
  void apply_identity_secret(const std::string& name, const KeyPair& key) {
    kubectl({"create", "secret", "generic", name, "--from-file=identity=" + key.file});
  }
  std::string encryption_spec(const std::vector<const KeyPair*>& keys) {
    std::string spec = "  encryption:\n    ageRecipients:\n";
    for (const KeyPair* key : keys) spec += "      - " + key->recipient + "\n";
    return spec;
  }
  // Everything a person or a log collector can read of this test's run.
  std::string everything_readable() {
    std::string all;
    for (int i = 1; i <= controller_starts_; ++i) {
      all += read_file(cluster_->dir() + "/controller-" + std::to_string(i) + ".log");
    }
    all += cluster_->log();
    for (const char* kind : {"backups", "restores", "jobs", "pods", "events"}) {
      all += kubectl({"get", kind, "-o", "json"});
    }
    for (const std::string& job :
         {std::string("enc"), std::string("right-restore"), std::string("wrong-restore")}) {
      all += kubectl_result({"logs", "job/" + job}).out;
    }
    return all;
  }
};

TEST_F(EncryptionE2E, AnEncryptedBackupRestoresOnlyWithTheRightIdentity) {
  KeyPair alice = keygen("alice");
  KeyPair bob = keygen("bob");
  KeyPair mallory = keygen("mallory");
  completed_backup("enc", encryption_spec({&alice, &bob}));

  // Status: encrypted, the size and checksum of what is stored, pg_dump's own size, two
  // fingerprints; the file's name says age.
  const nlohmann::json status = get_backup("enc")["status"];
  EXPECT_EQ(status["encrypted"], true);
  EXPECT_EQ(status["recipientFingerprints"].size(), 2u) << status.dump();
  EXPECT_GT(status["plaintextSizeBytes"].get<int64_t>(), 0);
  EXPECT_THAT(status["location"].get<std::string>(), EndsWith(".dump.age"));
  EXPECT_THAT(status["message"].get<std::string>(), HasSubstr("age-encrypted to 2 recipient(s)"));

  const std::string file = dump_file_of("enc");
  const std::string stored = read_file(file);
  EXPECT_THAT(stored, StartsWith(kAgeHeader));
  EXPECT_EQ(status["sizeBytes"].get<uint64_t>(), stored.size());
  ClientResult sum = pg_->run_client({"sha256sum", file});
  EXPECT_EQ(status["checksum"], "sha256:" + sum.out.substr(0, sum.out.find(' ')));
  EXPECT_NE(pg_->run_client({pg_->bin_dir() + "/pg_restore", "--list", file}).exit_code, 0);
  const std::string plain = cluster_->dir() + "/enc.dump";
  ClientResult opened =
      pg_->run_client({"age", "--decrypt", "--identity", bob.file, "--output", plain, file});
  ASSERT_EQ(opened.exit_code, 0) << opened.describe();
  EXPECT_EQ(fs::file_size(plain), status["plaintextSizeBytes"].get<uint64_t>());
  EXPECT_EQ(pg_->run_client({pg_->bin_dir() + "/pg_restore", "--list", plain}).exit_code, 0);

  // -o wide shows it; the default columns stay as they were.
  EXPECT_THAT(kubectl({"get", "backups", "-o", "wide"}), HasSubstr("ENCRYPTED"));
  EXPECT_THAT(kubectl({"get", "backup/enc", "-o", "wide", "--no-headers"}), HasSubstr("true"));
  EXPECT_THAT(kubectl({"get", "backups"}), Not(HasSubstr("ENCRYPTED")));

  // No identity: Failed at once, no Job, naming what to set.
  apply_restore("none", "enc", "shop_none", "  createDatabase: true\n");
  ASSERT_TRUE(wait_for_restore("none", "Failed"));
  EXPECT_THAT(restore_field("none", ".status.message"),
              HasSubstr("age-encrypted to " + alice.recipient + "," + bob.recipient +
                        ": set spec.decryption.identitySecretRef"));
  EXPECT_EQ(restore_field("none", ".status.jobName"), "");

  // The wrong identity: the agent stops before the target is touched, naming both sides.
  pg_->create_database("kept");
  pg_->psql("kept", "CREATE TABLE keep (id int); INSERT INTO keep VALUES (1), (2)");
  const std::string before = tables_and_rows("kept");
  apply_identity_secret("mallory-key", mallory);
  apply_restore("wrong", "enc", "kept",
                "  clean: true\n  decryption:\n    identitySecretRef: {name: mallory-key, key: "
                "identity}\n");
  ASSERT_TRUE(wait_for_restore("wrong", "Failed"));
  EXPECT_THAT(
      restore_field("wrong", ".status.message"),
      HasSubstr("the age identity given is for " + mallory.recipient +
                ", but this dump was encrypted to " + alice.recipient + ", " + bob.recipient));
  EXPECT_EQ(tables_and_rows("kept"), before);

  // The right one (either recipient's) restores every row.
  apply_identity_secret("bob-key", bob);
  apply_restore("right", "enc", "shop_age",
                "  createDatabase: true\n  decryption:\n    identitySecretRef: {name: bob-key, "
                "key: identity}\n");
  ASSERT_TRUE(wait_for_restore("right", "Completed"));
  expect_same_rows("shop_age");

  // A missing identity Secret is said before any Job is made.
  apply_restore("nokey", "enc", "shop_nokey",
                "  createDatabase: true\n  decryption:\n    identitySecretRef: {name: gone, key: "
                "identity}\n");
  ASSERT_TRUE(wait_for_restore("nokey", "Failed"));
  EXPECT_THAT(restore_field("nokey", ".status.message"),
              HasSubstr("spec.decryption.identitySecretRef"));
  EXPECT_FALSE(database_exists("shop_nokey"));

  // The private keys are nowhere to be read: logs, Events, status, Job args and env.
  const std::string readable = everything_readable();
  for (const KeyPair* key : {&alice, &bob, &mallory}) {
    EXPECT_THAT(readable, Not(HasSubstr(key->secret))) << key->recipient;
  }
  const std::string jobs = kubectl({"get", "jobs", "-o", "json"});
  EXPECT_THAT(jobs, HasSubstr("CELLAR_AGE_IDENTITY_FILE"));
  EXPECT_THAT(jobs, HasSubstr("\"secretName\": \"bob-key\""));
}

TEST_F(EncryptionE2E, AnInvalidRecipientIsRefusedAtApplyNamingTheField) {
  CommandResult backup = cluster_->kubectl(
      {"apply", "-n", ns_, "-f", "-"}, std::chrono::seconds(60),
      "apiVersion: cellar.dev/v1alpha1\nkind: Backup\nmetadata:\n  name: bad\nspec:\n  database:\n"
      "    host: 127.0.0.1\n    name: shop\n    user: app\n    passwordSecretRef: {name: db, key: "
      "password}\n  storage:\n    persistentVolumeClaim: {claimName: dumps}\n  encryption:\n"
      "    ageRecipients: [AGE-SECRET-KEY-1NOTAPUBLICKEY]\n");
  EXPECT_NE(backup.exit_code, 0) << backup.describe();
  EXPECT_THAT(backup.err, HasSubstr("spec.encryption.ageRecipients[0]"));
  EXPECT_THAT(backup.err, HasSubstr("should match"));

  CommandResult schedule = cluster_->kubectl(
      {"apply", "-n", ns_, "-f", "-"}, std::chrono::seconds(60),
      "apiVersion: cellar.dev/v1alpha1\nkind: BackupSchedule\nmetadata:\n  name: bad\nspec:\n"
      "  schedule: '@daily'\n  backupTemplate:\n    database:\n      host: 127.0.0.1\n"
      "      name: shop\n      user: app\n      passwordSecretRef: {name: db, key: password}\n"
      "    storage:\n      persistentVolumeClaim: {claimName: dumps}\n    encryption:\n"
      "      ageRecipients: []\n");
  EXPECT_NE(schedule.exit_code, 0) << schedule.describe();
  EXPECT_THAT(schedule.err, HasSubstr("spec.backupTemplate.encryption.ageRecipients"));

  // The right shape with a mistyped character passes the schema; the controller's bech32 check
  // fails the Backup, naming the field, before any Job is made.
  KeyPair alice = keygen("alice");
  std::string typo = alice.recipient;
  typo[10] = typo[10] == 'q' ? 'p' : 'q';
  apply_backup("typo", "  encryption:\n    ageRecipients: [" + typo + "]\n");
  ASSERT_TRUE(wait_for_phase("typo", "Failed"));
  EXPECT_THAT(status_field("typo", ".status.message"),
              HasSubstr("spec.encryption.ageRecipients[0] is not an age public key"));
  EXPECT_EQ(status_field("typo", ".status.jobName"), "");
}

TEST_F(EncryptionE2E, AScheduleEncryptsTheBackupsItMakes) {
  KeyPair alice = keygen("alice");
  apply(
      "apiVersion: cellar.dev/v1alpha1\nkind: BackupSchedule\nmetadata:\n  name: nightly\n"
      "  annotations:\n    cellar.dev/trigger: now-1\nspec:\n  schedule: '@daily'\n"
      "  backupTemplate:\n    database:\n      host: 127.0.0.1\n      port: " +
      std::to_string(pg_->port()) +
      "\n      name: shop\n      user: app\n      passwordSecretRef: {name: db, key: password}\n"
      "    storage:\n      persistentVolumeClaim: {claimName: dumps, subPath: nightly}\n"
      "    encryption:\n      ageRecipients: [" +
      alice.recipient + "]\n");
  // kubectl wait cannot wait for a Backup that does not exist yet: look until it is there.
  std::string phase;
  for (int i = 0; i < 300 && phase != "Completed"; ++i) {
    if (i > 0) std::this_thread::sleep_for(std::chrono::milliseconds(200));
    phase = kubectl({"get", "backups", "-l", "cellar.dev/schedule=nightly", "-o",
                     "jsonpath={.items[*].status.phase}"});
  }
  ASSERT_EQ(phase, "Completed");
  const std::string encrypted = kubectl({"get", "backups", "-l", "cellar.dev/schedule=nightly",
                                         "-o", "jsonpath={.items[*].status.encrypted}"});
  EXPECT_EQ(encrypted, "true");
  const std::string recipients =
      kubectl({"get", "backups", "-l", "cellar.dev/schedule=nightly", "-o",
               "jsonpath={.items[*].spec.encryption.ageRecipients[0]}"});
  EXPECT_EQ(recipients, alice.recipient);
}

}  // namespace
}  // namespace cellar::testing
