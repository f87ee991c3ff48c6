// The informer against cellar-test-cluster over HTTPS: list, watch, a cut watch, a 410, and
// failing lists. Each test counts the handler calls exactly: a sentinel object created last
// marks the end, since handlers run in the order the changes happened.
#include "controller/kube/informer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

#include "tests/support/test_cluster.h"

namespace cellar::kube {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr seconds kEventually{30};
constexpr const char* kNamespace = "default";
constexpr const char* kLabel = "app=informer-test";
// Every GET of the test's ConfigMaps: the informer's lists and watches (the test itself only
// writes).
constexpr const char* kConfigMaps = "/api/v1/namespaces/default/configmaps";

struct Setting {
  std::string key;
  std::string value;
};

std::optional<Setting> project(const json& object) {
  return Setting{object_key(object), object.value("/data/v"_json_pointer, "")};
}

class InformerE2eTest : public ::testing::Test {
 protected:
  // The cluster's command line beyond the usual.
  virtual cellar::testing::TestClusterOptions cluster_options() const { return {}; }

  void SetUp() override {
    cluster_ = cellar::testing::TestCluster::start(cluster_options());
    ASSERT_NE(cluster_, nullptr);
    client_ = cluster_->client();
  }

  // An informer over the labelled ConfigMaps of `default` that records each handler call.
  void start_informer(long page_size = 500) {
    InformerOptions options;
    options.ns = kNamespace;
    options.label_selector = kLabel;
    options.page_size = page_size;
    options.retry = {.initial = milliseconds{50}, .cap = seconds{2}, .jitter = 0.5};
    informer_ =
        std::make_unique<Informer<Setting>>(*client_, resources::configmaps(), options, project);
    informer_->on_add([this](const Setting& s) { record("add " + s.key + "=" + s.value); });
    informer_->on_update([this](const Setting& o, const Setting& n) {
      record("update " + n.key + " " + o.value + "->" + n.value);
    });
    informer_->on_delete([this](const Setting& s) { record("delete " + s.key + "=" + s.value); });
    informer_->run();
  }
  void start_and_sync() {
    start_informer();
    ASSERT_TRUE(informer_->wait_for_sync(kEventually));
  }

  void create(const std::string& name, const std::string& value, bool labelled = true) {
    json cm = {{"apiVersion", "v1"},
               {"kind", "ConfigMap"},
               {"metadata", {{"name", name}}},
               {"data", {{"v", value}}}};
    if (labelled) cm["metadata"]["labels"] = {{"app", "informer-test"}};
    auto created = client_->create(resources::configmaps(), kNamespace, cm);
    ASSERT_TRUE(created.ok()) << created.error().to_string();
  }
  void update(const std::string& name, const std::string& value) {
    auto patched =
        client_->merge_patch(resources::configmaps(), kNamespace, name, {{"data", {{"v", value}}}});
    ASSERT_TRUE(patched.ok()) << patched.error().to_string();
  }
  void remove(const std::string& name) {
    auto removed = client_->remove(resources::configmaps(), kNamespace, name);
    ASSERT_TRUE(removed.ok()) << removed.error().to_string();
  }
  void fault(const json& body) {
    auto answer = cluster_->post_hook("faults", body);
    ASSERT_TRUE(answer.ok()) << answer.error().to_string();
  }

  // Creates a sentinel object and returns every handler call before its add: all of them, since
  // the sentinel is the newest change.
  std::vector<std::string> calls_until_sentinel() {
    std::string name = "sentinel-" + std::to_string(++sentinels_);
    create(name, "s");
    std::string marker = "add default/" + name + "=s";
    std::unique_lock lock(mu_);
    bool seen = cv_.wait_for(lock, kEventually, [&] {
      return std::find(calls_.begin(), calls_.end(), marker) != calls_.end();
    });
    EXPECT_TRUE(seen) << "the sentinel never arrived";
    std::vector<std::string> out = std::exchange(calls_, {});
    EXPECT_EQ(out.empty() ? "" : out.back(), marker) << "calls after the sentinel";
    if (!out.empty()) out.pop_back();
    return out;
  }

  // Checks `done` until it holds or kEventually passes: for state no handler reports.
  static bool eventually(const std::function<bool()>& done) {
    auto deadline = std::chrono::steady_clock::now() + kEventually;
    while (!done()) {
      if (std::chrono::steady_clock::now() > deadline) return false;
      std::this_thread::sleep_for(milliseconds{10});
    }
    return true;
  }

