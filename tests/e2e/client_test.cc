// The Kubernetes client against cellar-test-cluster over HTTPS: CRUD, errors, the status
// subresource, merge patch, delete preconditions, paging and selectors; watches (events,
// bookmarks, 410, a cut stream); and the transport (TLS verified by default, tokens, concurrency).
// Each test starts its own cluster, so faults and compaction never leak between tests.
#include "controller/kube/client.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/test_cluster.h"

namespace cellar::kube {
namespace {

class ClientE2ETest : public ::testing::Test {
 protected:
  void SetUp() override {
    cluster_ = cellar::testing::TestCluster::start();
    ASSERT_NE(cluster_, nullptr);
    client_ = cluster_->client();
    ASSERT_NE(client_, nullptr);
  }

  static json config_map(const std::string& name, const json& data = json::object(),
                         const json& labels = json::object()) {
    json cm = {{"apiVersion", "v1"},
               {"kind", "ConfigMap"},
               {"metadata", {{"name", name}, {"namespace", "default"}}},
               {"data", data}};
    if (!labels.empty()) cm["metadata"]["labels"] = labels;
    return cm;
  }

  // Creates a ConfigMap in "default"; the test fails when that does not work.
  json create_config_map(const std::string& name, const json& data = json::object(),
                         const json& labels = json::object()) {
    auto created =
        client_->create(resources::configmaps(), "default", config_map(name, data, labels));
    EXPECT_TRUE(created.ok()) << created.error().to_string();
    return created.ok() ? *created : json();
  }

  // Turns on a fault of the test cluster (tests/cluster/README.md).
  void fault(const json& body) {
    auto r = cluster_->post_hook("faults", body);
    ASSERT_TRUE(r.ok()) << r.error().to_string();
  }

  // A client for this cluster with a changed config (another CA, token, ...).
  static std::unique_ptr<Client> client_for(const Config& config) {
    auto transport = make_http_transport(config);
    EXPECT_TRUE(transport.ok()) << transport.error().to_string();
    if (!transport.ok()) return nullptr;
    return std::make_unique<Client>(std::shared_ptr<Transport>(std::move(*transport)));
  }

  static std::string rv(const json& object) {
    return object["metadata"]["resourceVersion"].get<std::string>();
  }

  std::unique_ptr<cellar::testing::TestCluster> cluster_;
  std::unique_ptr<Client> client_;
};

TEST_F(ClientE2ETest, ConfigMapRoundTrip) {
  json created = create_config_map("settings", {{"retention", "7"}});
  EXPECT_FALSE(created["metadata"]["uid"].get<std::string>().empty());

  auto got = client_->get(resources::configmaps(), "default", "settings");
  ASSERT_TRUE(got.ok()) << got.error().to_string();
  EXPECT_EQ((*got)["data"]["retention"], "7");

  (*got)["data"]["retention"] = "30";
  auto updated = client_->update(resources::configmaps(), "default", *got);
  ASSERT_TRUE(updated.ok()) << updated.error().to_string();
  EXPECT_EQ((*updated)["data"]["retention"], "30");
  EXPECT_NE(rv(*updated), rv(created));

  auto removed = client_->remove(resources::configmaps(), "default", "settings");
  ASSERT_TRUE(removed.ok()) << removed.error().to_string();
  EXPECT_TRUE(is_not_found(client_->get(resources::configmaps(), "default", "settings").error()));
}

TEST_F(ClientE2ETest, MissingObjectIsNotFound) {
  auto got = client_->get(resources::configmaps(), "default", "nope");
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error().code, 404);
  EXPECT_EQ(got.error().reason, "NotFound");
  EXPECT_EQ(got.error().message, "configmaps \"nope\" not found");
}

TEST_F(ClientE2ETest, CreatingTwiceIsAlreadyExists) {
  create_config_map("once");
  auto again = client_->create(resources::configmaps(), "default", config_map("once"));
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, 409);
  EXPECT_TRUE(is_already_exists(again.error())) << again.error().to_string();
}

