#include <gtest/gtest.h>

#include "controller/api/restore.h"

namespace cellar::api {
namespace {

using json = nlohmann::json;

json minimal_restore() {
  return json::parse(R"({
    "metadata": {"name": "r", "namespace": "ns", "uid": "u1", "generation": 1},
    "spec": {
      "backupName": "shop-now",
      "target": {"host": "db", "name": "shop_check", "user": "app",
                 "passwordSecretRef": {"name": "db", "key": "password"}}
    }
  })");
}

TEST(RestoreSpec, DefaultsMatchTheContract) {
  Restore r = parse_restore(minimal_restore());
  EXPECT_TRUE(r.spec_errors.empty());
  EXPECT_EQ(r.spec.backup_name, "shop-now");
  EXPECT_EQ(r.spec.target.port, 5432);
  EXPECT_EQ(r.spec.target.name, "shop_check");
  EXPECT_FALSE(r.spec.create_database);
  EXPECT_FALSE(r.spec.clean);
  EXPECT_EQ(r.spec.active_deadline_seconds, 3600);
  EXPECT_EQ(r.spec.backoff_limit, 0);
}

TEST(RestoreSpec, EveryProblemIsNamedByItsField) {
  json j = minimal_restore();
  j["spec"].erase("backupName");
  j["spec"]["target"]["port"] = 70000;
  j["spec"]["target"].erase("passwordSecretRef");
  j["spec"]["createDatabase"] = "yes";
  Restore r = parse_restore(j);
  ASSERT_EQ(r.spec_errors.size(), 4u);
  EXPECT_EQ(r.spec_errors[0], "spec.backupName is required");
  EXPECT_EQ(r.spec_errors[1], "spec.target.port must be between 1 and 65535 (it is 70000)");
  EXPECT_EQ(r.spec_errors[2], "spec.target.passwordSecretRef is required");
  EXPECT_EQ(r.spec_errors[3], "spec.createDatabase must be true or false");
}

TEST(RestoreSpec, ReadsTheDecryptionIdentityAndNamesWhatIsMissing) {
  json j = minimal_restore();
  EXPECT_FALSE(parse_restore(j).spec.identity_secret_ref);
  j["spec"]["decryption"] = {{"identitySecretRef", {{"name", "age-key"}, {"key", "identity"}}}};
  Restore r = parse_restore(j);
  EXPECT_TRUE(r.spec_errors.empty());
  EXPECT_EQ(r.spec.identity_secret_ref, (SecretKeyRef{"age-key", "identity"}));
  EXPECT_EQ(to_json(r.spec)["decryption"], j["spec"]["decryption"]);

  j["spec"]["decryption"] = {{"identitySecretRef", {{"name", "age-key"}}}};
  EXPECT_EQ(parse_restore(j).spec_errors,
            std::vector<std::string>{"spec.decryption.identitySecretRef.key is required"});
  j["spec"]["decryption"] = json::object();
  EXPECT_EQ(parse_restore(j).spec_errors,
            std::vector<std::string>{"spec.decryption.identitySecretRef is required"});
}

TEST(RestoreSpec, MissingSpecIsAnError) {
  Restore r = parse_restore(json::parse(R"({"metadata": {"name": "r"}})"));
  ASSERT_EQ(r.spec_errors.size(), 1u);
  EXPECT_EQ(r.spec_errors[0], "spec is required");
}

TEST(RestoreStatus, RoundTripsThroughJson) {
  RestoreStatus s;
  s.phase = Phase::kCompleted;
  s.message = "Restored";
  s.job_name = "r-restore";
  s.start_time = "2026-11-28T01:00:00Z";
  s.completion_time = "2026-11-28T01:00:03Z";
  s.duration_seconds = 3;
  s.backup = {"shop-now", "pvc://backups/shop-now-1234abcd.dump", "sha256:ab"};
  s.observed_generation = 1;
  s.conditions.push_back({"Ready", "True", 1, "2026-11-28T01:00:03Z", "Completed", "Restored"});
  json j = to_json(s);
  EXPECT_EQ(j["backup"]["checksum"], "sha256:ab");
  EXPECT_EQ(parse_restore_status(j), s);
}

TEST(RestoreStatus, EmptyStatusWritesNothing) {
  EXPECT_EQ(to_json(RestoreStatus{}), json::object());
}

}  // namespace
}  // namespace cellar::api
