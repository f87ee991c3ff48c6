#include <gtest/gtest.h>

#include "controller/api/backup.h"
#include "tests/unit/backup/backup_fixtures.h"

namespace cellar::api {
namespace {

using backup::testing::backup_json;
using json = nlohmann::json;

class BackupSpecTest : public ::testing::Test {
 protected:
  Backup parse() { return parse_backup(doc_); }
  std::vector<std::string> errors() { return parse().spec_errors; }
  json& spec() { return doc_["spec"]; }

  json doc_ = backup_json();
};

TEST_F(BackupSpecTest, ReadsAValidSpec) {
  Backup b = parse();
  EXPECT_TRUE(b.spec_errors.empty());
  EXPECT_EQ(b.meta.key(), "shop/nightly");
  EXPECT_EQ(b.spec.database.host, "db.shop.svc");
  EXPECT_EQ(b.spec.database.password_secret_ref, (SecretKeyRef{"db-pass", "password"}));
  EXPECT_EQ(b.spec.storage.persistent_volume_claim->sub_path, "orders");
  EXPECT_EQ(b.spec.format, DumpFormat::kCustom);
  EXPECT_EQ(b.status.phase, Phase::kNone);
}

TEST_F(BackupSpecTest, AppliesTheDefaultsTheSchemaWouldHave) {
  spec().erase("format");
  spec().erase("activeDeadlineSeconds");
  spec().erase("backoffLimit");
  spec()["database"].erase("port");
  Backup b = parse();
  EXPECT_TRUE(b.spec_errors.empty());
  EXPECT_EQ(b.spec.database.port, 5432);
  EXPECT_EQ(b.spec.active_deadline_seconds, 3600);
  EXPECT_EQ(b.spec.backoff_limit, 1);
  EXPECT_FALSE(b.spec.compression_level.has_value());
}

TEST_F(BackupSpecTest, NamesEveryMissingFieldAtOnce) {
  spec()["database"].erase("host");
  spec()["database"]["passwordSecretRef"].erase("key");
  EXPECT_EQ(errors(),
            (std::vector<std::string>{"spec.database.host is required",
                                      "spec.database.passwordSecretRef.key is required"}));
}

TEST_F(BackupSpecTest, SaysWhichValuesAreAllowed) {
  spec()["format"] = "zip";
  EXPECT_EQ(errors(),
            std::vector<std::string>{"spec.format must be one of custom, plain (it is \"zip\")"});
}

TEST_F(BackupSpecTest, RejectsOutOfRangeNumbers) {
  spec()["compressionLevel"] = 12;
  spec()["database"]["port"] = 70000;
  EXPECT_EQ(errors(), (std::vector<std::string>{
                          "spec.database.port must be between 1 and 65535 (it is 70000)",
                          "spec.compressionLevel must be between 0 and 9 (it is 12)"}));
}

TEST_F(BackupSpecTest, RejectsASubPathThatLeavesTheVolume) {
  spec()["storage"]["persistentVolumeClaim"]["subPath"] = "../other";
  ASSERT_EQ(errors().size(), 1u);
  EXPECT_NE(errors()[0].find("subPath must be a relative path"), std::string::npos);
}

TEST_F(BackupSpecTest, RequiresSomeStorage) {
  spec()["storage"] = json::object();
  EXPECT_EQ(errors(), std::vector<std::string>{"spec.storage needs persistentVolumeClaim or s3"});
}

json s3_storage() {
  return {{"bucket", "shop-backups"},
          {"prefix", "prod/orders/"},
          {"endpoint", "https://minio.storage.svc:9000"},
          {"forcePathStyle", true},
          {"credentialsSecretRef", {{"name", "s3-creds"}}},
          {"caSecretRef", {{"name", "s3-ca"}, {"key", "ca.crt"}}}};
}

TEST_F(BackupSpecTest, ReadsS3Storage) {
  spec()["storage"] = {{"s3", s3_storage()}};
  Backup b = parse();
  ASSERT_TRUE(b.spec_errors.empty()) << b.spec_errors[0];
  ASSERT_TRUE(b.spec.storage.s3);
  const S3Storage& s3 = *b.spec.storage.s3;
  EXPECT_EQ(s3.bucket, "shop-backups");
  EXPECT_EQ(s3.prefix, "prod/orders");  // a trailing '/' is not part of the folder
  EXPECT_EQ(s3.endpoint, "https://minio.storage.svc:9000");
  EXPECT_EQ(s3.region, "us-east-1");
  EXPECT_TRUE(s3.force_path_style);
  EXPECT_EQ(s3.credentials_secret_ref.name, "s3-creds");
  ASSERT_TRUE(s3.ca_secret_ref);
  EXPECT_EQ(s3.ca_secret_ref->key, "ca.crt");
  EXPECT_FALSE(b.spec.storage.persistent_volume_claim);
  std::vector<std::string> errs;
  EXPECT_EQ(parse_backup_spec(to_json(b.spec), &errs), b.spec);
  EXPECT_TRUE(errs.empty());
}

TEST_F(BackupSpecTest, ExactlyOneKindOfStorage) {
  spec()["storage"]["s3"] = s3_storage();
  EXPECT_EQ(errors(),
            std::vector<std::string>{
                "spec.storage must have exactly one of persistentVolumeClaim and s3, not both"});
}

TEST_F(BackupSpecTest, SaysWhatIsWrongWithS3Storage) {
  json s3 = {{"bucket", "Shop_Backups"}, {"prefix", "/abs"}, {"endpoint", "minio:9000"}};
  spec()["storage"] = {{"s3", s3}};
  EXPECT_EQ(errors(),
            (std::vector<std::string>{
                "spec.storage.s3.bucket must be an S3 bucket name: 3-63 lowercase letters, digits, "
                "'.' and '-' (it is \"Shop_Backups\")",
                "spec.storage.s3.prefix must not start with '/' (it is \"/abs\")",
                "spec.storage.s3.endpoint must be a URL starting with https:// or http:// (it is "
                "\"minio:9000\")",
                "spec.storage.s3.credentialsSecretRef is required"}));
}

TEST_F(BackupSpecTest, WrongTypesAreErrorsNotCrashes) {
  spec()["database"] = "postgres://x";
  spec()["cancel"] = "yes";
  EXPECT_EQ(errors(), (std::vector<std::string>{"spec.database must be an object",
                                                "spec.cancel must be true or false"}));
}

TEST_F(BackupSpecTest, SpecRoundTripsThroughJson) {
  spec()["compressionLevel"] = 6;
  spec()["database"]["sslMode"] = "require";
  Backup b = parse();
  std::vector<std::string> errs;
  EXPECT_EQ(parse_backup_spec(to_json(b.spec), &errs), b.spec);
  EXPECT_TRUE(errs.empty());
}

TEST_F(BackupSpecTest, StatusRoundTripsThroughJson) {
  BackupStatus s;
  s.phase = Phase::kCompleted;
  s.size_bytes = 1625292;
  s.size = "1.55 MiB";
  s.checksum = "sha256:ab";
  s.observed_generation = 2;
  s.conditions.push_back({"Ready", "True", 2, "2026-11-21T10:00:31Z", "Completed", "done"});
  EXPECT_EQ(parse_backup_status(to_json(s)), s);
  EXPECT_EQ(to_json(s)["phase"], "Completed");
  EXPECT_FALSE(to_json(BackupStatus{}).contains("phase"));
}

TEST(PhaseTest, OnlyTheLastThreeAreTerminal) {
  EXPECT_FALSE(is_terminal(Phase::kNone));
  EXPECT_FALSE(is_terminal(Phase::kPending));
  EXPECT_FALSE(is_terminal(Phase::kInProgress));
  EXPECT_TRUE(is_terminal(Phase::kCompleted));
  EXPECT_TRUE(is_terminal(Phase::kFailed));
  EXPECT_TRUE(is_terminal(Phase::kCancelled));
  EXPECT_EQ(parse_phase("InProgress"), Phase::kInProgress);
  EXPECT_EQ(parse_phase("Running"), Phase::kNone);
}

constexpr const char* kAlice = "age1skw63p73ka385eejnar9f5u8vhej6nndgwk2hpr60t4s5g8l4d8qkaxs08";
constexpr const char* kBob = "age19mnah5838vq6sftsdm26tn64x0smt4ajt8x4yhqt6p3t9tgxxgfs7j9uyl";

TEST_F(BackupSpecTest, ReadsEncryptionAndWritesItBack) {
  spec()["encryption"] = {{"ageRecipients", {kAlice, kBob}}};
  Backup b = parse();
  EXPECT_TRUE(b.spec_errors.empty());
  ASSERT_TRUE(b.spec.encryption);
  EXPECT_EQ(b.spec.encryption->age_recipients, (std::vector<std::string>{kAlice, kBob}));
  EXPECT_EQ(to_json(b.spec)["encryption"], spec()["encryption"]);
  spec().erase("encryption");
  EXPECT_FALSE(parse().spec.encryption);
  EXPECT_FALSE(to_json(parse().spec).contains("encryption"));
}

TEST_F(BackupSpecTest, EachBadRecipientIsNamedByItsField) {
  std::string typo = kAlice;
  typo[10] = typo[10] == 'q' ? 'p' : 'q';
  spec()["encryption"] = {{"ageRecipients", {kAlice, "AGE-SECRET-KEY-1X", typo, kAlice, 7}}};
  std::vector<std::string> e = errors();
  ASSERT_EQ(e.size(), 4u);
  EXPECT_EQ(e[0].rfind("spec.encryption.ageRecipients[1] is not an age public key: it does not "
                       "start with \"age1\"",
                       0),
            0u)
      << e[0];
  EXPECT_NE(e[1].find("spec.encryption.ageRecipients[2] is not an age public key: its checksum"),
            std::string::npos)
      << e[1];
  EXPECT_EQ(e[2], std::string("spec.encryption.ageRecipients[3] repeats ") + kAlice);
  EXPECT_EQ(e[3], "spec.encryption.ageRecipients[4] must be a string");

  spec()["encryption"] = {{"ageRecipients", json::array()}};
  EXPECT_EQ(errors(), std::vector<std::string>{"spec.encryption.ageRecipients needs at least one "
                                               "age public key (age1...), as age-keygen prints "
                                               "it"});
}

TEST_F(BackupSpecTest, EncryptedStatusRoundTrips) {
  BackupStatus s;
  s.encrypted = true;
  s.encrypted_dump = EncryptedDump{4096, {"6854017e07b4f1c0"}};
  json j = to_json(s);
  EXPECT_EQ(j["encrypted"], true);
  EXPECT_EQ(j["plaintextSizeBytes"], 4096);
  EXPECT_EQ(parse_backup_status(j), s);
  EXPECT_FALSE(to_json(BackupStatus{}).contains("encrypted"));
  // Unencrypted: nothing boxed, read back the same.
  BackupStatus plain;
  plain.encrypted = false;
  EXPECT_EQ(parse_backup_status(to_json(plain)), plain);
  EXPECT_FALSE(parse_backup_status(to_json(plain)).encrypted_dump);
}

}  // namespace
}  // namespace cellar::api
