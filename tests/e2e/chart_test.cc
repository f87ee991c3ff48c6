// The Helm chart and the kustomize base as a platform team uses them: helm lint, helm template
// (with the optional parts on and off), helm install, upgrade and uninstall into the test cluster,
// and kubectl apply -k manifests/ (server dry run, then for real).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/e2e/rendered_manifests.h"
#include "tests/support/test_cluster.h"
#include "tests/support/tool_path.h"

namespace cellar::testing {
namespace {

using json = nlohmann::json;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

json args_of(const std::vector<json>& documents) {
  const json deployment = find_object(documents, "Deployment");
  if (deployment.is_null()) return json::array();
  return deployment["spec"]["template"]["spec"]["containers"][0]["args"];
}

TEST(ChartTest, HelmLintIsClean) {
  TempDir home("cellar-helm-home");
  CommandResult lint =
      run_command({helm_path(), "lint", "--strict", CELLAR_SOURCE_DIR "/charts/cellar"},
                  {"HOME=" + home.path()});
  ASSERT_EQ(lint.exit_code, 0) << lint.describe();
  EXPECT_THAT(lint.out, HasSubstr("1 chart(s) linted, 0 chart(s) failed"));
  EXPECT_THAT(lint.out, Not(HasSubstr("[WARNING]")));
  EXPECT_THAT(lint.out, Not(HasSubstr("[ERROR]")));
}

TEST(ChartTest, RendersTheControllerWithLeaderElectionAndTwoReplicas) {
  CommandResult rendered = helm_template();
  ASSERT_EQ(rendered.exit_code, 0) << rendered.describe();
  const auto documents = yaml_documents(rendered.out);
  EXPECT_THAT(kinds_of(documents),
              ElementsAre("ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Role",
                          "RoleBinding", "Service", "Deployment"));
  const json deployment = find_object(documents, "Deployment", "cellar-controller");
  ASSERT_FALSE(deployment.is_null());
  EXPECT_EQ(deployment["spec"]["replicas"], 2);
  const json& container = deployment["spec"]["template"]["spec"]["containers"][0];
  EXPECT_EQ(container["image"], "cellar-controller:0.1.0");
  EXPECT_THAT(container["args"], Contains("--agent-image=cellar-agent:0.1.0"));
  EXPECT_THAT(container["args"], Contains("--leader-elect"));
  EXPECT_THAT(container["args"], Contains("--leader-elect-namespace=cellar-system"));
  EXPECT_THAT(container["args"], Contains("--health-addr=:8081"));
  EXPECT_EQ(container["readinessProbe"]["httpGet"]["path"], "/readyz");
  EXPECT_EQ(container["livenessProbe"]["httpGet"]["path"], "/healthz");
  // The Lease Role names the Lease for what may name it; create cannot be limited by name.
  const json lease_role = find_object(documents, "Role", "cellar-controller-leader-election");
  ASSERT_FALSE(lease_role.is_null());
  EXPECT_EQ(lease_role["metadata"]["namespace"], "cellar-system");
  EXPECT_EQ(lease_role["rules"], json::parse(R"([
      {"apiGroups": ["coordination.k8s.io"], "resources": ["leases"],
       "resourceNames": ["cellar-controller"], "verbs": ["get", "update", "watch"]},
      {"apiGroups": ["coordination.k8s.io"], "resources": ["leases"], "verbs": ["create"]}])"));
}

TEST(ChartTest, RendersTheOptionalPartsWhenAskedFor) {
  CommandResult rendered = helm_template(
      {"--set", "serviceMonitor.enabled=true", "--set", "prometheusRule.enabled=true", "--set",
       "watchNamespace=shop", "--set", "leaderElection.enabled=false", "--set", "replicas=1"});
  ASSERT_EQ(rendered.exit_code, 0) << rendered.describe();
  const auto documents = yaml_documents(rendered.out);
  EXPECT_THAT(kinds_of(documents), ElementsAre("ServiceAccount", "Role", "RoleBinding", "Service",
                                               "Deployment", "PrometheusRule", "ServiceMonitor"));
  // One namespace watched: its rights are a Role there, not a ClusterRole.
  EXPECT_EQ(find_object(documents, "Role")["metadata"]["namespace"], "shop");
  EXPECT_EQ(find_object(documents, "ServiceMonitor")["spec"]["endpoints"][0]["port"], "metrics");
  const json args = args_of(documents);
  EXPECT_THAT(args, Contains("--namespace=shop"));
  EXPECT_THAT(args, Not(Contains("--leader-elect")));
}

TEST(ChartTest, RendersTheControllersEnvironment) {
  const json container_of_default =
      find_object(yaml_documents(helm_template().out),
                  "Deployment")["spec"]["template"]["spec"]["containers"][0];
  EXPECT_FALSE(container_of_default.contains("env")) << container_of_default.dump();
  CommandResult rendered = helm_template(
      {"--set", "env[0].name=HTTPS_PROXY", "--set", "env[0].value=http://proxy.corp:3128"});
  ASSERT_EQ(rendered.exit_code, 0) << rendered.describe();
  const json deployment = find_object(yaml_documents(rendered.out), "Deployment");
  EXPECT_EQ(deployment["spec"]["template"]["spec"]["containers"][0]["env"],
            json::parse(R"([{"name": "HTTPS_PROXY", "value": "http://proxy.corp:3128"}])"));
}

TEST(ChartTest, ARefusedValueSaysWhy) {
  CommandResult rendered = helm_template(
      {"--set", "serviceMonitor.enabled=true", "--set", "metrics.service.enabled=false"});
  EXPECT_NE(rendered.exit_code, 0);
  EXPECT_THAT(rendered.err, HasSubstr("serviceMonitor.enabled needs metrics.service.enabled"));
}

class ChartInstallTest : public ::testing::Test {
 protected:
  void SetUp() override {
    cluster_ = TestCluster::start();
    ASSERT_NE(cluster_, nullptr);
  }

  CommandResult helm(std::vector<std::string> args) {
    args.insert(args.begin(), helm_path());
    return run_command(args,
                       {"KUBECONFIG=" + cluster_->kubeconfig_path(), "HOME=" + cluster_->dir()},
                       std::chrono::seconds(120));
  }

  std::string get(const std::vector<std::string>& args) {
    CommandResult r = cluster_->kubectl(args);
    EXPECT_EQ(r.exit_code, 0) << r.describe();
    return r.out;
  }

  std::unique_ptr<TestCluster> cluster_;
};

// Helm 4 installs with server-side apply and keeps the release in a Secret (sent as protobuf).
TEST_F(ChartInstallTest, HelmInstallsUpgradesAndUninstalls) {
  CommandResult install = helm({"install", "cellar", CELLAR_SOURCE_DIR "/charts/cellar", "-n",
                                "cellar-system", "--create-namespace"});
  ASSERT_EQ(install.exit_code, 0) << install.describe() << cluster_->log();
  EXPECT_THAT(install.out, HasSubstr("STATUS: deployed"));
  EXPECT_THAT(install.out, HasSubstr("Cellar 0.1.0 is installed in namespace cellar-system"));
  EXPECT_EQ(get({"get", "crd", "-o", "name"}),
            "customresourcedefinition.apiextensions.k8s.io/backups.cellar.dev\n"
            "customresourcedefinition.apiextensions.k8s.io/backupschedules.cellar.dev\n"
            "customresourcedefinition.apiextensions.k8s.io/restores.cellar.dev\n");
  EXPECT_EQ(get({"get", "deployment", "cellar-controller", "-n", "cellar-system", "-o",
                 "jsonpath={.spec.replicas} {.spec.template.spec.serviceAccountName}"}),
            "2 cellar-controller");
  EXPECT_EQ(get({"get", "clusterrolebinding", "cellar-controller", "-o",
                 "jsonpath={.subjects[0].namespace}/{.subjects[0].name}"}),
            "cellar-system/cellar-controller");
  EXPECT_EQ(get({"get", "service", "cellar-controller-metrics", "-n", "cellar-system", "-o",
                 "jsonpath={.spec.ports[0].port}"}),
            "8080");
  EXPECT_EQ(get({"get", "deployment", "cellar-controller", "-n", "cellar-system", "-o",
                 "jsonpath={.metadata.managedFields[0].manager} "
                 "{.metadata.managedFields[0].operation}"}),
            "helm Apply");
  EXPECT_THAT(get({"get", "secrets", "-n", "cellar-system", "-l", "owner=helm", "-o", "name"}),
              HasSubstr("secret/sh.helm.release.v1.cellar.v1"));

  CommandResult upgrade =
      helm({"upgrade", "cellar", CELLAR_SOURCE_DIR "/charts/cellar", "-n", "cellar-system", "--set",
            "replicas=1", "--set", "leaderElection.enabled=false"});
  ASSERT_EQ(upgrade.exit_code, 0) << upgrade.describe();
  EXPECT_EQ(get({"get", "deployment", "cellar-controller", "-n", "cellar-system", "-o",
                 "jsonpath={.spec.replicas} {.metadata.generation}"}),
            "1 2");
  EXPECT_EQ(get({"get", "roles", "-n", "cellar-system", "-o", "name"}), "");

  CommandResult uninstall = helm({"uninstall", "cellar", "-n", "cellar-system"});
  ASSERT_EQ(uninstall.exit_code, 0) << uninstall.describe();
  EXPECT_EQ(get({"get", "deployments,services,secrets", "-n", "cellar-system", "-o", "name"}), "");
  EXPECT_EQ(get({"get", "clusterroles", "-o", "name"}), "");
  // CRDs stay: Helm never deletes what its crds/ folder installed.
  EXPECT_THAT(get({"get", "crd", "-o", "name"}), HasSubstr("backups.cellar.dev"));
}

TEST_F(ChartInstallTest, KustomizeBaseAppliesWithServerDryRunThenForReal) {
  // As on any cluster, a dry run cannot create the namespace the rest is to go into.
  CommandResult ns =
      cluster_->kubectl({"apply", "-f", CELLAR_SOURCE_DIR "/manifests/namespace.yaml"});
  ASSERT_EQ(ns.exit_code, 0) << ns.describe();
  CommandResult dry =
      cluster_->kubectl({"apply", "-k", CELLAR_SOURCE_DIR "/manifests", "--dry-run=server"});
  ASSERT_EQ(dry.exit_code, 0) << dry.describe() << cluster_->log();
  EXPECT_THAT(dry.out, HasSubstr("deployment.apps/cellar-controller created (server dry run)"));
  EXPECT_THAT(dry.out, HasSubstr("role.rbac.authorization.k8s.io/cellar-controller-leader-election "
                                 "created (server dry run)"));
  EXPECT_EQ(get({"get", "deployments", "-A", "-o", "name"}), "");

  CommandResult apply = cluster_->kubectl({"apply", "-k", CELLAR_SOURCE_DIR "/manifests"});
  ASSERT_EQ(apply.exit_code, 0) << apply.describe();
  CommandResult again = cluster_->kubectl({"apply", "-k", CELLAR_SOURCE_DIR "/manifests"});
  ASSERT_EQ(again.exit_code, 0) << again.describe();
  EXPECT_THAT(again.out, HasSubstr("deployment.apps/cellar-controller unchanged"));
  EXPECT_EQ(get({"get", "deployment", "cellar-controller", "-n", "cellar-system", "-o",
                 "jsonpath={.spec.replicas} {.spec.strategy.type}"}),
            "2 RollingUpdate");
}

TEST_F(ChartInstallTest, ADeploymentWhoseSelectorMissesItsTemplateIsRefused) {
  CommandResult r = cluster_->kubectl({"apply", "-f", "-"}, std::chrono::seconds(60), R"(
apiVersion: apps/v1
kind: Deployment
metadata: {name: wrong}
spec:
  selector: {matchLabels: {app: a}}
  template:
    metadata: {labels: {app: b}}
    spec: {containers: [{name: c, image: x:1}]}
)");
  EXPECT_NE(r.exit_code, 0);
  EXPECT_THAT(r.err, HasSubstr("The Deployment \"wrong\" is invalid: "
                               "spec.template.metadata.labels: Invalid value: "
                               "map[string]string{\"app\":\"b\"}: `selector` does not match "
                               "template `labels`"));
}

}  // namespace
}  // namespace cellar::testing
