#include "controller/backup/status_transition.h"

#include <gtest/gtest.h>

#include "tests/unit/backup/backup_fixtures.h"

namespace cellar::backup {
namespace {

using api::Phase;
using json = nlohmann::json;

constexpr const char* kNow = "2026-11-21T10:01:00Z";

class StatusTransitionTest : public ::testing::Test {
 protected:
  StatusTransitionTest() { backup_ = api::parse_backup(testing::backup_json()); }

  Decision decide_now() {
    Observation o;
    o.backup = &backup_;
    o.job = job_ ? &*job_ : nullptr;
    o.pod = pod_ ? &*pod_ : nullptr;
    o.blocker = blocker_;
    o.job_vanished = job_vanished_;
    o.location = "pvc://backups/orders/nightly-0a1b2c3d.dump";
    o.now = kNow;
    return decide(o);
  }
  // Applies a decision as the reconciler would, so tests can walk the phases.
  Decision step() {
    Decision d = decide_now();
    backup_.status = d.status;
    return d;
  }
  JobView& job() {
    if (!job_) {
      job_.emplace();
      job_->meta.name = "nightly";
      job_->meta.creation_timestamp = "2026-11-21T10:00:00Z";
      job_->start_time = "2026-11-21T10:00:01Z";
    }
    return *job_;
  }
  PodView& pod() {
    if (!pod_) pod_.emplace();
    return *pod_;
  }
  void pod_running() {
    pod().running = true;
    pod().started_at = "2026-11-21T10:00:02Z";
    job().active = 1;
  }
  void job_complete(const std::string& message) {
    job().finished = "Complete";
    job().completion_time = "2026-11-21T10:00:33Z";
    pod().running = false;
    pod().exit_code = 0;
    pod().termination_message = message;
    pod().finished_at = "2026-11-21T10:00:33Z";
  }
  void job_failed(const std::string& reason, const std::string& message) {
    job().finished = "Failed";
    job().finished_reason = reason;
    job().failed = 1;
    pod().exit_code = 1;
    pod().termination_message = message;
  }
  const api::Condition* condition(const Decision& d, const char* type) {
    return api::find_condition(d.status.conditions, type);
  }

