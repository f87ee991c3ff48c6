// kubectl apply --server-side against cellar-test-cluster, as GitOps tools and Helm 4 apply
// Cellar's resources: field ownership, conflicts and their messages, force, removal of fields no
// longer applied, and merges of built-in lists across managers.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "tests/support/test_cluster.h"

namespace cellar::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr const char* kSchedule = R"(apiVersion: cellar.dev/v1alpha1
kind: BackupSchedule
metadata:
  name: nightly
spec:
  schedule: "30 2 * * *"
  startingDeadlineSeconds: 3600
  backupTemplate:
    database: {host: db, name: shop, user: app, passwordSecretRef: {name: shop-db, key: password}}
    storage: {persistentVolumeClaim: {claimName: backups}}
)";

// kSchedule with `from` replaced by `to`.
std::string edited(const std::string& from, const std::string& to) {
  std::string text = kSchedule;
  text.replace(text.find(from), from.size(), to);
  return text;
}

class ServerSideApplyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(access(kubectl_path().c_str(), X_OK), 0) << kubectl_path() << " is missing";
    cluster_ = TestCluster::start();
    ASSERT_NE(cluster_, nullptr);
    CommandResult crds = kubectl({"apply", "--server-side", "-f", CELLAR_SOURCE_DIR "/crds/"});
    ASSERT_EQ(crds.exit_code, 0) << crds.describe();
    ASSERT_THAT(crds.out, HasSubstr("backupschedules.cellar.dev serverside-applied"));
    ASSERT_THAT(crds.out, HasSubstr("backups.cellar.dev serverside-applied"));
    CommandResult established =
        kubectl({"wait", "--for=condition=established", "--timeout=30s", "crd", "--all"});
    ASSERT_EQ(established.exit_code, 0) << established.describe();
  }

  CommandResult kubectl(const std::vector<std::string>& args) {
    return cluster_->kubectl(args, std::chrono::seconds{60});
  }

  std::string ok(const std::vector<std::string>& args) {
    CommandResult result = kubectl(args);
    EXPECT_EQ(result.exit_code, 0) << ::testing::PrintToString(args) << "\n" << result.describe();
    return result.out;
  }

  std::string file(const std::string& name, const std::string& text) {
    return write_file(cluster_->dir() + "/" + name, text);
  }

  // kubectl apply --server-side of `text`, with extra flags.
  CommandResult apply(const std::string& text, std::vector<std::string> flags = {}) {
    std::vector<std::string> args = {"apply", "--server-side", "-f", file("applied.yaml", text)};
    args.insert(args.end(), flags.begin(), flags.end());
    return kubectl(args);
  }

  std::string field(const std::string& object, const std::string& jsonpath) {
    return ok({"get", object, "-o", "jsonpath=" + jsonpath});
  }

  // The FieldsV1 of `manager`'s entry, as JSON text ("" when it has none).
  std::string fields_of(const std::string& object, const std::string& manager) {
    return field(object, "{.metadata.managedFields[?(@.manager==\"" + manager + "\")].fieldsV1}");
  }

  std::unique_ptr<TestCluster> cluster_;
};

TEST_F(ServerSideApplyTest, TheExampleAppliesTwiceAndTheSecondTimeChangesNothing) {
  const std::string example = CELLAR_SOURCE_DIR "/examples/schedule.yaml";
  CommandResult first = kubectl({"apply", "--server-side", "-f", example});
  ASSERT_EQ(first.exit_code, 0) << first.describe();
  EXPECT_THAT(first.out, HasSubstr("backupschedule.cellar.dev/shop-nightly serverside-applied"));
  const std::string version = field("bks/shop-nightly", "{.metadata.resourceVersion}");
  CommandResult second = kubectl({"apply", "--server-side", "-f", example});
  ASSERT_EQ(second.exit_code, 0) << second.describe();
  EXPECT_EQ(field("bks/shop-nightly", "{.metadata.resourceVersion}"), version);
  EXPECT_EQ(field("bks/shop-nightly", "{.metadata.managedFields[0].manager}"), "kubectl");
  EXPECT_EQ(field("bks/shop-nightly", "{.metadata.managedFields[0].operation}"), "Apply");
  EXPECT_EQ(field("bks/shop-nightly", "{.spec.backupTemplate.format}"), "custom");
}

