#include "controller/kube/write_fence.h"

#include <gtest/gtest.h>

namespace cellar::kube {
namespace {

using std::chrono::seconds;
const WriteFence::Clock::time_point t0 = WriteFence::Clock::time_point(seconds(500));

TEST(WriteFence, ClosedUntilOpened) {
  WriteFence fence;
  EXPECT_FALSE(fence.allows(t0));
}

TEST(WriteFence, OpenUntilTheDeadlineOnly) {
  WriteFence fence;
  fence.open_until(t0 + seconds(10));
  EXPECT_TRUE(fence.allows(t0));
  EXPECT_TRUE(fence.allows(t0 + seconds(9)));
  EXPECT_FALSE(fence.allows(t0 + seconds(10)));
}

TEST(WriteFence, AnOlderRenewalNeverMovesTheDeadlineBack) {
  WriteFence fence;
  fence.open_until(t0 + seconds(10));
  fence.open_until(t0 + seconds(5));
  EXPECT_EQ(fence.deadline(), t0 + seconds(10));
}

TEST(WriteFence, ClosedForGood) {
  WriteFence fence;
  fence.open_until(t0 + seconds(10));
  fence.close();
  EXPECT_FALSE(fence.allows(t0));
  fence.open_until(t0 + seconds(20));
  EXPECT_FALSE(fence.allows(t0));
}

}  // namespace
}  // namespace cellar::kube
