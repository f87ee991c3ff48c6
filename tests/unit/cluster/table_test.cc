// Server-side tables (`kubectl get`) for custom resources and the built-in kinds.
#include "tests/cluster/table.h"

#include <gtest/gtest.h>

#include "tests/cluster/table_columns.h"

namespace cellar::testcluster {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

class TableTest : public ::testing::Test {
 protected:
  TableTest() : now_(*parse_rfc3339("2024-05-01T12:00:00Z")) {}

  static ResourceType backups() {
    ResourceType t;
    t.group = "cellar.dev";
    t.version = "v1alpha1";
    t.plural = "backups";
    t.kind = "Backup";
    t.schema = json{{"type", "object"}};
    t.printer_columns = json::parse(R"([
      {"name": "Phase", "type": "string", "jsonPath": ".status.phase"},
      {"name": "Size", "type": "integer", "jsonPath": ".status.sizeBytes"},
      {"name": "Age", "type": "date", "jsonPath": ".metadata.creationTimestamp"},
      {"name": "Message", "type": "string", "priority": 1, "jsonPath": ".status.message",
       "description": "why"}])");
    return t;
  }
  static ResourceType built_in(const std::string& kind, const std::string& group = "") {
    ResourceType t;
    t.group = group;
    t.version = "v1";
    t.kind = kind;
    return t;
  }
  static json object(const char* name, const char* created, json extra = json::object()) {
    json o = {{"metadata", {{"name", name}, {"creationTimestamp", created}, {"uid", "u"}}}};
    o.merge_patch(extra);
    return o;
  }
  json table(const ResourceType& type, const std::vector<json>& objects,
             IncludeObject include = IncludeObject::kMetadata) {
    return make_table(type, objects, "42", "", include, now_);
  }
  static std::vector<std::string> column_names(const json& t) {
    std::vector<std::string> names;
    for (const auto& c : t["columnDefinitions"]) names.push_back(c["name"]);
    return names;
  }

  std::chrono::system_clock::time_point now_;
};

TEST_F(TableTest, CustomResourceColumnsFollowThePrinterColumns) {
  json t = table(backups(), {object("b1", "2024-05-01T11:55:00Z",
                                    {{"status", {{"phase", "Completed"}, {"sizeBytes", 1024}}}})});
  EXPECT_EQ(t["kind"], "Table");
  EXPECT_EQ(t["apiVersion"], "meta.k8s.io/v1");
  EXPECT_EQ(t["metadata"]["resourceVersion"], "42");
  EXPECT_EQ(column_names(t), (std::vector<std::string>{"Name", "Phase", "Size", "Age", "Message"}));
  EXPECT_EQ(t["columnDefinitions"][0]["format"], "name");
  EXPECT_EQ(t["columnDefinitions"][4]["priority"], 1);
  EXPECT_EQ(t["columnDefinitions"][4]["description"], "why");
  EXPECT_EQ(t["rows"][0]["cells"], json::parse(R"(["b1", "Completed", 1024, "5m", null])"));
}

TEST_F(TableTest, RowsCarryPartialObjectMetadataByDefault) {
  json t = table(backups(), {object("b1", "2024-05-01T11:55:00Z")});
  const json& o = t["rows"][0]["object"];
  EXPECT_EQ(o["kind"], "PartialObjectMetadata");
  EXPECT_EQ(o["apiVersion"], "meta.k8s.io/v1");
  EXPECT_EQ(o["metadata"]["name"], "b1");
  EXPECT_FALSE(o.contains("status"));
}

TEST_F(TableTest, IncludeObjectChoosesWhatRowsCarry) {
  json whole = object("b1", "2024-05-01T11:55:00Z", {{"status", {{"phase", "Failed"}}}});
  EXPECT_EQ(table(backups(), {whole}, IncludeObject::kObject)["rows"][0]["object"], whole);
  EXPECT_FALSE(table(backups(), {whole}, IncludeObject::kNone)["rows"][0].contains("object"));
}

TEST_F(TableTest, ContinueTokenIsPassedOn) {
  json t = make_table(backups(), {}, "7", "next-page", IncludeObject::kMetadata, now_);
  EXPECT_EQ(t["metadata"]["continue"], "next-page");
  EXPECT_TRUE(t["rows"].empty());
}

TEST_F(TableTest, CustomResourceWithoutColumnsShowsNameAndAge) {
  ResourceType t = backups();
  t.printer_columns = json::array();
  json out = table(t, {object("b1", "2024-04-29T12:00:00Z")});
  EXPECT_EQ(column_names(out), (std::vector<std::string>{"Name", "Age"}));
  EXPECT_EQ(out["rows"][0]["cells"][1], "2d");
}