  static std::vector<std::string> sorted(std::vector<std::string> v) {
    std::sort(v.begin(), v.end());
    return v;
  }

  std::unique_ptr<cellar::testing::TestCluster> cluster_;
  std::unique_ptr<Client> client_;
  std::unique_ptr<Informer<Setting>> informer_;  // stops before the client and cluster go

 private:
  void record(std::string line) {
    std::lock_guard lock(mu_);
    calls_.push_back(std::move(line));
    cv_.notify_all();
  }

  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::string> calls_;
  int sentinels_ = 0;
};

TEST_F(InformerE2eTest, InitialListDeliversAddsAndSyncs) {
  create("a", "1");
  create("b", "2");
  create("c", "3");
  create("stranger", "x", /*labelled=*/false);
  start_informer(/*page_size=*/2);
  ASSERT_TRUE(informer_->wait_for_sync(kEventually));
  EXPECT_TRUE(informer_->has_synced());
  EXPECT_EQ(sorted(informer_->keys()),
            (std::vector<std::string>{"default/a", "default/b", "default/c"}));
  EXPECT_EQ(informer_->get("default/b")->value, "2");
  EXPECT_EQ(informer_->get("default/stranger"), std::nullopt);
  EXPECT_EQ(sorted(calls_until_sentinel()),
            (std::vector<std::string>{"add default/a=1", "add default/b=2", "add default/c=3"}));
}

TEST_F(InformerE2eTest, CreateUpdateDeleteArriveInOrder) {
  start_and_sync();
  create("a", "1");
  update("a", "2");
  remove("a");
  EXPECT_EQ(
      calls_until_sentinel(),
      (std::vector<std::string>{"add default/a=1", "update default/a 1->2", "delete default/a=2"}));
  EXPECT_EQ(informer_->get("default/a"), std::nullopt);
}

TEST_F(InformerE2eTest, CutWatchesAreResumedWithNoLostOrRepeatedEvent) {
  start_and_sync();
  create("w0", "1");
  create("w1", "1");
  create("w2", "1");
  fault({{"closeWatches", true}});
  update("w0", "2");
  remove("w1");
  create("w3", "1");
  fault({{"closeWatches", true}});
  update("w2", "2");
  create("w4", "1");
  EXPECT_EQ(
      calls_until_sentinel(),
      (std::vector<std::string>{"add default/w0=1", "add default/w1=1", "add default/w2=1",
                                "update default/w0 1->2", "delete default/w1=1", "add default/w3=1",
                                "update default/w2 1->2", "add default/w4=1"}));
  EXPECT_EQ(informer_->lists(), 1);  // resumed, never re-listed
}

TEST_F(InformerE2eTest, GoneReListsAndDeliversMissedChangesOnce) {
  create("keep", "1");
  create("change", "1");
  create("drop", "1");
  start_and_sync();
  EXPECT_EQ(calls_until_sentinel().size(), 3u);

  // Keep the informer from resuming while the changes happen and the history is forgotten.
  fault({{"failNext",
          {{"count", 1000000}, {"code", 500}, {"pathPrefix", kConfigMaps}, {"method", "GET"}}}});
  fault({{"closeWatches", true}});
  update("change", "2");
  remove("drop");
  create("fresh", "1");
  auto compacted = cluster_->post_hook("/cellar-test/v1/compact");
  ASSERT_TRUE(compacted.ok()) << compacted.error().to_string();
  fault({{"reset", true}});

  // A re-list delivers in key order, not change order: let it finish before the sentinel.
  ASSERT_TRUE(eventually([&] { return informer_->lists() == 2; }));
  EXPECT_EQ(sorted(calls_until_sentinel()),
            (std::vector<std::string>{"add default/fresh=1", "delete default/drop=1",
                                      "update default/change 1->2"}));
  EXPECT_EQ(sorted(informer_->keys()),
            (std::vector<std::string>{"default/change", "default/fresh", "default/keep",
                                      "default/sentinel-1", "default/sentinel-2"}));
}

TEST_F(InformerE2eTest, ServerErrorsOnTheListAreRetried) {
  create("a", "1");
  fault({{"failNext", {{"count", 3}, {"code", 500}, {"pathPrefix", kConfigMaps}}}});
  start_informer();
  ASSERT_TRUE(informer_->wait_for_sync(kEventually));
  EXPECT_EQ(informer_->get("default/a")->value, "1");
  // The three failures went to the informer: the next request is answered.
  EXPECT_TRUE(client_->get(resources::configmaps(), kNamespace, "a").ok());
}

TEST_F(InformerE2eTest, TooManyRequestsOnTheListAreRetried) {
  create("a", "1");
  fault({{"failNext",
          {{"count", 2}, {"code", 429}, {"retryAfterSeconds", 1}, {"pathPrefix", kConfigMaps}}}});
  start_informer();
  ASSERT_TRUE(informer_->wait_for_sync(kEventually));
  EXPECT_EQ(informer_->get("default/a")->value, "1");
  EXPECT_TRUE(client_->get(resources::configmaps(), kNamespace, "a").ok());
}

// A cluster whose watch windows keep 1 s of events: a resourceVersion leaves the window by time
// and writes, as on a busy kube-apiserver, not by the compact hook.
class InformerShortWindowE2eTest : public InformerE2eTest {
 protected:
  static constexpr auto kWindow = seconds{1};

