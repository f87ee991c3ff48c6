#include "tests/cluster/pod_template.h"

#include <gtest/gtest.h>

namespace cellar::testcluster {
namespace {

using json = nlohmann::json;

class PodTemplateTest : public ::testing::Test {
 protected:
  json job_ = json::parse(R"({
    "apiVersion": "batch/v1", "kind": "Job",
    "metadata": {"name": "backup-a", "namespace": "db", "uid": "u-1"},
    "spec": {"backoffLimit": 0, "template": {
      "metadata": {"labels": {"cellar.dev/backup": "a"}},
      "spec": {"restartPolicy": "Never",
               "containers": [{"name": "dump", "image": "cellar-agent:1.0"}]}}}})");

  json pod() const { return pod_for_job(job_); }
  const json& container(const json& p) const { return p["spec"]["containers"][0]; }
  static Clock::time_point at(int seconds) { return Clock::from_time_t(1700000000 + seconds); }
};

TEST_F(PodTemplateTest, AsksTheApiServerToNameThePodAfterItsJob) {
  const json p = pod();
  EXPECT_FALSE(p["metadata"].contains("name"));
  EXPECT_EQ(p["metadata"]["generateName"], "backup-a-");
  EXPECT_EQ(p["metadata"]["namespace"], "db");
}

TEST_F(PodTemplateTest, HostnameIsThePodsName) {
  json p = pod();
  p["metadata"]["name"] = "backup-a-x7k2b";
  EXPECT_EQ(pod_hostname(p), "backup-a-x7k2b");
  p["spec"]["hostname"] = "db-0";
  EXPECT_EQ(pod_hostname(p), "db-0");
}

TEST_F(PodTemplateTest, LongHostnameIsCutTo63WithoutATrailingDashOrDot) {
  json p = pod();
  // 61 characters, then "-." at 62 and 63, then more: the cut leaves "-." at the end.
  const std::string base(61, 'a');
  p["metadata"]["name"] = base + "-.bcdef";
  EXPECT_EQ(pod_hostname(p), base);
  p["metadata"]["name"] = std::string(70, 'b');
  EXPECT_EQ(pod_hostname(p), std::string(63, 'b'));
}

TEST_F(PodTemplateTest, LabelsTheJobAndKeepsTemplateLabels) {
  const json labels = pod()["metadata"]["labels"];
  EXPECT_EQ(labels["job-name"], "backup-a");
  EXPECT_EQ(labels["controller-uid"], "u-1");
  EXPECT_EQ(labels["batch.kubernetes.io/job-name"], "backup-a");
  EXPECT_EQ(labels["batch.kubernetes.io/controller-uid"], "u-1");
  EXPECT_EQ(labels["cellar.dev/backup"], "a");
}

TEST_F(PodTemplateTest, IsControlledByItsJob) {
  const json p = pod();
  const json ref = p["metadata"]["ownerReferences"][0];
  EXPECT_EQ(ref["kind"], "Job");
  EXPECT_EQ(ref["apiVersion"], "batch/v1");
  EXPECT_TRUE(ref["controller"].get<bool>());
  EXPECT_TRUE(ref["blockOwnerDeletion"].get<bool>());
  EXPECT_EQ(controlling_job_uid(p), "u-1");
  EXPECT_EQ(controlling_job_name(p), "backup-a");
}

TEST_F(PodTemplateTest, DefaultsContainersAsTheApiServerDoes) {
  const json p = pod();
  EXPECT_EQ(container(p)["terminationMessagePath"], "/dev/termination-log");
  EXPECT_EQ(container(p)["terminationMessagePolicy"], "File");
  EXPECT_EQ(container(p)["imagePullPolicy"], "IfNotPresent");
  EXPECT_EQ(p["spec"]["restartPolicy"], "Never");
  EXPECT_EQ(p["status"]["phase"], "Pending");
}

TEST_F(PodTemplateTest, RunningPodIsReadyWithItsStartTime) {
  const json status = running_pod_status(pod(), at(0), "cellar://42");
  EXPECT_EQ(status["phase"], "Running");
  const json cs = status["containerStatuses"][0];
  EXPECT_EQ(cs["state"]["running"]["startedAt"], format_time(at(0)));
  EXPECT_TRUE(cs["ready"].get<bool>());
}

TEST_F(PodTemplateTest, ExitZeroSucceedsWithTheMessage) {
  const json status = terminated_pod_status(pod(), {0, "", "hi\n", at(0), at(3), "cellar://42"});
  EXPECT_EQ(status["phase"], "Succeeded");
  const json t = status["containerStatuses"][0]["state"]["terminated"];
  EXPECT_EQ(t["exitCode"], 0);
  EXPECT_EQ(t["reason"], "Completed");
  EXPECT_EQ(t["message"], "hi\n");
  EXPECT_EQ(t["finishedAt"], format_time(at(3)));
}

TEST_F(PodTemplateTest, NonZeroExitFailsWithError) {
  const json status = terminated_pod_status(pod(), {3, "", "", at(0), at(1), ""});
  EXPECT_EQ(status["phase"], "Failed");
  EXPECT_EQ(status["containerStatuses"][0]["state"]["terminated"]["reason"], "Error");
}

TEST_F(PodTemplateTest, WaitingPodStaysPendingWithTheReason) {
  const json status =
      waiting_pod_status(pod(), "CreateContainerConfigError", "secret \"s\" not found", at(0));
  EXPECT_EQ(status["phase"], "Pending");
  const json w = status["containerStatuses"][0]["state"]["waiting"];
  EXPECT_EQ(w["reason"], "CreateContainerConfigError");
  EXPECT_EQ(w["message"], "secret \"s\" not found");
}

TEST_F(PodTemplateTest, ConditionKeepsItsTransitionTimeWhileUnchanged) {
  json p = pod();
  p["status"] = waiting_pod_status(p, "ContainerCreating", "", at(0));
  const json later = waiting_pod_status(p, "CreateContainerConfigError", "x", at(60));
  EXPECT_EQ(later["conditions"][1]["type"], "Initialized");
  EXPECT_EQ(later["conditions"][1]["lastTransitionTime"], format_time(at(0)));
}

}  // namespace
}  // namespace cellar::testcluster
