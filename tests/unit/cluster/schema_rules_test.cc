// x-kubernetes-validations through apply_schema(), and the rule evaluator on its own.
#include <gtest/gtest.h>

#include "tests/cluster/cel_rules.h"
#include "tests/cluster/schema.h"

namespace cellar::testcluster {
namespace {

class RulesTest : public ::testing::Test {
 protected:
  // A schema whose spec carries `rules` (x-kubernetes-validations entries).
  static json schema_with(const json& rules) {
    json s = json::parse(R"({
      "type": "object",
      "properties": {
        "spec": {
          "type": "object",
          "properties": {
            "database": {"type": "string"},
            "cancel": {"type": "boolean"},
            "keep": {"type": "integer"},
            "storage": {"type": "object", "properties": {"claim": {"type": "string"}}}
          }
        }
      }
    })");
    s["properties"]["spec"]["x-kubernetes-validations"] = rules;
    return s;
  }
  static json with_spec(const json& spec) { return {{"spec", spec}}; }
  std::vector<FieldIssue> create(const json& rules, const json& spec) {
    return apply_schema(schema_with(rules), with_spec(spec)).issues;
  }
  std::vector<FieldIssue> update(const json& rules, const json& old_spec, const json& spec) {
    return apply_schema(schema_with(rules), with_spec(spec), with_spec(old_spec)).issues;
  }
};

TEST_F(RulesTest, ImmutableSpecRejectsAChange) {
  json rules = {{{"rule", "self == oldSelf"}, {"message", "spec is immutable"}}};
  auto issues = update(rules, {{"database", "a"}}, {{"database", "b"}});
  ASSERT_EQ(issues.size(), 1u);
  EXPECT_EQ(issues[0].type, "FieldValueInvalid");
  EXPECT_EQ(issues[0].field, "spec");
  EXPECT_EQ(issues[0].message, R"(Invalid value: "object": spec is immutable)");
}

TEST_F(RulesTest, ImmutableSpecAcceptsTheSameValue) {
  json rules = {{{"rule", "self == oldSelf"}}};
  EXPECT_TRUE(update(rules, {{"database", "a"}}, {{"database", "a"}}).empty());
}

TEST_F(RulesTest, TransitionRulesAreSkippedOnCreate) {
  json rules = {{{"rule", "self == oldSelf"}}};
  EXPECT_TRUE(create(rules, {{"database", "a"}}).empty());
}

TEST_F(RulesTest, DefaultMessageQuotesTheRule) {
  json rules = {{{"rule", " self.database == oldSelf.database "}}};
  auto issues = update(rules, {{"database", "a"}}, {{"database", "b"}});
  ASSERT_EQ(issues.size(), 1u);
  EXPECT_EQ(issues[0].message,
            R"(Invalid value: "object": failed rule: self.database == oldSelf.database)");
}

TEST_F(RulesTest, FieldMayNotBeRemovedOnceSet) {
  json rules = {{{"rule", "!has(oldSelf.storage) || has(self.storage)"}}};
  EXPECT_EQ(update(rules, {{"storage", {{"claim", "c"}}}}, json::object()).size(), 1u);
  EXPECT_TRUE(update(rules, json::object(), {{"storage", {{"claim", "c"}}}}).empty());
}

TEST_F(RulesTest, CancelCannotBeUndone) {
  json rules = {{{"rule", "oldSelf.cancel == false || self.cancel == true"}}};
  EXPECT_EQ(update(rules, {{"cancel", true}}, {{"cancel", false}}).size(), 1u);
  EXPECT_TRUE(update(rules, {{"cancel", false}}, {{"cancel", true}}).empty());
}

TEST_F(RulesTest, NonTransitionRuleRunsOnCreate) {
  json rules = {
      {{"rule", "!has(self.keep) || self.keep >= 1"}, {"message", "keep must be positive"}}};
  EXPECT_EQ(create(rules, {{"keep", 0}}).size(), 1u);
  EXPECT_TRUE(create(rules, {{"keep", 2}}).empty());
}

TEST_F(RulesTest, FieldPathAndReasonShapeTheIssue) {
  json rules = {{{"rule", "size(self.database) > 0"},
                 {"message", "needs a database"},
                 {"fieldPath", ".database"},
                 {"reason", "FieldValueRequired"}}};
  auto issues = create(rules, {{"database", ""}});
  ASSERT_EQ(issues.size(), 1u);
  EXPECT_EQ(issues[0].type, "FieldValueRequired");
  EXPECT_EQ(issues[0].field, "spec.database");
  EXPECT_EQ(issues[0].message, "Required value: needs a database");
}

TEST_F(RulesTest, UnsupportedRuleIsReportedNotPassed) {
  json rules = {{{"rule", "self.all(x, x != 'a')"}}};
  auto issues = create(rules, {{"database", "a"}});
  ASSERT_EQ(issues.size(), 1u);
  EXPECT_EQ(issues[0].type, "InternalError");
}

TEST_F(RulesTest, MissingKeyIsAnEvaluationError) {
  json rules = {{{"rule", "self.database == 'x'"}}};
  auto issues = create(rules, json::object());
  ASSERT_EQ(issues.size(), 1u);
  EXPECT_NE(issues[0].message.find("no such key: database"), std::string::npos);
}

// The evaluator on its own: one expectation per operator family.
RuleVerdict::Kind eval(const char* rule, const json& self, const json* old_self = nullptr) {
  return evaluate_rule(rule, self, old_self).kind;
}

TEST(RuleEvaluatorTest, Operators) {
  const json self = {{"a", 3}, {"s", "backup-1"}, {"l", {1, 2}}, {"b", true}, {"d", 1.5}};
  using K = RuleVerdict::Kind;
  EXPECT_EQ(eval("self.a == 3 && self.a != 4", self), K::kPass);
  EXPECT_EQ(eval("self.a < 4 && self.a <= 3 && self.a > 2 && self.a >= 3", self), K::kPass);
  EXPECT_EQ(eval("self.d > 1 && self.d < 2", self), K::kPass);
  EXPECT_EQ(eval("!self.b", self), K::kFail);
  EXPECT_EQ(eval("self.b || self.missing", self), K::kPass);
  EXPECT_EQ(eval("self.missing || self.b", self), K::kPass);
  EXPECT_EQ(eval("size(self.l) == 2 && self.l.size() == 2 && size(self.s) == 8", self), K::kPass);
  EXPECT_EQ(eval("self.s.startsWith('backup') && self.s.endsWith('-1')", self), K::kPass);
  EXPECT_EQ(eval("self.s.contains('up') && self.s.matches('^[a-z]+-[0-9]$')", self), K::kPass);
  EXPECT_EQ(eval("2 in self.l && 'a' in self", self), K::kPass);
  EXPECT_EQ(eval("self.l[1] == 2 && self['a'] == 3", self), K::kPass);
  EXPECT_EQ(eval("self.a + 1 == 4 && self.a - 1 == 2", self), K::kPass);
  EXPECT_EQ(eval("self.b ? self.a == 3 : false", self), K::kPass);
  EXPECT_EQ(eval("(self.a == 1) || (self.a == 3)", self), K::kPass);
}

TEST(RuleEvaluatorTest, ErrorsAndUnsupported) {
  using K = RuleVerdict::Kind;
  EXPECT_EQ(eval("self.x == 1", json::object()), K::kError);
  EXPECT_EQ(eval("self == oldSelf", json::object()), K::kError);
  EXPECT_EQ(eval("self.a", json{{"a", 1}}), K::kError);
  EXPECT_EQ(eval("self.exists(x, x == 1)", json::array()), K::kUnsupported);
  EXPECT_EQ(eval("other == 1", json::object()), K::kUnsupported);
  EXPECT_EQ(eval("self ==", json::object()), K::kUnsupported);
}

TEST(RuleEvaluatorTest, TransitionRulesAreRecognised) {
  EXPECT_TRUE(is_transition_rule("self == oldSelf"));
  EXPECT_FALSE(is_transition_rule("self.oldSelfish == 1"));
}

}  // namespace
}  // namespace cellar::testcluster