  cellar::testing::TestClusterOptions cluster_options() const override {
    cellar::testing::TestClusterOptions options;
    options.extra_args = {"--watch-window", "1s"};
    return options;
  }

  // Writes a last event, lets the window's events grow stale, then writes more ConfigMaps the
  // informer does not select than the window's least (100): the stale events leave it, up to and
  // including that last one (then the window, full of fresh events, grows instead).
  void push_out_of_the_window() {
    create("stale", "s", /*labelled=*/false);
    std::this_thread::sleep_for(kWindow + milliseconds{500});
    for (int i = 0; i < 120; ++i) create("filler-" + std::to_string(i), "f", /*labelled=*/false);
  }
};

TEST_F(InformerShortWindowE2eTest, GoneByTheWindowReListsAndDeliversMissedChangesOnce) {
  create("keep", "1");
  create("change", "1");
  create("drop", "1");
  start_and_sync();
  EXPECT_EQ(calls_until_sentinel().size(), 3u);
  auto before = client_->list(resources::configmaps(), kNamespace);
  ASSERT_TRUE(before.ok()) << before.error().to_string();
  const std::string old_rv = (*before)["metadata"]["resourceVersion"];

  // Keep the informer from resuming until the window has moved past where it was.
  fault({{"failNext",
          {{"count", 1000000}, {"code", 500}, {"pathPrefix", kConfigMaps}, {"method", "GET"}}}});
  fault({{"closeWatches", true}});
  update("change", "2");
  remove("drop");
  create("fresh", "1");
  push_out_of_the_window();
  fault({{"reset", true}});

  // Where the informer was is gone now: a watch from there starts with the window's 410.
  WatchOptions from_old;
  from_old.resource_version = old_rv;
  from_old.timeout_seconds = 1;
  auto watch = client_->watch(resources::configmaps(), kNamespace, from_old);
  ASSERT_TRUE(watch.ok()) << watch.error().to_string();
  auto first = (*watch)->next();
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(first->type, "ERROR");
  EXPECT_EQ(first->object.value("code", 0), 410) << first->object.dump();

  ASSERT_TRUE(eventually([&] { return informer_->lists() == 2; }));
  EXPECT_EQ(sorted(calls_until_sentinel()),
            (std::vector<std::string>{"add default/fresh=1", "delete default/drop=1",
                                      "update default/change 1->2"}));
  EXPECT_EQ(sorted(informer_->keys()),
            (std::vector<std::string>{"default/change", "default/fresh", "default/keep",
                                      "default/sentinel-1", "default/sentinel-2"}));
}

TEST_F(InformerShortWindowE2eTest, PagedInitialListOfManyObjectsSyncsEveryOne) {
  for (int i = 0; i < 40; ++i) create("many-" + std::to_string(i), std::to_string(i));
  start_informer(/*page_size=*/7);
  ASSERT_TRUE(informer_->wait_for_sync(kEventually));
  EXPECT_EQ(informer_->size(), 40u);
  EXPECT_EQ(informer_->get("default/many-39")->value, "39");
  EXPECT_EQ(calls_until_sentinel().size(), 40u);
}

}  // namespace
}  // namespace cellar::kube
