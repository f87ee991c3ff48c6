#include "tests/cluster/job_status.h"

#include <gtest/gtest.h>

namespace cellar::testcluster {
namespace {

using json = nlohmann::json;
using std::chrono::seconds;

class JobStatusTest : public ::testing::Test {
 protected:
  json job_ = {{"metadata", {{"name", "j"}, {"namespace", "ns"}, {"uid", "u"}}},
               {"spec", {{"backoffLimit", 1}, {"template", json::object()}}}};
  std::vector<json> pods_;
  Clock::time_point now_ = Clock::from_time_t(1700000000);

  JobPlan plan() const { return plan_job(job_, pods_, now_, std::chrono::milliseconds(1000)); }
  // A Job that the runner has already started `ago` seconds before now.
  void started(int ago) { job_["status"]["startTime"] = format_time(now_ - seconds(ago)); }
  void add_pod(const std::string& phase, int finished_ago = 0) {
    json pod = {{"metadata", {{"name", "p" + std::to_string(pods_.size())}}},
                {"status", {{"phase", phase}}}};
    if (phase == "Succeeded" || phase == "Failed") {
      pod["status"]["containerStatuses"] = {
          {{"state",
            {{"terminated", {{"finishedAt", format_time(now_ - seconds(finished_ago))}}}}}}};
    }
    if (phase == "Running") {
      pod["status"]["conditions"] = {{{"type", "Ready"}, {"status", "True"}}};
    }
    pods_.push_back(pod);
  }
  static json condition(const JobPlan& p, const std::string& type) {
    for (const auto& c : p.status.value("conditions", json::array())) {
      if (c["type"] == type) return c;
    }
    return nullptr;
  }
};

TEST_F(JobStatusTest, NewJobStartsOnePod) {
  const JobPlan p = plan();
  EXPECT_EQ(p.pods_to_create, 1);
  EXPECT_EQ(p.status["active"], 1);
  EXPECT_EQ(p.status["startTime"], format_time(now_));
  EXPECT_FALSE(p.finished);
}

TEST_F(JobStatusTest, RunningPodKeepsTheJobActiveAndReady) {
  started(5);
  add_pod("Running");
  const JobPlan p = plan();
  EXPECT_EQ(p.pods_to_create, 0);
  EXPECT_EQ(p.status["active"], 1);
  EXPECT_EQ(p.status["ready"], 1);
}

TEST_F(JobStatusTest, SucceededPodCompletesTheJob) {
  started(5);
  add_pod("Succeeded");
  const JobPlan p = plan();
  EXPECT_TRUE(p.finished);
  EXPECT_EQ(p.status["succeeded"], 1);
  EXPECT_FALSE(p.status.contains("active"));
  EXPECT_EQ(p.status["completionTime"], format_time(now_));
  EXPECT_EQ(condition(p, "Complete")["status"], "True");
  EXPECT_EQ(condition(p, "SuccessCriteriaMet")["reason"], "CompletionsReached");
}

TEST_F(JobStatusTest, FailuresBeyondTheBackoffLimitFailTheJob) {
  job_["spec"]["backoffLimit"] = 0;
  started(5);
  add_pod("Failed");
  const JobPlan p = plan();
  EXPECT_TRUE(p.finished);
  EXPECT_EQ(p.status["failed"], 1);
  EXPECT_FALSE(p.status.contains("completionTime"));
  EXPECT_EQ(condition(p, "Failed")["reason"], "BackoffLimitExceeded");
  EXPECT_EQ(condition(p, "Failed")["message"], "Job has reached the specified backoff limit");
  EXPECT_EQ(condition(p, "FailureTarget")["reason"], "BackoffLimitExceeded");
}

TEST_F(JobStatusTest, FailureWithinTheLimitIsRetriedAfterTheBackoff) {
  started(5);
  add_pod("Failed", 0);
  const JobPlan waiting = plan();
  EXPECT_EQ(waiting.pods_to_create, 0);
  ASSERT_TRUE(waiting.look_again_at);
  EXPECT_EQ(*waiting.look_again_at, now_ + seconds(1));
  now_ += seconds(1);
  EXPECT_EQ(plan().pods_to_create, 1);
}

TEST_F(JobStatusTest, PassedDeadlineFailsTheJobAndStopsItsPods) {
  job_["spec"]["activeDeadlineSeconds"] = 5;
  started(6);
  add_pod("Running");
  const JobPlan p = plan();
  EXPECT_TRUE(p.finished);
  EXPECT_TRUE(p.stop_active);
  EXPECT_EQ(p.status["failed"], 1);
  EXPECT_FALSE(p.status.contains("active"));
  EXPECT_EQ(condition(p, "Failed")["reason"], "DeadlineExceeded");
  EXPECT_EQ(condition(p, "Failed")["message"], "Job was active longer than specified deadline");
}

TEST_F(JobStatusTest, DeadlineAheadIsWhenToLookAgain) {
  job_["spec"]["activeDeadlineSeconds"] = 30;
  started(10);
  add_pod("Running");
  const JobPlan p = plan();
  ASSERT_TRUE(p.look_again_at);
  EXPECT_EQ(*p.look_again_at, now_ + seconds(20));
}

TEST_F(JobStatusTest, FinishedJobNeverChanges) {
  job_["status"] = {{"conditions", {{{"type", "Complete"}, {"status", "True"}}}}};
  add_pod("Failed");
  const JobPlan p = plan();
  EXPECT_TRUE(p.finished);
  EXPECT_EQ(p.status, job_["status"]);
  EXPECT_EQ(p.pods_to_create, 0);
}

TEST_F(JobStatusTest, SuspendedJobStartsNothing) {
  job_["spec"]["suspend"] = true;
  const JobPlan p = plan();
  EXPECT_EQ(p.pods_to_create, 0);
  EXPECT_FALSE(p.status.contains("startTime"));
}

TEST_F(JobStatusTest, TimesRoundTripAtWholeSeconds) {
  EXPECT_EQ(format_time(now_), "2023-11-14T22:13:20Z");
  EXPECT_EQ(parse_time("2023-11-14T22:13:20Z"), now_);
  EXPECT_EQ(parse_time("2023-11-14T22:13:20.500000Z"), now_ + std::chrono::milliseconds(500));
  EXPECT_FALSE(parse_time("yesterday"));
}

}  // namespace
}  // namespace cellar::testcluster
