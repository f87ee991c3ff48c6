#include "controller/schedule/schedule_plan.h"

#include <gtest/gtest.h>

#include "controller/api/timestamps.h"
#include "controller/schedule/firing.h"

namespace cellar::schedule {
namespace {

using Names = std::vector<std::string>;
using Time = std::chrono::system_clock::time_point;

Time at(const std::string& text) {
  return *api::parse_rfc3339(text);
}

class SchedulePlanTest : public ::testing::Test {
 protected:
  SchedulePlanTest() {
    schedule_.meta.ns = "shop";
    schedule_.meta.name = "nightly";
    schedule_.meta.uid = "uid-1";
    schedule_.meta.generation = 2;
    schedule_.meta.creation_timestamp = "2026-11-21T11:58:30Z";
    schedule_.spec.schedule = "* * * * *";
  }

  SchedulePlan plan(const std::string& now) {
    return plan_schedule({&schedule_, backups_, at(now)});
  }
  void add(const std::string& name, api::Phase phase, const std::string& time,
           const std::string& completion = "") {
    OwnedBackup b;
    b.name = name;
    b.phase = phase;
    b.time = at(time);
    b.completion_time = completion;
    backups_.push_back(b);
  }
  static const api::Condition& ready(const SchedulePlan& p) {
    const api::Condition* c = api::find_condition(p.status.conditions, "Ready");
    EXPECT_NE(c, nullptr);
    static const api::Condition none;
    return c ? *c : none;
  }
  static Names created(const SchedulePlan& p) {
    Names names;
    for (const auto& o : p.create) names.push_back(o.name);
    return names;
  }
  static Names reasons(const SchedulePlan& p) {
    Names names;
    for (const auto& e : p.events) names.push_back(e.reason);
    return names;
  }
  // What the world looks like once the plan is carried out: its status written, its Backups made.
  void apply(const SchedulePlan& p) {
    schedule_.status = p.status;
    for (const auto& o : p.create) {
      OwnedBackup b;
      b.name = o.name;
      b.time = o.scheduled_at;
      backups_.push_back(b);
    }
  }

  // A Backup the reconciler made and the cache has not shown yet: known by its name alone.
  void made(const std::string& name) {
    OwnedBackup b;
    b.name = name;
    backups_.push_back(b);
  }

