#include "controller/restore/restore_job.h"

#include <gtest/gtest.h>

#include "tests/unit/restore/restore_fixtures.h"

namespace cellar::restore {
namespace {

using json = nlohmann::json;

std::map<std::string, json> env_of(const json& job) {
  std::map<std::string, json> out;
  for (const auto& e : job["spec"]["template"]["spec"]["containers"][0]["env"]) {
    out[e["name"]] = e.contains("value") ? e["value"] : e["valueFrom"];
  }
  return out;
}

class RestoreJobTest : public ::testing::Test {
 protected:
  api::Restore restore_ = api::parse_restore(testing::restore_json());
  api::Backup backup_ = testing::completed_backup();
  backup::JobOptions options_{"cellar-agent:test"};
};

TEST_F(RestoreJobTest, RunsTheAgentsRestoreOwnedByTheRestore) {
  json job = make_restore_job(restore_, backup_, options_);
  EXPECT_EQ(job["metadata"]["name"], "check-restore");
  EXPECT_EQ(job["metadata"]["namespace"], "shop");
  EXPECT_EQ(job["metadata"]["labels"]["cellar.dev/restore"], "check");
  const json& owner = job["metadata"]["ownerReferences"][0];
  EXPECT_EQ(owner["kind"], "Restore");
  EXPECT_EQ(owner["uid"], restore_.meta.uid);
  EXPECT_EQ(owner["controller"], true);
  EXPECT_EQ(job["spec"]["backoffLimit"], 0);
  EXPECT_EQ(job["spec"]["activeDeadlineSeconds"], 3600);
  const json& pod = job["spec"]["template"]["spec"];
  EXPECT_EQ(pod["restartPolicy"], "Never");
  EXPECT_EQ(pod["securityContext"]["runAsNonRoot"], true);
  const json& container = pod["containers"][0];
  EXPECT_EQ(container["args"], json::array({"restore"}));
  EXPECT_EQ(container["securityContext"]["readOnlyRootFilesystem"], true);
  EXPECT_EQ(container["image"], "cellar-agent:test");
}

TEST_F(RestoreJobTest, TheTargetAndTheDumpTravelInEnvThePasswordOnlyByReference) {
  auto env = env_of(make_restore_job(restore_, backup_, options_));
  EXPECT_EQ(env["PGHOST"], "db.shop.svc");
  EXPECT_EQ(env["PGDATABASE"], "orders_check");
  EXPECT_EQ(env["PGPASSWORD"]["secretKeyRef"]["name"], "db-pass");
  EXPECT_EQ(env["CELLAR_INPUT"], "/backup/orders/nightly-0a1b2c3d.dump");
  EXPECT_EQ(env["CELLAR_CHECKSUM"], backup_.status.checksum);
  EXPECT_EQ(env["CELLAR_FORMAT"], "custom");
  EXPECT_EQ(env["CELLAR_CREATE_DATABASE"], "true");
  EXPECT_EQ(env["CELLAR_CLEAN"], "false");
}

TEST_F(RestoreJobTest, TheBackupsClaimIsMountedReadOnly) {
  json job = make_restore_job(restore_, backup_, options_);
  const json& pod = job["spec"]["template"]["spec"];
  EXPECT_EQ(pod["volumes"][0]["persistentVolumeClaim"]["claimName"], "backups");
  EXPECT_EQ(pod["volumes"][0]["persistentVolumeClaim"]["readOnly"], true);
  EXPECT_EQ(pod["containers"][0]["volumeMounts"][0]["readOnly"], true);
}

TEST_F(RestoreJobTest, AnS3DumpIsReadWithTheBackupsConnection) {
  backup_.spec.storage.persistent_volume_claim.reset();
  backup_.spec.storage.s3 = api::S3Storage{
      "dumps", "shop", "http://127.0.0.1:9000", "eu-west-1", true, {"s3-creds"}, std::nullopt};
  backup_.status.location = "s3://dumps/shop/nightly-0a1b2c3d.dump";
  auto env = env_of(make_restore_job(restore_, backup_, options_));
  EXPECT_EQ(env["CELLAR_S3_BUCKET"], "dumps");
  EXPECT_EQ(env["CELLAR_S3_KEY"], "shop/nightly-0a1b2c3d.dump");
  EXPECT_EQ(env["CELLAR_S3_ENDPOINT"], "http://127.0.0.1:9000");
  EXPECT_EQ(env["CELLAR_S3_REGION"], "eu-west-1");
  EXPECT_EQ(env["AWS_ACCESS_KEY_ID"]["secretKeyRef"]["name"], "s3-creds");
  EXPECT_EQ(env.count("CELLAR_INPUT"), 0u);
}

TEST_F(RestoreJobTest, ALongNameStillMakesALegalJobName) {
  restore_.meta.name = std::string(250, 'r');
  json job = make_restore_job(restore_, backup_, options_);
  const std::string name = job["metadata"]["name"];
  EXPECT_LE(name.size(), 63u);
  EXPECT_EQ(name, restore_job_name_for(restore_.meta.name));
  EXPECT_NE(restore_job_name_for(std::string(250, 'r')),
            restore_job_name_for(std::string(249, 'r') + "s"));
}

TEST_F(RestoreJobTest, ABackupThatCannotBeRestoredSaysWhy) {
  EXPECT_EQ(backup_problem(restore_, &backup_), "");
  EXPECT_EQ(backup_problem(restore_, nullptr),
            "Backup \"nightly\" not found in namespace \"shop\": fix spec.backupName, or create a "
            "new Restore of an existing Backup");

  api::Backup failed = backup_;
  failed.status.phase = api::Phase::kFailed;
  EXPECT_EQ(backup_problem(restore_, &failed),
            "Backup \"nightly\" is Failed, not Completed: only a Completed Backup can be restored");

  api::Backup running = backup_;
  running.status.phase = api::Phase::kInProgress;
  EXPECT_EQ(backup_problem(restore_, &running),
            "Backup \"nightly\" is InProgress, not Completed: only a Completed Backup can be "
            "restored; create the Restore again once it has completed");

  api::Backup unverifiable = backup_;
  unverifiable.status.checksum.clear();
  EXPECT_EQ(backup_problem(restore_, &unverifiable),
            "Backup \"nightly\" has no sha256 checksum in its status, so its dump cannot be "
            "verified");

  api::Backup going = backup_;
  going.meta.being_deleted = true;
  EXPECT_EQ(backup_problem(restore_, &going),
            "Backup \"nightly\" is being deleted; its dump may already be gone");
}

TEST_F(RestoreJobTest, CleanNeedsACustomFormatDump) {
  restore_.spec.clean = true;
  EXPECT_EQ(backup_problem(restore_, &backup_), "");
  backup_.spec.format = api::DumpFormat::kPlain;
  EXPECT_EQ(backup_problem(restore_, &backup_),
            "spec.clean needs a custom-format Backup, and Backup \"nightly\" is a plain SQL dump, "
            "which cannot drop what it recreates: restore into a new or empty database instead");
}

TEST_F(RestoreJobTest, ALocationOffItsStorageOrOutsideTheVolumeIsRefused) {
  for (const char* location : {"pvc://other/orders/x.dump", "pvc://backups/", "pvc://backups/../x",
                               "pvc://backups/a/../../x", "s3://dumps/x.dump", ""}) {
    api::Backup b = backup_;
    b.status.location = location;
    EXPECT_TRUE(std::holds_alternative<std::string>(dump_source(b))) << location;
    EXPECT_NE(backup_problem(restore_, &b), "") << location;
  }
}

TEST_F(RestoreJobTest, AnEncryptedBackupNeedsAnIdentityThatArrivesAsAFile) {
  const std::string alice = "age1skw63p73ka385eejnar9f5u8vhej6nndgwk2hpr60t4s5g8l4d8qkaxs08";
  backup_.spec.encryption = api::EncryptionSpec{{alice}};
  backup_.status.encrypted = true;
  EXPECT_EQ(backup_problem(restore_, &backup_),
            "Backup \"nightly\"'s dump is age-encrypted to " + alice +
                ": set spec.decryption.identitySecretRef to a Secret key holding the identity "
                "(AGE-SECRET-KEY-1...) of one of those recipients, in a new Restore");

  restore_.spec.identity_secret_ref = api::SecretKeyRef{"age-key", "identity"};
  EXPECT_EQ(backup_problem(restore_, &backup_), "");
  json job = make_restore_job(restore_, backup_, options_);
  auto env = env_of(job);
  EXPECT_EQ(env["CELLAR_AGE_RECIPIENTS"], alice);
  EXPECT_EQ(env["CELLAR_AGE_IDENTITY_FILE"], "/etc/cellar/age/identity");
  const json& pod = job["spec"]["template"]["spec"];
  json volume;
  for (const auto& v : pod["volumes"]) {
    if (v["name"] == "age-identity") volume = v;
  }
  EXPECT_EQ(volume["secret"]["secretName"], "age-key");
  EXPECT_EQ(volume["secret"]["items"][0], (json{{"key", "identity"}, {"path", "identity"}}));
  EXPECT_EQ(volume["secret"]["defaultMode"], 0440);
  // The identity is never an env value or an argument.
  for (const auto& e : pod["containers"][0]["env"]) {
    EXPECT_FALSE(e.contains("valueFrom") && e["valueFrom"].contains("secretKeyRef") &&
                 e["valueFrom"]["secretKeyRef"]["name"] == "age-key");
  }
}

TEST_F(RestoreJobTest, AnUnencryptedBackupIgnoresAnIdentity) {
  restore_.spec.identity_secret_ref = api::SecretKeyRef{"age-key", "identity"};
  EXPECT_EQ(backup_problem(restore_, &backup_), "");
  auto env = env_of(make_restore_job(restore_, backup_, options_));
  EXPECT_FALSE(env.contains("CELLAR_AGE_IDENTITY_FILE"));
}

}  // namespace
}  // namespace cellar::restore