TEST_F(ServerSideApplyTest, AnotherManagerChangingAFieldConflictsUntilItForces) {
  ASSERT_EQ(apply(kSchedule).exit_code, 0);
  const std::string other = edited("30 2 * * *", "0 4 * * *");
  CommandResult conflict = apply(other, {"--field-manager=other"});
  EXPECT_NE(conflict.exit_code, 0);
  EXPECT_THAT(conflict.err,
              HasSubstr("Apply failed with 1 conflict: conflict with \"kubectl\": .spec.schedule"));
  EXPECT_EQ(field("bks/nightly", "{.spec.schedule}"), "30 2 * * *");

  CommandResult forced = apply(other, {"--field-manager=other", "--force-conflicts"});
  ASSERT_EQ(forced.exit_code, 0) << forced.describe();
  EXPECT_EQ(field("bks/nightly", "{.spec.schedule}"), "0 4 * * *");
  EXPECT_THAT(fields_of("bks/nightly", "other"), HasSubstr("\"f:schedule\""));
  EXPECT_THAT(fields_of("bks/nightly", "kubectl"), Not(HasSubstr("\"f:schedule\"")));
  std::string yaml = ok({"get", "bks", "nightly", "-o", "yaml", "--show-managed-fields"});
  EXPECT_THAT(yaml, HasSubstr("manager: other"));
  EXPECT_THAT(yaml, HasSubstr("fieldsType: FieldsV1"));
}

TEST_F(ServerSideApplyTest, AFieldRemovedFromTheFileIsRemovedFromTheObject) {
  ASSERT_EQ(apply(kSchedule).exit_code, 0);
  ASSERT_EQ(field("bks/nightly", "{.spec.startingDeadlineSeconds}"), "3600");
  CommandResult again = apply(edited("  startingDeadlineSeconds: 3600\n", ""));
  ASSERT_EQ(again.exit_code, 0) << again.describe();
  EXPECT_EQ(field("bks/nightly", "{.spec.startingDeadlineSeconds}"), "");
  EXPECT_THAT(fields_of("bks/nightly", "kubectl"), Not(HasSubstr("startingDeadlineSeconds")));
}

TEST_F(ServerSideApplyTest, AClientSideApplyOwnsWhatAServerSideApplyThenConflictsOn) {
  ASSERT_EQ(kubectl({"apply", "-f", file("csa.yaml", kSchedule)}).exit_code, 0);
  CommandResult conflict = apply(edited("30 2 * * *", "0 4 * * *"));
  EXPECT_NE(conflict.exit_code, 0);
  EXPECT_THAT(conflict.err,
              HasSubstr("Apply failed with 1 conflict: conflict with \"kubectl-client-side-apply\" "
                        "using cellar.dev/v1alpha1: .spec.schedule"));
}

TEST_F(ServerSideApplyTest, APatchOwnsWhatAServerSideApplyThenConflictsOn) {
  ASSERT_EQ(apply(kSchedule).exit_code, 0);
  ok({"patch", "bks", "nightly", "--type=merge", "-p", R"({"spec":{"schedule":"0 5 * * *"}})"});
  EXPECT_THAT(fields_of("bks/nightly", "kubectl-patch"), HasSubstr("\"f:schedule\""));
  CommandResult conflict = apply(kSchedule);
  EXPECT_NE(conflict.exit_code, 0);
  EXPECT_THAT(conflict.err, HasSubstr("conflict with \"kubectl-patch\" using cellar.dev/v1alpha1: "
                                      ".spec.schedule"));
}

