#include "controller/cli/restore_request.h"

#include <gtest/gtest.h>

#include "controller/api/restore.h"
#include "controller/kube/names.h"

namespace cellar::cli {
namespace {

using api::Phase;

api::Backup completed_backup(const std::string& name = "shop-nightly-202611280200") {
  api::Backup b;
  b.meta.name = name;
  b.meta.ns = "shop";
  b.spec.database = {"postgres.shop.svc", 5433, "shop", "app", {"shop-db", "password"}, "require"};
  b.spec.storage.persistent_volume_claim = api::PvcStorage{"backups", "shop"};
  b.status.phase = Phase::kCompleted;
  b.status.location = "pvc://backups/shop/" + name + "-0badcafe.dump";
  b.status.checksum = "sha256:" + std::string(64, 'a');
  return b;
}

RestoreOptions into(const std::string& database) {
  RestoreOptions o;
  o.backup = "shop-nightly-202611280200";
  o.database = database;
  return o;
}

TEST(RestoreRequestTest, TheTargetIsTheBackupsDatabaseUnderAnotherName) {
  RestoreOptions o = into("shop_check");
  o.create_database = true;
  const nlohmann::json r = make_restore(completed_backup(), o);
  EXPECT_EQ(r["apiVersion"], "cellar.dev/v1alpha1");
  EXPECT_EQ(r["kind"], "Restore");
  EXPECT_EQ(r["metadata"],
            (nlohmann::json{{"generateName", "shop-nightly-202611280200-restore-"}}));

  std::vector<std::string> errors;
  const api::RestoreSpec spec = api::parse_restore_spec(r["spec"], &errors);
  EXPECT_TRUE(errors.empty()) << errors.front();
  EXPECT_EQ(spec.backup_name, "shop-nightly-202611280200");
  EXPECT_EQ(
      spec.target,
      (api::DatabaseSpec{
          "postgres.shop.svc", 5433, "shop_check", "app", {"shop-db", "password"}, "require"}));
  EXPECT_TRUE(spec.create_database);
  EXPECT_FALSE(spec.clean);
  EXPECT_EQ(spec.active_deadline_seconds, 3600);
  EXPECT_EQ(spec.backoff_limit, 0);
}

TEST(RestoreRequestTest, FlagsReplaceTheBackupsValues) {
  RestoreOptions o = into("shop");
  o.host = "pg-staging.shop.svc";
  o.port = 5432;
  o.user = "restorer";
  o.password_secret = api::SecretKeyRef{"staging-db", "pw"};
  o.clean = true;
  o.name = "staging-refresh";
  const nlohmann::json r = make_restore(completed_backup(), o);
  EXPECT_EQ(r["metadata"], (nlohmann::json{{"name", "staging-refresh"}}));
  std::vector<std::string> errors;
  const api::RestoreSpec spec = api::parse_restore_spec(r["spec"], &errors);
  EXPECT_EQ(spec.target,
            (api::DatabaseSpec{
                "pg-staging.shop.svc", 5432, "shop", "restorer", {"staging-db", "pw"}, "require"}));
  EXPECT_TRUE(spec.clean);
  EXPECT_FALSE(spec.create_database);
}

TEST(RestoreRequestTest, GenerateNameKeepsItsSuffixWithinWhatTheServerKeeps) {
  EXPECT_EQ(restore_generate_name("b"), "b-restore-");
  // The server keeps 58 characters of a generateName: the longest Backup name kept whole is 49.
  const std::string fits(49, 'a');
  EXPECT_EQ(restore_generate_name(fits), fits + "-restore-");
  for (size_t length : {50, 63, 200, 253}) {
    const std::string name(length, 'b');
    const std::string prefix = restore_generate_name(name);
    EXPECT_EQ(prefix.size(), 58u) << length;
    EXPECT_TRUE(prefix.ends_with("-restore-")) << prefix;
    EXPECT_EQ(prefix, kube::fit_name(name, 49) + "-restore-");
  }
  // Two long names that share their first 49 characters still get different prefixes.
  EXPECT_NE(restore_generate_name(std::string(60, 'c') + "1"),
            restore_generate_name(std::string(60, 'c') + "2"));
}

TEST(RestoreRequestTest, OnlyACompletedBackupCanBeRestoredInTheControllersWords) {
  EXPECT_EQ(unrestorable(completed_backup("b"), into("x")), std::nullopt);

  api::Backup b = completed_backup("b");
  b.status.phase = Phase::kInProgress;
  EXPECT_EQ(unrestorable(b, into("x")),
            "Backup \"b\" is InProgress, not Completed: only a Completed Backup can be restored; "
            "create the Restore again once it has completed");
  b.status.phase = Phase::kNone;
  EXPECT_EQ(unrestorable(b, into("x")),
            "Backup \"b\" is new, not Completed: only a Completed Backup can be restored; create "
            "the Restore again once it has completed");
  // A Backup that ended without a dump says why, in its own words.
  b.status.phase = Phase::kFailed;
  b.status.message = "password authentication failed for user \"app\"";
  EXPECT_EQ(unrestorable(b, into("x")),
            "Backup \"b\" is Failed, not Completed: only a Completed Backup can be restored "
            "(status.message: password authentication failed for user \"app\")");
  b.status.phase = Phase::kCancelled;
  b.status.message.clear();
  EXPECT_EQ(unrestorable(b, into("x")),
            "Backup \"b\" is Cancelled, not Completed: only a Completed Backup can be restored");
}

TEST(RestoreRequestTest, ACompletedBackupItsControllerCannotReadIsRefusedToo) {
  api::Backup b = completed_backup("b");
  b.meta.being_deleted = true;
  EXPECT_EQ(unrestorable(b, into("x")),
            "Backup \"b\" is being deleted; its dump may already be gone");
  b = completed_backup("b");
  b.status.checksum.clear();
  EXPECT_EQ(unrestorable(b, into("x")),
            "Backup \"b\" has no sha256 checksum in its status, so its dump cannot be verified");
}

TEST(RestoreRequestTest, AnEncryptedBackupNeedsTheIdentityFlag) {
  api::Backup b = completed_backup();
  const std::string alice = "age1skw63p73ka385eejnar9f5u8vhej6nndgwk2hpr60t4s5g8l4d8qkaxs08";
  b.spec.encryption = api::EncryptionSpec{{alice}};
  b.status.encrypted = true;
  RestoreOptions o = into("shop_check");
  const std::string why = unrestorable(b, o).value_or("");
  EXPECT_NE(why.find("dump is age-encrypted to " + alice), std::string::npos) << why;
  EXPECT_NE(why.find("(here: --identity-secret SECRET[:KEY])"), std::string::npos) << why;

  o.identity_secret = api::SecretKeyRef{"age-key", "identity"};
  EXPECT_EQ(unrestorable(b, o), std::nullopt);
  EXPECT_EQ(make_restore(b, o)["spec"]["decryption"],
            (nlohmann::json{{"identitySecretRef", {{"name", "age-key"}, {"key", "identity"}}}}));
}

TEST(RestoreRequestTest, CleanNeedsACustomFormatDump) {
  api::Backup b = completed_backup("b");
  RestoreOptions o = into("x");
  o.clean = true;
  EXPECT_EQ(unrestorable(b, o), std::nullopt);
  b.spec.format = api::DumpFormat::kPlain;
  EXPECT_EQ(unrestorable(b, o),
            "spec.clean needs a custom-format Backup, and Backup \"b\" is a plain SQL dump, which "
            "cannot drop what it recreates: restore into a new or empty database instead");
  o.clean = false;
  EXPECT_EQ(unrestorable(b, o), std::nullopt);
}

}  // namespace
}  // namespace cellar::cli
