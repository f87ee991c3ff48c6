// RBAC objects as kube-apiserver validates them.
#include "tests/cluster/rbac_rules.h"

#include <gtest/gtest.h>

#include "tests/cluster/builtin_types.h"

namespace cellar::testcluster {
namespace {

using json = nlohmann::json;

ResourceType type(const std::string& plural) {
  for (const auto& t : builtin_types()) {
    if (t.plural == plural && is_rbac(t)) return t;
  }
  ADD_FAILURE() << plural << " is not served";
  return {};
}

std::string messages(const json& causes) {
  std::string all;
  for (const auto& c : causes) all += c.value("field", "") + ": " + c.value("message", "") + "\n";
  return all;
}

TEST(RbacRulesTest, ARuleNeedsVerbsGroupsAndResources) {
  const json role = json::parse(R"({"rules": [
      {"apiGroups": ["cellar.dev"], "resources": ["backups"], "verbs": ["get"]},
      {"resources": ["backups"]}]})");
  EXPECT_EQ(messages(rbac_causes(type("clusterroles"), role, nullptr)),
            "rules[1].verbs: Required value: verbs must contain at least one value\n"
            "rules[1].apiGroups: Required value: resource rules must supply at least one api "
            "group\n");
}

TEST(RbacRulesTest, NamespacedRulesCannotNameNonResourceUrls) {
  const json role =
      json::parse(R"({"rules": [{"nonResourceURLs": ["/metrics"], "verbs": ["get"]}]})");
  EXPECT_TRUE(rbac_causes(type("clusterroles"), role, nullptr).empty());
  EXPECT_EQ(messages(rbac_causes(type("roles"), role, nullptr)),
            "rules[0].nonResourceURLs: Forbidden: namespaced rules cannot apply to non-resource "
            "URLs\n");
}

json binding(const std::string& kind) {
  return {
      {"roleRef", {{"apiGroup", "rbac.authorization.k8s.io"}, {"kind", kind}, {"name", "cellar"}}},
      {"subjects", json::array({{{"kind", "ServiceAccount"}, {"name", "cellar"}}})}};
}

TEST(RbacRulesTest, AClusterRoleBindingNamesAClusterRoleAndNamespacedServiceAccounts) {
  EXPECT_EQ(messages(rbac_causes(type("clusterrolebindings"), binding("Role"), nullptr)),
            "roleRef.kind: Unsupported value: \"Role\": supported values: \"ClusterRole\"\n"
            "subjects[0].namespace: Required value\n");
  EXPECT_TRUE(rbac_causes(type("rolebindings"), binding("Role"), nullptr).empty());
}

TEST(RbacRulesTest, TheRoleRefCannotChange) {
  EXPECT_EQ(messages(rbac_causes(type("rolebindings"), binding("Role"), binding("ClusterRole"))),
            "roleRef: Invalid value: rbac.RoleRef{APIGroup:\"rbac.authorization.k8s.io\", "
            "Kind:\"Role\", Name:\"cellar\"}: cannot change roleRef\n");
}

}  // namespace
}  // namespace cellar::testcluster