TEST_F(ClientE2ETest, StaleUpdateIsConflict) {
  json stale = create_config_map("contended", {{"v", "1"}});
  json fresh = stale;
  fresh["data"]["v"] = "2";
  ASSERT_TRUE(client_->update(resources::configmaps(), "default", fresh).ok());

  stale["data"]["v"] = "3";
  auto lost = client_->update(resources::configmaps(), "default", stale);
  ASSERT_FALSE(lost.ok());
  EXPECT_EQ(lost.error().code, 409);
  EXPECT_TRUE(is_conflict(lost.error())) << lost.error().to_string();
}

TEST_F(ClientE2ETest, StatusSubresourceIsSeparateFromTheMainEndpoint) {
  // A bare Pod: the job runner runs only the Pods of Jobs, so only this test writes its status.
  json pod = {
      {"apiVersion", "v1"},
      {"kind", "Pod"},
      {"metadata", {{"name", "split"}, {"namespace", "default"}}},
      {"spec",
       {{"restartPolicy", "Never"}, {"containers", {{{"name", "c"}, {"image", "busybox"}}}}}}};
  auto created = client_->create(resources::pods(), "default", pod);
  ASSERT_TRUE(created.ok()) << created.error().to_string();

  json main = *created;
  main["metadata"]["labels"]["edited"] = "main";
  main["status"]["message"] = "written through the main endpoint";
  auto via_main = client_->update(resources::pods(), "default", main);
  ASSERT_TRUE(via_main.ok()) << via_main.error().to_string();
  EXPECT_EQ((*via_main)["metadata"]["labels"]["edited"], "main");
  EXPECT_NE((*via_main)["status"].value("message", ""), "written through the main endpoint")
      << "the main endpoint ignores status";

  json status = *via_main;
  status["status"]["message"] = "written through status";
  status["spec"]["activeDeadlineSeconds"] = 30;
  auto via_status = client_->update_status(resources::pods(), "default", status);
  ASSERT_TRUE(via_status.ok()) << via_status.error().to_string();
  EXPECT_EQ((*via_status)["status"]["message"], "written through status");
  EXPECT_FALSE((*via_status)["spec"].contains("activeDeadlineSeconds")) << "/status ignores spec";

  auto patched = client_->merge_patch_status(resources::pods(), "default", "split",
                                             {{"status", {{"reason", "Patched"}}}});
  ASSERT_TRUE(patched.ok()) << patched.error().to_string();
  auto read = client_->get_status(resources::pods(), "default", "split");
  ASSERT_TRUE(read.ok()) << read.error().to_string();
  EXPECT_EQ((*read)["status"]["reason"], "Patched");
  EXPECT_EQ((*read)["status"]["message"], "written through status");
}

TEST_F(ClientE2ETest, MergePatchChangesOnlyWhatItNames) {
  create_config_map("patched", {{"a", "1"}, {"b", "2"}});
  auto patched = client_->merge_patch(resources::configmaps(), "default", "patched",
                                      {{"data", {{"b", nullptr}, {"c", "3"}}}});
  ASSERT_TRUE(patched.ok()) << patched.error().to_string();
  EXPECT_EQ((*patched)["data"], json({{"a", "1"}, {"c", "3"}}));
}

TEST_F(ClientE2ETest, DeleteHonoursPreconditions) {
  json created = create_config_map("guarded");
  DeleteOptions wrong;
  wrong.precondition_uid = "not-the-uid";
  auto refused = client_->remove(resources::configmaps(), "default", "guarded", wrong);
  ASSERT_FALSE(refused.ok());
  EXPECT_TRUE(is_conflict(refused.error())) << refused.error().to_string();

  DeleteOptions right;
  right.precondition_uid = created["metadata"]["uid"];
  right.precondition_resource_version = rv(created);
  right.propagation_policy = "Background";
  auto removed = client_->remove(resources::configmaps(), "default", "guarded", right);
  ASSERT_TRUE(removed.ok()) << removed.error().to_string();
  EXPECT_TRUE(is_not_found(client_->get(resources::configmaps(), "default", "guarded").error()));
}

