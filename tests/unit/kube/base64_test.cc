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

}  // namespace
}  // namespace cellar::kube
