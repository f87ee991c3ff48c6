#include "tests/cluster/container_launch.h"

#include <gtest/gtest.h>

namespace cellar::testcluster {
namespace {

using json = nlohmann::json;

class ContainerLaunchTest : public ::testing::Test {
 protected:
  ContainerLaunchTest() {
    context_.volume_root = "/vol";
    context_.images = {{"cellar-agent:1", "/opt/bin/cellar-agent"}};
    context_.lookup = [this](const std::string& kind, const std::string& name) {
      const auto& objects = kind == "Secret" ? secrets_ : config_maps_;
      const auto it = objects.find(name);
      return it == objects.end() ? std::nullopt : std::optional<json>(it->second);
    };
  }

  json& container() { return pod_["spec"]["containers"][0]; }
  LaunchPlan plan() const { return plan_launch(pod_, 0, context_); }
  LaunchSpec spec() const {
    const LaunchPlan p = plan();
    EXPECT_TRUE(p.ok()) << p.failure->message;
    return p.spec;
  }
  std::string env(const std::string& name) const {
    for (const auto& [k, v] : spec().env) {
      if (k == name) return v;
    }
    return "<unset>";
  }
  void secret(const std::string& name, const std::string& key, const std::string& base64) {
    secrets_[name] = {{"data", {{key, base64}}}};
  }

