// Label and field selectors: parsing as kube-apiserver parses them, and matching.
#include "tests/cluster/selector.h"

#include <gtest/gtest.h>

namespace cellar::testcluster {
namespace {

class LabelSelectorTest : public ::testing::Test {
 protected:
  static bool matches(const char* selector, const json& labels) {
    std::string error;
    auto s = LabelSelector::parse(selector, &error);
    EXPECT_TRUE(s) << selector << ": " << error;
    return s && s->matches(labels);
  }
  static std::string parse_error(const char* selector) {
    std::string error;
    EXPECT_FALSE(LabelSelector::parse(selector, &error)) << selector;
    return error;
  }
  const json labels_ = {
      {"app", "cellar"}, {"tier", "db"}, {"cellar.dev/schedule", "nightly"}, {"replicas", "3"}};
};

TEST_F(LabelSelectorTest, Equality) {
  EXPECT_TRUE(matches("app=cellar", labels_));
  EXPECT_TRUE(matches("app==cellar", labels_));
  EXPECT_FALSE(matches("app=other", labels_));
  EXPECT_TRUE(matches("app!=other", labels_));
  EXPECT_TRUE(matches("missing!=x", labels_));
  EXPECT_TRUE(matches("cellar.dev/schedule=nightly", labels_));
}

TEST_F(LabelSelectorTest, SetBased) {
  EXPECT_TRUE(matches("tier in (db, web)", labels_));
  EXPECT_FALSE(matches("tier in (web)", labels_));
  EXPECT_TRUE(matches("tier notin (web)", labels_));
  EXPECT_TRUE(matches("missing notin (web)", labels_));
  EXPECT_TRUE(matches("app", labels_));
  EXPECT_FALSE(matches("!app", labels_));
  EXPECT_TRUE(matches("!missing", labels_));
}

TEST_F(LabelSelectorTest, NumericComparisons) {
  EXPECT_TRUE(matches("replicas>2", labels_));
  EXPECT_FALSE(matches("replicas<3", labels_));
  EXPECT_FALSE(matches("app>1", labels_));
}

TEST_F(LabelSelectorTest, AllRequirementsMustHold) {
  EXPECT_TRUE(matches("app=cellar,tier in (db),!gone", labels_));
  EXPECT_FALSE(matches("app=cellar,tier=web", labels_));
}

TEST_F(LabelSelectorTest, EmptySelectorMatchesEverything) {
  auto s = LabelSelector::parse("", nullptr);
  ASSERT_TRUE(s);
  EXPECT_TRUE(s->empty());
  EXPECT_TRUE(s->matches(nullptr));
  EXPECT_TRUE(s->matches(labels_));
}

TEST_F(LabelSelectorTest, NullLabelsMatchOnlyNegativeRequirements) {
  EXPECT_TRUE(matches("!app", nullptr));
  EXPECT_FALSE(matches("app", nullptr));
  EXPECT_FALSE(matches("app=cellar", nullptr));
}

TEST_F(LabelSelectorTest, EmptyValues) {
  EXPECT_TRUE(matches("empty=", json{{"empty", ""}}));
  EXPECT_TRUE(matches("empty in ()", json{{"empty", ""}}));
}

TEST_F(LabelSelectorTest, ParseErrors) {
  EXPECT_EQ(parse_error("app=cellar,"), "found '', expected: identifier after ','");
  EXPECT_EQ(parse_error("app in cellar"),
            "unable to parse requirement: found 'cellar' expected: '('");
  EXPECT_EQ(parse_error("app cellar"),
            "unable to parse requirement: found 'cellar', expected: in, notin, =, ==, !=, gt, lt");
  EXPECT_EQ(parse_error("!app=x"), "found '=', expected: ',' or 'end of string'");
  EXPECT_EQ(parse_error("=x"), "found '=', expected: !, identifier, or 'end of string'");
  EXPECT_NE(parse_error("app=a b c").find("expected"), std::string::npos);
  EXPECT_NE(parse_error("-bad=1").find("name part must consist of alphanumeric characters"),
            std::string::npos);
  EXPECT_NE(parse_error("app=-bad").find("a valid label must be an empty string"),
            std::string::npos);
  EXPECT_NE(parse_error("n>x").find("the value must be an integer"), std::string::npos);
}

TEST_F(LabelSelectorTest, CanonicalStringIsSortedByKey) {
  auto s = LabelSelector::parse("tier in (web,db), app=cellar, !gone", nullptr);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->to_string(), "app=cellar,!gone,tier in (db,web)");
}

TEST_F(LabelSelectorTest, FromMetav1LabelSelector) {
  json selector = json::parse(R"({"matchLabels":{"app":"cellar"},
      "matchExpressions":[{"key":"tier","operator":"In","values":["db"]},
                          {"key":"gone","operator":"DoesNotExist"}]})");
  auto s = LabelSelector::from_json(selector, nullptr);
  ASSERT_TRUE(s);
  EXPECT_TRUE(s->matches(labels_));
  EXPECT_FALSE(s->matches(json{{"app", "cellar"}}));
}

TEST_F(LabelSelectorTest, FromJsonRejectsAnUnknownOperator) {
  std::string error;
  EXPECT_FALSE(LabelSelector::from_json(
      json::parse(R"({"matchExpressions":[{"key":"a","operator":"Near"}]})"), &error));
  EXPECT_EQ(error, R"("Near" is not a valid label selector operator)");
}

class FieldSelectorTest : public ::testing::Test {
 protected:
  static bool matches(const char* selector, const json& object) {
    std::string error;
    auto s = FieldSelector::parse(selector, &error);
    EXPECT_TRUE(s) << error;
    return s && s->matches(object);
  }
  const json pod_ = {{"metadata", {{"name", "p"}, {"namespace", "ns"}}},
                     {"status", {{"phase", "Running"}}},
                     {"type", "Opaque"}};
};

TEST_F(FieldSelectorTest, EqualityAndInequality) {
  EXPECT_TRUE(matches("metadata.name=p", pod_));
  EXPECT_TRUE(matches("metadata.name==p", pod_));
  EXPECT_FALSE(matches("metadata.name!=p", pod_));
  EXPECT_TRUE(matches("status.phase=Running,metadata.namespace=ns", pod_));
  EXPECT_FALSE(matches("status.phase=Running,metadata.namespace=other", pod_));
  EXPECT_TRUE(matches("type=Opaque", pod_));
}

TEST_F(FieldSelectorTest, MissingFieldIsTheEmptyString) {
  EXPECT_TRUE(matches("spec.nodeName=", pod_));
  EXPECT_TRUE(matches("spec.nodeName!=node-1", pod_));
}

TEST_F(FieldSelectorTest, EscapedCommaStaysInTheValue) {
  EXPECT_TRUE(matches(R"(metadata.name=a\,b)", json{{"metadata", {{"name", "a,b"}}}}));
}

TEST_F(FieldSelectorTest, TermWithoutOperatorIsAnError) {
  std::string error;
  EXPECT_FALSE(FieldSelector::parse("metadata.name", &error));
  EXPECT_EQ(error, "invalid selector: 'metadata.name'; can't understand 'metadata.name'");
}

TEST_F(FieldSelectorTest, RequirementsAreExposedForFieldChecks) {
  auto s = FieldSelector::parse("metadata.name=p,status.phase!=Failed", nullptr);
  ASSERT_TRUE(s);
  ASSERT_EQ(s->requirements().size(), 2u);
  EXPECT_EQ(s->requirements()[1].field, "status.phase");
  EXPECT_FALSE(s->requirements()[1].equals);
}

}  // namespace
}  // namespace cellar::testcluster
