// Which resources the test cluster serves: the built-ins, and a CRD's served versions.
#include "tests/cluster/registry.h"

#include <gtest/gtest.h>

namespace cellar::testcluster {
namespace {

using json = nlohmann::json;

class RegistryTest : public ::testing::Test {
 protected:
  static json version(const std::string& name, bool served, bool storage) {
    return {{"name", name},
            {"served", served},
            {"storage", storage},
            {"schema", {{"openAPIV3Schema", {{"type", "object"}}}}},
            {"subresources", {{"status", json::object()}}},
            {"additionalPrinterColumns",
             {{{"name", "Phase"}, {"type", "string"}, {"jsonPath", ".status.phase"}}}}};
  }

  static json backup_crd(json versions = json::array({version("v1alpha1", true, true)})) {
    return {{"metadata", {{"name", "backups.cellar.dev"}}},
            {"spec",
             {{"group", "cellar.dev"},
              {"scope", "Namespaced"},
              {"names",
               {{"plural", "backups"},
                {"kind", "Backup"},
                {"shortNames", {"bk"}},
                {"categories", {"all"}}}},
              {"versions", std::move(versions)}}}};
  }

  Registry registry_;
};

TEST_F(RegistryTest, ServesTheBuiltIns) {
  auto pods = registry_.find("", "v1", "pods");
  ASSERT_TRUE(pods);
  EXPECT_EQ(pods->kind, "Pod");
  EXPECT_TRUE(pods->status_subresource);
  EXPECT_EQ(pods->short_names, std::vector<std::string>{"po"});
  EXPECT_EQ(pods->categories, std::vector<std::string>{"all"});
  auto namespaces = registry_.find("", "v1", "namespaces");
  ASSERT_TRUE(namespaces);
  EXPECT_FALSE(namespaces->namespaced);
  EXPECT_TRUE(registry_.find("coordination.k8s.io", "v1", "leases"));
  EXPECT_TRUE(registry_.find("events.k8s.io", "v1", "events"));
  EXPECT_FALSE(registry_.find("cellar.dev", "v1alpha1", "backups"));
}

TEST_F(RegistryTest, FindsAKindForOwnerReferences) {
  auto jobs = registry_.find_kind("batch/v1", "Job");
  ASSERT_TRUE(jobs);
  EXPECT_EQ(jobs->plural, "jobs");
  EXPECT_TRUE(jobs->status_subresource);
  EXPECT_TRUE(registry_.find_kind("v1", "ConfigMap"));
  EXPECT_FALSE(registry_.find_kind("v1", "Job"));
}

TEST_F(RegistryTest, ServesACrdWithItsNamesSchemaAndColumns) {
  registry_.serve_crd(backup_crd());
  auto backups = registry_.find("cellar.dev", "v1alpha1", "backups");
  ASSERT_TRUE(backups);
  EXPECT_EQ(backups->kind, "Backup");
  EXPECT_EQ(backups->singular, "backup");
  EXPECT_EQ(backups->list_kind, "BackupList");
  EXPECT_EQ(backups->short_names, std::vector<std::string>{"bk"});
  EXPECT_TRUE(backups->namespaced);
  EXPECT_TRUE(backups->status_subresource);
  EXPECT_EQ(backups->schema, json({{"type", "object"}}));
  EXPECT_EQ(backups->printer_columns[0]["name"], "Phase");
  EXPECT_TRUE(registry_.find_kind("cellar.dev/v1alpha1", "Backup"));
}

TEST_F(RegistryTest, ServesOnlyServedVersions) {
  registry_.serve_crd(backup_crd({version("v1alpha1", false, false), version("v1", true, true)}));
  EXPECT_FALSE(registry_.find("cellar.dev", "v1alpha1", "backups"));
  EXPECT_TRUE(registry_.find("cellar.dev", "v1", "backups"));
}

TEST_F(RegistryTest, StopsServingADeletedCrd) {
  const size_t builtins = registry_.all().size();
  registry_.serve_crd(backup_crd());
  EXPECT_EQ(registry_.all().size(), builtins + 1);
  registry_.stop_serving_crd(backup_crd());
  EXPECT_FALSE(registry_.find("cellar.dev", "v1alpha1", "backups"));
  EXPECT_EQ(registry_.all().size(), builtins);
}

TEST_F(RegistryTest, GenerationChangesOnlyWithTheServedSet) {
  const uint64_t before = registry_.generation();
  registry_.serve_crd(backup_crd());
  const uint64_t served = registry_.generation();
  EXPECT_NE(served, before);
  registry_.serve_crd(backup_crd());
  EXPECT_EQ(registry_.generation(), served);
}

TEST_F(RegistryTest, ACrdCannotReplaceABuiltIn) {
  json crd = backup_crd();
  crd["metadata"]["name"] = "pods";
  crd["spec"]["group"] = "";
  crd["spec"]["names"]["plural"] = "pods";
  crd["spec"]["versions"][0]["name"] = "v1";
  registry_.serve_crd(crd);
  EXPECT_EQ(registry_.find("", "v1", "pods")->kind, "Pod");
}

}  // namespace
}  // namespace cellar::testcluster
