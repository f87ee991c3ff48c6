// Token-bucket arithmetic: a burst goes at once, then callers are spaced 1/qps apart.
#include "controller/kube/rate_limiter.h"

#include <gtest/gtest.h>

namespace cellar::kube {
namespace {

using namespace std::chrono_literals;
using Clock = RateLimiter::Clock;

class RateLimiterTest : public ::testing::Test {
 protected:
  // Milliseconds a caller arriving `at` after the start waits.
  double wait_ms(RateLimiter& limiter, Clock::duration at) {
    return std::chrono::duration<double, std::milli>(limiter.reserve(start_ + at)).count();
  }

  Clock::time_point start_ = Clock::time_point{} + 1000h;
};

TEST_F(RateLimiterTest, BurstGoesAtOnce) {
  RateLimiter limiter(10, 3);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(wait_ms(limiter, 0ms), 0) << "caller " << i;
}

TEST_F(RateLimiterTest, AfterTheBurstCallersAreSpacedByOneOverQps) {
  RateLimiter limiter(10, 3);
  for (int i = 0; i < 3; ++i) (void)wait_ms(limiter, 0ms);
  EXPECT_NEAR(wait_ms(limiter, 0ms), 100, 0.01);
  EXPECT_NEAR(wait_ms(limiter, 0ms), 200, 0.01);
  EXPECT_NEAR(wait_ms(limiter, 0ms), 300, 0.01);
}

TEST_F(RateLimiterTest, TokensComeBackWithTime) {
  RateLimiter limiter(10, 2);
  (void)wait_ms(limiter, 0ms);
  (void)wait_ms(limiter, 0ms);
  EXPECT_NEAR(wait_ms(limiter, 50ms), 50, 0.01) << "half a token earned, half still owed";
  EXPECT_EQ(wait_ms(limiter, 250ms), 0);
}

TEST_F(RateLimiterTest, SavedTokensNeverExceedTheBurst) {
  RateLimiter limiter(10, 2);
  (void)wait_ms(limiter, 0ms);
  EXPECT_EQ(wait_ms(limiter, 1h), 0);
  EXPECT_EQ(wait_ms(limiter, 1h), 0);
  EXPECT_NEAR(wait_ms(limiter, 1h), 100, 0.01);
}

TEST_F(RateLimiterTest, AnOlderClockReadEarnsNothing) {
  RateLimiter limiter(10, 1);
  (void)wait_ms(limiter, 1s);
  EXPECT_NEAR(wait_ms(limiter, 500ms), 100, 0.01);
}

TEST_F(RateLimiterTest, DefaultRateAllowsAThousandSchedulesInAFewSeconds) {
  RateLimiter limiter(200, 400);
  double last = 0;
  for (int i = 0; i < 1000; ++i) last = wait_ms(limiter, 0ms);
  EXPECT_NEAR(last, 3000, 0.1);  // 400 at once, the other 600 over 3 s
}

TEST_F(RateLimiterTest, NonPositiveRateMeansNoLimit) {
  RateLimiter limiter(0, 1);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(wait_ms(limiter, 0ms), 0);
  EXPECT_TRUE(limiter.try_take());
}

TEST_F(RateLimiterTest, TryTakeRefusesWhenTheBucketIsEmpty) {
  RateLimiter limiter(0.001, 2);
  EXPECT_TRUE(limiter.try_take());
  EXPECT_TRUE(limiter.try_take());
  EXPECT_FALSE(limiter.try_take());
}

}  // namespace
}  // namespace cellar::kube
