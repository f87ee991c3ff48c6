#include "controller/api/condition.h"

#include <gtest/gtest.h>

namespace cellar::api {
namespace {

TEST(ConditionTest, NewConditionTakesNowAsItsTransitionTime) {
  std::vector<Condition> cs;
  set_condition(cs, {"Ready", "False", 1, "", "Pending", "waiting"}, "T1");
  ASSERT_EQ(cs.size(), 1u);
  EXPECT_EQ(cs[0].last_transition_time, "T1");
}

TEST(ConditionTest, SameStatusKeepsTheTransitionTime) {
  std::vector<Condition> cs;
  set_condition(cs, {"Ready", "False", 1, "", "Pending", "waiting"}, "T1");
  set_condition(cs, {"Ready", "False", 1, "", "InProgress", "dumping"}, "T2");
  EXPECT_EQ(cs[0].last_transition_time, "T1");
  EXPECT_EQ(cs[0].reason, "InProgress");
}

TEST(ConditionTest, ChangedStatusMovesTheTransitionTime) {
  std::vector<Condition> cs;
  set_condition(cs, {"Ready", "False", 1, "", "Pending", ""}, "T1");
  set_condition(cs, {"Ready", "True", 1, "", "Completed", ""}, "T2");
  EXPECT_EQ(cs[0].last_transition_time, "T2");
  EXPECT_EQ(find_condition(cs, "Ready")->status, "True");
  EXPECT_EQ(find_condition(cs, "Stalled"), nullptr);
}

}  // namespace
}  // namespace cellar::api
