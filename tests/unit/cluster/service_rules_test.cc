// A Service as kube-apiserver's v1 strategy defaults and validates it.
#include "tests/cluster/service_rules.h"

#include <gtest/gtest.h>

namespace cellar::testcluster {
namespace {

using json = nlohmann::json;

json service(const json& ports) {
  return {{"apiVersion", "v1"},
          {"kind", "Service"},
          {"metadata", {{"name", "cellar-metrics"}}},
          {"spec", {{"selector", {{"app", "cellar"}}}, {"ports", ports}}}};
}

std::string messages(const json& causes) {
  std::string all;
  for (const auto& c : causes) all += c.value("field", "") + ": " + c.value("message", "") + "\n";
  return all;
}

TEST(ServiceRulesTest, DefaultsTypeAffinityProtocolAndTargetPort) {
  json s = service(json::parse(R"([{"name": "metrics", "port": 8080}])"));
  default_service(s);
  EXPECT_EQ(s["spec"]["type"], "ClusterIP");
  EXPECT_EQ(s["spec"]["sessionAffinity"], "None");
  EXPECT_EQ(s["spec"]["internalTrafficPolicy"], "Cluster");
  EXPECT_EQ(
      s["spec"]["ports"][0],
      json::parse(R"({"name": "metrics", "port": 8080, "protocol": "TCP", "targetPort": 8080})"));
  EXPECT_TRUE(service_causes(s).empty()) << messages(service_causes(s));
}

TEST(ServiceRulesTest, RefusesPortsKubeApiserverRefuses) {
  json s = service(
      json::parse(R"([{"port": 0}, {"name": "a", "port": 80}, {"name": "a", "port": 81}])"));
  default_service(s);
  EXPECT_EQ(messages(service_causes(s)),
            "spec.ports[0].name: Required value\n"
            "spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive\n"
            "spec.ports[2].name: Duplicate value: \"a\"\n");
}

TEST(ServiceRulesTest, PortsAreRequiredUnlessHeadless) {
  json s = service(json::array());
  default_service(s);
  EXPECT_EQ(messages(service_causes(s)), "spec.ports: Required value\n");
  s["spec"]["clusterIP"] = "None";
  EXPECT_TRUE(service_causes(s).empty());
}

}  // namespace
}  // namespace cellar::testcluster
