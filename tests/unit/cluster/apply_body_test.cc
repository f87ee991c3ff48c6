#include "tests/cluster/apply_body.h"

#include <gtest/gtest.h>

namespace cellar::testcluster {
namespace {

using json = nlohmann::json;

json decoded(const std::string& body) {
  std::string error;
  auto out = decode_apply_body(body, &error);
  EXPECT_TRUE(out.has_value()) << error;
  return out.value_or(json());
}

TEST(ApplyBodyTest, ReadsJson) {
  EXPECT_EQ(decoded(R"({"kind": "ConfigMap", "data": {"a": "1"}})"),
            json::parse(R"({"kind": "ConfigMap", "data": {"a": "1"}})"));
}

TEST(ApplyBodyTest, ReadsYamlWithItsScalarTypes) {
  EXPECT_EQ(decoded("kind: BackupSchedule\nspec:\n  schedule: \"30 2 * * *\"\n  suspend: false\n"
                    "  startingDeadlineSeconds: 3600\n  ratio: 0.5\n  note: ~\n  port: '5432'\n"
                    "  zones: [a, b]\n"),
            json::parse(R"({"kind": "BackupSchedule", "spec": {"schedule": "30 2 * * *",
              "suspend": false, "startingDeadlineSeconds": 3600, "ratio": 0.5, "note": null,
              "port": "5432", "zones": ["a", "b"]}})"));
}

TEST(ApplyBodyTest, ReadsYaml11Booleans) {
  EXPECT_EQ(decoded("a: yes\nb: off\n"), json::parse(R"({"a": true, "b": false})"));
}

TEST(ApplyBodyTest, RejectsWhatIsNotYaml) {
  std::string error;
  EXPECT_FALSE(decode_apply_body("a: [1, 2\n", &error).has_value());
  EXPECT_FALSE(error.empty());
}

}  // namespace
}  // namespace cellar::testcluster