TEST_F(ServerSideApplyTest, AServerSideApplyAfterAClientSideOneTakesItsFieldsOver) {
  ASSERT_EQ(kubectl({"apply", "-f", file("csa.yaml", kSchedule)}).exit_code, 0);
  CommandResult upgraded = apply(kSchedule);
  ASSERT_EQ(upgraded.exit_code, 0) << upgraded.describe();
  // kubectl moves the client-side entry's fields to its own apply entry.
  EXPECT_EQ(fields_of("bks/nightly", "kubectl-client-side-apply"), "");
  EXPECT_THAT(fields_of("bks/nightly", "kubectl"), HasSubstr("\"f:schedule\""));
  CommandResult changed = apply(edited("30 2 * * *", "0 4 * * *"));
  ASSERT_EQ(changed.exit_code, 0) << changed.describe();
  EXPECT_EQ(field("bks/nightly", "{.spec.schedule}"), "0 4 * * *");
}

TEST_F(ServerSideApplyTest, StatusIsAppliedOnlyThroughTheStatusSubresource) {
  ASSERT_EQ(apply(kSchedule).exit_code, 0);
  const std::string status =
      "apiVersion: cellar.dev/v1alpha1\nkind: BackupSchedule\n"
      "metadata: {name: nightly}\n"
      "status: {lastScheduleTime: \"2026-01-01T00:00:00Z\"}\n";
  CommandResult applied = apply(status, {"--field-manager=controller", "--subresource=status"});
  ASSERT_EQ(applied.exit_code, 0) << applied.describe();
  EXPECT_EQ(field("bks/nightly", "{.status.lastScheduleTime}"), "2026-01-01T00:00:00Z");
  EXPECT_EQ(
      field("bks/nightly", "{.metadata.managedFields[?(@.manager==\"controller\")].subresource}"),
      "status");
  // Through the main resource, status is neither written nor owned.
  const std::string main =
      std::string(kSchedule) + "status: {lastScheduleTime: \"2020-01-01T00:00:00Z\"}\n";
  ASSERT_EQ(apply(main).exit_code, 0);
  EXPECT_EQ(field("bks/nightly", "{.status.lastScheduleTime}"), "2026-01-01T00:00:00Z");
  EXPECT_THAT(fields_of("bks/nightly", "kubectl"), Not(HasSubstr("status")));
}

TEST_F(ServerSideApplyTest, ConfigMapKeysFromTwoManagersMerge) {
  const std::string a = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm}\ndata: {a: '1'}\n";
  const std::string b = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm}\ndata: {b: '2'}\n";
  ASSERT_EQ(apply(a, {"--field-manager=first"}).exit_code, 0);
  ASSERT_EQ(apply(b, {"--field-manager=second"}).exit_code, 0);
  EXPECT_EQ(field("cm/cm", "{.data.a},{.data.b}"), "1,2");
  // The first manager no longer applying its key removes it; the second's stays.
  ASSERT_EQ(
      apply("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm}\n", {"--field-manager=first"})
          .exit_code,
      0);
  EXPECT_EQ(field("cm/cm", "{.data.a},{.data.b}"), ",2");
}

TEST_F(ServerSideApplyTest, ContainersFromTwoManagersMergeByName) {
  const std::string a = R"(apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
  - {name: app, image: "app:1"}
  - {name: proxy, image: "proxy:1"}
)";
  const std::string b = R"(apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
  - {name: proxy, image: "proxy:2"}
)";
  ASSERT_EQ(apply(a, {"--field-manager=app-team"}).exit_code, 0);
  CommandResult conflict = apply(b, {"--field-manager=mesh"});
  EXPECT_THAT(conflict.err, HasSubstr("conflict with \"app-team\": "
                                      ".spec.containers[name=\"proxy\"].image"));
  ASSERT_EQ(apply(b, {"--field-manager=mesh", "--force-conflicts"}).exit_code, 0);
  EXPECT_EQ(field("pod/p", "{range .spec.containers[*]}{.name}={.image} {end}"),
            "app=app:1 proxy=proxy:2 ");
  EXPECT_THAT(fields_of("pod/p", "mesh"), HasSubstr(R"(k:{\"name\":\"proxy\"})"));
  EXPECT_THAT(fields_of("pod/p", "app-team"), HasSubstr(R"(k:{\"name\":\"app\"})"));
}

}  // namespace
}  // namespace cellar::testing
