// The JSONPath subset printer columns use.
#include "tests/cluster/jsonpath.h"

#include <gtest/gtest.h>

namespace cellar::testcluster {
namespace {

class JsonPathTest : public ::testing::Test {
 protected:
  std::optional<json> at(const char* path) { return evaluate_jsonpath(object_, path); }
  const json object_ = json::parse(R"({
    "metadata": {"name": "b", "creationTimestamp": "2024-05-01T10:00:00Z",
                 "labels": {"cellar.dev/schedule": "nightly"}},
    "spec": {"database": {"name": "app"}},
    "status": {"phase": "Completed", "sizeBytes": 1024,
               "conditions": [{"type": "Progressing", "status": "False"},
                              {"type": "Ready", "status": "True"}]},
    "items": [{"name": "a"}, {"name": "b"}, {"name": "c"}]
  })");
};

TEST_F(JsonPathTest, DottedFields) {
  EXPECT_EQ(at(".status.phase"), json("Completed"));
  EXPECT_EQ(at(".spec.database.name"), json("app"));
  EXPECT_EQ(at(".metadata.creationTimestamp"), json("2024-05-01T10:00:00Z"));
  EXPECT_EQ(at(".status.sizeBytes"), json(1024));
}

TEST_F(JsonPathTest, BracesAndDollarAreAccepted) {
  EXPECT_EQ(at("{.status.phase}"), json("Completed"));
  EXPECT_EQ(at("$.status.phase"), json("Completed"));
}

TEST_F(JsonPathTest, Indexes) {
  EXPECT_EQ(at(".items[0].name"), json("a"));
  EXPECT_EQ(at(".items[-1].name"), json("c"));
  EXPECT_EQ(at(".items[1:]"), json({{"name", "b"}}));
  EXPECT_EQ(at(".items[*].name"), json("a"));
  EXPECT_FALSE(at(".items[5]"));
}

TEST_F(JsonPathTest, Filters) {
  EXPECT_EQ(at(R"(.status.conditions[?(@.type=="Ready")].status)"), json("True"));
  EXPECT_EQ(at(R"(.status.conditions[?(@.type!="Ready")].type)"), json("Progressing"));
  EXPECT_EQ(at(".status.conditions[?(@.type=='Ready')].status"), json("True"));
  EXPECT_FALSE(at(R"(.status.conditions[?(@.type=="Gone")].status)"));
}

TEST_F(JsonPathTest, QuotedAndEscapedKeys) {
  EXPECT_EQ(at(".metadata.labels['cellar.dev/schedule']"), json("nightly"));
  EXPECT_EQ(at(R"(.metadata.labels.cellar\.dev/schedule)"), json("nightly"));
}

TEST_F(JsonPathTest, MissingPathsFindNothing) {
  EXPECT_FALSE(at(".status.message"));
  EXPECT_FALSE(at(".status.phase.deeper"));
  EXPECT_FALSE(at(".items[?(@.name=="));
}

}  // namespace
}  // namespace cellar::testcluster
