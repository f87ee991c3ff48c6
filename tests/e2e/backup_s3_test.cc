// Backups to S3 end to end, as a person runs them: the real cellar-controller and cellar-agent, a
// real PostgreSQL, kubectl against cellar-test-cluster, and s3rver behind a front that checks
// every SigV4 signature with botocore. What was stored is read back with Debian's AWS CLI.
#include <filesystem>
#include <fstream>
#include <thread>

#include "tests/e2e/schedule_fixture.h"
#include "tests/support/s3_server.h"

namespace cellar::testing {
namespace {

namespace fs = std::filesystem;
using std::chrono::seconds;

constexpr const char* kBucket = "shop-backups";

class BackupS3E2E : public ScheduleE2E {
 protected:
  BackupS3E2E() { ns_ = "offsite"; }

  void SetUp() override {
    ScheduleE2E::SetUp();
    if (HasFatalFailure()) return;
    std::string error;
    s3_ = S3Server::start(&error);
    ASSERT_NE(s3_, nullptr) << error;
    s3_->create_bucket(kBucket);
    apply_credentials("s3-creds", s3_->secret_access_key());
  }

  void TearDown() override {
    if (HasFailure() && s3_) std::cerr << "--- S3 front ---\n" << s3_->front_log();
    ScheduleE2E::TearDown();
    s3_.reset();
  }

  void apply_credentials(const std::string& name, const std::string& secret_key) {
    apply("apiVersion: v1\nkind: Secret\nmetadata:\n  name: " + name +
          "\nstringData:\n  AWS_ACCESS_KEY_ID: \"" + s3_->access_key_id() +
          "\"\n  AWS_SECRET_ACCESS_KEY: \"" + secret_key + "\"\n");
  }

  // The storage block of a spec, indented for a Backup's spec (4) or a template's (6).
  std::string s3_storage(int indent, const std::string& bucket = kBucket,
                         const std::string& credentials = "s3-creds") const {
    const std::string pad(indent, ' ');
    return pad + "s3:\n" + pad + "  bucket: " + bucket + "\n" + pad + "  prefix: prod/shop\n" +
           pad + "  endpoint: " + s3_->endpoint() + "\n" + pad + "  forcePathStyle: true\n" + pad +
           "  credentialsSecretRef: {name: " + credentials + "}\n";
  }

  void apply_s3_backup(const std::string& name, const std::string& extra_spec = "",
                       const std::string& bucket = kBucket,
                       const std::string& credentials = "s3-creds") {
    apply("apiVersion: cellar.dev/v1alpha1\nkind: Backup\nmetadata:\n  name: " + name +
          "\nspec:\n  database:\n    host: 127.0.0.1\n    port: " + std::to_string(pg_->port()) +
          "\n    name: shop\n    user: app\n    passwordSecretRef: {name: db, key: password}\n"
          "  storage:\n" +
          s3_storage(4, bucket, credentials) + extra_spec);
  }

  // The object keys under prod/shop/.
  std::vector<std::string> objects() {
    CommandResult r =
        s3_->s3api({"list-objects-v2", "--bucket", kBucket, "--prefix", "prod/shop/"});
    EXPECT_EQ(r.exit_code, 0) << r.describe();
    std::vector<std::string> keys;
    auto list = nlohmann::json::parse(r.out.empty() ? "{}" : r.out, nullptr, false);
    if (list.is_object() && list.contains("Contents")) {
      for (const auto& o : list["Contents"]) keys.push_back(o["Key"]);
    }
    return keys;
  }

  int incomplete_uploads() {
    CommandResult r = s3_->s3api({"list-multipart-uploads", "--bucket", kBucket});
    EXPECT_EQ(r.exit_code, 0) << r.describe();
    auto list = nlohmann::json::parse(r.out.empty() ? "{}" : r.out, nullptr, false);
    return list.is_object() && list.contains("Uploads") ? static_cast<int>(list["Uploads"].size())
                                                        : 0;
  }

