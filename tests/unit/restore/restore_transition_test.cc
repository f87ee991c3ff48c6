#include "controller/restore/restore_transition.h"

#include <gtest/gtest.h>

#include "tests/unit/restore/restore_fixtures.h"

namespace cellar::restore {
namespace {

using api::Phase;

constexpr const char* kNow = "2026-11-21T10:01:00Z";

class RestoreTransitionTest : public ::testing::Test {
 protected:
  Decision decide_now() {
    Observation o;
    o.restore = &restore_;
    o.backup = backup_ ? &*backup_ : nullptr;
    o.job = job_ ? &*job_ : nullptr;
    o.pod = pod_ ? &*pod_ : nullptr;
    o.blocker = blocker_;
    o.job_vanished = job_vanished_;
    o.now = kNow;
    return decide(o);
  }
  Decision step() {
    Decision d = decide_now();
    restore_.status = d.status;
    return d;
  }
  backup::JobView& job() {
    if (!job_) {
      job_.emplace();
      job_->meta.name = "check-restore";
      job_->meta.creation_timestamp = "2026-11-21T10:00:00Z";
      job_->start_time = "2026-11-21T10:00:01Z";
    }
    return *job_;
  }
  backup::PodView& pod() {
    if (!pod_) pod_.emplace();
    return *pod_;
  }
  void pod_running() {
    pod().running = true;
    pod().started_at = "2026-11-21T10:00:02Z";
  }
  void job_finished(const char* outcome, const char* reason, const std::string& message) {
    job().finished = outcome;
    job().finished_reason = reason;
    job().completion_time = "2026-11-21T10:00:12Z";
    pod().running = false;
    pod().exit_code = std::string(outcome) == "Complete" ? 0 : 1;
    pod().termination_message = message;
    pod().finished_at = "2026-11-21T10:00:12Z";
  }

  api::Restore restore_ = api::parse_restore(testing::restore_json());
  std::optional<api::Backup> backup_ = testing::completed_backup();
  std::optional<backup::JobView> job_;
  std::optional<backup::PodView> pod_;
  std::string blocker_;
  bool job_vanished_ = false;
};

TEST_F(RestoreTransitionTest, ANewRestoreMakesItsJobAndWritesNothingYet) {
  Decision d = decide_now();
  EXPECT_EQ(d.job, JobAction::kCreate);
  EXPECT_EQ(d.status, restore_.status);
  ASSERT_EQ(d.events.size(), 1u);
  EXPECT_EQ(d.events[0].reason, "JobCreated");
  EXPECT_EQ(d.requeue_after, backup::kPendingGrace);
}

TEST_F(RestoreTransitionTest, ABlockerFailsAtOnceWithItsWords) {
  blocker_ = "Backup \"nightly\" is Failed, not Completed: only a Completed Backup can be restored";
  Decision d = step();
  EXPECT_EQ(d.job, JobAction::kNone);
  EXPECT_EQ(d.status.phase, Phase::kFailed);
  EXPECT_EQ(d.status.message, blocker_);
  EXPECT_EQ(api::find_condition(d.status.conditions, "Ready")->status, "False");
  EXPECT_EQ(api::find_condition(d.status.conditions, "Stalled")->status, "True");
  ASSERT_EQ(d.events.size(), 1u);
  EXPECT_EQ(d.events[0].type, "Warning");
  // Terminal: nothing more, however often it is looked at.
  Decision again = decide_now();
  EXPECT_EQ(again.status, restore_.status);
  EXPECT_TRUE(again.events.empty());
}

TEST_F(RestoreTransitionTest, AnInvalidSpecFailsNamingTheFields) {
  restore_.spec_errors = {"spec.backupName is required"};
  EXPECT_EQ(step().status.message, "Invalid spec: spec.backupName is required");
}

TEST_F(RestoreTransitionTest, RunningRecordsTheBackupItRestores) {
  job();
  pod_running();
  Decision d = step();
  EXPECT_EQ(d.status.phase, Phase::kInProgress);
  EXPECT_EQ(d.status.message,
            "Restoring backup nightly into database orders_check on db.shop.svc:5432");
  EXPECT_EQ(d.status.job_name, "check-restore");
  EXPECT_EQ(d.status.start_time, "2026-11-21T10:00:02Z");
  EXPECT_EQ(d.status.backup.name, "nightly");
  EXPECT_EQ(d.status.backup.location, "pvc://backups/orders/nightly-0a1b2c3d.dump");
  EXPECT_EQ(d.status.backup.checksum, "sha256:" + std::string(64, 'a'));
  ASSERT_EQ(d.events.size(), 1u);
  EXPECT_EQ(d.events[0].reason, "Started");
  // The same observation again changes nothing.
  Decision same = decide_now();
  EXPECT_EQ(same.status, restore_.status);
  EXPECT_TRUE(same.events.empty());
}

TEST_F(RestoreTransitionTest, CompletedSaysWhatWasRestoredAndWhere) {
  job();
  pod_running();
  step();
  job_finished("Complete", "",
               R"({"restored":true,"bytes":2048,"sha256":"aa","durationSeconds":9.6})");
  Decision d = step();
  EXPECT_EQ(d.status.phase, Phase::kCompleted);
  EXPECT_EQ(d.status.message,
            "Restored backup nightly (2.00 KiB, checksum verified) into database orders_check on "
            "db.shop.svc:5432");
  EXPECT_EQ(d.status.duration_seconds, 10);
  EXPECT_EQ(d.status.completion_time, "2026-11-21T10:00:12Z");
  EXPECT_EQ(api::find_condition(d.status.conditions, "Ready")->status, "True");
}

TEST_F(RestoreTransitionTest, TheAgentsErrorIsTheMessage) {
  job();
  pod_running();
  step();
  job_finished("Failed", "BackoffLimitExceeded",
               R"({"error":"checksum mismatch: the dump is not the one that was backed up"})");
  Decision d = step();
  EXPECT_EQ(d.status.phase, Phase::kFailed);
  EXPECT_EQ(d.status.message, "checksum mismatch: the dump is not the one that was backed up");
}

TEST_F(RestoreTransitionTest, ADeadlineIsSaidInWords) {
  job();
  pod_running();
  step();
  job().finished = "Failed";
  job().finished_reason = "DeadlineExceeded";
  Decision d = step();
  EXPECT_EQ(d.status.message,
            "DeadlineExceeded: the restore ran longer than 3600s (spec.activeDeadlineSeconds); "
            "its transaction was rolled back");
}

TEST_F(RestoreTransitionTest, AJobDeletedMidwayFailsTheRestore) {
  job();
  pod_running();
  step();
  job_.reset();
  pod_.reset();
  job_vanished_ = true;
  Decision d = step();
  EXPECT_EQ(d.status.phase, Phase::kFailed);
  EXPECT_NE(d.status.message.find("was deleted before the restore finished"), std::string::npos);
}

TEST_F(RestoreTransitionTest, TheBackupGoneMidwayDoesNotDisturbARunningRestore) {
  job();
  pod_running();
  backup_.reset();
  Decision d = step();
  EXPECT_EQ(d.status.phase, Phase::kInProgress);
  EXPECT_EQ(d.status.backup.name, "");
}

TEST_F(RestoreTransitionTest, AFinishedJobWaitsBrieflyForItsPodsResult) {
  job();
  pod_running();
  step();
  job().finished = "Complete";
  job().completion_time = "2026-11-21T10:00:58Z";
  Decision d = decide_now();
  EXPECT_EQ(d.status, restore_.status);
  EXPECT_EQ(d.requeue_after, std::chrono::seconds(1));
}

}  // namespace
}  // namespace cellar::restore