  json pod_ = json::parse(R"({
    "metadata": {"name": "p", "namespace": "ns", "uid": "u"},
    "spec": {"containers": [{"name": "dump", "image": "cellar-agent:1"}]}})");
  std::map<std::string, json> secrets_;
  std::map<std::string, json> config_maps_;
  LaunchContext context_;
};

TEST_F(ContainerLaunchTest, ImageWithoutCommandRunsItsMappedProgram) {
  container()["args"] = {"dump", "--x"};
  EXPECT_EQ(spec().argv, (std::vector<std::string>{"/opt/bin/cellar-agent", "dump", "--x"}));
  EXPECT_EQ(spec().image_files, std::vector<std::string>{"/opt/bin/cellar-agent"});
}

TEST_F(ContainerLaunchTest, CommandNamingTheMappedProgramResolvesToIt) {
  container()["command"] = {"cellar-agent", "dump"};
  EXPECT_EQ(spec().argv, (std::vector<std::string>{"/opt/bin/cellar-agent", "dump"}));
}

TEST_F(ContainerLaunchTest, OtherCommandsRunAsGiven) {
  container()["image"] = "busybox";
  container()["command"] = {"sh", "-c", "exit 0"};
  EXPECT_EQ(spec().argv, (std::vector<std::string>{"sh", "-c", "exit 0"}));
  EXPECT_TRUE(spec().image_files.empty());
}

TEST_F(ContainerLaunchTest, UnmappedImageWithoutCommandCannotBePulled) {
  container()["image"] = "nowhere:1";
  EXPECT_EQ(plan().failure->reason, "ErrImagePull");
}

TEST_F(ContainerLaunchTest, EnvValuesExpandEarlierVariables) {
  container()["env"] = {{{"name", "A"}, {"value", "x"}},
                        {{"name", "B"}, {"value", "$(A)-$(NOPE)-$$(A)"}}};
  EXPECT_EQ(env("B"), "x-$(NOPE)-$(A)");
}

TEST_F(ContainerLaunchTest, ArgsExpandTheContainerEnvironment) {
  container()["env"] = {{{"name", "DB"}, {"value", "app"}}};
  container()["args"] = {"--db=$(DB)"};
  EXPECT_EQ(spec().argv.back(), "--db=app");
}

TEST_F(ContainerLaunchTest, SecretKeyRefArrivesDecoded) {
  secret("db", "password", "czNjcjN0");
  container()["env"] = {{{"name", "PGPASSWORD"},
                         {"valueFrom", {{"secretKeyRef", {{"name", "db"}, {"key", "password"}}}}}}};
  EXPECT_EQ(env("PGPASSWORD"), "s3cr3t");
}

TEST_F(ContainerLaunchTest, MissingSecretIsAConfigError) {
  container()["env"] = {
      {{"name", "P"}, {"valueFrom", {{"secretKeyRef", {{"name", "db"}, {"key", "pw"}}}}}}};
  const LaunchPlan p = plan();
  EXPECT_EQ(p.failure->reason, "CreateContainerConfigError");
  EXPECT_EQ(p.failure->message, "secret \"db\" not found");
}

TEST_F(ContainerLaunchTest, MissingKeyIsAConfigError) {
  secret("db", "user", "dQ==");
  container()["env"] = {
      {{"name", "P"}, {"valueFrom", {{"secretKeyRef", {{"name", "db"}, {"key", "pw"}}}}}}};
  EXPECT_EQ(plan().failure->message, "couldn't find key pw in Secret ns/db");
}

TEST_F(ContainerLaunchTest, OptionalMissingReferenceIsLeftOut) {
  container()["env"] = {
      {{"name", "P"},
       {"valueFrom", {{"configMapKeyRef", {{"name", "c"}, {"key", "k"}, {"optional", true}}}}}}};
  EXPECT_EQ(env("P"), "<unset>");
}

TEST_F(ContainerLaunchTest, FieldRefsDescribeThePod) {
  container()["env"] = {
      {{"name", "N"}, {"valueFrom", {{"fieldRef", {{"fieldPath", "metadata.name"}}}}}},
      {{"name", "S"}, {"valueFrom", {{"fieldRef", {{"fieldPath", "metadata.namespace"}}}}}},
      {{"name", "IP"}, {"valueFrom", {{"fieldRef", {{"fieldPath", "status.podIP"}}}}}}};
  EXPECT_EQ(env("N"), "p");
  EXPECT_EQ(env("S"), "ns");
  EXPECT_EQ(env("IP"), "127.0.0.1");
}

TEST_F(ContainerLaunchTest, ClaimMountsItsFolderUnderTheVolumeRoot) {
  pod_["spec"]["volumes"] = {{{"name", "out"}, {"persistentVolumeClaim", {{"claimName", "c"}}}}};
  container()["volumeMounts"] = {
      {{"name", "out"}, {"mountPath", "/backups"}, {"subPath", "a"}, {"readOnly", true}}};
  const Mount m = spec().mounts.at(0);
  EXPECT_EQ(m.host_path, "/vol/ns/c/a");
  EXPECT_EQ(m.mount_path, "/backups");
  EXPECT_TRUE(m.read_only);
}

TEST_F(ContainerLaunchTest, SecurityContextGivesTheIdentity) {
  pod_["spec"]["securityContext"] = {{"runAsUser", 1000}, {"fsGroup", 2000}};
  container()["securityContext"] = {
      {"runAsGroup", 3000}, {"readOnlyRootFilesystem", true}, {"allowPrivilegeEscalation", false}};
  const LaunchSpec s = spec();
  EXPECT_EQ(s.run_as_user, 1000u);
  EXPECT_EQ(s.run_as_group, 3000u);
  EXPECT_EQ(s.supplemental_groups, std::vector<uint32_t>{2000});
  EXPECT_TRUE(s.read_only_root);
  EXPECT_TRUE(s.no_new_privileges);
}

TEST_F(ContainerLaunchTest, RunAsNonRootWithoutAUserIsRefused) {
  container()["securityContext"] = {{"runAsNonRoot", true}};
  const LaunchPlan p = plan();
  EXPECT_EQ(p.failure->reason, "CreateContainerConfigError");
  EXPECT_EQ(p.failure->message,
            "container has runAsNonRoot and image will run as root (pod: \"p_ns(u)\", container: "
            "dump)");
}

TEST_F(ContainerLaunchTest, TerminationMessageIsCappedAt4096Bytes) {
  EXPECT_EQ(termination_message(std::string(5000, 'x'), "", "File", 0).size(), 4096u);
}

TEST_F(ContainerLaunchTest, FailedContainerFallsBackToItsLogWhenAsked) {
  EXPECT_EQ(termination_message("", "a\nb\n", "FallbackToLogsOnError", 1), "a\nb\n");
  EXPECT_EQ(termination_message("", "a\nb\n", "FallbackToLogsOnError", 0), "");
  EXPECT_EQ(termination_message("", "a\nb\n", "File", 1), "");
}

TEST_F(ContainerLaunchTest, LogFallbackKeepsTheLast80Lines) {
  std::string log;
  for (int i = 0; i < 100; ++i) log += std::to_string(i) + "\n";
  const std::string tail = termination_message("", log, "FallbackToLogsOnError", 1);
  EXPECT_EQ(tail.substr(0, 3), "20\n");
  EXPECT_EQ(tail.substr(tail.size() - 3), "99\n");
}

TEST_F(ContainerLaunchTest, Base64DecodesAndRejectsGarbage) {
  EXPECT_EQ(decode_base64("aGk="), "hi");
  EXPECT_EQ(decode_base64(""), "");
  EXPECT_FALSE(decode_base64("a*b="));
}

}  // namespace
}  // namespace cellar::testcluster
