#include "tests/cluster/field_set.h"

#include <gtest/gtest.h>

namespace cellar::testcluster {
namespace {

json parse(const char* text) {
  return json::parse(text);
}

FieldSet decoded(const char* text) {
  std::string error;
  auto set = FieldSet::from_fields_v1(parse(text), &error);
  EXPECT_TRUE(set.has_value()) << error;
  return set.value_or(FieldSet{});
}

TEST(FieldSetTest, EncodesLeavesAsEmptyObjectsAndMemberParentsWithDot) {
  FieldSet set;
  set.insert({"f:spec", "f:schedule"});
  set.insert({"f:metadata", "f:labels"});
  set.insert({"f:metadata", "f:labels", "f:app"});
  set.insert({"f:spec", "f:containers", key_element({{"name", "app"}})});
  set.insert({"f:spec", "f:containers", key_element({{"name", "app"}}), "f:image"});
  set.insert({"f:metadata", "f:finalizers", value_element("cellar.dev/dump")});
  EXPECT_EQ(set.to_fields_v1(), parse(R"({
    "f:metadata": {"f:finalizers": {"v:\"cellar.dev/dump\"": {}},
                   "f:labels": {".": {}, "f:app": {}}},
    "f:spec": {"f:containers": {"k:{\"name\":\"app\"}": {".": {}, "f:image": {}}},
               "f:schedule": {}}})"));
}

TEST(FieldSetTest, DecodesWhatItEncodes) {
  const char* text = R"({"f:spec": {".": {}, "f:a": {}, "f:b": {"f:c": {}}}})";
  FieldSet set = decoded(text);
  EXPECT_TRUE(set.contains({"f:spec"}));
  EXPECT_TRUE(set.contains({"f:spec", "f:a"}));
  EXPECT_FALSE(set.contains({"f:spec", "f:b"}));
  EXPECT_TRUE(set.contains({"f:spec", "f:b", "f:c"}));
  EXPECT_EQ(set.to_fields_v1(), parse(text));
}

TEST(FieldSetTest, RejectsWhatIsNotFieldsV1) {
  std::string error;
  EXPECT_FALSE(FieldSet::from_fields_v1(parse(R"({"spec": {}})"), &error).has_value());
  EXPECT_NE(error.find("spec"), std::string::npos);
  EXPECT_FALSE(FieldSet::from_fields_v1(parse(R"({"f:spec": 1})"), &error).has_value());
}

TEST(FieldSetTest, SetOperationsWorkOnMembers) {
  FieldSet a = decoded(R"({"f:spec": {"f:a": {}, "f:b": {}}})");
  FieldSet b = decoded(R"({"f:spec": {"f:b": {}, "f:c": {}}})");
  EXPECT_EQ(a.united(b).to_fields_v1(), parse(R"({"f:spec": {"f:a": {}, "f:b": {}, "f:c": {}}})"));
  EXPECT_EQ(a.minus(b).to_fields_v1(), parse(R"({"f:spec": {"f:a": {}}})"));
  EXPECT_EQ(a.intersected(b).to_fields_v1(), parse(R"({"f:spec": {"f:b": {}}})"));
  EXPECT_TRUE(a.minus(a).empty());
}

TEST(FieldSetTest, SubtreesCanBeDroppedOrKept) {
  FieldSet set = decoded(R"({"f:spec": {"f:a": {}}, "f:status": {"f:phase": {}}})");
  EXPECT_EQ(set.without_subtree({"f:status"}).to_fields_v1(), parse(R"({"f:spec": {"f:a": {}}})"));
  EXPECT_EQ(set.only_subtree({"f:status"}).to_fields_v1(),
            parse(R"({"f:status": {"f:phase": {}}})"));
}

TEST(FieldSetTest, CoversAPathThroughItsDescendantsOnly) {
  FieldSet set = decoded(R"({"f:spec": {"f:a": {"f:b": {}}}})");
  EXPECT_TRUE(set.covers({"f:spec", "f:a"}));
  EXPECT_TRUE(set.covers({"f:spec", "f:a", "f:b"}));
  EXPECT_FALSE(set.covers({"f:spec", "f:a", "f:b", "f:c"}));
  EXPECT_FALSE(set.covers({"f:spec", "f:x"}));
}

TEST(FieldSetTest, PathsReadAsKubeApiserverPrintsThem) {
  EXPECT_EQ(path_string({"f:spec", "f:schedule"}), ".spec.schedule");
  EXPECT_EQ(path_string({"f:spec", "f:containers", key_element({{"name", "app"}}), "f:image"}),
            ".spec.containers[name=\"app\"].image");
  EXPECT_EQ(path_string({"f:ports", key_element({{"containerPort", 80}, {"protocol", "TCP"}})}),
            ".ports[containerPort=80,protocol=\"TCP\"]");
  EXPECT_EQ(path_string({"f:metadata", "f:finalizers", value_element("x")}),
            ".metadata.finalizers[=\"x\"]");
}

}  // namespace
}  // namespace cellar::testcluster
