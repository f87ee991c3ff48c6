#include "controller/schedule/notifications_condition.h"

#include <gtest/gtest.h>

namespace cellar::schedule {
namespace {

class NotificationsConditionTest : public ::testing::Test {
 protected:
  NotificationsConditionTest() {
    schedule_.meta.generation = 3;
    schedule_.spec.notifications.push_back({"ops", {api::NotificationEvent::kFailed}, {}, {}});
  }
  const api::Condition* condition() const {
    return api::find_condition(status_.conditions, "NotificationsReady");
  }

  api::BackupSchedule schedule_;
  api::BackupScheduleStatus status_;
};

TEST_F(NotificationsConditionTest, AProblemIsFalseWithItsWords) {
  set_notifications_condition(status_, schedule_, "Secret hooks does not exist", "t1");
  ASSERT_NE(condition(), nullptr);
  EXPECT_EQ(condition()->status, "False");
  EXPECT_EQ(condition()->message, "Secret hooks does not exist");
  EXPECT_EQ(condition()->observed_generation, 3);
  EXPECT_EQ(condition()->last_transition_time, "t1");
}

TEST_F(NotificationsConditionTest, FixedIsTrueAndMovesTheTransitionTime) {
  set_notifications_condition(status_, schedule_, "Secret hooks does not exist", "t1");
  set_notifications_condition(status_, schedule_, "", "t2");
  EXPECT_EQ(condition()->status, "True");
  EXPECT_EQ(condition()->last_transition_time, "t2");
  set_notifications_condition(status_, schedule_, "", "t3");
  EXPECT_EQ(condition()->last_transition_time, "t2") << "no change, no new time (no write)";
}

TEST_F(NotificationsConditionTest, UnknownLeavesWhatIsThere) {
  set_notifications_condition(status_, schedule_, std::nullopt, "t1");
  EXPECT_EQ(condition(), nullptr);
  set_notifications_condition(status_, schedule_, "x", "t1");
  set_notifications_condition(status_, schedule_, std::nullopt, "t2");
  EXPECT_EQ(condition()->status, "False");
}

TEST_F(NotificationsConditionTest, NoNotificationsNoCondition) {
  set_notifications_condition(status_, schedule_, "x", "t1");
  schedule_.spec.notifications.clear();
  set_notifications_condition(status_, schedule_, "x", "t2");
  EXPECT_EQ(condition(), nullptr);
}

}  // namespace
}  // namespace cellar::schedule
