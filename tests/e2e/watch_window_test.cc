// The test cluster's watch windows and lists through real kubectl and Cellar's own client, on a
// cluster whose windows keep 1 s of events (--watch-window 1s): a resourceVersion leaves the
// window by time and writes, as on a busy kube-apiserver, never by the compact hook here.
#include <gtest/gtest.h>

#include <algorithm>
#include <regex>
#include <sstream>
#include <thread>

#include "tests/cluster/list_paging.h"
#include "tests/support/test_cluster.h"

namespace cellar::testing {
namespace {

using kube::json;
using kube::resources::configmaps;

constexpr auto kWindow = std::chrono::seconds{1};
constexpr const char* kConfigMaps = "/api/v1/namespaces/default/configmaps";

class WatchWindowE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    TestClusterOptions options;
    options.extra_args = {"--watch-window", "1s"};
    cluster_ = TestCluster::start(options);
    ASSERT_NE(cluster_, nullptr);
    client_ = cluster_->client();
  }

  // Creates ConfigMap `name` and returns its resourceVersion.
  std::string create(const std::string& name, const std::string& label = "window-test") {
    json cm = {{"apiVersion", "v1"},
               {"kind", "ConfigMap"},
               {"metadata", {{"name", name}, {"labels", {{"app", label}}}}},
               {"data", {{"v", name}}}};
    auto created = client_->create(configmaps(), "default", cm);
    EXPECT_TRUE(created.ok()) << created.error().to_string();
    return created.ok() ? (*created)["metadata"]["resourceVersion"].get<std::string>() : "";
  }
  void remove(const std::string& name) {
    auto removed = client_->remove(configmaps(), "default", name);
    EXPECT_TRUE(removed.ok()) << removed.error().to_string();
  }

  // Writes a last event, lets the window's events grow stale, then writes more ConfigMaps than
  // the window's least (100): the stale events leave it, up to and including that last one
  // (then the window, full of fresh events, grows instead), so every version before it is gone.
  void push_out_of_the_window() {
    create("stale-" + std::to_string(fillers_), "filler");
    std::this_thread::sleep_for(kWindow + std::chrono::milliseconds{500});
    for (int i = 0; i < 120; ++i) create("filler-" + std::to_string(fillers_++), "filler");
  }

  json list(const kube::ListOptions& options) {
    auto listed = client_->list(configmaps(), "default", options);
    EXPECT_TRUE(listed.ok()) << listed.error().to_string();
    return listed.ok() ? listed.value() : json::object();
  }
  static std::vector<std::string> names(const json& list) {
    std::vector<std::string> out;
    for (const auto& item : list.value("items", json::array())) {
      out.push_back(item["metadata"]["name"].get<std::string>());
    }
    return out;
  }

  std::unique_ptr<TestCluster> cluster_;
  std::unique_ptr<kube::Client> client_;
  int fillers_ = 0;
};

TEST_F(WatchWindowE2eTest, KubectlWatchFromBeforeTheWindowGetsOneExpiredErrorEvent) {
  const std::string old_rv = create("first");
  push_out_of_the_window();
  CommandResult r = cluster_->kubectl(
      {"get", "--raw", std::string(kConfigMaps) + "?watch=1&resourceVersion=" + old_rv});
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  std::istringstream lines(r.out);
  std::string line;
  ASSERT_TRUE(std::getline(lines, line)) << r.describe();
  json event = json::parse(line);
  EXPECT_EQ(event["type"], "ERROR");
  EXPECT_EQ(event["object"]["kind"], "Status");
  EXPECT_EQ(event["object"]["code"], 410);
  EXPECT_EQ(event["object"]["reason"], "Expired");
  std::smatch m;
  const std::string message = event["object"]["message"];
  ASSERT_TRUE(std::regex_match(message, m,
                               std::regex("too old resource version: " + old_rv + " \\((\\d+)\\)")))
      << message;
  EXPECT_GT(std::stoull(m[1].str()), std::stoull(old_rv));
  EXPECT_FALSE(std::getline(lines, line)) << "more after the ERROR: " << line;

  // From a version still in the window the watch is served (and ends quietly at its timeout).
  const std::string recent = create("recent");
  CommandResult served = cluster_->kubectl(
      {"get", "--raw",
       std::string(kConfigMaps) + "?watch=1&timeoutSeconds=1&resourceVersion=" + recent});
  EXPECT_EQ(served.exit_code, 0) << served.describe();
  EXPECT_EQ(served.out, "");
}