  std::string key_of(const std::string& backup) {
    const std::string location = status_field(backup, ".status.location");
    const std::string prefix = std::string("s3://") + kBucket + "/";
    EXPECT_EQ(location.rfind(prefix, 0), 0u) << location;
    return location.substr(prefix.size());
  }

  std::unique_ptr<S3Server> s3_;
};

TEST_F(BackupS3E2E, ABackupToS3CompletesAndTheObjectIsTheDump) {
  apply_s3_backup("offsite");
  ASSERT_TRUE(wait_for_phase("offsite", "Completed"));
  const std::string key = key_of("offsite");
  EXPECT_EQ(key, "prod/shop/offsite-" +
                     get_backup("offsite")["metadata"]["uid"].get<std::string>().substr(0, 8) +
                     ".dump");

  CommandResult head = s3_->s3api({"head-object", "--bucket", kBucket, "--key", key});
  ASSERT_EQ(head.exit_code, 0) << head.describe();
  EXPECT_EQ(std::to_string(nlohmann::json::parse(head.out)["ContentLength"].get<int64_t>()),
            status_field("offsite", ".status.sizeBytes"));

  const std::string file = cluster_->dir() + "/offsite.dump";
  CommandResult got = s3_->s3api({"get-object", "--bucket", kBucket, "--key", key, file});
  ASSERT_EQ(got.exit_code, 0) << got.describe();
  CommandResult sum = run_command({"sha256sum", file});
  ASSERT_EQ(sum.exit_code, 0) << sum.describe();
  EXPECT_EQ("sha256:" + sum.out.substr(0, 64), status_field("offsite", ".status.checksum"));
  ClientResult list = pg_->run_client({pg_->bin_dir() + "/pg_restore", "--list", file});
  EXPECT_EQ(list.exit_code, 0) << list.err;
  EXPECT_NE(list.out.find("TABLE public orders"), std::string::npos) << list.out;
  EXPECT_EQ(incomplete_uploads(), 0);
}

TEST_F(BackupS3E2E, ARestoreReadsTheDumpBackFromS3) {
  apply_s3_backup("offsite");
  ASSERT_TRUE(wait_for_phase("offsite", "Completed"));
  apply("apiVersion: v1\nkind: Secret\nmetadata:\n  name: pg-admin\nstringData:\n  password: \"" +
        pg_->password() + "\"\n");
  apply(
      "apiVersion: cellar.dev/v1alpha1\nkind: Restore\nmetadata:\n  name: back\nspec:\n"
      "  backupName: offsite\n  createDatabase: true\n  target:\n    host: 127.0.0.1\n"
      "    port: " +
      std::to_string(pg_->port()) +
      "\n    name: shop_from_s3\n    user: postgres\n"
      "    passwordSecretRef: {name: pg-admin, key: password}\n");
  CommandResult done = kubectl_result(
      {"wait", "--for=jsonpath={.status.phase}=Completed", "restore/back", "--timeout=60s"});
  ASSERT_EQ(done.exit_code, 0) << done.describe() << "\n"
                               << kubectl({"get", "restore/back", "-o", "yaml"});
  EXPECT_EQ(kubectl({"get", "restore/back", "-o", "jsonpath={.status.backup.location}"}),
            status_field("offsite", ".status.location"));
  for (const char* table : {"customers", "orders", "events"}) {
    const std::string count = std::string("SELECT count(*) FROM ") + table;
    EXPECT_EQ(pg_->psql("shop_from_s3", count), pg_->psql("shop", count)) << table;
  }
}

TEST_F(BackupS3E2E, AnEncryptedDumpInTheBucketIsAgeAndRestoresWithTheIdentity) {
  const std::string key_file = cluster_->dir() + "/offsite.key";
  ClientResult made = pg_->run_client({"age-keygen", "-o", key_file});
  ASSERT_EQ(made.exit_code, 0) << made.describe();
  ClientResult pub = pg_->run_client({"age-keygen", "-y", key_file});
  const std::string recipient = pub.out.substr(0, pub.out.find('\n'));
  apply_s3_backup("sealed", "  encryption:\n    ageRecipients: [" + recipient + "]\n");
  ASSERT_TRUE(wait_for_phase("sealed", "Completed"));
  EXPECT_EQ(status_field("sealed", ".status.encrypted"), "true");
  const std::string key = key_of("sealed");
  EXPECT_TRUE(key.ends_with(".dump.age")) << key;

  // What anyone reading the bucket gets: age, not a dump.
  const std::string file = cluster_->dir() + "/sealed.dump.age";
  CommandResult got = s3_->s3api({"get-object", "--bucket", kBucket, "--key", key, file});
  ASSERT_EQ(got.exit_code, 0) << got.describe();
  CommandResult head = run_command({"head", "-c", "22", file});
  EXPECT_EQ(head.out, "age-encryption.org/v1\n");
  CommandResult sum = run_command({"sha256sum", file});
  EXPECT_EQ("sha256:" + sum.out.substr(0, 64), status_field("sealed", ".status.checksum"));
  EXPECT_NE(pg_->run_client({pg_->bin_dir() + "/pg_restore", "--list", file}).exit_code, 0);

  kubectl({"create", "secret", "generic", "offsite-key", "--from-file=identity=" + key_file});
  apply("apiVersion: v1\nkind: Secret\nmetadata:\n  name: pg-admin\nstringData:\n  password: \"" +
        pg_->password() + "\"\n");
  apply(
      "apiVersion: cellar.dev/v1alpha1\nkind: Restore\nmetadata:\n  name: unsealed\nspec:\n"
      "  backupName: sealed\n  createDatabase: true\n"
      "  decryption:\n    identitySecretRef: {name: offsite-key, key: identity}\n"
      "  target:\n    host: 127.0.0.1\n    port: " +
      std::to_string(pg_->port()) +
      "\n    name: shop_unsealed\n    user: postgres\n"
      "    passwordSecretRef: {name: pg-admin, key: password}\n");
  CommandResult done = kubectl_result(
      {"wait", "--for=jsonpath={.status.phase}=Completed", "restore/unsealed", "--timeout=60s"});
  ASSERT_EQ(done.exit_code, 0) << done.describe() << "\n"
                               << kubectl({"get", "restore/unsealed", "-o", "yaml"});
  for (const char* table : {"customers", "orders", "events"}) {
    const std::string count = std::string("SELECT count(*) FROM ") + table;
    EXPECT_EQ(pg_->psql("shop_unsealed", count), pg_->psql("shop", count)) << table;
  }
}

TEST_F(BackupS3E2E, AWrongSecretKeyFailsWithSignatureDoesNotMatch) {
  apply_credentials("wrong-creds", "not-the-secret-key");
  apply_s3_backup("unsigned", "", kBucket, "wrong-creds");
  ASSERT_TRUE(wait_for_phase("unsigned", "Failed"));
  EXPECT_NE(status_field("unsigned", ".status.message").find("SignatureDoesNotMatch"),
            std::string::npos)
      << status_field("unsigned", ".status.message");
  EXPECT_TRUE(objects().empty());
}

TEST_F(BackupS3E2E, AMissingBucketFailsWithNoSuchBucket) {
  apply_s3_backup("nowhere", "", "no-such-bucket");
  ASSERT_TRUE(wait_for_phase("nowhere", "Failed"));
  EXPECT_NE(status_field("nowhere", ".status.message").find("NoSuchBucket"), std::string::npos)
      << status_field("nowhere", ".status.message");
}

TEST_F(BackupS3E2E, MissingCredentialsFailBeforeAnyJobExists) {
  apply_s3_backup("keyless", "", kBucket, "absent");
  ASSERT_TRUE(wait_for_phase("keyless", "Failed"));
  EXPECT_EQ(status_field("keyless", ".status.message"),
            "Secret \"absent\" not found in namespace \"offsite\": create it, or fix "
            "spec.storage.s3.credentialsSecretRef.name");
  EXPECT_EQ(kubectl({"get", "jobs", "-o", "name"}), "");
}

TEST_F(BackupS3E2E, CancellingMidUploadLeavesNoIncompleteUpload) {
  lock_orders();  // pg_dump waits on the lock with the upload already begun
  apply_s3_backup("halted");
  ASSERT_TRUE(wait_for_phase("halted", "InProgress"));
  ASSERT_TRUE(eventually([&] { return incomplete_uploads() == 1; }, 30)) << s3_->front_log();
  kubectl({"patch", "backup/halted", "--type=merge", "-p", R"({"spec":{"cancel":true}})"});
  ASSERT_TRUE(wait_for_phase("halted", "Cancelled"));
  EXPECT_TRUE(eventually([&] { return incomplete_uploads() == 0; }, 30)) << s3_->front_log();
  EXPECT_TRUE(objects().empty());
}

TEST_F(BackupS3E2E, DeletionPolicyDeleteRemovesTheObject) {
  apply_s3_backup("doomed", "  deletionPolicy: Delete\n");
  ASSERT_TRUE(wait_for_phase("doomed", "Completed"));
  ASSERT_EQ(objects().size(), 1u);
  kubectl({"delete", "backup/doomed", "--timeout=60s"});
  EXPECT_TRUE(objects().empty());
}

TEST_F(BackupS3E2E, AScheduleKeepingTheLastTwoLeavesTwoObjects) {
  apply(
      "apiVersion: cellar.dev/v1alpha1\nkind: BackupSchedule\nmetadata:\n  name: offsite\n"
      "spec:\n  schedule: \"@yearly\"\n  retention: {keepLast: 2}\n  backupTemplate:\n"
      "    database:\n      host: 127.0.0.1\n      port: " +
      std::to_string(pg_->port()) +
      "\n      name: shop\n      user: app\n      passwordSecretRef: {name: db, key: password}\n"
      "    storage:\n" +
      s3_storage(6));
  std::vector<std::string> made;
  for (const char* value : {"one", "two", "three"}) {
    trigger("offsite", value);
    const std::string name = wait_for_triggered("offsite", value);
    ASSERT_FALSE(name.empty());
    ASSERT_TRUE(wait_for_phase(name, "Completed"));
    made.push_back(name);
  }
  EXPECT_TRUE(eventually([&] { return backup_names_of("offsite").size() == 2; }, 30));
  EXPECT_TRUE(eventually([&] { return objects().size() == 2; }, 60)) << objects().size();
  const std::vector<std::string> keys = objects();
  for (const std::string& kept : {made[1], made[2]}) {
    EXPECT_NE(std::find(keys.begin(), keys.end(), key_of(kept)), keys.end()) << kept;
  }
}

// The credentials go to the pod through secretKeyRef and nowhere else: not the controller's log,
// not a Backup, Job, Pod or Event, not an argument.
TEST_F(BackupS3E2E, TheSecretKeyAppearsNowhere) {
  apply_credentials("wrong-creds", "not-the-secret-key-0451");
  apply_s3_backup("fine");
  apply_s3_backup("refused", "", kBucket, "wrong-creds");
  ASSERT_TRUE(wait_for_phase("fine", "Completed"));
  ASSERT_TRUE(wait_for_phase("refused", "Failed"));
  std::string seen = read_file(cluster_->dir() + "/controller-1.log");
  for (const char* kind : {"backups", "jobs", "pods", "events"}) {
    seen += kubectl({"get", kind, "-o", "yaml"});
  }
  ASSERT_NE(seen.find("SignatureDoesNotMatch"), std::string::npos);  // what was read is real
  for (const std::string& secret :
       {s3_->secret_access_key(), std::string("not-the-secret-key-0451")}) {
    EXPECT_EQ(seen.find(secret), std::string::npos) << "the secret key " << secret << " leaked";
  }
}

}  // namespace
}  // namespace cellar::testing