TEST_F(ClientE2ETest, ListPagesWithLimitAndContinue) {
  for (int i = 0; i < 5; ++i)
    create_config_map("page-" + std::to_string(i), {}, {{"set", "paged"}});
  ListOptions options;
  options.label_selector = "set=paged";
  options.limit = 2;
  std::set<std::string> names;
  int pages = 0;
  do {
    auto page = client_->list(resources::configmaps(), "default", options);
    ASSERT_TRUE(page.ok()) << page.error().to_string();
    EXPECT_LE((*page)["items"].size(), 2u);
    for (const auto& item : (*page)["items"]) names.insert(item["metadata"]["name"]);
    options.continue_token = (*page)["metadata"].value("continue", "");
    ASSERT_LT(++pages, 10) << "paging does not end";
  } while (!options.continue_token.empty());
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(names.size(), 5u);
}

TEST_F(ClientE2ETest, LabelSelectorsFilterTheList) {
  create_config_map("db-1", {}, {{"app", "db"}});
  create_config_map("db-2", {}, {{"app", "db"}, {"tier", "backend"}});
  create_config_map("web-1", {}, {{"app", "web"}});
  auto names = [&](const std::string& selector) {
    ListOptions options;
    options.label_selector = selector;
    std::set<std::string> out;
    auto list = client_->list(resources::configmaps(), "default", options);
    EXPECT_TRUE(list.ok()) << list.error().to_string();
    if (list.ok()) {
      for (const auto& item : (*list)["items"]) out.insert(item["metadata"]["name"]);
    }
    return out;
  };
  EXPECT_EQ(names("app=db"), (std::set<std::string>{"db-1", "db-2"}));
  EXPECT_EQ(names("app in (db, web),!tier"), (std::set<std::string>{"db-1", "web-1"}));
  EXPECT_EQ(names("app!=db,app"), (std::set<std::string>{"web-1"}));
}

TEST_F(ClientE2ETest, ServerErrorIsReturnedThenTheNextCallSucceeds) {
  create_config_map("steady");
  fault({{"failNext", {{"count", 1}, {"code", 500}}}});
  auto failed = client_->get(resources::configmaps(), "default", "steady");
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error().code, 500);
  EXPECT_TRUE(is_retryable(failed.error()));
  EXPECT_TRUE(client_->get(resources::configmaps(), "default", "steady").ok());
}

TEST_F(ClientE2ETest, TooManyRequestsCarriesRetryAfter) {
  fault({{"failNext", {{"count", 1}, {"code", 429}, {"retryAfterSeconds", 2}}}});
  auto throttled = client_->list(resources::configmaps(), "default");
  ASSERT_FALSE(throttled.ok());
  EXPECT_TRUE(is_too_many_requests(throttled.error())) << throttled.error().to_string();
  EXPECT_EQ(throttled.error().retry_after, std::chrono::seconds{2});
}

TEST_F(ClientE2ETest, DiscoveryThroughARawRequest) {
  auto version = client_->request("GET", "/version");
  ASSERT_TRUE(version.ok()) << version.error().to_string();
  EXPECT_TRUE((*version)["gitVersion"].get<std::string>().starts_with("v1."));
}

// --- Watches ---------------------------------------------------------------------------------

class ClientWatchE2ETest : public ClientE2ETest {
 protected:
  std::unique_ptr<Watch> watch(WatchOptions options) {
    if (!options.timeout_seconds) options.timeout_seconds = 30;  // every stream ends by itself
    auto w = client_->watch(resources::configmaps(), "default", options);
    EXPECT_TRUE(w.ok()) << w.error().to_string();
    return w.ok() ? std::move(*w) : nullptr;
  }
  std::string list_version() {
    auto list = client_->list(resources::configmaps(), "default");
    EXPECT_TRUE(list.ok()) << list.error().to_string();
    return list.ok() ? (*list)["metadata"]["resourceVersion"].get<std::string>() : "";
  }
  // The next event that is not a bookmark; nullopt when the stream ends first.
  static std::optional<WatchEvent> next_change(Watch& w) {
    while (auto e = w.next()) {
      if (e->type != "BOOKMARK") return e;
    }
    return std::nullopt;
  }
};

