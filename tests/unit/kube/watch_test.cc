// Watch requests and the events read from a stream.
#include <gtest/gtest.h>

#include "controller/kube/client.h"
#include "tests/unit/kube/fake_transport.h"

namespace cellar::kube {
namespace {

class WatchTest : public ::testing::Test {
 protected:
  WatchTest() : transport_(std::make_shared<testing::FakeTransport>()), client_(transport_) {}

  std::unique_ptr<Watch> open(const WatchOptions& options = {}) {
    auto watch = client_.watch(resources::configmaps(), "ns", options);
    EXPECT_TRUE(watch.ok()) << watch.error().to_string();
    return watch.ok() ? std::move(*watch) : nullptr;
  }
  static std::string event(const std::string& type, const std::string& name) {
    return R"({"type":")" + type + R"(","object":{"metadata":{"name":")" + name + R"("}}})";
  }

  std::shared_ptr<testing::FakeTransport> transport_;
  Client client_;
};

TEST_F(WatchTest, QueryAsksForBookmarksFromAResourceVersion) {
  WatchOptions options;
  options.resource_version = "17";
  options.label_selector = "app=db";
  options.timeout_seconds = 60;
  open(options);
  EXPECT_EQ(transport_->last().target,
            "/api/v1/namespaces/ns/configmaps?allowWatchBookmarks=true&labelSelector=app%3Ddb"
            "&resourceVersion=17&timeoutSeconds=60&watch=true");
  EXPECT_GT(transport_->last().timeout, std::chrono::seconds{60})
      << "the stream must outlive the server's own timeout";
}

TEST_F(WatchTest, BookmarksCanBeTurnedOff) {
  WatchOptions options;
  options.allow_bookmarks = false;
  open(options);
  EXPECT_EQ(transport_->last().target, "/api/v1/namespaces/ns/configmaps?watch=true");
}

TEST_F(WatchTest, EventsArriveInOrder) {
  transport_->stream_lines({event("ADDED", "a"), "", event("MODIFIED", "a"),
                            R"({"type":"BOOKMARK","object":{"metadata":{"resourceVersion":"9"}}})",
                            event("DELETED", "a")});
  auto watch = open();
  std::vector<std::string> types;
  while (auto e = watch->next()) types.push_back(e->type);
  EXPECT_EQ(types, (std::vector<std::string>{"ADDED", "MODIFIED", "BOOKMARK", "DELETED"}));
}

TEST_F(WatchTest, ErrorEventCarriesTheStatus) {
  transport_->stream_lines(
      {R"({"type":"ERROR","object":{"kind":"Status","code":410,"reason":"Expired"}})"});
  auto e = open()->next();
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->type, "ERROR");
  EXPECT_EQ(e->object["code"], 410);
}

TEST_F(WatchTest, ALineThatIsNotAnEventEndsTheStream) {
  transport_->stream_lines({event("ADDED", "a"), "{not json", event("ADDED", "b")});
  auto watch = open();
  EXPECT_TRUE(watch->next().has_value());
  EXPECT_FALSE(watch->next().has_value());
  EXPECT_FALSE(watch->next().has_value());
}

TEST_F(WatchTest, StopEndsTheStream) {
  transport_->stream_lines({event("ADDED", "a")});
  auto watch = open();
  watch->stop();
  EXPECT_FALSE(watch->next().has_value());
}

TEST_F(WatchTest, RefusedWatchIsAnError) {
  transport_->answer(403, R"({"kind":"Status","reason":"Forbidden","message":"no","code":403})");
  auto watch = client_.watch(resources::configmaps(), "ns");
  ASSERT_FALSE(watch.ok());
  EXPECT_TRUE(is_forbidden(watch.error()));
}

}  // namespace
}  // namespace cellar::kube