TEST_F(WatchWindowE2eTest, ChunkedKubectlGetListsEveryObjectOnceInOrder) {
  std::vector<std::string> expected;
  for (int i = 0; i < 23; ++i) {
    const std::string name = "cm-" + std::string(i < 10 ? "0" : "") + std::to_string(i);
    create(name);
    expected.push_back("configmap/" + name);
  }
  CommandResult r = cluster_->kubectl(
      {"get", "configmaps", "-l", "app=window-test", "--chunk-size=4", "-o", "name"});
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  std::vector<std::string> got;
  std::istringstream lines(r.out);
  for (std::string line; std::getline(lines, line);) got.push_back(line);
  EXPECT_EQ(got, expected);
  // Table output (kubectl's default) pages the same way.
  CommandResult table =
      cluster_->kubectl({"get", "configmaps", "-l", "app=window-test", "--chunk-size=5"});
  ASSERT_EQ(table.exit_code, 0) << table.describe();
  EXPECT_EQ(std::count(table.out.begin(), table.out.end(), '\n'), 24) << table.out;
}

TEST_F(WatchWindowE2eTest, AContinuedListIsTheSnapshotOfItsFirstPageUntilItExpires) {
  for (const char* name : {"a", "b", "c", "d", "e"}) create(name);
  kube::ListOptions first_page;
  first_page.label_selector = "app=window-test";
  first_page.limit = 2;
  json first = list(first_page);
  EXPECT_EQ(names(first), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(first["metadata"]["remainingItemCount"], nullptr);  // a selector hides the count
  const std::string token = first["metadata"]["continue"];
  ASSERT_FALSE(token.empty());

  remove("d");
  create("cc");
  kube::ListOptions next = first_page;
  next.limit = 10;
  next.continue_token = token;
  json rest = list(next);
  EXPECT_EQ(names(rest), (std::vector<std::string>{"c", "d", "e"}));
  EXPECT_EQ(rest["metadata"]["resourceVersion"], first["metadata"]["resourceVersion"]);

  // Once the window has moved past the list's version, the token is gone.
  push_out_of_the_window();
  auto expired = client_->list(configmaps(), "default", next);
  ASSERT_FALSE(expired.ok());
  EXPECT_EQ(expired.error().code, 410);
  EXPECT_EQ(expired.error().message, testcluster::kContinueExpiredMessage);
}

TEST_F(WatchWindowE2eTest, ResourceVersionZeroIsWholeAndInvalidMatchesAreRefused) {
  for (int i = 0; i < 7; ++i) create("z" + std::to_string(i));
  kube::ListOptions cached;
  cached.resource_version = "0";
  cached.limit = 2;
  json whole = list(cached);
  EXPECT_EQ(names(whole).size(), 7u);  // limit is ignored by the cache
  EXPECT_EQ(whole["metadata"].value("continue", ""), "");

  CommandResult no_version = cluster_->kubectl(
      {"get", "--raw", std::string(kConfigMaps) + "?resourceVersionMatch=NotOlderThan"});
  EXPECT_NE(no_version.exit_code, 0);
  EXPECT_NE(no_version.err.find("resourceVersionMatch is forbidden unless resourceVersion is "
                                "provided"),
            std::string::npos)
      << no_version.describe();
  CommandResult exact_zero = cluster_->kubectl(
      {"get", "--raw", std::string(kConfigMaps) + "?resourceVersion=0&resourceVersionMatch=Exact"});
  EXPECT_NE(exact_zero.exit_code, 0);
  EXPECT_NE(exact_zero.err.find("forbidden for resourceVersion \"0\""), std::string::npos)
      << exact_zero.describe();

  const std::string old_rv = create("old");
  push_out_of_the_window();
  CommandResult exact_old = cluster_->kubectl(
      {"get", "--raw",
       std::string(kConfigMaps) + "?resourceVersion=" + old_rv + "&resourceVersionMatch=Exact"});
  EXPECT_NE(exact_old.exit_code, 0);
  EXPECT_NE(exact_old.err.find("The resourceVersion for the provided list is too old."),
            std::string::npos)
      << exact_old.describe();
}

}  // namespace
}  // namespace cellar::testing
