// ownerReference garbage collection (background, foreground, orphan) and namespace clean-up,
// driven through the Store in-process.
#include "tests/cluster/garbage_collector.h"

#include <gtest/gtest.h>

#include <thread>

#include "tests/cluster/builtin_types.h"

namespace cellar::testcluster {
namespace {

template <typename Done>
bool eventually(Done done) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::chrono::steady_clock::now() < deadline) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return done();
}

ResourceType builtin(const std::string& plural) {
  for (const auto& type : builtin_types()) {
    if (type.plural == plural) return type;
  }
  return {};
}

class GarbageCollectorTest : public ::testing::Test {
 protected:
  GarbageCollectorTest() { collector_.start(); }
  ~GarbageCollectorTest() override { collector_.stop(); }

  // A ConfigMap, owned by `owners` (objects as stored), in `ns`.
  json make(const std::string& name, const std::vector<json>& owners = {},
            const std::string& ns = "default", bool block = false) {
    json object = {{"metadata", {{"name", name}, {"namespace", ns}}}};
    for (const auto& owner : owners) {
      object["metadata"]["ownerReferences"].push_back({{"apiVersion", "v1"},
                                                       {"kind", owner["kind"]},
                                                       {"name", owner["metadata"]["name"]},
                                                       {"uid", owner["metadata"]["uid"]},
                                                       {"blockOwnerDeletion", block}});
    }
    auto created = store_.create(configmaps_, object);
    EXPECT_TRUE(created.ok()) << (created.ok() ? "" : created.error().message);
    return created.ok() ? created.value() : json();
  }

  void remove(const std::string& name, const std::string& policy,
              const std::string& ns = "default") {
    DeleteRequest request;
    request.propagation_policy = policy;
    ASSERT_TRUE(store_.remove(configmaps_, ns, name, request).ok());
  }

  bool exists(const std::string& name, const std::string& ns = "default") const {
    return store_.get(configmaps_, ns, name).ok();
  }
  bool gone(const std::string& name, const std::string& ns = "default") const {
    return !exists(name, ns);
  }
  json get(const std::string& name) const {
    return store_.get(configmaps_, "default", name).value();
  }

  void set_finalizers(const std::string& name, json finalizers) {
    ASSERT_TRUE(store_
                    .mutate(configmaps_, "default", name, UpdatePart::kAll,
                            [&](json current) {
                              current["metadata"]["finalizers"] = finalizers;
                              return Outcome<json>(current);
                            })
                    .ok());
  }

  Store store_;
  Registry registry_;
  GarbageCollector collector_{store_, registry_};
  const ResourceType configmaps_ = builtin("configmaps");
};

TEST_F(GarbageCollectorTest, BackgroundDeletionTakesTheDependents) {
  json owner = make("owner");
  make("a", {owner});
  make("b", {owner});
  remove("owner", "Background");
  EXPECT_TRUE(eventually([&] { return gone("a") && gone("b"); }));
}

TEST_F(GarbageCollectorTest, DependentWithAnotherOwnerOnlyLosesTheReference) {
  json first = make("first");
  json second = make("second");
  make("shared", {first, second});
  remove("first", "Background");
  ASSERT_TRUE(eventually([&] { return get("shared")["metadata"]["ownerReferences"].size() == 1; }));
  EXPECT_EQ(get("shared")["metadata"]["ownerReferences"][0]["name"], "second");
}

TEST_F(GarbageCollectorTest, DependentOfAMissingOwnerIsCollected) {
  json ghost = {{"kind", "ConfigMap"}, {"metadata", {{"name", "ghost"}, {"uid", "no-such-uid"}}}};
  make("orphaned", {ghost});
  EXPECT_TRUE(eventually([&] { return gone("orphaned"); }));
}

TEST_F(GarbageCollectorTest, OwnershipDoesNotCrossNamespaces) {
  ASSERT_TRUE(store_.create(namespaces_type(), {{"metadata", {{"name", "other"}}}}).ok());
  json owner = make("owner", {}, "other");
  make("dep", {owner});
  EXPECT_TRUE(eventually([&] { return gone("dep"); }));
  EXPECT_TRUE(exists("owner", "other"));
}

TEST_F(GarbageCollectorTest, ForegroundOwnerWaitsForBlockingDependents) {
  json owner = make("owner");
  make("dep", {owner}, "default", /*block=*/true);
  set_finalizers("dep", {"cellar.dev/hold"});
  remove("owner", "Foreground");
  // The dependent is being deleted but held, so the owner must wait for it.
  ASSERT_TRUE(eventually([&] { return get("dep")["metadata"].contains("deletionTimestamp"); }));
  EXPECT_TRUE(exists("owner"));
  set_finalizers("dep", json::array());
  EXPECT_TRUE(eventually([&] { return gone("dep") && gone("owner"); }));
}

TEST_F(GarbageCollectorTest, ForegroundOwnerWithoutDependentsGoesAtOnce) {
  make("owner");
  remove("owner", "Foreground");
  EXPECT_TRUE(eventually([&] { return gone("owner"); }));
}

TEST_F(GarbageCollectorTest, OrphanKeepsDependentsWithoutTheReference) {
  json owner = make("owner");
  make("dep", {owner});
  remove("owner", "Orphan");
  ASSERT_TRUE(eventually([&] { return gone("owner"); }));
  EXPECT_TRUE(exists("dep"));
  EXPECT_FALSE(get("dep")["metadata"].contains("ownerReferences"));
}

TEST_F(GarbageCollectorTest, DeletedNamespaceIsEmptiedThenRemoved) {
  ASSERT_TRUE(store_.create(namespaces_type(), {{"metadata", {{"name", "team"}}}}).ok());
  make("a", {}, "team");
  make("b", {}, "team");
  ASSERT_TRUE(store_.remove(namespaces_type(), "", "team", {}).ok());
  EXPECT_TRUE(eventually([&] {
    return gone("a", "team") && gone("b", "team") &&
           !store_.get(namespaces_type(), "", "team").ok();
  }));
}

TEST_F(GarbageCollectorTest, NamespaceWaitsForFinalizersOfItsContents) {
  ASSERT_TRUE(store_.create(namespaces_type(), {{"metadata", {{"name", "team"}}}}).ok());
  ASSERT_TRUE(
      store_
          .create(
              configmaps_,
              {{"metadata",
                {{"name", "held"}, {"namespace", "team"}, {"finalizers", {"cellar.dev/hold"}}}}})
          .ok());
  ASSERT_TRUE(store_.remove(namespaces_type(), "", "team", {}).ok());
  ASSERT_TRUE(eventually([&] {
    auto held = store_.get(configmaps_, "team", "held");
    return held.ok() && held.value()["metadata"].contains("deletionTimestamp");
  }));
  EXPECT_TRUE(store_.get(namespaces_type(), "", "team").ok());
  ASSERT_TRUE(store_
                  .mutate(configmaps_, "team", "held", UpdatePart::kAll,
                          [](json current) {
                            current["metadata"]["finalizers"] = json::array();
                            return Outcome<json>(current);
                          })
                  .ok());
  EXPECT_TRUE(eventually([&] { return !store_.get(namespaces_type(), "", "team").ok(); }));
}

}  // namespace
}  // namespace cellar::testcluster
