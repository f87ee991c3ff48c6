// apply_schema(): pruning, defaulting and OpenAPI validation, with kube-apiserver's wording.
#include "tests/cluster/schema.h"

#include <gtest/gtest.h>

namespace cellar::testcluster {
namespace {

// A Backup-like schema: the shapes and keywords Cellar's CRDs use.
json backup_schema() {
  return json::parse(R"({
    "type": "object",
    "properties": {
      "apiVersion": {"type": "string"},
      "kind": {"type": "string"},
      "metadata": {"type": "object"},
      "spec": {
        "type": "object",
        "required": ["database"],
        "properties": {
          "database": {
            "type": "object",
            "required": ["host", "name"],
            "properties": {
              "host": {"type": "string", "minLength": 1, "maxLength": 10},
              "port": {"type": "integer", "format": "int32", "default": 5432,
                       "minimum": 1, "maximum": 65535},
              "name": {"type": "string", "pattern": "^[a-z]+$"}
            }
          },
          "format": {"type": "string", "enum": ["custom", "plain"], "default": "custom"},
          "compressionLevel": {"type": "integer", "minimum": 0, "maximum": 9},
          "ratio": {"type": "number", "exclusiveMinimum": true, "minimum": 0},
          "tags": {"type": "array", "maxItems": 2, "minItems": 1,
                   "items": {"type": "string"}},
          "volumes": {"type": "array", "items": {
            "type": "object",
            "properties": {"name": {"type": "string"}, "readOnly": {"type": "boolean", "default": false}}
          }},
          "labels": {"type": "object", "maxProperties": 2,
                     "additionalProperties": {"type": "string"}},
          "extra": {"type": "object", "x-kubernetes-preserve-unknown-fields": true},
          "size": {"x-kubernetes-int-or-string": true},
          "startAt": {"type": "string", "format": "date-time"},
          "note": {"type": "string", "nullable": true}
        }
      },
      "status": {"type": "object", "properties": {"phase": {"type": "string"}}}
    }
  })");
}

class SchemaTest : public ::testing::Test {
 protected:
  // A valid Backup with `spec` merged over the minimal one.
  static json backup(const json& spec_overrides = json::object()) {
    json o = {{"apiVersion", "cellar.dev/v1alpha1"},
              {"kind", "Backup"},
              {"metadata", {{"name", "b"}, {"namespace", "default"}}},
              {"spec", {{"database", {{"host", "db"}, {"name", "app"}}}}}};
    o["spec"].merge_patch(spec_overrides);
    return o;
  }
  SchemaOutcome apply(const json& object) { return apply_schema(backup_schema(), object); }
  // The only issue, for tests that expect exactly one.
  FieldIssue only_issue(const json& object) {
    SchemaOutcome out = apply(object);
    EXPECT_EQ(out.issues.size(), 1u) << out.object.dump();
    return out.issues.empty() ? FieldIssue{} : out.issues.front();
  }
};

TEST_F(SchemaTest, ValidObjectHasNoIssues) {
  EXPECT_TRUE(apply(backup()).issues.empty());
}

TEST_F(SchemaTest, DefaultsFillAbsentFields) {
  json spec = apply(backup()).object["spec"];
  EXPECT_EQ(spec["format"], "custom");
  EXPECT_EQ(spec["database"]["port"], 5432);
}

TEST_F(SchemaTest, DefaultsDoNotOverrideGivenValues) {
  EXPECT_EQ(apply(backup({{"format", "plain"}})).object["spec"]["format"], "plain");
}

TEST_F(SchemaTest, DefaultsApplyInsideArrayItems) {
  json out = apply(backup({{"volumes", {{{"name", "a"}}}}})).object;
  EXPECT_EQ(out["spec"]["volumes"][0]["readOnly"], false);
}

TEST_F(SchemaTest, NullOfNonNullableFieldIsDefaulted) {
  EXPECT_EQ(apply(backup({{"format", nullptr}})).object["spec"]["format"], "custom");
}

TEST_F(SchemaTest, NullOfNonNullableFieldWithoutDefaultIsDropped) {
  SchemaOutcome out = apply(backup({{"compressionLevel", nullptr}}));
  EXPECT_FALSE(out.object["spec"].contains("compressionLevel"));
  EXPECT_TRUE(out.issues.empty());
}

TEST_F(SchemaTest, NullOfNullableFieldIsKept) {
  json o = backup();
  o["spec"]["note"] = nullptr;
  SchemaOutcome out = apply(o);
  EXPECT_TRUE(out.object["spec"].contains("note"));
  EXPECT_TRUE(out.issues.empty());
}

TEST_F(SchemaTest, UnknownFieldsArePrunedAndReported) {
  json o = backup({{"foo", 1}, {"database", {{"bar", true}}}});
  o["topLevel"] = "x";
  SchemaOutcome out = apply(o);
  EXPECT_FALSE(out.object["spec"].contains("foo"));
  EXPECT_FALSE(out.object["spec"]["database"].contains("bar"));
  EXPECT_FALSE(out.object.contains("topLevel"));
  EXPECT_EQ(out.unknown_fields,
            (std::vector<std::string>{"spec.database.bar", "spec.foo", "topLevel"}));
}

TEST_F(SchemaTest, UnknownFieldsInArrayItemsNameTheIndex) {
  SchemaOutcome out = apply(backup({{"volumes", {{{"name", "a"}, {"x", 1}}}}}));
  EXPECT_EQ(out.unknown_fields, std::vector<std::string>{"spec.volumes[0].x"});
}

TEST_F(SchemaTest, PreserveUnknownFieldsKeepsEverything) {
  SchemaOutcome out = apply(backup({{"extra", {{"anything", {{"deep", 1}}}}}}));
  EXPECT_EQ(out.object["spec"]["extra"]["anything"]["deep"], 1);
  EXPECT_TRUE(out.unknown_fields.empty());
}

TEST_F(SchemaTest, MetadataKeepsObjectMetaFieldsOnly) {
  json o = backup();
  o["metadata"]["labels"] = {{"a", "b"}};
  o["metadata"]["bogus"] = 1;
  SchemaOutcome out = apply(o);
  EXPECT_EQ(out.object["metadata"]["labels"]["a"], "b");
  EXPECT_EQ(out.object["metadata"]["name"], "b");
  EXPECT_FALSE(out.object["metadata"].contains("bogus"));
  EXPECT_EQ(out.unknown_fields, std::vector<std::string>{"metadata.bogus"});
}

TEST_F(SchemaTest, RequiredFieldMissing) {
  json o = backup();
  o["spec"]["database"].erase("host");
  FieldIssue issue = only_issue(o);
  EXPECT_EQ(issue.type, "FieldValueRequired");
  EXPECT_EQ(issue.field, "spec.database.host");
  EXPECT_EQ(issue.message, "Required value");
}

TEST_F(SchemaTest, EnumViolation) {
  FieldIssue issue = only_issue(backup({{"format", "zip"}}));
  EXPECT_EQ(issue.type, "FieldValueNotSupported");
  EXPECT_EQ(issue.field, "spec.format");
  EXPECT_EQ(issue.message, R"(Unsupported value: "zip": supported values: "custom", "plain")");
}

TEST_F(SchemaTest, MaximumViolation) {
  FieldIssue issue = only_issue(backup({{"compressionLevel", 12}}));
  EXPECT_EQ(issue.type, "FieldValueInvalid");
  EXPECT_EQ(issue.field, "spec.compressionLevel");
  EXPECT_EQ(issue.message,
            "Invalid value: 12: spec.compressionLevel in body should be less than or equal to 9");
}

TEST_F(SchemaTest, MinimumViolation) {
  EXPECT_EQ(
      only_issue(backup({{"compressionLevel", -1}})).message,
      "Invalid value: -1: spec.compressionLevel in body should be greater than or equal to 0");
}

TEST_F(SchemaTest, ExclusiveMinimumViolation) {
  EXPECT_EQ(only_issue(backup({{"ratio", 0}})).message,
            "Invalid value: 0: spec.ratio in body should be greater than 0");
}

TEST_F(SchemaTest, WrongType) {
  FieldIssue issue = only_issue(backup({{"database", {{"port", "string"}}}}));
  EXPECT_EQ(issue.type, "FieldValueTypeInvalid");
  EXPECT_EQ(issue.field, "spec.database.port");
  EXPECT_EQ(
      issue.message,
      R"(Invalid value: "string": spec.database.port in body must be of type integer: "string")");
}

TEST_F(SchemaTest, FractionIsNotAnInteger) {
  EXPECT_EQ(
      only_issue(backup({{"compressionLevel", 1.5}})).message,
      R"(Invalid value: "number": spec.compressionLevel in body must be of type integer: "number")");
}

TEST_F(SchemaTest, IntegralFloatPassesAsInteger) {
  EXPECT_TRUE(apply(backup({{"compressionLevel", 3.0}})).issues.empty());
}

TEST_F(SchemaTest, NullInsideArrayIsATypeError) {
  EXPECT_EQ(only_issue(backup({{"tags", {nullptr}}})).message,
            R"(Invalid value: "null": spec.tags[0] in body must be of type string: "null")");
}

TEST_F(SchemaTest, PatternViolation) {
  EXPECT_EQ(only_issue(backup({{"database", {{"name", "App1"}}}})).message,
            R"(Invalid value: "App1": spec.database.name in body should match '^[a-z]+$')");
}

TEST_F(SchemaTest, MaxLengthViolation) {
  FieldIssue issue = only_issue(backup({{"database", {{"host", "a-very-long-host"}}}}));
  EXPECT_EQ(issue.type, "FieldValueTooLong");
  EXPECT_EQ(issue.message, "Too long: may not be more than 10 bytes");
}

TEST_F(SchemaTest, MinLengthViolation) {
  EXPECT_EQ(only_issue(backup({{"database", {{"host", ""}}}})).message,
            R"(Invalid value: "": spec.database.host in body should be at least 1 chars long)");
}

TEST_F(SchemaTest, MaxItemsViolation) {
  FieldIssue issue = only_issue(backup({{"tags", {"a", "b", "c"}}}));
  EXPECT_EQ(issue.type, "FieldValueTooMany");
  EXPECT_EQ(issue.message, "Too many: 3: must have at most 2 items");
}

TEST_F(SchemaTest, MinItemsViolation) {
  EXPECT_EQ(only_issue(backup({{"tags", json::array()}})).message,
            "Invalid value: 0: spec.tags in body should have at least 1 items");
}

TEST_F(SchemaTest, MaxPropertiesViolation) {
  EXPECT_EQ(only_issue(backup({{"labels", {{"a", "1"}, {"b", "2"}, {"c", "3"}}}})).message,
            "Too many: 3: must have at most 2 items");
}

TEST_F(SchemaTest, AdditionalPropertiesAreValidated) {
  FieldIssue issue = only_issue(backup({{"labels", {{"a", 1}}}}));
  EXPECT_EQ(issue.field, "spec.labels.a");
  EXPECT_EQ(issue.type, "FieldValueTypeInvalid");
}

TEST_F(SchemaTest, IntOrStringAcceptsBoth) {
  EXPECT_TRUE(apply(backup({{"size", 5}})).issues.empty());
  EXPECT_TRUE(apply(backup({{"size", "50%"}})).issues.empty());
  EXPECT_EQ(only_issue(backup({{"size", true}})).field, "spec.size");
}

TEST_F(SchemaTest, DateTimeFormat) {
  EXPECT_TRUE(apply(backup({{"startAt", "2024-05-01T10:00:00Z"}})).issues.empty());
  EXPECT_EQ(
      only_issue(backup({{"startAt", "yesterday"}})).message,
      R"(Invalid value: "yesterday": spec.startAt in body must be of type date-time: "yesterday")");
}

TEST_F(SchemaTest, Int32FormatRange) {
  // Out of int32's range, and so also above the port's maximum: both are reported.
  SchemaOutcome out = apply(backup({{"database", {{"port", 3000000000LL}}}}));
  ASSERT_EQ(out.issues.size(), 2u);
  EXPECT_EQ(out.issues[0].field, "spec.database.port");
  EXPECT_EQ(out.issues[0].message,
            "Invalid value: 3000000000: Checked value must be of type integer with format int32 in "
            "spec.database.port");
}

TEST_F(SchemaTest, SeveralIssuesAreAllReported) {
  SchemaOutcome out = apply(backup({{"format", "zip"}, {"compressionLevel", 10}}));
  EXPECT_EQ(out.issues.size(), 2u);
}

TEST_F(SchemaTest, NoSchemaKeepsTheObject) {
  json o = {{"spec", {{"x", 1}}}};
  EXPECT_EQ(apply_schema(nullptr, o).object, o);
}

}  // namespace
}  // namespace cellar::testcluster
