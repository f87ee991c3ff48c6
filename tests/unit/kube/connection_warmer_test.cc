#include "controller/kube/connection_warmer.h"

#include <gtest/gtest.h>

namespace cellar::kube {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

const WallClock::time_point kNow = WallClock::time_point(seconds(1'800'000'000));
const milliseconds kLead(1000);

TEST(PlanWarmTest, NothingPendingSleepsUntilTold) {
  WarmStep step = plan_warm({}, kNow, kLead);
  EXPECT_FALSE(step.warm_now);
  EXPECT_FALSE(step.wake_at);
  EXPECT_TRUE(step.done.empty());
}

TEST(PlanWarmTest, WakesALeadBeforeTheEarliestDueTime) {
  WarmStep step = plan_warm({kNow + seconds(60), kNow + seconds(30)}, kNow, kLead);
  EXPECT_FALSE(step.warm_now);
  EXPECT_EQ(step.wake_at, kNow + seconds(30) - kLead);
  EXPECT_TRUE(step.done.empty());
}

TEST(PlanWarmTest, WarmsOnceForEveryDueTimeWithinTheLead) {
  const auto soon = kNow + milliseconds(400);
  const auto sooner = kNow + milliseconds(100);
  WarmStep step = plan_warm({soon, sooner, kNow + seconds(60)}, kNow, kLead);
  EXPECT_TRUE(step.warm_now);
  EXPECT_EQ(step.done, (std::set<WallClock::time_point>{sooner, soon}));
  EXPECT_EQ(step.wake_at, kNow + seconds(60) - kLead);
}

TEST(PlanWarmTest, ADueTimeAlreadyPastIsDroppedWithoutWarming) {
  // Its burst has begun: new connections now would only compete with it.
  WarmStep step = plan_warm({kNow - milliseconds(5), kNow}, kNow, kLead);
  EXPECT_FALSE(step.warm_now);
  EXPECT_EQ(step.done.size(), 2u);
  EXPECT_FALSE(step.wake_at);
}

}  // namespace
}  // namespace cellar::kube