TEST_F(ClientWatchE2ETest, SeesAddedModifiedDeleted) {
  WatchOptions options;
  options.resource_version = list_version();
  auto w = watch(options);
  ASSERT_NE(w, nullptr);

  create_config_map("watched");
  ASSERT_TRUE(
      client_->merge_patch(resources::configmaps(), "default", "watched", {{"data", {{"k", "v"}}}})
          .ok());
  ASSERT_TRUE(client_->remove(resources::configmaps(), "default", "watched").ok());

  for (const char* expected : {"ADDED", "MODIFIED", "DELETED"}) {
    auto e = next_change(*w);
    ASSERT_TRUE(e.has_value()) << "the stream ended before " << expected;
    EXPECT_EQ(e->type, expected);
    EXPECT_EQ(e->object["metadata"]["name"], "watched");
  }
}

TEST_F(ClientWatchE2ETest, SendsBookmarksWithAResourceVersion) {
  WatchOptions options;
  options.resource_version = list_version();
  auto w = watch(options);
  ASSERT_NE(w, nullptr);
  std::optional<WatchEvent> e;
  while ((e = w->next()) && e->type != "BOOKMARK") {
  }
  ASSERT_TRUE(e.has_value()) << "no bookmark before the stream ended";
  EXPECT_FALSE(e->object["metadata"]["resourceVersion"].get<std::string>().empty());
}

TEST_F(ClientWatchE2ETest, CompactedVersionYieldsGone) {
  std::string old = rv(create_config_map("churn", {{"n", "0"}}));
  for (int i = 1; i <= 3; ++i) {
    ASSERT_TRUE(client_
                    ->merge_patch(resources::configmaps(), "default", "churn",
                                  {{"data", {{"n", std::to_string(i)}}}})
                    .ok());
  }
  ASSERT_TRUE(cluster_->post_hook("compact").ok());

  WatchOptions options;
  options.resource_version = old;
  auto w = watch(options);
  ASSERT_NE(w, nullptr);
  auto e = w->next();
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->type, "ERROR");
  EXPECT_EQ(e->object["code"], 410);
  EXPECT_TRUE(is_gone(Error::from_response(410, e->object.dump())));
}

// The watchDelayMs fault: the write is answered at once, its watch event comes that much later
// (as kube-apiserver's watchers lag its writers), and in order.
TEST_F(ClientWatchE2ETest, WatchDelayHoldsEventsBackNotAnswers) {
  WatchOptions options;
  options.resource_version = list_version();
  auto w = watch(options);
  ASSERT_NE(w, nullptr);
  fault({{"watchDelayMs", 1500}});
  const auto written = std::chrono::steady_clock::now();
  create_config_map("late-1");
  create_config_map("late-2");
  EXPECT_LT(std::chrono::steady_clock::now() - written, std::chrono::milliseconds(1500));
  for (const char* name : {"late-1", "late-2"}) {
    auto e = next_change(*w);
    ASSERT_TRUE(e.has_value());
    EXPECT_EQ(e->object["metadata"]["name"], name);
  }
  EXPECT_GE(std::chrono::steady_clock::now() - written, std::chrono::milliseconds(1500));
  fault({{"reset", true}});
  const auto undelayed = std::chrono::steady_clock::now();
  create_config_map("prompt");
  auto e = next_change(*w);
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->object["metadata"]["name"], "prompt");
  EXPECT_LT(std::chrono::steady_clock::now() - undelayed, std::chrono::milliseconds(1500));
}

TEST_F(ClientWatchE2ETest, CutStreamEndsPromptly) {
  WatchOptions options;
  options.resource_version = list_version();
  options.timeout_seconds = 90;  // far beyond the bound below: only the cut can end it in time
  auto w = watch(options);
  ASSERT_NE(w, nullptr);
  create_config_map("before-cut");
  ASSERT_TRUE(next_change(*w).has_value());

  auto start = std::chrono::steady_clock::now();
  fault({{"closeWatches", true}});
  while (w->next()) {
  }
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds{20});
}

