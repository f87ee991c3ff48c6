// check_structural(): the CRD schema checks the apiserver makes before serving a version.
#include <gtest/gtest.h>

#include "tests/cluster/schema.h"

namespace cellar::testcluster {
namespace {

const char* const kPrefix = "spec.versions[0].schema.openAPIV3Schema";

class StructuralTest : public ::testing::Test {
 protected:
  static std::vector<FieldIssue> check(const char* schema) {
    return check_structural(json::parse(schema), kPrefix);
  }
};

TEST_F(StructuralTest, TypedSchemaIsStructural) {
  EXPECT_TRUE(check(R"({"type": "object", "properties": {
      "metadata": {"type": "object"},
      "spec": {"type": "object", "properties": {
        "tags": {"type": "array", "items": {"type": "string"}},
        "labels": {"type": "object", "additionalProperties": {"type": "string"}},
        "size": {"x-kubernetes-int-or-string": true},
        "raw": {"x-kubernetes-preserve-unknown-fields": true}}}}})")
                  .empty());
}

TEST_F(StructuralTest, PropertyWithoutType) {
  auto issues = check(R"({"type": "object", "properties": {"spec": {"properties": {}}}})");
  ASSERT_EQ(issues.size(), 1u);
  EXPECT_EQ(issues[0].field, std::string(kPrefix) + ".properties[spec].type");
  EXPECT_EQ(issues[0].message, "Required value: must not be empty for specified object fields");
}

TEST_F(StructuralTest, ArrayItemsWithoutType) {
  auto issues = check(R"({"type": "object", "properties": {"l": {"type": "array", "items": {}}}})");
  ASSERT_EQ(issues.size(), 1u);
  EXPECT_EQ(issues[0].field, std::string(kPrefix) + ".properties[l].items.type");
  EXPECT_EQ(issues[0].message, "Required value: must not be empty for specified array items");
}

TEST_F(StructuralTest, RootMustBeAnObject) {
  auto issues = check(R"({"type": "string"})");
  ASSERT_EQ(issues.size(), 1u);
  EXPECT_EQ(issues[0].message, R"(Invalid value: "string": must be object at the root)");
}

TEST_F(StructuralTest, ForbiddenKeywords) {
  auto issues = check(R"({"type": "object", "properties": {
      "a": {"$ref": "#/definitions/x", "type": "object"},
      "b": {"type": "array", "uniqueItems": true, "items": {"type": "string"}}}})");
  ASSERT_EQ(issues.size(), 2u);
  EXPECT_EQ(issues[0].type, "FieldValueForbidden");
  EXPECT_EQ(issues[0].field, std::string(kPrefix) + ".properties[a].$ref");
  EXPECT_EQ(issues[1].field, std::string(kPrefix) + ".properties[b].uniqueItems");
}

TEST_F(StructuralTest, PropertiesAndAdditionalPropertiesExcludeEachOther) {
  auto issues = check(R"({"type": "object", "properties": {"m": {"type": "object",
      "properties": {"a": {"type": "string"}}, "additionalProperties": {"type": "string"}}}})");
  ASSERT_EQ(issues.size(), 1u);
  EXPECT_EQ(issues[0].field, std::string(kPrefix) + ".properties[m].additionalProperties");
}

TEST_F(StructuralTest, IntOrStringMustNotAlsoHaveAType) {
  auto issues = check(R"({"type": "object", "properties": {"s": {"type": "string",
      "x-kubernetes-int-or-string": true}}})");
  ASSERT_EQ(issues.size(), 1u);
  EXPECT_EQ(issues[0].field, std::string(kPrefix) + ".properties[s].type");
}

TEST_F(StructuralTest, MetadataMayOnlyConstrainNameAndGenerateName) {
  auto issues = check(R"({"type": "object", "properties": {"metadata": {"type": "object",
      "properties": {"name": {"type": "string"}, "labels": {"type": "object"}}}}})");
  ASSERT_EQ(issues.size(), 1u);
  EXPECT_EQ(issues[0].field, std::string(kPrefix) + ".properties[metadata].properties[labels]");
}

TEST_F(StructuralTest, UnknownTypeIsNotSupported) {
  auto issues = check(R"({"type": "object", "properties": {"x": {"type": "float"}}})");
  ASSERT_EQ(issues.size(), 1u);
  EXPECT_EQ(issues[0].type, "FieldValueNotSupported");
}

}  // namespace
}  // namespace cellar::testcluster
