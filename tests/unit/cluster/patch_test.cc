// JSON merge patch (RFC 7386) and JSON patch (RFC 6902).
#include "tests/cluster/patch.h"

#include <gtest/gtest.h>

namespace cellar::testcluster {
namespace {

json j(const char* text) {
  return json::parse(text);
}

// RFC 7386's own examples, target / patch / result.
TEST(MergePatchTest, RfcExamples) {
  const char* cases[][3] = {
      {R"({"a":"b"})", R"({"a":"c"})", R"({"a":"c"})"},
      {R"({"a":"b"})", R"({"b":"c"})", R"({"a":"b","b":"c"})"},
      {R"({"a":"b"})", R"({"a":null})", R"({})"},
      {R"({"a":"b","b":"c"})", R"({"a":null})", R"({"b":"c"})"},
      {R"({"a":["b"]})", R"({"a":"c"})", R"({"a":"c"})"},
      {R"({"a":"c"})", R"({"a":["b"]})", R"({"a":["b"]})"},
      {R"({"a":{"b":"c"}})", R"({"a":{"b":"d","c":null}})", R"({"a":{"b":"d"}})"},
      {R"({"a":[{"b":"c"}]})", R"({"a":[1]})", R"({"a":[1]})"},
      {R"(["a","b"])", R"(["c","d"])", R"(["c","d"])"},
      {R"({"a":"b"})", R"(["c"])", R"(["c"])"},
      {R"({"a":"foo"})", "null", "null"},
      {R"({"a":"foo"})", R"("bar")", R"("bar")"},
      {R"({"e":null})", R"({"a":1})", R"({"e":null,"a":1})"},
      {R"([1,2])", R"({"a":"b","c":null})", R"({"a":"b"})"},
      {R"({})", R"({"a":{"bb":{"ccc":null}}})", R"({"a":{"bb":{}}})"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(merge_patch(j(c[0]), j(c[1])), j(c[2])) << c[0] << " + " << c[1];
  }
}

class JsonPatchTest : public ::testing::Test {
 protected:
  std::optional<json> apply(const char* target, const char* ops) {
    error_.clear();
    return json_patch(j(target), j(ops), &error_);
  }
  std::string error_;
};

TEST_F(JsonPatchTest, AddReplaceRemove) {
  auto out = apply(R"({"spec":{"a":1,"l":[1,2]}})",
                   R"([{"op":"add","path":"/spec/b","value":2},
                       {"op":"replace","path":"/spec/a","value":5},
                       {"op":"remove","path":"/spec/l/0"},
                       {"op":"add","path":"/spec/l/-","value":3}])");
  ASSERT_TRUE(out) << error_;
  EXPECT_EQ(*out, j(R"({"spec":{"a":5,"b":2,"l":[2,3]}})"));
}

TEST_F(JsonPatchTest, MoveAndCopy) {
  auto out = apply(R"({"a":{"x":1},"b":{}})",
                   R"([{"op":"copy","from":"/a/x","path":"/b/y"},
                       {"op":"move","from":"/a","path":"/c"}])");
  ASSERT_TRUE(out) << error_;
  EXPECT_EQ(*out, j(R"({"b":{"y":1},"c":{"x":1}})"));
}

TEST_F(JsonPatchTest, EscapedPointerTokens) {
  auto out =
      apply(R"({"metadata":{"labels":{"cellar.dev/schedule":"a"}}})",
            R"([{"op":"replace","path":"/metadata/labels/cellar.dev~1schedule","value":"b"}])");
  ASSERT_TRUE(out) << error_;
  EXPECT_EQ((*out)["metadata"]["labels"]["cellar.dev/schedule"], "b");
}

TEST_F(JsonPatchTest, FailedTestStopsThePatch) {
  EXPECT_FALSE(apply(R"({"a":1})", R"([{"op":"test","path":"/a","value":2},
                                       {"op":"replace","path":"/a","value":3}])"));
  EXPECT_EQ(error_, "testing value /a failed: test failed");
}

TEST_F(JsonPatchTest, PassingTestLetsThePatchApply) {
  auto out = apply(R"({"a":1})", R"([{"op":"test","path":"/a","value":1},
                                     {"op":"replace","path":"/a","value":3}])");
  ASSERT_TRUE(out) << error_;
  EXPECT_EQ((*out)["a"], 3);
}

TEST_F(JsonPatchTest, RemovingAMissingPathFails) {
  EXPECT_FALSE(apply(R"({"a":1})", R"([{"op":"remove","path":"/b"}])"));
  EXPECT_NE(error_.find("remove"), std::string::npos) << error_;
}

TEST_F(JsonPatchTest, MalformedOperationsAreRejected) {
  EXPECT_FALSE(apply(R"({})", R"({"op":"add"})"));
  EXPECT_FALSE(apply(R"({})", R"([{"op":"frobnicate","path":"/a"}])"));
  EXPECT_EQ(error_, "Unexpected kind: frobnicate");
  EXPECT_FALSE(apply(R"({})", R"([{"op":"add","path":"/a"}])"));
}

}  // namespace
}  // namespace cellar::testcluster
