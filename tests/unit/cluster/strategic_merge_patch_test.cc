// Strategic merge patch for the built-in kinds the test cluster serves.
#include <gtest/gtest.h>

#include "tests/cluster/patch.h"

namespace cellar::testcluster {
namespace {

class StrategicMergePatchTest : public ::testing::Test {
 protected:
  json patch(const char* target, const char* p, const std::string& kind = "Pod") {
    std::string error;
    auto out = strategic_merge_patch(json::parse(target), json::parse(p), kind, &error);
    EXPECT_TRUE(out) << error;
    return out.value_or(json());
  }
};

TEST_F(StrategicMergePatchTest, ContainersMergeByName) {
  json out =
      patch(R"({"spec":{"containers":[{"name":"a","image":"x"},{"name":"b","image":"y"}]}})",
            R"({"spec":{"containers":[{"name":"b","image":"z"},{"name":"c","image":"w"}]}})");
  EXPECT_EQ(out["spec"]["containers"],
            json::parse(
                R"([{"name":"a","image":"x"},{"name":"b","image":"z"},{"name":"c","image":"w"}])"));
}

TEST_F(StrategicMergePatchTest, EnvMergesByNameInsideAContainer) {
  json out = patch(R"({"spec":{"containers":[{"name":"a","env":[{"name":"X","value":"1"}]}]}})",
                   R"({"spec":{"containers":[{"name":"a","env":[{"name":"Y","value":"2"}]}]}})");
  EXPECT_EQ(out["spec"]["containers"][0]["env"].size(), 2u);
}

TEST_F(StrategicMergePatchTest, AServicesPortsMergeByPort) {
  json out = patch(R"({"spec":{"ports":[{"name":"a","port":80},{"name":"b","port":81}]}})",
                   R"({"spec":{"ports":[{"name":"c","port":81}]}})", "Service");
  EXPECT_EQ(out["spec"]["ports"],
            json::parse(R"([{"name":"a","port":80},{"name":"c","port":81}])"));
}

TEST_F(StrategicMergePatchTest, ADeploymentsTemplateContainersMergeByName) {
  json out = patch(
      R"({"spec":{"template":{"spec":{"containers":[{"name":"a","image":"x","ports":[{"containerPort":8080}]}]}}}})",
      R"({"spec":{"template":{"spec":{"containers":[{"name":"a","image":"y"}]}}}})", "Deployment");
  EXPECT_EQ(out["spec"]["template"]["spec"]["containers"],
            json::parse(R"([{"name":"a","image":"y","ports":[{"containerPort":8080}]}])"));
}

TEST_F(StrategicMergePatchTest, JobTemplateListsMergeToo) {
  json out = patch(
      R"({"spec":{"template":{"spec":{"volumes":[{"name":"v1"}],"containers":[{"name":"a","volumeMounts":[{"mountPath":"/a","name":"v1"}]}]}}}})",
      R"({"spec":{"template":{"spec":{"volumes":[{"name":"v2"}],"containers":[{"name":"a","volumeMounts":[{"mountPath":"/b","name":"v2"}]}]}}}})",
      "Job");
  EXPECT_EQ(out["spec"]["template"]["spec"]["volumes"].size(), 2u);
  EXPECT_EQ(out["spec"]["template"]["spec"]["containers"][0]["volumeMounts"].size(), 2u);
}

TEST_F(StrategicMergePatchTest, DeleteDirectiveRemovesAnElement) {
  json out = patch(R"({"spec":{"containers":[{"name":"a"},{"name":"b"}]}})",
                   R"({"spec":{"containers":[{"name":"a","$patch":"delete"}]}})");
  EXPECT_EQ(out["spec"]["containers"], json::parse(R"([{"name":"b"}])"));
}

TEST_F(StrategicMergePatchTest, ReplaceDirectiveReplacesTheList) {
  json out = patch(R"({"spec":{"containers":[{"name":"a"},{"name":"b"}]}})",
                   R"({"spec":{"containers":[{"name":"c"},{"$patch":"replace"}]}})");
  EXPECT_EQ(out["spec"]["containers"], json::parse(R"([{"name":"c"}])"));
}

TEST_F(StrategicMergePatchTest, ReplaceDirectiveOnAMap) {
  json out = patch(R"({"metadata":{"labels":{"a":"1","b":"2"}}})",
                   R"({"metadata":{"labels":{"c":"3","$patch":"replace"}}})");
  EXPECT_EQ(out["metadata"]["labels"], json::parse(R"({"c":"3"})"));
}

TEST_F(StrategicMergePatchTest, FinalizersMergeAsASet) {
  json out = patch(R"({"metadata":{"finalizers":["a","b"]}})",
                   R"({"metadata":{"finalizers":["b","c"]}})", "Backup");
  EXPECT_EQ(out["metadata"]["finalizers"], json::parse(R"(["a","b","c"])"));
}

TEST_F(StrategicMergePatchTest, DeleteFromPrimitiveList) {
  json out = patch(R"({"metadata":{"finalizers":["a","b"]}})",
                   R"({"metadata":{"$deleteFromPrimitiveList/finalizers":["a"]}})");
  EXPECT_EQ(out["metadata"]["finalizers"], json::parse(R"(["b"])"));
}

TEST_F(StrategicMergePatchTest, OwnerReferencesMergeByUid) {
  json out =
      patch(R"({"metadata":{"ownerReferences":[{"uid":"1","name":"a"}]}})",
            R"({"metadata":{"ownerReferences":[{"uid":"1","name":"b"},{"uid":"2","name":"c"}]}})");
  EXPECT_EQ(out["metadata"]["ownerReferences"],
            json::parse(R"([{"uid":"1","name":"b"},{"uid":"2","name":"c"}])"));
}

TEST_F(StrategicMergePatchTest, ConditionsMergeByType) {
  json out = patch(
      R"({"status":{"conditions":[{"type":"Ready","status":"False"},{"type":"X","status":"True"}]}})",
      R"({"status":{"conditions":[{"type":"Ready","status":"True"}]}})");
  EXPECT_EQ(out["status"]["conditions"][0]["status"], "True");
  EXPECT_EQ(out["status"]["conditions"].size(), 2u);
}

TEST_F(StrategicMergePatchTest, SetElementOrderReordersTheList) {
  json out = patch(R"({"spec":{"containers":[{"name":"a"},{"name":"b"}]}})",
                   R"({"spec":{"$setElementOrder/containers":[{"name":"b"},{"name":"a"}],
                               "containers":[{"name":"a","image":"x"}]}})");
  EXPECT_EQ(out["spec"]["containers"], json::parse(R"([{"name":"b"},{"name":"a","image":"x"}])"));
}

