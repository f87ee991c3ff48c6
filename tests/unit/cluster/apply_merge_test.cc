#include "tests/cluster/apply_merge.h"

#include <gtest/gtest.h>

namespace cellar::testcluster {
namespace {

// A custom resource schema with one list of each type.
const json kSchema = json::parse(R"({
  "type": "object",
  "properties": {
    "spec": {"type": "object", "properties": {
      "schedule": {"type": "string"},
      "tags": {"type": "array", "items": {"type": "string"}},
      "zones": {"type": "array", "x-kubernetes-list-type": "set", "items": {"type": "string"}},
      "targets": {"type": "array", "x-kubernetes-list-type": "map",
                  "x-kubernetes-list-map-keys": ["name"],
                  "items": {"type": "object", "properties": {
                    "name": {"type": "string"}, "host": {"type": "string"},
                    "port": {"type": "integer"}}}},
      "selector": {"type": "object", "x-kubernetes-map-type": "atomic",
                   "additionalProperties": {"type": "string"}},
      "extra": {"type": "object", "additionalProperties": {"type": "string"}}}}}})");

class ApplyMergeTest : public ::testing::Test {
 protected:
  FieldShape shape = FieldShape::root(kSchema);
  FieldShape builtin = FieldShape::root(nullptr);

  json merge(const char* live, const char* config) {
    return merge_applied(json::parse(live), json::parse(config), shape);
  }
  json fields(const char* object) {
    return field_set_of(json::parse(object), shape).to_fields_v1();
  }
};

TEST_F(ApplyMergeTest, StructFieldsAreOwnedThroughTheirLeaves) {
  EXPECT_EQ(fields(R"({"spec": {"schedule": "@daily", "extra": {"a": "1"}}})"),
            json::parse(R"({"f:spec": {"f:schedule": {}, "f:extra": {"f:a": {}}}})"));
}

TEST_F(ApplyMergeTest, ListItemsAreMembersByKeyOrValue) {
  EXPECT_EQ(fields(R"({"spec": {"targets": [{"name": "a", "port": 1}], "zones": ["x"]}})"),
            json::parse(R"({"f:spec": {
              "f:targets": {"k:{\"name\":\"a\"}": {".": {}, "f:name": {}, "f:port": {}}},
              "f:zones": {"v:\"x\"": {}}}})"));
}

TEST_F(ApplyMergeTest, AtomicListsAndMapsAreOneField) {
  EXPECT_EQ(fields(R"({"spec": {"tags": ["a", "b"], "selector": {"app": "x"}}})"),
            json::parse(R"({"f:spec": {"f:tags": {}, "f:selector": {}}})"));
}

TEST_F(ApplyMergeTest, EmptyStructIsALeaf) {
  EXPECT_EQ(fields(R"({"spec": {}})"), json::parse(R"({"f:spec": {}})"));
}

TEST_F(ApplyMergeTest, MapListsMergeItemByItemOnTheirKeys) {
  EXPECT_EQ(merge(R"({"spec": {"targets": [{"name": "a", "host": "h"}, {"name": "b"}]}})",
                  R"({"spec": {"targets": [{"name": "c"}, {"name": "a", "port": 5}]}})"),
            json::parse(R"({"spec": {"targets": [{"name": "a", "host": "h", "port": 5},
                                                 {"name": "b"}, {"name": "c"}]}})"));
}

TEST_F(ApplyMergeTest, SetsMergeByValue) {
  EXPECT_EQ(merge(R"({"spec": {"zones": ["a", "b"]}})", R"({"spec": {"zones": ["b", "c"]}})"),
            json::parse(R"({"spec": {"zones": ["a", "b", "c"]}})"));
}

TEST_F(ApplyMergeTest, AtomicListsAndMapsAreReplaced) {
  EXPECT_EQ(merge(R"({"spec": {"tags": ["a", "b"], "selector": {"x": "1", "y": "2"}}})",
                  R"({"spec": {"tags": ["c"], "selector": {"z": "3"}}})"),
            json::parse(R"({"spec": {"tags": ["c"], "selector": {"z": "3"}}})"));
}

TEST_F(ApplyMergeTest, MapsMergeKeyByKey) {
  EXPECT_EQ(merge(R"({"spec": {"schedule": "a", "extra": {"x": "1"}}})",
                  R"({"spec": {"extra": {"y": "2"}}})"),
            json::parse(R"({"spec": {"schedule": "a", "extra": {"x": "1", "y": "2"}}})"));
}

TEST_F(ApplyMergeTest, BuiltInContainersMergeByNameAndPortsByPortAndProtocol) {
  json live = json::parse(R"({"spec": {"template": {"spec": {"containers": [
      {"name": "a", "image": "a:1", "ports": [{"containerPort": 80}]}]}}}})");
  json config = json::parse(R"({"spec": {"template": {"spec": {"containers": [
      {"name": "b", "image": "b:1"},
      {"name": "a", "ports": [{"containerPort": 80, "protocol": "TCP", "name": "http"}]}]}}}})");
  EXPECT_EQ(merge_applied(live, config, builtin), json::parse(R"({"spec": {"template": {"spec": {
      "containers": [{"name": "a", "image": "a:1",
                      "ports": [{"containerPort": 80, "protocol": "TCP", "name": "http"}]},
                     {"name": "b", "image": "b:1"}]}}}})"));
}

TEST_F(ApplyMergeTest, RemovesMembersWithTheirSubtrees) {
  json object = json::parse(
      R"({"spec": {"schedule": "a", "targets": [{"name": "a", "port": 1}, {"name": "b"}]}})");
  FieldSet gone;
  gone.insert({"f:spec", "f:schedule"});
  gone.insert({"f:spec", "f:targets", key_element({{"name", "a"}})});
  EXPECT_EQ(remove_fields(object, gone, shape),
            json::parse(R"({"spec": {"targets": [{"name": "b"}]}})"));
}

TEST_F(ApplyMergeTest, ComparisonSeparatesAddedRemovedAndModified) {
  Comparison c = compare(json::parse(R"({"spec": {"schedule": "a", "zones": ["x"]}})"),
                         json::parse(R"({"spec": {"schedule": "b", "extra": {"k": "v"}}})"), shape);
  EXPECT_EQ(c.modified.to_fields_v1(), json::parse(R"({"f:spec": {"f:schedule": {}}})"));
  EXPECT_EQ(c.added.to_fields_v1(),
            json::parse(R"({"f:spec": {"f:extra": {".": {}, "f:k": {}}}})"));
  EXPECT_EQ(c.removed.to_fields_v1(),
            json::parse(R"({"f:spec": {"f:zones": {".": {}, "v:\"x\"": {}}}})"));
  EXPECT_TRUE(compare(json::parse(R"({"a": 1})"), json::parse(R"({"a": 1})"), shape).same());
}

}  // namespace
}  // namespace cellar::testcluster