  api::BackupSchedule schedule_;
  std::vector<OwnedBackup> backups_;
};

TEST_F(SchedulePlanTest, TheMinuteThatTurnedMakesItsBackup) {
  SchedulePlan p = plan("2026-11-21T12:00:00.004Z");
  EXPECT_EQ(created(p), Names({"nightly-202611211200"}));
  ASSERT_TRUE(p.create[0].scheduled_at);
  EXPECT_EQ(api::format_rfc3339(*p.create[0].scheduled_at), "2026-11-21T12:00:00Z");
  EXPECT_EQ(p.status.last_schedule_time, "2026-11-21T12:00:00Z");
  EXPECT_EQ(p.status.next_schedule_time, "2026-11-21T12:01:00Z");
  EXPECT_EQ(p.status.active, Names({"nightly-202611211200"}));
  EXPECT_EQ(p.status.last_backup, "nightly-202611211200");
  EXPECT_EQ(p.status.observed_generation, 2);
  ASSERT_TRUE(p.wake_at);
  EXPECT_EQ(*p.wake_at, at("2026-11-21T12:01:00Z"));
  EXPECT_EQ(ready(p).status, "True");
  EXPECT_EQ(ready(p).reason, "Scheduled");
  EXPECT_EQ(ready(p).message, "Next backup at 2026-11-21T12:01:00Z");
  EXPECT_EQ(created_event(p.create[0]).message,
            "Created Backup nightly-202611211200 for the run due at 2026-11-21T12:00:00Z");
}

TEST_F(SchedulePlanTest, BeforeItsTimeNothingIsMadeAndItWakesThen) {
  schedule_.status.last_schedule_time = "2026-11-21T12:00:00Z";
  SchedulePlan p = plan("2026-11-21T12:00:59.990Z");
  EXPECT_TRUE(p.create.empty());
  EXPECT_TRUE(p.events.empty());
  EXPECT_EQ(*p.wake_at, at("2026-11-21T12:01:00Z"));
}

TEST_F(SchedulePlanTest, ASecondPassAfterTheWritesChangesNothing) {
  SchedulePlan first = plan("2026-11-21T12:00:00.004Z");
  apply(first);
  SchedulePlan again = plan("2026-11-21T12:00:00.050Z");
  EXPECT_TRUE(again.create.empty());
  EXPECT_TRUE(again.events.empty());
  EXPECT_TRUE(again.remove.empty());
  EXPECT_EQ(again.status, schedule_.status);  // so no status write: idle means no writes
}

TEST_F(SchedulePlanTest, ABackupAlreadyMadeForTheTimeIsNotMadeAgain) {
  schedule_.status.last_schedule_time = "2026-11-21T11:59:00Z";
  add("nightly-202611211200", api::Phase::kInProgress, "2026-11-21T12:00:00Z");
  SchedulePlan p = plan("2026-11-21T12:00:01Z");  // the status write of the pass that made it lost
  EXPECT_TRUE(p.create.empty());
  EXPECT_TRUE(p.events.empty());  // not even Skipped: it is this time's own Backup
  EXPECT_EQ(p.status.last_schedule_time, "2026-11-21T12:00:00Z");
}

TEST_F(SchedulePlanTest, APassAfterOneThatOnlyMadeTheBackupsPlansTheSameStatus) {
  // The reconciler makes a due run's Backups in one pass and leaves the status, the cancels and
  // the Events to the next, which sees the Backup only by name (made, not yet in the cache).
  SchedulePlan making = plan("2026-11-21T12:00:00.004Z");
  for (const auto& o : making.create) made(o.name);
  SchedulePlan finishing = plan("2026-11-21T12:00:00.004Z");
  EXPECT_TRUE(finishing.create.empty());
  EXPECT_EQ(finishing.status, making.status);
  EXPECT_EQ(reasons(finishing), reasons(making));
}

TEST_F(SchedulePlanTest, ATriggeredBackupLeftToTheNextPassIsItsLastBackup) {
  schedule_.status.last_schedule_time = "2026-11-21T12:00:00Z";
  schedule_.meta.annotations[api::kTriggerAnnotation] = "release-42";
  SchedulePlan making = plan("2026-11-21T12:00:30Z");
  ASSERT_EQ(making.create.size(), 1u);
  made(making.create[0].name);
  SchedulePlan finishing = plan("2026-11-21T12:00:30Z");
  EXPECT_TRUE(finishing.create.empty());
  EXPECT_EQ(finishing.status, making.status);
}

TEST_F(SchedulePlanTest, ForbidSkipsWhileOneRunsAndSaysSo) {
  schedule_.status.last_schedule_time = "2026-11-21T11:59:00Z";
  add("nightly-202611211159", api::Phase::kInProgress, "2026-11-21T11:59:00Z");
  SchedulePlan p = plan("2026-11-21T12:00:00.010Z");
  EXPECT_TRUE(p.create.empty());
  EXPECT_EQ(reasons(p), Names({"Skipped"}));
  EXPECT_EQ(p.events[0].message,
            "Skipped the run due at 2026-11-21T12:00:00Z: Backup nightly-202611211159 is still "
            "running (concurrencyPolicy Forbid)");
  EXPECT_EQ(p.status.last_schedule_time, "2026-11-21T12:00:00Z");  // skipped is dealt with
  EXPECT_EQ(p.status.active, Names({"nightly-202611211159"}));
}

TEST_F(SchedulePlanTest, AllowRunsBesideTheRunningOne) {
  schedule_.spec.concurrency_policy = api::ConcurrencyPolicy::kAllow;
  schedule_.status.last_schedule_time = "2026-11-21T11:59:00Z";
  add("nightly-202611211159", api::Phase::kPending, "2026-11-21T11:59:00Z");
  SchedulePlan p = plan("2026-11-21T12:00:00.010Z");
  EXPECT_EQ(created(p), Names({"nightly-202611211200"}));
  EXPECT_TRUE(p.cancel.empty());
  EXPECT_EQ(p.status.active, Names({"nightly-202611211159", "nightly-202611211200"}));
}

TEST_F(SchedulePlanTest, ReplaceCancelsTheRunningOneAndMakesTheNew) {
  schedule_.spec.concurrency_policy = api::ConcurrencyPolicy::kReplace;
  schedule_.status.last_schedule_time = "2026-11-21T11:59:00Z";
  add("nightly-202611211159", api::Phase::kInProgress, "2026-11-21T11:59:00Z");
  add("nightly-202611211158", api::Phase::kCompleted, "2026-11-21T11:58:00Z",
      "2026-11-21T11:58:40Z");
  SchedulePlan p = plan("2026-11-21T12:00:00.010Z");
  EXPECT_EQ(p.cancel, Names({"nightly-202611211159"}));
  EXPECT_EQ(created(p), Names({"nightly-202611211200"}));
  EXPECT_EQ(reasons(p), Names({"Replaced"}));
}

TEST_F(SchedulePlanTest, ReplaceDoesNotCancelTwice) {
  schedule_.spec.concurrency_policy = api::ConcurrencyPolicy::kReplace;
  schedule_.status.last_schedule_time = "2026-11-21T11:59:00Z";
  add("nightly-202611211159", api::Phase::kInProgress, "2026-11-21T11:59:00Z");
  backups_.back().cancel_requested = true;
  SchedulePlan p = plan("2026-11-21T12:00:00.010Z");
  EXPECT_TRUE(p.cancel.empty());
  EXPECT_EQ(created(p), Names({"nightly-202611211200"}));
}

TEST_F(SchedulePlanTest, ReplaceStillCancelsWhenTheNewRunWasMadeByAnEarlierPass) {
  schedule_.spec.concurrency_policy = api::ConcurrencyPolicy::kReplace;
  schedule_.status.last_schedule_time = "2026-11-21T11:59:00Z";
  add("nightly-202611211159", api::Phase::kInProgress, "2026-11-21T11:59:00Z");
  add("nightly-202611211200", api::Phase::kPending, "2026-11-21T12:00:00Z");
  SchedulePlan p = plan("2026-11-21T12:00:00.050Z");  // that pass's cancel failed
  EXPECT_TRUE(p.create.empty());
  EXPECT_EQ(p.cancel, Names({"nightly-202611211159"}));
}

TEST_F(SchedulePlanTest, ReplaceLeavesABackupAskedForAfterTheDueTime) {
  schedule_.spec.concurrency_policy = api::ConcurrencyPolicy::kReplace;
  schedule_.status.last_schedule_time = "2026-11-21T11:59:00Z";
  add("nightly-202611211200", api::Phase::kInProgress, "2026-11-21T12:00:00Z");
  add("nightly-manual-0badcafe", api::Phase::kInProgress, "2026-11-21T12:00:20Z");
  SchedulePlan p = plan("2026-11-21T12:00:30Z");
  EXPECT_TRUE(p.cancel.empty());
}

TEST_F(SchedulePlanTest, SuspendedMakesNothingAndHasNoNextTime) {
  schedule_.spec.suspend = true;
  schedule_.status.next_schedule_time = "2026-11-21T12:00:00Z";
  SchedulePlan p = plan("2026-11-21T12:05:00Z");
  EXPECT_TRUE(p.create.empty());
  EXPECT_EQ(p.status.next_schedule_time, "");
  EXPECT_FALSE(p.wake_at);
  EXPECT_EQ(ready(p).status, "True");
  EXPECT_EQ(ready(p).reason, "Suspended");
}

TEST_F(SchedulePlanTest, AnInvalidCronSaysWhereAndMakesNothing) {
  schedule_.spec.schedule = "0 25 * * *";
  schedule_.meta.annotations[api::kTriggerAnnotation] = "now";
  SchedulePlan p = plan("2026-11-21T12:05:00Z");
  EXPECT_TRUE(p.create.empty());
  EXPECT_FALSE(p.wake_at);
  EXPECT_EQ(ready(p).status, "False");
  EXPECT_EQ(ready(p).reason, "InvalidSchedule");
  EXPECT_EQ(ready(p).observed_generation, 2);
  EXPECT_NE(ready(p).message.find("spec.schedule: "), std::string::npos) << ready(p).message;
  EXPECT_NE(ready(p).message.find("25 is out of range 0-23"), std::string::npos)
      << ready(p).message;
}

TEST_F(SchedulePlanTest, AnUnknownTimeZoneIsNamed) {
  schedule_.spec.time_zone = "Mars/Olympus";
  SchedulePlan p = plan("2026-11-21T12:05:00Z");
  EXPECT_TRUE(p.create.empty());
  EXPECT_EQ(ready(p).reason, "InvalidTimeZone");
  EXPECT_NE(ready(p).message.find("Mars/Olympus"), std::string::npos) << ready(p).message;
}

TEST_F(SchedulePlanTest, OtherSpecErrorsAreListed) {
  schedule_.spec_errors = {"spec.backupTemplate.database.host is required"};
  SchedulePlan p = plan("2026-11-21T12:05:00Z");
  EXPECT_TRUE(p.create.empty());
  EXPECT_EQ(ready(p).reason, "InvalidSpec");
  EXPECT_NE(ready(p).message.find("spec.backupTemplate.database.host is required"),
            std::string::npos);
}

TEST_F(SchedulePlanTest, AfterDowntimeOnlyTheMostRecentRunsWithinTheDeadline) {
  schedule_.spec.starting_deadline_seconds = 300;
  schedule_.status.last_schedule_time = "2026-11-21T11:50:00Z";
  SchedulePlan p = plan("2026-11-21T12:00:10Z");
  EXPECT_EQ(created(p), Names({"nightly-202611211200"}));
  EXPECT_EQ(reasons(p), Names({"MissedSchedule"}));
  EXPECT_EQ(p.events[0].type, "Warning");
  EXPECT_NE(p.events[0].message.find("9 due times were missed"), std::string::npos)
      << p.events[0].message;
  EXPECT_EQ(p.missed, 9);  // what cellar_schedule_missed_total counts
  apply(p);
  SchedulePlan again = plan("2026-11-21T12:00:20Z");  // a second restart: never twice
  EXPECT_TRUE(again.create.empty());
  EXPECT_TRUE(again.events.empty());
  EXPECT_EQ(again.missed, 0);
}

TEST_F(SchedulePlanTest, PastTheDeadlineNothingRunsAndTheMissIsToldOnce) {
  schedule_.spec.schedule = "0 0 1 1 *";
  schedule_.spec.starting_deadline_seconds = 300;
  schedule_.status.last_schedule_time = "2024-01-01T00:00:00Z";
  SchedulePlan p = plan("2026-11-21T12:00:00Z");
  EXPECT_TRUE(p.create.empty());
  EXPECT_EQ(reasons(p), Names({"MissedSchedule"}));
  EXPECT_EQ(p.status.last_schedule_time, "2026-01-01T00:00:00Z");
  EXPECT_EQ(p.status.next_schedule_time, "2027-01-01T00:00:00Z");
  EXPECT_EQ(p.missed, 2);  // 2025-01-01 and 2026-01-01
  apply(p);
  EXPECT_TRUE(plan("2026-11-21T12:00:05Z").events.empty());
  EXPECT_EQ(plan("2026-11-21T12:00:05Z").missed, 0);
}

TEST_F(SchedulePlanTest, ATriggerValueMakesOneBackupWhateverIsRunning) {
  schedule_.status.last_schedule_time = "2026-11-21T12:00:00Z";
  add("nightly-202611211200", api::Phase::kInProgress, "2026-11-21T12:00:00Z");
  schedule_.meta.annotations[api::kTriggerAnnotation] = "release-42";
  SchedulePlan p = plan("2026-11-21T12:00:30Z");
  ASSERT_EQ(p.create.size(), 1u);
  EXPECT_EQ(p.create[0].name, triggered_backup_name("nightly", "release-42"));
  EXPECT_EQ(p.create[0].trigger, "release-42");
  EXPECT_FALSE(p.create[0].scheduled_at);
  EXPECT_EQ(p.status.last_trigger, "release-42");
  EXPECT_EQ(created_event(p.create[0]).message,
            "Created Backup " + p.create[0].name + " for cellar.dev/trigger=release-42");
  apply(p);
  EXPECT_TRUE(plan("2026-11-21T12:00:31Z").create.empty());
  schedule_.meta.annotations[api::kTriggerAnnotation] = "release-43";
  EXPECT_EQ(plan("2026-11-21T12:00:32Z").create.size(), 1u);
}

TEST_F(SchedulePlanTest, AnAnsweredTriggerStaysAnsweredAfterItsBackupIsGone) {
  schedule_.status.last_schedule_time = "2026-11-21T12:00:00Z";
  schedule_.meta.annotations[api::kTriggerAnnotation] = "release-42";
  schedule_.status.last_trigger = "release-42";
  EXPECT_TRUE(plan("2026-11-21T12:00:30Z").create.empty());
}

TEST_F(SchedulePlanTest, KeepLastDeletesTheOlderCompletedButNeverWhatRuns) {
  schedule_.spec.retention.keep_last = 2;
  schedule_.status.last_schedule_time = "2026-11-21T12:00:00Z";
  add("nightly-202611211157", api::Phase::kCompleted, "2026-11-21T11:57:00Z");
  add("nightly-202611211158", api::Phase::kCompleted, "2026-11-21T11:58:00Z");
  add("nightly-202611211159", api::Phase::kCompleted, "2026-11-21T11:59:00Z",
      "2026-11-21T11:59:30Z");
  add("nightly-202611211200", api::Phase::kInProgress, "2026-11-21T12:00:00Z");
  add("old-one", api::Phase::kCompleted, "2026-11-21T11:00:00Z");
  backups_.back().being_deleted = true;  // going already: not counted, not deleted again
  SchedulePlan p = plan("2026-11-21T12:00:30Z");
  EXPECT_EQ(p.remove, Names({"nightly-202611211157"}));
  EXPECT_EQ(reasons(p), Names({"Pruned"}));
  EXPECT_EQ(p.events[0].message,
            "Deleting Backup nightly-202611211157: retention (keepLast 2, failedHistoryLimit 3) "
            "no longer keeps it");
  EXPECT_EQ(p.status.last_successful_time, "2026-11-21T11:59:30Z");
  EXPECT_EQ(p.status.active, Names({"nightly-202611211200"}));
}

TEST_F(SchedulePlanTest, WithoutAKeepRuleCompletedBackupsStay) {
  schedule_.status.last_schedule_time = "2026-11-21T12:00:00Z";
  for (int m = 50; m <= 59; ++m) {
    add("nightly-2026112111" + std::to_string(m), api::Phase::kCompleted,
        "2026-11-21T11:" + std::to_string(m) + ":00Z");
  }
  EXPECT_TRUE(plan("2026-11-21T12:00:30Z").remove.empty());
}

TEST_F(SchedulePlanTest, ANewestFailureMakesTheScheduleNotReadyUntilASuccess) {
  schedule_.status.last_schedule_time = "2026-11-21T12:00:00Z";
  add("nightly-202611211159", api::Phase::kCompleted, "2026-11-21T11:59:00Z");
  add("nightly-202611211200", api::Phase::kFailed, "2026-11-21T12:00:00Z");
  backups_.back().message = "password authentication failed for user \"app\"";
  SchedulePlan p = plan("2026-11-21T12:00:30Z");
  EXPECT_EQ(ready(p).status, "False");
  EXPECT_EQ(ready(p).reason, "BackupFailed");
  EXPECT_EQ(ready(p).message,
            "Backup nightly-202611211200 failed: password authentication failed for user \"app\"");
  add("nightly-202611211201", api::Phase::kCompleted, "2026-11-21T12:01:00Z");
  schedule_.status.last_schedule_time = "2026-11-21T12:01:00Z";
  EXPECT_EQ(ready(plan("2026-11-21T12:01:30Z")).status, "True");
}

TEST_F(SchedulePlanTest, ARefusedBackupMakesTheScheduleNotReadyWithTheServersWords) {
  schedule_.status.last_backup = "nightly-202611211159";
  schedule_.status.last_schedule_time = "2026-11-21T11:59:00Z";
  SchedulePlan p = plan("2026-11-21T12:00:00.004Z");
  ASSERT_EQ(created(p), Names({"nightly-202611211200"}));
  reject_backup(p, schedule_, p.create[0], "Backup.cellar.dev \"x\" is invalid: spec: Forbidden",
                at("2026-11-21T12:00:00.010Z"));
  EXPECT_EQ(p.status.active, Names{});
  EXPECT_EQ(p.status.last_backup, "nightly-202611211159");
  // The due time counts as dealt with: it is not tried again in a loop.
  EXPECT_EQ(p.status.last_schedule_time, "2026-11-21T12:00:00Z");
  EXPECT_EQ(ready(p).status, "False");
  EXPECT_EQ(ready(p).reason, "BackupRejected");
  EXPECT_EQ(ready(p).message,
            "The API server refused Backup nightly-202611211200: Backup.cellar.dev \"x\" is "
            "invalid: spec: Forbidden. Fix spec.backupTemplate; the next due time tries again");
  EXPECT_EQ(reasons(p), Names({"BackupRejected"}));
  EXPECT_EQ(p.events.back().type, "Warning");

  // A pass with nothing to make keeps saying so; one that makes a Backup, or a changed spec, ends
  // it.
  schedule_.status = p.status;
  SchedulePlan later = plan("2026-11-21T12:00:30Z");
  EXPECT_TRUE(later.create.empty());
  EXPECT_EQ(ready(later).reason, "BackupRejected");
  EXPECT_EQ(later.status, schedule_.status);
  SchedulePlan next = plan("2026-11-21T12:01:00.002Z");
  EXPECT_EQ(created(next), Names({"nightly-202611211201"}));
  EXPECT_EQ(ready(next).status, "True");
  schedule_.meta.generation = 3;
  EXPECT_EQ(ready(plan("2026-11-21T12:00:30Z")).reason, "Scheduled");
}

TEST_F(SchedulePlanTest, ABackupBeingDeletedIsNotActive) {
  schedule_.status.last_schedule_time = "2026-11-21T12:00:00Z";
  add("nightly-202611211200", api::Phase::kInProgress, "2026-11-21T12:00:00Z");
  backups_.back().being_deleted = true;
  SchedulePlan p = plan("2026-11-21T12:00:30Z");
  EXPECT_TRUE(p.status.active.empty());
}

}  // namespace
}  // namespace cellar::schedule
