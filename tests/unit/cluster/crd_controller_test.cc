// The CRD controller: applying a CRD makes its resource served and Established; deleting it
// stops serving it and deletes its custom resources.
#include "tests/cluster/crd_controller.h"

#include <gtest/gtest.h>

#include <thread>

#include "tests/cluster/builtin_types.h"

namespace cellar::testcluster {
namespace {

// Polls `done` until it holds or a generous deadline passes: the controller works on its own
// thread, and a loaded machine may be slow to schedule it.
template <typename Done>
bool eventually(Done done) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::chrono::steady_clock::now() < deadline) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return done();
}

class CrdControllerTest : public ::testing::Test {
 protected:
  ~CrdControllerTest() override { controller_.stop(); }

  static json backup_crd() {
    return {{"apiVersion", "apiextensions.k8s.io/v1"},
            {"kind", "CustomResourceDefinition"},
            {"metadata", {{"name", "backups.cellar.dev"}}},
            {"spec",
             {{"group", "cellar.dev"},
              {"scope", "Namespaced"},
              {"names", {{"plural", "backups"}, {"kind", "Backup"}, {"shortNames", {"bk"}}}},
              {"versions",
               {{{"name", "v1alpha1"},
                 {"served", true},
                 {"storage", true},
                 {"schema", {{"openAPIV3Schema", {{"type", "object"}}}}},
                 {"subresources", {{"status", json::object()}}}}}}}}};
  }

  void apply_crd() { ASSERT_TRUE(store_.create(crds_type(), backup_crd()).ok()); }

  bool served() const { return registry_.find("cellar.dev", "v1alpha1", "backups").has_value(); }

  json condition(const std::string& type) const {
    auto crd = store_.get(crds_type(), "", "backups.cellar.dev");
    if (!crd.ok()) return nullptr;
    for (const auto& c : crd.value()["status"].value("conditions", json::array())) {
      if (c["type"] == type) return c;
    }
    return nullptr;
  }

  bool established() const {
    json c = condition("Established");
    return c.is_object() && c["status"] == "True";
  }

  Store store_;
  Registry registry_;
  CrdController controller_{store_, registry_};
};

TEST_F(CrdControllerTest, AppliedCrdBecomesServedAndEstablished) {
  controller_.start();
  apply_crd();
  ASSERT_TRUE(eventually([&] { return established(); }));
  EXPECT_TRUE(served());
  EXPECT_EQ(condition("Established")["reason"], "InitialNamesAccepted");
  EXPECT_EQ(condition("NamesAccepted")["status"], "True");
  EXPECT_TRUE(condition("Established").contains("lastTransitionTime"));
  json status = store_.get(crds_type(), "", "backups.cellar.dev").value()["status"];
  EXPECT_EQ(status["acceptedNames"]["kind"], "Backup");
  EXPECT_EQ(status["acceptedNames"]["singular"], "backup");
  EXPECT_EQ(status["storedVersions"], json({"v1alpha1"}));
}

TEST_F(CrdControllerTest, CrdsStoredBeforeStartAreServed) {
  apply_crd();
  controller_.start();
  EXPECT_TRUE(eventually([&] { return established() && served(); }));
}

TEST_F(CrdControllerTest, DeletedCrdStopsServingAndTakesItsResources) {
  controller_.start();
  apply_crd();
  ASSERT_TRUE(eventually([&] { return established(); }));
  ResourceType backups = *registry_.find("cellar.dev", "v1alpha1", "backups");
  ASSERT_TRUE(store_
                  .create(backups, {{"metadata", {{"name", "nightly"}, {"namespace", "default"}}},
                                    {"spec", json::object()}})
                  .ok());
  ASSERT_TRUE(store_.remove(crds_type(), "", "backups.cellar.dev", {}).ok());
  EXPECT_TRUE(eventually([&] { return !served(); }));
  EXPECT_TRUE(eventually([&] { return store_.list(backups, "").items.empty(); }));
}

TEST_F(CrdControllerTest, UpdatedCrdIsServedAsChangedAndStaysEstablished) {
  controller_.start();
  apply_crd();
  ASSERT_TRUE(eventually([&] { return established(); }));
  const json since = condition("Established")["lastTransitionTime"];
  ASSERT_TRUE(store_
                  .mutate(crds_type(), "", "backups.cellar.dev", UpdatePart::kMain,
                          [](json crd) {
                            crd["spec"]["names"]["shortNames"] = {"bk", "bkp"};
                            return Outcome<json>(crd);
                          })
                  .ok());
  EXPECT_TRUE(eventually([&] {
    auto type = registry_.find("cellar.dev", "v1alpha1", "backups");
    return type && type->short_names.size() == 2;
  }));
  EXPECT_TRUE(eventually([&] {
    auto crd = store_.get(crds_type(), "", "backups.cellar.dev").value();
    return crd["status"]["acceptedNames"]["shortNames"].size() == 2;
  }));
  EXPECT_EQ(condition("Established")["lastTransitionTime"], since);
}

TEST_F(CrdControllerTest, SurvivesSubscriptionsBeingClosed) {
  controller_.start();
  store_.close_subscriptions();
  apply_crd();
  EXPECT_TRUE(eventually([&] { return established(); }));
}

}  // namespace
}  // namespace cellar::testcluster