TEST_F(StrategicMergePatchTest, RetainKeysDropsOthers) {
  json out = patch(R"({"spec":{"strategy":{"type":"A","rollingUpdate":{"x":1}}}})",
                   R"({"spec":{"strategy":{"$retainKeys":["type"],"type":"B"}}})");
  EXPECT_EQ(out["spec"]["strategy"], json::parse(R"({"type":"B"})"));
}

TEST_F(StrategicMergePatchTest, UnkeyedListsAreReplaced) {
  json out = patch(R"({"spec":{"containers":[{"name":"a","args":["x","y"]}]}})",
                   R"({"spec":{"containers":[{"name":"a","args":["z"]}]}})");
  EXPECT_EQ(out["spec"]["containers"][0]["args"], json::parse(R"(["z"])"));
}

TEST_F(StrategicMergePatchTest, NullDeletesAKey) {
  json out = patch(R"({"metadata":{"labels":{"a":"1","b":"2"}}})",
                   R"({"metadata":{"labels":{"a":null}}})");
  EXPECT_EQ(out["metadata"]["labels"], json::parse(R"({"b":"2"})"));
}

TEST_F(StrategicMergePatchTest, ElementWithoutMergeKeyIsAnError) {
  std::string error;
  EXPECT_FALSE(strategic_merge_patch(json::parse(R"({"spec":{"containers":[]}})"),
                                     json::parse(R"({"spec":{"containers":[{"image":"x"}]}})"),
                                     "Pod", &error));
  EXPECT_NE(error.find("does not contain declared merge key: name"), std::string::npos) << error;
}

TEST_F(StrategicMergePatchTest, UnknownPatchDirectiveIsAnError) {
  std::string error;
  EXPECT_FALSE(strategic_merge_patch(
      json::object(), json::parse(R"({"spec":{"$patch":"explode"}})"), "Pod", &error));
  EXPECT_EQ(error, "Unknown patch type: explode");
}

}  // namespace
}  // namespace cellar::testcluster
