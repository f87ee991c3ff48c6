// A Deployment as kube-apiserver's apps/v1 strategy defaults and validates it.
#include "tests/cluster/deployment_rules.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace cellar::testcluster {
namespace {

using json = nlohmann::json;
using ::testing::HasSubstr;

json deployment() {
  return json::parse(R"({
    "apiVersion": "apps/v1", "kind": "Deployment",
    "metadata": {"name": "cellar", "namespace": "cellar-system"},
    "spec": {
      "selector": {"matchLabels": {"app": "cellar"}},
      "template": {
        "metadata": {"labels": {"app": "cellar"}},
        "spec": {"containers": [{"name": "c", "image": "cellar:0.1.0",
                                 "ports": [{"containerPort": 8080}],
                                 "readinessProbe": {"httpGet": {"path": "/readyz", "port": 8081}}}]}}}})");
}

std::string messages(const json& causes) {
  std::string all;
  for (const auto& c : causes) all += c.value("field", "") + ": " + c.value("message", "") + "\n";
  return all;
}

TEST(DeploymentRulesTest, DefaultsTheStrategyAndThePodSpec) {
  json d = deployment();
  default_deployment(d);
  EXPECT_EQ(d["spec"]["replicas"], 1);
  EXPECT_EQ(d["spec"]["strategy"], json::parse(R"({"type": "RollingUpdate",
                            "rollingUpdate": {"maxUnavailable": "25%", "maxSurge": "25%"}})"));
  EXPECT_EQ(d["spec"]["revisionHistoryLimit"], 10);
  EXPECT_EQ(d["spec"]["progressDeadlineSeconds"], 600);
  const json& pod = d["spec"]["template"]["spec"];
  EXPECT_EQ(pod["restartPolicy"], "Always");
  EXPECT_EQ(pod["containers"][0]["imagePullPolicy"], "IfNotPresent");
  EXPECT_EQ(pod["containers"][0]["ports"][0]["protocol"], "TCP");
  EXPECT_EQ(pod["containers"][0]["readinessProbe"]["periodSeconds"], 10);
  EXPECT_EQ(pod["containers"][0]["readinessProbe"]["httpGet"]["scheme"], "HTTP");
  EXPECT_TRUE(deployment_causes(d, nullptr).empty()) << messages(deployment_causes(d, nullptr));
}

TEST(DeploymentRulesTest, ASelectorThatMissesTheTemplateIsRefusedInKubeApiserversWords) {
  json d = deployment();
  d["spec"]["selector"]["matchLabels"]["app"] = "other";
  EXPECT_EQ(messages(deployment_causes(d, nullptr)),
            "spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"cellar\"}: "
            "`selector` does not match template `labels`\n");
}

TEST(DeploymentRulesTest, MatchExpressionsAreMatchedToo) {
  json d = deployment();
  d["spec"]["selector"] = json::parse(
      R"({"matchExpressions": [{"key": "app", "operator": "In", "values": ["cellar"]}]})");
  EXPECT_TRUE(deployment_causes(d, nullptr).empty());
  d["spec"]["selector"]["matchExpressions"][0]["operator"] = "NotIn";
  EXPECT_THAT(messages(deployment_causes(d, nullptr)),
              HasSubstr("`selector` does not match template `labels`"));
}

TEST(DeploymentRulesTest, AMissingOrEmptySelectorIsRefused) {
  json d = deployment();
  d["spec"].erase("selector");
  EXPECT_EQ(messages(deployment_causes(d, nullptr)), "spec.selector: Required value\n");
  d["spec"]["selector"] = json::object();
  EXPECT_THAT(messages(deployment_causes(d, nullptr)),
              HasSubstr("spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]"
                        "string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: "
                        "empty selector is invalid for deployment"));
}

TEST(DeploymentRulesTest, RefusesNegativeReplicasAndAPodThatWouldNotRestart) {
  json d = deployment();
  d["spec"]["replicas"] = -1;
  d["spec"]["template"]["spec"]["restartPolicy"] = "Never";
  EXPECT_EQ(messages(deployment_causes(d, nullptr)),
            "spec.replicas: Invalid value: -1: must be greater than or equal to 0\n"
            "spec.template.spec.restartPolicy: Unsupported value: \"Never\": supported values: "
            "\"Always\"\n");
}

TEST(DeploymentRulesTest, TheSelectorCannotChange) {
  const json old = deployment();
  json d = deployment();
  d["spec"]["selector"]["matchLabels"]["tier"] = "x";
  d["spec"]["template"]["metadata"]["labels"]["tier"] = "x";
  EXPECT_THAT(messages(deployment_causes(d, old)), HasSubstr(": field is immutable"));
  EXPECT_TRUE(deployment_causes(old, old).empty());
}

}  // namespace
}  // namespace cellar::testcluster
