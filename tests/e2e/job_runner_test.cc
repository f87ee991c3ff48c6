// The job runner end to end: Jobs created through Cellar's client over HTTPS run as sandboxed
// host processes of cellar-test-cluster, and their Pods and Jobs report back as on Kubernetes:
// termination messages, back-off limit, active deadline (the process group is killed), PVC
// mounts, runAsUser, Secrets in env, missing Secrets, unmapped images and deletion.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "controller/kube/client.h"
#include "tests/support/child_process.h"
#include "tests/support/test_cluster.h"

namespace cellar::kube {
namespace {

using std::chrono::seconds;

using cellar::testing::processes_with;

constexpr char kNs[] = "default";

class JobRunnerE2ETest : public ::testing::Test {
 protected:
  void SetUp() override {
    cellar::testing::TestClusterOptions options;
    options.images = {"cellar-shell:test=/bin/sh"};
    cluster_ = cellar::testing::TestCluster::start(options);
    ASSERT_NE(cluster_, nullptr);
    client_ = cluster_->client();
    ASSERT_NE(client_, nullptr);
  }

  // A Job with one container of image busybox running `command`.
  static json job(const std::string& name, const std::vector<std::string>& command,
                  const json& spec_extra = json::object(), const json& container_extra = {}) {
    json container = {{"name", "main"}, {"image", "busybox:1.36"}};
    if (!command.empty()) container["command"] = command;
    if (container_extra.is_object()) container.update(container_extra);
    json spec = {
        {"backoffLimit", 0},
        {"template", {{"spec", {{"restartPolicy", "Never"}, {"containers", {container}}}}}}};
    if (spec_extra.is_object()) spec.update(spec_extra);
    return {{"apiVersion", "batch/v1"},
            {"kind", "Job"},
            {"metadata", {{"name", name}, {"namespace", kNs}}},
            {"spec", spec}};
  }

  json create(const Resource& r, const json& object) {
    auto created = client_->create(r, kNs, object);
    EXPECT_TRUE(created.ok()) << created.error().to_string();
    return created.ok() ? *created : json();
  }

  // Waits (generously: the machine is shared) until `ok` holds for what `read` returns.
  json eventually(const std::function<json()>& read, const std::function<bool(const json&)>& ok,
                  const std::string& what, seconds timeout = seconds(60)) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    json last;
    while (std::chrono::steady_clock::now() < deadline) {
      last = read();
      if (ok(last)) return last;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    ADD_FAILURE() << "timed out waiting for " << what << "; last seen: " << last.dump()
                  << "\ncluster log:\n"
                  << cluster_->log();
    return last;
  }

  json get_job(const std::string& name) {
    auto got = client_->get(resources::jobs(), kNs, name);
    return got.ok() ? *got : json();
  }

  std::vector<json> pods_of(const std::string& job_name) {
    ListOptions options;
    options.label_selector = "job-name=" + job_name;
    auto list = client_->list(resources::pods(), kNs, options);
    if (!list.ok()) return {};
    return list->value("items", json::array()).get<std::vector<json>>();
  }

  json only_pod(const std::string& job_name) {
    const json pods = eventually([&] { return json(pods_of(job_name)); },
                                 [](const json& pods) { return pods.size() == 1; }, "one pod");
    return pods.empty() ? json::object() : pods[0];
  }

  static json condition(const json& job, const std::string& type) {
    if (!job.is_object()) return nullptr;
    for (const auto& c : job.value("status", json::object()).value("conditions", json::array())) {
      if (c.value("type", "") == type && c.value("status", "") == "True") return c;
    }
    return nullptr;
  }

  json wait_condition(const std::string& name, const std::string& type) {
    const json j = eventually([&] { return get_job(name); },
                              [&](const json& j) { return !condition(j, type).is_null(); },
                              "job " + name + " " + type);
    return condition(j, type);
  }

  json wait_pod_phase(const std::string& job_name, const std::string& phase) {
    return eventually([&] { return only_pod(job_name); },
                      [&](const json& p) {
                        return p.value("status", json::object()).value("phase", "") == phase;
                      },
                      "pod of " + job_name + " " + phase);
  }

  static json container_state(const json& pod) {
    if (!pod.is_object()) return json::object();
    const json statuses =
        pod.value("status", json::object()).value("containerStatuses", json::array());
    return statuses.empty() ? json::object() : statuses[0].value("state", json::object());
  }

