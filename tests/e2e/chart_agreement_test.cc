// The Helm chart and the kustomize base describe one installation: rendered with its defaults
// (which match manifests/), the chart's RBAC rules, CRDs, Deployment and Service agree with what
// `kubectl kustomize manifests/` builds. Names and labels may differ (Helm's are the release's);
// everything that decides what the controller can do and how it runs may not.
#include <gtest/gtest.h>

#include "tests/e2e/rendered_manifests.h"

namespace cellar::testing {
namespace {

using json = nlohmann::json;

class ChartAgreementTest : public ::testing::Test {
 protected:
  void SetUp() override {
    CommandResult chart = helm_template({"--include-crds"});
    ASSERT_EQ(chart.exit_code, 0) << chart.describe();
    chart_ = yaml_documents(chart.out);
    CommandResult base = kustomize_manifests();
    ASSERT_EQ(base.exit_code, 0) << base.describe();
    base_ = yaml_documents(base.out);
  }

  // Fails with a diff when the chart's `part` of (kind, name) is not the base's.
  void expect_same(const std::string& kind, const std::string& name,
                   const json::json_pointer& part) {
    const json chart = find_object(chart_, kind, name);
    const json base = find_object(base_, kind, name);
    ASSERT_FALSE(chart.is_null()) << "the chart renders no " << kind << " " << name;
    ASSERT_FALSE(base.is_null()) << "manifests/ has no " << kind << " " << name;
    const json a = chart.contains(part) ? chart[part] : json();
    const json b = base.contains(part) ? base[part] : json();
    const std::string diff = json_diff(b, "manifests", a, "chart");
    EXPECT_TRUE(diff.empty()) << kind << " " << name << " " << part.to_string()
                              << " differs between manifests/ and the chart:\n"
                              << diff;
  }

  std::vector<json> chart_;
  std::vector<json> base_;
};

TEST_F(ChartAgreementTest, RbacRules) {
  expect_same("ClusterRole", "cellar-controller", json::json_pointer("/rules"));
  expect_same("ClusterRoleBinding", "cellar-controller", json::json_pointer("/roleRef"));
  expect_same("ClusterRoleBinding", "cellar-controller", json::json_pointer("/subjects"));
  expect_same("Role", "cellar-controller-leader-election", json::json_pointer("/rules"));
  expect_same("RoleBinding", "cellar-controller-leader-election", json::json_pointer("/roleRef"));
  expect_same("RoleBinding", "cellar-controller-leader-election", json::json_pointer("/subjects"));
}

TEST_F(ChartAgreementTest, Crds) {
  for (const char* name :
       {"backups.cellar.dev", "backupschedules.cellar.dev", "restores.cellar.dev"}) {
    expect_same("CustomResourceDefinition", name, json::json_pointer("/spec"));
  }
}

TEST_F(ChartAgreementTest, DeploymentPodAndContainer) {
  const std::string d = "cellar-controller";
  expect_same("Deployment", d, json::json_pointer("/spec/replicas"));
  expect_same("Deployment", d, json::json_pointer("/spec/template/spec/serviceAccountName"));
  expect_same("Deployment", d, json::json_pointer("/spec/template/spec/securityContext"));
  for (const char* field : {"name", "image", "imagePullPolicy", "args", "ports", "livenessProbe",
                            "readinessProbe", "resources", "securityContext"}) {
    expect_same("Deployment", d,
                json::json_pointer(std::string("/spec/template/spec/containers/0/") + field));
  }
  // One container, so nothing the comparison above skipped runs beside it.
  EXPECT_EQ(find_object(chart_, "Deployment", d)["spec"]["template"]["spec"]["containers"].size(),
            1u);
}

TEST_F(ChartAgreementTest, MetricsService) {
  expect_same("Service", "cellar-controller-metrics", json::json_pointer("/spec/type"));
  expect_same("Service", "cellar-controller-metrics", json::json_pointer("/spec/ports"));
}

}  // namespace
}  // namespace cellar::testing