TEST_F(TableTest, Pods) {
  json pod = object("p", "2024-05-01T11:00:00Z", json::parse(R"({
    "spec": {"containers": [{"name": "a"}], "nodeName": "node-1"},
    "status": {"phase": "Running", "podIP": "10.0.0.1",
               "containerStatuses": [{"name": "a", "ready": true, "restartCount": 0,
                                      "state": {"running": {}}}]}})"));
  json t = table(built_in("Pod"), {pod});
  EXPECT_EQ(column_names(t),
            (std::vector<std::string>{"Name", "Ready", "Status", "Restarts", "Age", "IP", "Node",
                                      "Nominated Node", "Readiness Gates"}));
  EXPECT_EQ(
      t["rows"][0]["cells"],
      json::parse(
          R"(["p", "1/1", "Running", "0", "60m", "10.0.0.1", "node-1", "<none>", "<none>"])"));
}

TEST_F(TableTest, PodStatusShowsTheContainerReason) {
  json pod = object("p", "2024-05-01T11:00:00Z", json::parse(R"({
    "spec": {"containers": [{"name": "a"}]},
    "status": {"phase": "Succeeded", "containerStatuses": [{"name": "a", "ready": false,
               "state": {"terminated": {"exitCode": 0, "reason": "Completed"}}}]}})"));
  EXPECT_EQ(table(built_in("Pod"), {pod})["rows"][0]["cells"][2], "Completed");
}

TEST_F(TableTest, Jobs) {
  json job = object("j", "2024-05-01T11:50:00Z", json::parse(R"({
    "spec": {"completions": 1, "template": {"spec": {"containers": [{"name": "dump", "image": "cellar"}]}}},
    "status": {"succeeded": 1, "startTime": "2024-05-01T11:50:00Z",
               "completionTime": "2024-05-01T11:50:30Z",
               "conditions": [{"type": "Complete", "status": "True"}]}})"));
  json t = table(built_in("Job", "batch"), {job});
  EXPECT_EQ(column_names(t), (std::vector<std::string>{"Name", "Status", "Completions", "Duration",
                                                       "Age", "Containers", "Images", "Selector"}));
  EXPECT_EQ(t["rows"][0]["cells"],
            json::parse(R"(["j", "Complete", "1/1", "30s", "10m", "dump", "cellar", "<none>"])"));
}

TEST_F(TableTest, NamespacesAndSecrets) {
  json ns = object("default", "2024-05-01T11:59:00Z", {{"status", {{"phase", "Active"}}}});
  EXPECT_EQ(table(built_in("Namespace"), {ns})["rows"][0]["cells"],
            json::parse(R"(["default", "Active", "60s"])"));
  json secret =
      object("s", "2024-05-01T11:59:00Z", {{"type", "Opaque"}, {"data", {{"a", "eA=="}}}});
  json t = table(built_in("Secret"), {secret});
  EXPECT_EQ(column_names(t), (std::vector<std::string>{"Name", "Type", "Data", "Age"}));
  EXPECT_EQ(t["rows"][0]["cells"], json::parse(R"(["s", "Opaque", 1, "60s"])"));
}

TEST_F(TableTest, KindsWithoutAPrinterGetTheDefaultTable) {
  json crd = object("backups.cellar.dev", "2024-05-01T11:00:00Z");
  json t = table(built_in("CustomResourceDefinition", "apiextensions.k8s.io"), {crd});
  EXPECT_EQ(column_names(t), (std::vector<std::string>{"Name", "Created At"}));
  EXPECT_EQ(t["rows"][0]["cells"][1], "2024-05-01T11:00:00Z");
}

TEST(HumanDurationTest, MatchesTheApiserversAges) {
  EXPECT_EQ(human_duration(seconds(-5)), "<invalid>");
  EXPECT_EQ(human_duration(seconds(-1)), "0s");
  EXPECT_EQ(human_duration(seconds(45)), "45s");
  EXPECT_EQ(human_duration(seconds(119)), "119s");
  EXPECT_EQ(human_duration(seconds(200)), "3m20s");
  EXPECT_EQ(human_duration(minutes(5)), "5m");
  EXPECT_EQ(human_duration(minutes(90)), "90m");
  EXPECT_EQ(human_duration(hours(5)), "5h");
  EXPECT_EQ(human_duration(hours(5) + minutes(7)), "5h7m");
  EXPECT_EQ(human_duration(hours(30)), "30h");
  EXPECT_EQ(human_duration(hours(51)), "2d3h");
  EXPECT_EQ(human_duration(hours(24 * 30)), "30d");
  EXPECT_EQ(human_duration(hours(24 * 365 * 3)), "3y");
  EXPECT_EQ(human_duration(hours(24 * (365 * 3 + 10))), "3y10d");
  EXPECT_EQ(human_duration(hours(24 * 365 * 9)), "9y");
}

TEST(Rfc3339Test, OffsetsAndFractions) {
  auto utc = parse_rfc3339("2024-05-01T12:00:00Z");
  ASSERT_TRUE(utc);
  EXPECT_EQ(parse_rfc3339("2024-05-01T14:00:00.123+02:00"), utc);
  EXPECT_FALSE(parse_rfc3339("yesterday"));
  EXPECT_FALSE(parse_rfc3339("2024-05-01T12:00:00"));
}

}  // namespace
}  // namespace cellar::testcluster