  api::Backup backup_;
  std::optional<JobView> job_;
  std::optional<PodView> pod_;
  std::string blocker_;
  bool job_vanished_ = false;
};

TEST_F(StatusTransitionTest, NewBackupCreatesItsJobAndWaitsForItsNews) {
  Decision d = decide_now();
  EXPECT_EQ(d.job, JobAction::kCreate);
  EXPECT_EQ(d.status, backup_.status);  // nothing to write yet
  EXPECT_TRUE(d.events.empty());        // one Event for a Backup that goes well: Completed
  EXPECT_EQ(d.requeue_after, kPendingGrace);
}

TEST_F(StatusTransitionTest, AJobJustMadeStaysQuietUntilTheGracePasses) {
  job().meta.creation_timestamp = "2026-11-21T10:00:59Z";
  Decision d = decide_now();
  EXPECT_EQ(d.job, JobAction::kNone);
  EXPECT_EQ(d.status, backup_.status);
  EXPECT_TRUE(d.events.empty());
  EXPECT_EQ(d.requeue_after, kPendingGrace - std::chrono::seconds(1));
}

TEST_F(StatusTransitionTest, AJobSlowToStartIsShownPending) {
  job();
  Decision d = decide_now();
  EXPECT_EQ(d.status.phase, Phase::kPending);
  EXPECT_EQ(d.status.job_name, "nightly");
  EXPECT_EQ(d.status.observed_generation, 1);
  EXPECT_EQ(
      d.events,
      (std::vector<Event>{{"Normal", "Pending", "Created Job nightly; waiting for it to start"}}));
  EXPECT_EQ(condition(d, "Ready")->status, "False");
  EXPECT_EQ(condition(d, "Reconciling")->status, "True");
}

TEST_F(StatusTransitionTest, ABlockerFailsBeforeAnyJobExists) {
  blocker_ = "Secret \"db-pass\" not found in namespace \"shop\"";
  Decision d = decide_now();
  EXPECT_EQ(d.job, JobAction::kNone);
  EXPECT_EQ(d.status.phase, Phase::kFailed);
  EXPECT_EQ(d.status.message, blocker_);
  EXPECT_EQ(d.events[0].type, "Warning");
  EXPECT_EQ(condition(d, "Stalled")->status, "True");
}

TEST_F(StatusTransitionTest, AnInvalidSpecFailsWithEveryProblemNamed) {
  backup_.spec_errors = {"spec.database.host is required", "spec.format must be one of x"};
  Decision d = decide_now();
  EXPECT_EQ(d.job, JobAction::kNone);
  EXPECT_EQ(d.status.phase, Phase::kFailed);
  EXPECT_EQ(d.status.message,
            "Invalid spec: spec.database.host is required; spec.format must be one of x");
}

TEST_F(StatusTransitionTest, ExistingJobIsAdoptedNotCreatedAgain) {
  pod_running();
  Decision d = decide_now();
  EXPECT_EQ(d.job, JobAction::kNone);
  EXPECT_EQ(d.status.phase, Phase::kInProgress);
}

TEST_F(StatusTransitionTest, WaitingPodSaysWhy) {
  step();
  job();
  pod().waiting_reason = "CreateContainerConfigError";
  pod().waiting_message = "secret \"db-pass\" not found";
  Decision d = step();
  EXPECT_EQ(d.status.phase, Phase::kPending);
  EXPECT_EQ(d.status.message,
            "Job nightly is waiting: CreateContainerConfigError: secret \"db-pass\" not found");
  ASSERT_EQ(d.events.size(), 1u);
  EXPECT_EQ(d.events[0].message, d.status.message);
}

TEST_F(StatusTransitionTest, RunningPodMeansInProgress) {
  step();
  pod_running();
  Decision d = step();
  EXPECT_EQ(d.status.phase, Phase::kInProgress);
  EXPECT_EQ(d.status.start_time, "2026-11-21T10:00:02Z");
  EXPECT_TRUE(d.events.empty());  // status says it; the Event waits for the outcome
}

TEST_F(StatusTransitionTest, NothingChangedMeansTheSameStatusAndNoEvents) {
  step();
  pod_running();
  step();
  Decision again = decide_now();
  EXPECT_EQ(again.status, backup_.status);
  EXPECT_TRUE(again.events.empty());
  EXPECT_EQ(again.job, JobAction::kNone);
}

TEST_F(StatusTransitionTest, CompletedCarriesTheAgentsResult) {
  step();
  pod_running();
  step();
  job_complete(R"({"bytes":1625292,"sha256":"9f86d0","serverVersion":"15.18",)"
               R"("databaseSizeBytes":8000000,"durationSeconds":30.6})");
  Decision d = step();
  const auto& s = d.status;
  EXPECT_EQ(s.phase, Phase::kCompleted);
  EXPECT_EQ(s.size_bytes, 1625292);
  EXPECT_EQ(s.size, "1.55 MiB");
  EXPECT_EQ(s.checksum, "sha256:9f86d0");
  EXPECT_EQ(s.server_version, "15.18");
  EXPECT_EQ(s.database_size_bytes, 8000000);
  EXPECT_EQ(s.duration_seconds, 31);
  EXPECT_EQ(s.location, "pvc://backups/orders/nightly-0a1b2c3d.dump");
  EXPECT_EQ(s.completion_time, "2026-11-21T10:00:33Z");
  EXPECT_EQ(condition(d, "Ready")->status, "True");
  EXPECT_EQ(condition(d, "Reconciling"), nullptr);
  EXPECT_EQ(d.events,
            (std::vector<Event>{{"Normal", "Completed", "Backup completed: 1.55 MiB in 31s"}}));
}

TEST_F(StatusTransitionTest, AgentErrorBecomesTheMessage) {
  step();
  job_failed("BackoffLimitExceeded",
             R"({"error":"password authentication failed for user \"app\""})");
  Decision d = step();
  EXPECT_EQ(d.status.phase, Phase::kFailed);
  EXPECT_EQ(d.status.message, "password authentication failed for user \"app\"");
  EXPECT_EQ(d.events[0].reason, "Failed");
}

TEST_F(StatusTransitionTest, DeadlineIsSaidInWords) {
  step();
  pod_running();
  step();
  job_failed("DeadlineExceeded", "");
  Decision d = step();
  EXPECT_EQ(d.status.phase, Phase::kFailed);
  EXPECT_EQ(d.status.message,
            "DeadlineExceeded: backup ran longer than 3600s (spec.activeDeadlineSeconds)");
}

TEST_F(StatusTransitionTest, FailureWithoutAnyMessagePointsAtTheLogs) {
  step();
  job_failed("BackoffLimitExceeded", "");
  Decision d = step();
  EXPECT_NE(d.status.message.find("kubectl logs job/nightly"), std::string::npos);
}

TEST_F(StatusTransitionTest, RetryAfterAFailedAttemptStaysInProgress) {
  step();
  pod_running();
  step();
  job().failed = 1;
  pod().running = false;  // the next attempt's pod has not started yet
  Decision d = step();
  EXPECT_EQ(d.status.phase, Phase::kInProgress);
  EXPECT_NE(d.status.message.find("attempt 2 of 2"), std::string::npos);
}

TEST_F(StatusTransitionTest, CancelStopsTheJob) {
  step();
  pod_running();
  step();
  backup_.spec.cancel = true;
  Decision d = step();
  EXPECT_EQ(d.status.phase, Phase::kCancelled);
  EXPECT_EQ(d.job, JobAction::kDelete);
  EXPECT_EQ(d.events[0].reason, "Cancelled");
}

TEST_F(StatusTransitionTest, CancelBeforeStartNeedsNoJob) {
  backup_.spec.cancel = true;
  Decision d = decide_now();
  EXPECT_EQ(d.status.phase, Phase::kCancelled);
  EXPECT_EQ(d.job, JobAction::kNone);
}

TEST_F(StatusTransitionTest, TerminalPhasesNeverChange) {
  step();
  job_failed("BackoffLimitExceeded", R"({"error":"boom"})");
  step();
  const api::BackupStatus failed = backup_.status;
  job().finished = "Complete";  // nothing may move a terminal phase
  backup_.spec.cancel = true;
  Decision d = decide_now();
  EXPECT_EQ(d.status, failed);
  EXPECT_TRUE(d.events.empty());
  EXPECT_EQ(d.job, JobAction::kNone);
}

TEST_F(StatusTransitionTest, AJobDeletedMidwayFailsTheBackup) {
  step();
  pod_running();
  step();
  job_.reset();
  job_vanished_ = true;
  Decision d = step();
  EXPECT_EQ(d.status.phase, Phase::kFailed);
  EXPECT_NE(d.status.message.find("was deleted"), std::string::npos);
}

TEST_F(StatusTransitionTest, AFinishedJobWaitsForItsPodsResult) {
  step();
  pod_running();
  step();
  job().finished = "Complete";
  job().finished_time = kNow;  // the Pod's own end has not arrived yet
  Decision d = step();
  EXPECT_EQ(d.status.phase, Phase::kInProgress);
  EXPECT_EQ(d.requeue_after, std::chrono::seconds(1));
  EXPECT_TRUE(d.events.empty());
}

TEST_F(StatusTransitionTest, APodResultThatNeverComesDoesNotHoldTheBackupForever) {
  step();
  pod_running();
  step();
  job().finished = "Complete";
  job().finished_time = "2026-11-21T10:00:30Z";
  Decision d = step();
  EXPECT_EQ(d.status.phase, Phase::kCompleted);
  EXPECT_NE(d.status.message.find("result was not found"), std::string::npos);
}

TEST(AgentResultTest, GarbledMessagesAreEmptyNotErrors) {
  EXPECT_FALSE(parse_agent_result("Segmentation fault").bytes);
  EXPECT_EQ(parse_agent_result(R"({"error":"x"})").error, "x");
}

TEST_F(StatusTransitionTest, AnEncryptedDumpSaysSoInStatus) {
  backup_.spec.encryption =
      api::EncryptionSpec{{"age1skw63p73ka385eejnar9f5u8vhej6nndgwk2hpr60t4s5g8l4d8qkaxs08"}};
  step();
  pod_running();
  step();
  job_complete(R"({"bytes":1625292,"sha256":"9f86d0","serverVersion":"15.18",)"
               R"("durationSeconds":30.6,"encrypted":true,"plaintextBytes":1625000,)"
               R"("recipientFingerprints":["6854017e07b4f1c0"]})");
  Decision d = step();
  const auto& s = d.status;
  EXPECT_EQ(s.phase, Phase::kCompleted);
  EXPECT_EQ(s.encrypted, true);
  EXPECT_EQ(s.size_bytes, 1625292);
  ASSERT_TRUE(s.encrypted_dump);
  EXPECT_EQ(s.encrypted_dump->plaintext_size_bytes, 1625000);
  EXPECT_EQ(s.encrypted_dump->recipient_fingerprints, std::vector<std::string>{"6854017e07b4f1c0"});
  // What the cache will hold after the write compares equal: no second write.
  EXPECT_EQ(api::parse_backup_status(api::to_json(s)), s);
  EXPECT_EQ(s.message,
            "Dumped 1.55 MiB of database orders to pvc://backups/orders/nightly-0a1b2c3d.dump, "
            "age-encrypted to 1 recipient(s)");
}

TEST_F(StatusTransitionTest, AnUnencryptedDumpSaysNotEncrypted) {
  step();
  pod_running();
  step();
  job_complete(R"({"bytes":1625292,"sha256":"9f86d0","durationSeconds":30.6})");
  const auto& s = step().status;
  EXPECT_EQ(s.phase, Phase::kCompleted);
  EXPECT_EQ(s.encrypted, false);
  EXPECT_FALSE(s.encrypted_dump);
}

TEST_F(StatusTransitionTest, AnAgentThatIgnoredEncryptionFailsTheBackupLoudly) {
  backup_.spec.encryption =
      api::EncryptionSpec{{"age1skw63p73ka385eejnar9f5u8vhej6nndgwk2hpr60t4s5g8l4d8qkaxs08"}};
  step();
  pod_running();
  step();
  job_complete(R"({"bytes":1625292,"sha256":"9f86d0","durationSeconds":30.6})");
  const auto& s = step().status;
  EXPECT_EQ(s.phase, Phase::kFailed);
  EXPECT_EQ(s.encrypted, false);
  EXPECT_NE(s.message.find("the agent stored it unencrypted at "
                           "pvc://backups/orders/nightly-0a1b2c3d.dump"),
            std::string::npos)
      << s.message;
}

}  // namespace
}  // namespace cellar::backup
