#include "controller/kube/base64.h"

#include <gtest/gtest.h>

namespace cellar::kube {
namespace {

TEST(Base64, DecodesWithOrWithoutPadding) {
  EXPECT_EQ(base64_decode("aGVsbG8="), "hello");
  EXPECT_EQ(base64_decode("aGVsbG8"), "hello");
}

TEST(Base64, ToleratesLineBreaksAsKubeconfigsWrapThem) {
  EXPECT_EQ(base64_decode("aGVs\nbG8=\n"), "hello");
}

TEST(Base64, RefusesACharacterOutsideTheAlphabet) {
  EXPECT_EQ(base64_decode("a$b"), std::nullopt);
}

TEST(Base64, EncodesWithPaddingAsRfc4648Says) {
  // RFC 4648, section 10.
  EXPECT_EQ(base64_encode(""), "");
  EXPECT_EQ(base64_encode("f"), "Zg==");
  EXPECT_EQ(base64_encode("fo"), "Zm8=");
  EXPECT_EQ(base64_encode("foo"), "Zm9v");
  EXPECT_EQ(base64_encode("foob"), "Zm9vYg==");
  EXPECT_EQ(base64_encode("fooba"), "Zm9vYmE=");
  EXPECT_EQ(base64_encode("foobar"), "Zm9vYmFy");
  const std::string bytes("\xff\x00\xfe\x7f", 4);
  EXPECT_EQ(base64_decode(base64_encode(bytes)), bytes);
}

}  // namespace
}  // namespace cellar::kube