TEST_F(ClientWatchE2ETest, StopFromAnotherThreadUnblocksNext) {
  WatchOptions options;
  options.resource_version = list_version();
  options.allow_bookmarks = false;  // nothing arrives: next() stays blocked until stop()
  options.timeout_seconds = 90;
  auto w = watch(options);
  ASSERT_NE(w, nullptr);
  std::thread stopper([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds{200});
    w->stop();
  });
  auto start = std::chrono::steady_clock::now();
  EXPECT_FALSE(w->next().has_value());
  stopper.join();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds{20});
}

// --- Transport: TLS, tokens, concurrency -----------------------------------------------------

TEST_F(ClientE2ETest, UntrustedCaIsATransportError) {
  auto other = cellar::testing::TestCluster::start();
  ASSERT_NE(other, nullptr);
  Config config = cluster_->config();
  config.ca_pem = other->config().ca_pem;
  auto client = client_for(config);
  ASSERT_NE(client, nullptr);
  auto got = client->list(resources::configmaps(), "default");
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error().code, 0);
  EXPECT_EQ(got.error().reason, "Transport");
}

TEST_F(ClientE2ETest, SystemRootsDoNotTrustTheClustersCa) {
  Config config = cluster_->config();
  config.ca_pem.clear();
  auto client = client_for(config);
  ASSERT_NE(client, nullptr);
  auto got = client->list(resources::configmaps(), "default");
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error().reason, "Transport");
}

TEST_F(ClientE2ETest, InsecureSkipsVerification) {
  Config config = cluster_->config();
  config.ca_pem.clear();
  config.insecure_skip_tls_verify = true;
  auto client = client_for(config);
  ASSERT_NE(client, nullptr);
  auto got = client->list(resources::configmaps(), "default");
  EXPECT_TRUE(got.ok()) << got.error().to_string();
}

TEST_F(ClientE2ETest, WrongTokenIsUnauthorized) {
  Config config = cluster_->config();
  config.token = "not-the-token";
  auto client = client_for(config);
  ASSERT_NE(client, nullptr);
  auto got = client->list(resources::configmaps(), "default");
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error().code, 401);
  EXPECT_TRUE(is_unauthorized(got.error())) << got.error().to_string();
}

TEST_F(ClientE2ETest, TokenFileIsReadAgainWhenItChanges) {
  std::filesystem::path path = std::filesystem::path(cluster_->dir()) / "token";
  std::ofstream(path) << cluster_->config().token << "\n";
  Config config = cluster_->config();
  config.token.clear();
  config.token_file = path.string();
  auto client = client_for(config);
  ASSERT_NE(client, nullptr);
  ASSERT_TRUE(client->list(resources::configmaps(), "default").ok());

  auto before = std::filesystem::last_write_time(path);
  std::ofstream(path) << "rotated-away\n";
  // Coarse file-system clocks may not move within one test: move the time on explicitly.
  std::filesystem::last_write_time(path, before + std::chrono::seconds{2});
  auto got = client->list(resources::configmaps(), "default");
  ASSERT_FALSE(got.ok());
  EXPECT_TRUE(is_unauthorized(got.error())) << got.error().to_string();
}

TEST_F(ClientE2ETest, ManyOpenWatchesDoNotStarveRequests) {
  std::vector<std::unique_ptr<Watch>> watches;
  for (int i = 0; i < 12; ++i) {
    WatchOptions options;
    options.timeout_seconds = 60;
    auto w = client_->watch(resources::configmaps(), "default", options);
    ASSERT_TRUE(w.ok()) << w.error().to_string();
    watches.push_back(std::move(*w));
  }
  create_config_map("shared");
  std::atomic<int> ok{0};
  std::vector<std::thread> workers;
  for (int t = 0; t < 4; ++t) {
    workers.emplace_back([&] {
      for (int i = 0; i < 25; ++i) {
        if (client_->get(resources::configmaps(), "default", "shared").ok()) ++ok;
      }
    });
  }
  for (auto& w : workers) w.join();
  EXPECT_EQ(ok, 100);
  for (auto& w : watches) w->stop();
}

}  // namespace
}  // namespace cellar::kube
