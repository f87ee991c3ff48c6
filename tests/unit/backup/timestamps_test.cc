#include "controller/api/timestamps.h"

#include <gtest/gtest.h>

namespace cellar::api {
namespace {

TEST(TimestampsTest, FormatsWholeSecondsInUtc) {
  auto t = parse_rfc3339("2026-11-21T14:30:05Z");
  ASSERT_TRUE(t);
  EXPECT_EQ(format_rfc3339(*t), "2026-11-21T14:30:05Z");
}

TEST(TimestampsTest, ReadsFractionsAndOffsets) {
  EXPECT_EQ(seconds_between("2026-11-21T14:30:00Z", "2026-11-21T14:30:31.900Z"), 31);
  EXPECT_EQ(seconds_between("2026-11-21T16:30:00+02:00", "2026-11-21T14:31:00Z"), 60);
}

TEST(TimestampsTest, GarbageIsNotATime) {
  EXPECT_FALSE(parse_rfc3339("yesterday"));
  EXPECT_FALSE(parse_rfc3339(""));
  EXPECT_FALSE(parse_rfc3339("2026-02-30T00:00:00Z"));
  EXPECT_FALSE(parse_rfc3339("2026-11-21T14:30:00"));
  EXPECT_FALSE(parse_rfc3339("2026-11-21T14:30:00Zjunk"));
  EXPECT_FALSE(seconds_between("", "2026-11-21T14:30:00Z"));
}

}  // namespace
}  // namespace cellar::api
