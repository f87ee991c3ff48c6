#include "controller/api/boxed.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace cellar::api {
namespace {

TEST(BoxedTest, BehavesAsAnOptionalOneWordWide) {
  static_assert(sizeof(Boxed<std::vector<std::string>>) == sizeof(void*));
  Boxed<std::vector<std::string>> empty;
  EXPECT_FALSE(empty);
  Boxed<std::vector<std::string>> some = std::vector<std::string>{"a", "b"};
  ASSERT_TRUE(some);
  EXPECT_EQ(some->size(), 2u);

  Boxed<std::vector<std::string>> copy = some;  // a copy of the value, not of the pointer
  copy->push_back("c");
  EXPECT_EQ(some->size(), 2u);
  EXPECT_NE(copy, some);
  copy->pop_back();
  EXPECT_EQ(copy, some);
  EXPECT_NE(empty, some);
  EXPECT_EQ(empty, Boxed<std::vector<std::string>>(std::nullopt));

  copy = empty;
  EXPECT_FALSE(copy);
  copy = std::move(some);
  EXPECT_EQ(copy->size(), 2u);
}

}  // namespace
}  // namespace cellar::api
