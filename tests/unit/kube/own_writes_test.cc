#include "controller/kube/own_writes.h"

#include <gtest/gtest.h>

namespace cellar::kube {
namespace {

TEST(OwnWritesTest, TheCacheIsBehindUntilItHoldsAnotherVersion) {
  OwnWrites writes;
  EXPECT_FALSE(writes.cache_is_behind("ns/a", "10"));  // nothing written yet
  writes.wrote("ns/a", "10");
  EXPECT_TRUE(writes.cache_is_behind("ns/a", "10"));
  EXPECT_TRUE(writes.cache_is_behind("ns/a", "10"));   // still the replaced version
  EXPECT_FALSE(writes.cache_is_behind("ns/b", "10"));  // other objects are not held back
  EXPECT_FALSE(writes.cache_is_behind("ns/a", "11"));  // the write arrived
  EXPECT_FALSE(writes.cache_is_behind("ns/a", "10"));  // and is forgotten
}

TEST(OwnWritesTest, ANewerWriteReplacesTheOlderOne) {
  OwnWrites writes;
  writes.wrote("ns/a", "10");
  writes.wrote("ns/a", "11");
  EXPECT_FALSE(writes.cache_is_behind("ns/a", "12"));
  writes.wrote("ns/a", "12");
  writes.forget("ns/a");
  EXPECT_FALSE(writes.cache_is_behind("ns/a", "12"));
}

}  // namespace
}  // namespace cellar::kube
