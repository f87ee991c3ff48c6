// How a list is read, decided from its query alone: kube-apiserver's validation of
// resourceVersion, resourceVersionMatch, continue and limit, and the cache/storage split.
#include "tests/cluster/list_plan.h"

#include <gtest/gtest.h>

namespace cellar::testcluster {
namespace {

ListPlan plan(const ListQuery& query) {
  auto planned = plan_list(query);
  EXPECT_TRUE(planned.ok()) << (planned.ok() ? "" : planned.error().message);
  return planned.ok() ? planned.value() : ListPlan{};
}

ApiError refused(const ListQuery& query) {
  auto planned = plan_list(query);
  EXPECT_FALSE(planned.ok());
  return planned.ok() ? ApiError{} : planned.error();
}

TEST(ListPlanTest, MatchWithoutAVersionIsInvalidListOptions) {
  ApiError e = refused({"", "NotOlderThan", "", ""});
  EXPECT_EQ(e.code, 422);
  EXPECT_EQ(e.message,
            "ListOptions.meta.k8s.io \"\" is invalid: resourceVersionMatch: Forbidden: "
            "resourceVersionMatch is forbidden unless resourceVersion is provided");
  EXPECT_EQ(e.details["kind"], "ListOptions");
  EXPECT_EQ(e.details["group"], "meta.k8s.io");
}

TEST(ListPlanTest, ExactAtZeroMatchWithContinueAndUnknownMatchAreInvalid) {
  EXPECT_NE(
      refused({"0", "Exact", "", ""})
          .message.find("resourceVersionMatch \"exact\" is forbidden for resourceVersion \"0\""),
      std::string::npos);
  const std::string token = encode_continue({5, "default/a"});
  EXPECT_NE(refused({"5", "Exact", token, ""})
                .message.find("resourceVersionMatch is forbidden when continue is provided"),
            std::string::npos);
  ApiError unknown = refused({"5", "Newest", "", ""});
  EXPECT_EQ(unknown.code, 422);
  EXPECT_NE(unknown.message.find("Unsupported value: \"Newest\": supported values: \"Exact\", "
                                 "\"NotOlderThan\", \"\""),
            std::string::npos);
}

TEST(ListPlanTest, ContinueWithAVersionAndBadTokensAreBadRequests) {
  const std::string token = encode_continue({5, "default/a"});
  ApiError with_version = refused({"7", "", token, "2"});
  EXPECT_EQ(with_version.code, 400);
  EXPECT_EQ(with_version.message, "specifying resource version is not allowed when using continue");
  EXPECT_EQ(refused({"", "", "not-a-token", "2"}).message, "continue key is not valid");
  EXPECT_EQ(refused({"", "", encode_continue({0, "default/a"}), "2"}).code, 400);
  EXPECT_EQ(refused({"abc", "", "", ""}).code, 400);
}

TEST(ListPlanTest, ZeroAndNotOlderThanComeWholeFromTheCache) {
  for (const ListQuery& q : {ListQuery{"0", "", "", "500"}, ListQuery{"9", "NotOlderThan", "", "5"},
                             ListQuery{"9", "", "", ""}}) {
    ListPlan p = plan(q);
    EXPECT_TRUE(p.from_cache) << q.resource_version << " " << q.resource_version_match;
    EXPECT_EQ(p.limit, 0u);
    EXPECT_EQ(p.at, 0u);
  }
  EXPECT_EQ(plan({"9", "NotOlderThan", "", ""}).not_older_than, 9u);
}

TEST(ListPlanTest, UnsetIsAConsistentPagedRead) {
  ListPlan p = plan({"", "", "", "500"});
  EXPECT_FALSE(p.from_cache);
  EXPECT_EQ(p.at, 0u);
  EXPECT_EQ(p.limit, 500u);
}

TEST(ListPlanTest, ExactAndALegacyVersionWithLimitReadAtThatVersion) {
  ListPlan exact = plan({"9", "Exact", "", ""});
  EXPECT_FALSE(exact.from_cache);
  EXPECT_EQ(exact.at, 9u);
  ListPlan legacy = plan({"9", "", "", "3"});
  EXPECT_FALSE(legacy.from_cache);
  EXPECT_EQ(legacy.at, 9u);
  EXPECT_EQ(legacy.limit, 3u);
}

TEST(ListPlanTest, ContinueReadsAtTheTokensVersionAfterItsKey) {
  ListPlan p = plan({"", "", encode_continue({42, "default/b"}), "2"});
  EXPECT_TRUE(p.continued);
  EXPECT_EQ(p.at, 42u);
  EXPECT_EQ(p.start_after, "default/b");
  EXPECT_EQ(p.limit, 2u);
  EXPECT_EQ(plan({"0", "", encode_continue({42, "default/b"}), "2"}).at, 42u);
  // The token a 410 hands back reads the latest state.
  EXPECT_EQ(plan({"", "", encode_continue({-1, "default/b"}), "2"}).at, 0u);
}

TEST(ListPlanTest, AnExpiredContinueOffersTheRestAtTheLatestVersion) {
  json status = continue_expired_status("default/b");
  EXPECT_EQ(status["code"], 410);
  EXPECT_EQ(status["reason"], "Expired");
  EXPECT_EQ(status["message"], kContinueExpiredMessage);
  auto token = decode_continue(status["metadata"]["continue"].get<std::string>());
  ASSERT_TRUE(token);
  EXPECT_EQ(token->resource_version, -1);
  EXPECT_EQ(token->start_after, "default/b");
}

}  // namespace
}  // namespace cellar::testcluster
