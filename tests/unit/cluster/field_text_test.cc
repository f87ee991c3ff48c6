// Values inside field error messages, rendered as kube-apiserver renders them.
#include "tests/cluster/field_text.h"

#include <gtest/gtest.h>

namespace cellar::testcluster {
namespace {

TEST(FieldTextTest, Values) {
  EXPECT_EQ(format_value("zip"), R"("zip")");
  EXPECT_EQ(format_value("a\"b\n"), R"("a\"b\n")");
  EXPECT_EQ(format_value(12), "12");
  EXPECT_EQ(format_value(true), "true");
  EXPECT_EQ(format_value(nullptr), "null");
  EXPECT_EQ(format_value(json::parse(R"({"b":1,"a":[1]})")), R"({"a":[1],"b":1})");
}

TEST(FieldTextTest, Floats) {
  EXPECT_EQ(format_float(9), "9");
  EXPECT_EQ(format_float(1.5), "1.5");
  EXPECT_EQ(format_float(0.0001), "0.0001");
  EXPECT_EQ(format_float(0.00001), "1e-05");
  EXPECT_EQ(format_float(1e21), "1e+21");
  EXPECT_EQ(format_float(123456789), "123456789");
}

TEST(FieldTextTest, Messages) {
  EXPECT_EQ(required_issue("spec.x").message, "Required value");
  EXPECT_EQ(not_supported_issue("f", "zip", {"custom", "plain"}).message,
            R"(Unsupported value: "zip": supported values: "custom", "plain")");
  EXPECT_EQ(too_long_issue("f", 1).message, "Too long: may not be more than 1 byte");
  EXPECT_EQ(too_many_issue("f", 4, 1).message, "Too many: 4: must have at most 1 item");
  EXPECT_EQ(forbidden_issue("f", "nope").type, "FieldValueForbidden");
}

}  // namespace
}  // namespace cellar::testcluster