  // The host pids whose command line holds `marker`.
  // A unique sleep length, so that the sleeping process can be found on the host.
  static std::string unique_sleep() {
    std::random_device rd;
    return "3" + std::to_string(100 + rd() % 800) + "." + std::to_string(rd() % 1000000);
  }

  std::unique_ptr<cellar::testing::TestCluster> cluster_;
  std::unique_ptr<Client> client_;
};

TEST_F(JobRunnerE2ETest, TerminationMessageReachesThePod) {
  create(resources::jobs(), job("hello", {"sh", "-c", "echo hi > /dev/termination-log"}));
  wait_condition("hello", "Complete");
  const json pod = only_pod("hello");
  EXPECT_EQ(pod["status"]["phase"], "Succeeded");
  const json terminated = container_state(pod)["terminated"];
  EXPECT_EQ(terminated["message"], "hi\n");
  EXPECT_EQ(terminated["exitCode"], 0);
  EXPECT_EQ(terminated["reason"], "Completed");
  const json status = get_job("hello")["status"];
  EXPECT_EQ(status["succeeded"], 1);
  EXPECT_TRUE(status.contains("completionTime"));
}

TEST_F(JobRunnerE2ETest, NonZeroExitWithBackoffLimitZeroFailsTheJob) {
  create(resources::jobs(), job("broken", {"sh", "-c", "exit 3"}));
  const json failed = wait_condition("broken", "Failed");
  EXPECT_EQ(failed["reason"], "BackoffLimitExceeded");
  EXPECT_EQ(failed["message"], "Job has reached the specified backoff limit");
  const json status = get_job("broken")["status"];
  EXPECT_EQ(status["failed"], 1);
  EXPECT_FALSE(status.contains("completionTime"));
  const json terminated = container_state(only_pod("broken"))["terminated"];
  EXPECT_EQ(terminated["exitCode"], 3);
  EXPECT_EQ(terminated["reason"], "Error");
}

TEST_F(JobRunnerE2ETest, FailedPodIsReplacedUntilTheBackoffLimit) {
  create(resources::jobs(), job("flaky", {"sh", "-c", "exit 1"}, {{"backoffLimit", 1}}));
  wait_condition("flaky", "Failed");
  EXPECT_EQ(pods_of("flaky").size(), 2u);
  EXPECT_EQ(get_job("flaky")["status"]["failed"], 2);
}

TEST_F(JobRunnerE2ETest, DeadlineFailsTheJobAndKillsItsProcess) {
  const std::string marker = unique_sleep();
  create(resources::jobs(),
         job("slow", {"sh", "-c", "sleep " + marker}, {{"activeDeadlineSeconds", 2}}));
  wait_pod_phase("slow", "Running");
  EXPECT_FALSE(processes_with(marker).empty()) << "the container's process runs on the host";
  const json failed = wait_condition("slow", "Failed");
  EXPECT_EQ(failed["reason"], "DeadlineExceeded");
  EXPECT_EQ(failed["message"], "Job was active longer than specified deadline");
  eventually([&] { return json(processes_with(marker)); },
             [](const json& pids) { return pids.empty(); }, "the process to be gone");
  EXPECT_EQ(wait_pod_phase("slow", "Failed")["status"]["phase"], "Failed");
}

TEST_F(JobRunnerE2ETest, ClaimIsMountedAtItsMountPath) {
  const auto folder = std::filesystem::path(cluster_->volume_root()) / kNs / "dumps";
  std::filesystem::create_directories(folder);
  std::ofstream(folder / "in.txt") << "from the host";
  json spec = {
      {"template",
       {{"spec",
         {{"restartPolicy", "Never"},
          {"volumes", {{{"name", "out"}, {"persistentVolumeClaim", {{"claimName", "dumps"}}}}}},
          {"containers",
           {{{"name", "main"},
             {"image", "busybox:1.36"},
             {"command",
              {"sh", "-c",
               "cat /cellar/out/in.txt > /dev/termination-log; echo done > /cellar/out/out.txt"}},
             {"volumeMounts", {{{"name", "out"}, {"mountPath", "/cellar/out"}}}}}}}}}}}};
  create(resources::jobs(), job("mount", {}, spec));
  wait_condition("mount", "Complete");
  EXPECT_EQ(container_state(only_pod("mount"))["terminated"]["message"], "from the host");
  EXPECT_TRUE(std::filesystem::exists(folder / "out.txt"));
  EXPECT_FALSE(std::filesystem::exists("/cellar")) << "the mountPath is made in the sandbox only";
}

TEST_F(JobRunnerE2ETest, RunAsUserRunsTheProcessAsThatUid) {
  create(resources::jobs(),
         job("who", {"sh", "-c", "echo $(id -u):$(id -g) > /dev/termination-log"}, {},
             {{"securityContext", {{"runAsUser", 1234}, {"runAsGroup", 2345}}}}));
  wait_condition("who", "Complete");
  EXPECT_EQ(container_state(only_pod("who"))["terminated"]["message"], "1234:2345\n");
}

TEST_F(JobRunnerE2ETest, SecretKeyRefArrivesInTheEnvironment) {
  create(resources::secrets(), {{"apiVersion", "v1"},
                                {"kind", "Secret"},
                                {"metadata", {{"name", "db"}, {"namespace", kNs}}},
                                {"data", {{"password", "czNjcjN0"}}}});
  const json env = {{{"name", "PGPASSWORD"},
                     {"valueFrom", {{"secretKeyRef", {{"name", "db"}, {"key", "password"}}}}}}};
  create(resources::jobs(),
         job("env", {"sh", "-c", "printf %s \"$PGPASSWORD\" > /dev/termination-log"}, {},
             {{"env", env}}));
  wait_condition("env", "Complete");
  EXPECT_EQ(container_state(only_pod("env"))["terminated"]["message"], "s3cr3t");
}

TEST_F(JobRunnerE2ETest, MissingSecretHoldsThePodUntilItAppears) {
  const json env = {
      {{"name", "P"}, {"valueFrom", {{"secretKeyRef", {{"name", "late"}, {"key", "k"}}}}}}};
  create(resources::jobs(),
         job("late", {"sh", "-c", "printf %s \"$P\" > /dev/termination-log"}, {}, {{"env", env}}));
  const json waiting = eventually(
      [&] { return container_state(only_pod("late")); },
      [](const json& s) { return s.contains("waiting") && s["waiting"].contains("message"); },
      "the pod to wait for its Secret")["waiting"];
  EXPECT_EQ(waiting["reason"], "CreateContainerConfigError");
  EXPECT_EQ(waiting["message"], "secret \"late\" not found");
  create(resources::secrets(), {{"apiVersion", "v1"},
                                {"kind", "Secret"},
                                {"metadata", {{"name", "late"}, {"namespace", kNs}}},
                                {"data", {{"k", "aGk="}}}});
  wait_condition("late", "Complete");
  EXPECT_EQ(container_state(only_pod("late"))["terminated"]["message"], "hi");
}

TEST_F(JobRunnerE2ETest, MappedImageRunsItsProgram) {
  json j =
      job("mapped", {}, {},
          {{"image", "cellar-shell:test"}, {"args", {"-c", "echo mapped > /dev/termination-log"}}});
  create(resources::jobs(), j);
  wait_condition("mapped", "Complete");
  EXPECT_EQ(container_state(only_pod("mapped"))["terminated"]["message"], "mapped\n");
}

TEST_F(JobRunnerE2ETest, UnmappedImageNeverRunsAndTheDeadlineEndsTheJob) {
  create(resources::jobs(),
         job("nowhere", {}, {{"activeDeadlineSeconds", 2}}, {{"image", "nowhere:1"}}));
  const json waiting = eventually([&] { return container_state(only_pod("nowhere")); },
                                  [](const json& s) { return s.contains("waiting"); },
                                  "the image pull to fail")["waiting"];
  EXPECT_TRUE(waiting["reason"] == "ErrImagePull" || waiting["reason"] == "ImagePullBackOff")
      << waiting.dump();
  EXPECT_EQ(wait_condition("nowhere", "Failed")["reason"], "DeadlineExceeded");
}

TEST_F(JobRunnerE2ETest, DeletingTheJobKillsItsProcess) {
  const std::string marker = unique_sleep();
  create(resources::jobs(), job("doomed", {"sh", "-c", "sleep " + marker}));
  wait_pod_phase("doomed", "Running");
  ASSERT_FALSE(processes_with(marker).empty());
  DeleteOptions options;
  options.propagation_policy = "Background";
  auto removed = client_->remove(resources::jobs(), kNs, "doomed", options);
  ASSERT_TRUE(removed.ok()) << removed.error().to_string();
  eventually([&] { return json(processes_with(marker)); },
             [](const json& pids) { return pids.empty(); }, "the process to be gone");
}

}  // namespace
}  // namespace cellar::kube
