#include "controller/backup/byte_size.h"

#include <gtest/gtest.h>

namespace cellar::backup {
namespace {

TEST(ByteSizeTest, SmallSizesInBytes) {
  EXPECT_EQ(format_byte_size(0), "0 B");
  EXPECT_EQ(format_byte_size(1023), "1023 B");
}

TEST(ByteSizeTest, ThreeSignificantDigitsInBinaryUnits) {
  EXPECT_EQ(format_byte_size(1024), "1.00 KiB");
  EXPECT_EQ(format_byte_size(1625292), "1.55 MiB");
  EXPECT_EQ(format_byte_size(12897484), "12.3 MiB");
  EXPECT_EQ(format_byte_size(int64_t{500} * 1024 * 1024 * 1024), "500 GiB");
}

TEST(ByteSizeTest, RoundingCarriesIntoTheNextUnit) {
  EXPECT_EQ(format_byte_size(1024 * 1024 - 1), "1.00 MiB");
}

}  // namespace
}  // namespace cellar::backup
