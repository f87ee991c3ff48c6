#include "controller/health/liveness.h"

#include <gtest/gtest.h>

namespace cellar::health {
namespace {

using std::chrono::seconds;
const Clock::time_point t0 = Clock::time_point(seconds(10000));

TEST(Liveness, IdleWorkersAreAlive) {
  LoopSigns signs;
  signs.queues = {{"backup", std::nullopt}, {"restore", std::nullopt}};
  EXPECT_EQ(stalled_loop(signs, t0), std::nullopt);
}

TEST(Liveness, AWorkerHoldingOneKeyTooLongIsStalled) {
  LoopSigns signs;
  signs.max_reconcile = seconds(300);
  signs.queues = {{"backup", t0 - seconds(299)}};
  EXPECT_EQ(stalled_loop(signs, t0), std::nullopt);
  signs.queues = {{"backup", t0 - seconds(301)}};
  auto why = stalled_loop(signs, t0);
  ASSERT_TRUE(why);
  EXPECT_EQ(*why, "backup worker has held one key for 301s");
}

TEST(Liveness, AnElectorThatStoppedGoingRoundIsStalled) {
  LoopSigns signs;
  signs.elector_last_loop = t0 - seconds(16);
  signs.elector_max_silence = seconds(17);
  EXPECT_EQ(stalled_loop(signs, t0), std::nullopt);
  signs.elector_last_loop = t0 - seconds(18);
  EXPECT_TRUE(stalled_loop(signs, t0));
}

}  // namespace
}  // namespace cellar::health
