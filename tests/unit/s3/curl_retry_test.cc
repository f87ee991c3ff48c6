#include <gtest/gtest.h>

#include "controller/s3/curl_s3_client.h"

namespace cellar::s3 {
namespace {

using std::chrono::milliseconds;

TEST(RetryDelay, DoublesFromTheFirstDelayUpToTheCap) {
  EXPECT_EQ(retry_delay(1, milliseconds{250}, milliseconds{8000}), milliseconds{250});
  EXPECT_EQ(retry_delay(2, milliseconds{250}, milliseconds{8000}), milliseconds{500});
  EXPECT_EQ(retry_delay(4, milliseconds{250}, milliseconds{8000}), milliseconds{2000});
  EXPECT_EQ(retry_delay(10, milliseconds{250}, milliseconds{8000}), milliseconds{8000});
  EXPECT_EQ(retry_delay(1000, milliseconds{250}, milliseconds{8000}), milliseconds{8000});
}

}  // namespace
}  // namespace cellar::s3
