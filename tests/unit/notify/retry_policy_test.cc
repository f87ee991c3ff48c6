#include "controller/notify/retry_policy.h"

#include <gtest/gtest.h>

namespace cellar::notify {
namespace {

using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::seconds;

TEST(RetryPolicy, DoublesFromTheFirstDelayUpToTheCap) {
  RetryPolicy p;
  EXPECT_EQ(retry_delay(p, 1, seconds(1)), milliseconds(1000));
  EXPECT_EQ(retry_delay(p, 2, seconds(2)), milliseconds(2000));
  EXPECT_EQ(retry_delay(p, 3, seconds(4)), milliseconds(4000));
  EXPECT_EQ(retry_delay(p, 7, seconds(100)), milliseconds(60000));
  EXPECT_EQ(retry_delay(p, 1000, seconds(100)), milliseconds(60000));
}

TEST(RetryPolicy, LastAttemptIsAtTheWindowsEnd) {
  RetryPolicy p;
  EXPECT_EQ(retry_delay(p, 9, minutes(10) - seconds(5)), milliseconds(5000));
}

TEST(RetryPolicy, GivesUpOnceTheWindowIsPast) {
  RetryPolicy p;
  EXPECT_FALSE(retry_delay(p, 1, minutes(10)));
  EXPECT_FALSE(retry_delay(p, 30, minutes(11)));
}

TEST(RetryPolicy, OldEventsAreOutsideTheWindow) {
  RetryPolicy p;
  EXPECT_TRUE(within_window(p, minutes(9)));
  EXPECT_FALSE(within_window(p, minutes(10)));
  EXPECT_FALSE(within_window(p, minutes(60 * 24 * 365)));
}

}  // namespace
}  // namespace cellar::notify
