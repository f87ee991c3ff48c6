// BackupSchedules end to end: the real cellar-controller, cellar-agent, kubectl and PostgreSQL
// against cellar-test-cluster. Tests that wait for a minute to turn cost up to a minute each.
#include <signal.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <iostream>
#include <regex>
#include <set>
#include <thread>

#include "tests/e2e/schedule_fixture.h"

namespace cellar::testing {
namespace {

namespace fs = std::filesystem;
using std::chrono::duration_cast;
using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::seconds;

std::set<std::string> files_in(const std::string& folder) {
  std::set<std::string> files;
  if (fs::exists(folder)) {
    for (const auto& e : fs::directory_iterator(folder)) files.insert(e.path().filename());
  }
  return files;
}

// "pvc://dumps/kept/x.dump" -> "x.dump".
std::string file_of(const std::string& location) {
  return fs::path(location).filename().string();
}

std::string annotation(const nlohmann::json& object, const std::string& key) {
  return object["metadata"].value("annotations", nlohmann::json::object()).value(key, "");
}

std::string status_of(const nlohmann::json& object, const std::string& key) {
  return object.value("status", nlohmann::json::object()).value(key, "");
}

void report_lateness(const char* what, Clock::time_point due, Clock::time_point seen) {
  const auto late = duration_cast<milliseconds>(seen - due).count();
  std::cout << what << ": the Backup due at " << rfc3339(due) << " was seen " << late
            << " ms after its time\n";
  ::testing::Test::RecordProperty(what, std::to_string(late));
}

TEST_F(ScheduleE2E, EveryMinuteScheduleFiresAtTheMinuteAndRecordsItsStatus) {
  BackupWatch watch(*cluster_, ns_);
  const auto due = coming_minute(seconds(5));
  // Owned by the schedule, so the ownerReference below is part of what is checked.
  apply_schedule("minutely", "* * * * *", "  backupOwnerReference: schedule\n");
  const std::string name = scheduled_name("minutely", due);

  auto seen = watch.added(name, due + seconds(15));
  ASSERT_TRUE(seen) << "no Backup " << name
                    << " by 15 s after its time; Backups: " << kubectl({"get", "backups"});
  report_lateness("lateness_ms", due, *seen);
  EXPECT_GE(*seen, due) << "made before its time";
  EXPECT_LE(*seen - due, seconds(5));

  // The Backup as the contract describes it.
  nlohmann::json backup = get_backup(name);
  nlohmann::json schedule = get_schedule("minutely");
  EXPECT_EQ(backup["metadata"]["labels"].value("cellar.dev/schedule", ""), "minutely");
  EXPECT_EQ(annotation(backup, "cellar.dev/scheduled-at"), rfc3339(due));
  ASSERT_EQ(backup["metadata"]["ownerReferences"].size(), 1u) << backup.dump(2);
  const auto& owner = backup["metadata"]["ownerReferences"][0];
  EXPECT_EQ(owner["kind"], "BackupSchedule");
  EXPECT_EQ(owner["name"], "minutely");
  EXPECT_EQ(owner["uid"], schedule["metadata"]["uid"]);
  EXPECT_EQ(owner.value("controller", false), true);
  EXPECT_EQ(backup["spec"].value("deletionPolicy", ""), "Delete");
  EXPECT_NE(backup["metadata"]
                .value("finalizers", nlohmann::json::array())
                .dump()
                .find("cellar.dev/delete-dump"),
            std::string::npos)
      << backup.dump(2);

  ASSERT_TRUE(wait_for_phase(name, "Completed"));
  const std::string completed_at = status_field(name, ".status.completionTime");
  ASSERT_TRUE(eventually(
      [&] { return schedule_field("minutely", ".status.lastSuccessfulTime") == completed_at; }, 10))
      << get_schedule("minutely").dump(2);
  schedule = get_schedule("minutely");
  if (Clock::now() < due + minutes(1)) {  // the next run would move these on
    EXPECT_EQ(status_of(schedule, "lastScheduleTime"), rfc3339(due));
    EXPECT_EQ(status_of(schedule, "lastBackup"), name);
    EXPECT_EQ(status_of(schedule, "nextScheduleTime"), rfc3339(due + minutes(1)));
    EXPECT_EQ(schedule["status"].value("active", nlohmann::json::array()).size(), 0u);
  }
  EXPECT_EQ(schedule["status"].value("observedGeneration", 0),
            schedule["metadata"].value("generation", -1));
  nlohmann::json ready = ready_condition("minutely");
  ASSERT_TRUE(ready.is_object()) << schedule.dump(2);
  EXPECT_EQ(ready["status"], "True");
  EXPECT_EQ(ready["reason"], "Scheduled");
  EXPECT_NE(ready.value("message", "").find(status_of(schedule, "nextScheduleTime")),
            std::string::npos)
      << ready.dump();

  std::vector<nlohmann::json> created = events_of("minutely", "BackupCreated");
  ASSERT_FALSE(created.empty());
  EXPECT_EQ(created[0]["type"], "Normal");
  EXPECT_NE(created[0].value("message", "").find(name), std::string::npos) << created[0].dump();
}

TEST_F(ScheduleE2E, ForbidSkipsWhileOneRunsAndAllowRunsAnyway) {
  lock_orders();
  const auto due = coming_minute(seconds(20));
  // The trigger makes a Backup at once, which waits on the lock past the minute.
  apply_schedule("forbid", "* * * * *", "", "first");
  apply_schedule("allow", "* * * * *", "  concurrencyPolicy: Allow\n", "first");
  const std::string manual = wait_for_triggered("forbid", "first");
  const std::string allow_manual = wait_for_triggered("allow", "first");
  ASSERT_FALSE(manual.empty());
  ASSERT_FALSE(allow_manual.empty());
  EXPECT_TRUE(std::regex_match(manual, std::regex("forbid-manual-[0-9a-f]{8}"))) << manual;
  EXPECT_EQ(annotation(get_backup(manual), "cellar.dev/trigger"), "first");
  ASSERT_TRUE(wait_for_phase(manual, "InProgress"));
  ASSERT_TRUE(wait_for_phase(allow_manual, "InProgress"));
  ASSERT_LT(Clock::now(), due) << "the set-up ran past the minute";

  std::this_thread::sleep_until(due);
  ASSERT_TRUE(eventually(
      [&] { return schedule_field("forbid", ".status.lastScheduleTime") == rfc3339(due); }, 10))
      << "lastScheduleTime did not move to the skipped time\n"
      << get_schedule("forbid").dump(2);
  ASSERT_TRUE(eventually([&] { return !events_of("forbid", "Skipped").empty(); }, 10));
  EXPECT_EQ(events_of("forbid", "Skipped")[0]["type"], "Normal");
  EXPECT_FALSE(backup_exists(scheduled_name("forbid", due)));
  EXPECT_EQ(backup_names_of("forbid"), std::vector<std::string>{manual});
  EXPECT_EQ(schedule_field("forbid", ".status.active[*].name"), manual);

  // Allow: the run is made beside the running one.
  const std::string allowed = scheduled_name("allow", due);
  EXPECT_TRUE(eventually([&] { return backup_exists(allowed); }, 10))
      << kubectl({"get", "backups"});
  EXPECT_NE(status_field(allow_manual, ".spec.cancel"), "true");
  EXPECT_TRUE(events_of("allow", "Skipped").empty());

  // A trigger is a person asking: it runs whatever the concurrency policy.
  trigger("forbid", "second");
  const std::string second = wait_for_triggered("forbid", "second");
  ASSERT_FALSE(second.empty());
  EXPECT_NE(second, manual);

  unlock_orders();
  EXPECT_TRUE(wait_for_phase(manual, "Completed"));
  EXPECT_TRUE(wait_for_phase(second, "Completed"));
  EXPECT_TRUE(wait_for_phase(allow_manual, "Completed"));
  EXPECT_TRUE(wait_for_phase(allowed, "Completed"));
}

TEST_F(ScheduleE2E, ReplaceCancelsTheRunningBackup) {
  BackupWatch watch(*cluster_, ns_);
  lock_orders();
  const auto due = coming_minute(seconds(20));
  apply_schedule("replace", "* * * * *", "  concurrencyPolicy: Replace\n", "first");
  const std::string manual = wait_for_triggered("replace", "first");
  ASSERT_FALSE(manual.empty());
  ASSERT_TRUE(wait_for_phase(manual, "InProgress"));
  ASSERT_LT(Clock::now(), due) << "the set-up ran past the minute";

  const std::string scheduled = scheduled_name("replace", due);
  auto seen = watch.added(scheduled, due + seconds(15));
  ASSERT_TRUE(seen) << "no Backup " << scheduled << "; Backups: " << kubectl({"get", "backups"});
  report_lateness("replace_lateness_ms", due, *seen);
  ASSERT_TRUE(wait_for_phase(manual, "Cancelled", 30));
  EXPECT_EQ(status_field(manual, ".spec.cancel"), "true");
  ASSERT_TRUE(eventually([&] { return !events_of("replace", "Replaced").empty(); }, 10));
  const nlohmann::json replaced = events_of("replace", "Replaced")[0];
  EXPECT_EQ(replaced["type"], "Normal");
  EXPECT_NE(replaced.value("message", "").find(manual), std::string::npos) << replaced.dump();

  // Unlocked well before the next minute, which would replace this one in turn.
  unlock_orders();
  ASSERT_TRUE(wait_for_phase(scheduled, "Completed"));
  std::vector<std::string> both = {manual, scheduled};
  std::sort(both.begin(), both.end());
  EXPECT_EQ(backup_names_of("replace"), both);
  if (Clock::now() < due + minutes(1)) {
    EXPECT_TRUE(eventually(
        [&] { return schedule_field("replace", ".status.lastBackup") == scheduled; }, 5));
  }
}

TEST_F(ScheduleE2E, SuspendedScheduleDoesNotFire) {
  apply_schedule("paused", "* * * * *", "  suspend: true\n");
  ASSERT_TRUE(eventually(
      [&] {
        nlohmann::json ready = ready_condition("paused");
        return ready.is_object() && ready["status"] == "True" && ready["reason"] == "Suspended";
      },
      15))
      << get_schedule("paused").dump(2);
  EXPECT_EQ(schedule_field("paused", ".status.nextScheduleTime"), "");

  const auto minute = coming_minute(seconds(0));
  std::this_thread::sleep_until(minute + seconds(3));
  EXPECT_EQ(backups_of("paused").size(), 0u) << kubectl({"get", "backups"});
  EXPECT_EQ(schedule_field("paused", ".status.lastScheduleTime"), "");
  EXPECT_EQ(schedule_field("paused", ".status.nextScheduleTime"), "");
  EXPECT_EQ(ready_condition("paused").value("reason", ""), "Suspended");
  EXPECT_TRUE(events_of("paused", "BackupCreated").empty());
}

TEST_F(ScheduleE2E, DowntimeWithinTheDeadlineRunsTheLatestMissedTimeOnce) {
  kill_controller(SIGTERM);
  // Daily at a time two minutes ago; the controller was "down" for three days.
  const auto due = floor_minute(Clock::now()) - minutes(2);
  const std::string hh_mm = rfc3339(due).substr(11, 5);  // "HH:MM"
  const std::string cron = std::to_string(std::stoi(hh_mm.substr(3, 2))) + " " +
                           std::to_string(std::stoi(hh_mm.substr(0, 2))) + " * * *";
  apply_schedule("daily", cron, "  startingDeadlineSeconds: 300\n");
  patch_schedule_status("daily", {{"lastScheduleTime", rfc3339(due - std::chrono::hours(72))}});
  ASSERT_EQ(schedule_field("daily", ".status.lastScheduleTime"),
            rfc3339(due - std::chrono::hours(72)));

  start_controller();
  wait_for_controller_running();
  const std::string expected = scheduled_name("daily", due);
  ASSERT_TRUE(eventually([&] { return backup_exists(expected); }, 15))
      << "no Backup " << expected << "; Backups: " << kubectl({"get", "backups"});
  ASSERT_TRUE(wait_for_phase(expected, "Completed"));
  EXPECT_EQ(backup_names_of("daily"), std::vector<std::string>{expected});
  ASSERT_TRUE(eventually(
      [&] { return !schedule_field("daily", ".status.lastSuccessfulTime").empty(); }, 10));
  nlohmann::json schedule = get_schedule("daily");
  EXPECT_EQ(status_of(schedule, "lastScheduleTime"), rfc3339(due));
  EXPECT_EQ(status_of(schedule, "nextScheduleTime"), rfc3339(due + std::chrono::hours(24)));
  EXPECT_EQ(status_of(schedule, "lastBackup"), expected);

  // Older due times passed over may be told of; the run itself is what must happen once.
  const std::size_t missed = events_of("daily", "MissedSchedule").size();
  for (const auto& e : events_of("daily", "MissedSchedule")) {
    std::cout << "MissedSchedule (" << e.value("type", "") << "): " << e.value("message", "")
              << "\n";
  }

  // Restarted again: the time was dealt with; it never runs twice.
  restart_controller();
  std::this_thread::sleep_for(seconds(3));
  EXPECT_EQ(backup_names_of("daily"), std::vector<std::string>{expected});
  EXPECT_EQ(events_of("daily", "BackupCreated").size(), 1u);
  EXPECT_EQ(events_of("daily", "MissedSchedule").size(), missed);
  EXPECT_EQ(schedule_field("daily", ".status.lastScheduleTime"), rfc3339(due));
}

TEST_F(ScheduleE2E, LostStatusWritesNeverMakeASecondBackup) {
  kill_controller(SIGTERM);
  const auto due = floor_minute(Clock::now()) - minutes(2);
  const std::string hh_mm = rfc3339(due).substr(11, 5);
  const std::string cron = std::to_string(std::stoi(hh_mm.substr(3, 2))) + " " +
                           std::to_string(std::stoi(hh_mm.substr(0, 2))) + " * * *";
  apply_schedule("flaky", cron, "  startingDeadlineSeconds: 300\n", "once");
  patch_schedule_status("flaky", {{"lastScheduleTime", rfc3339(due - std::chrono::hours(24))}});
  // The schedule's status writes fail a few times after its Backups are made: each retry must
  // find them rather than make them again.
  auto fault = cluster_->post_hook("faults",
                                   {{"failNext",
                                     {{"count", 3},
                                      {"code", 500},
                                      {"method", "PUT"},
                                      {"pathPrefix", "/apis/cellar.dev/v1alpha1/namespaces/" + ns_ +
                                                         "/backupschedules/flaky/status"}}}});
  ASSERT_TRUE(fault.ok()) << fault.error().to_string();

  start_controller();
  wait_for_controller_running();
  const std::string scheduled = scheduled_name("flaky", due);
  ASSERT_TRUE(eventually([&] { return backup_exists(scheduled); }, 15))
      << kubectl({"get", "backups"});
  const std::string triggered = wait_for_triggered("flaky", "once");
  ASSERT_FALSE(triggered.empty());
  ASSERT_TRUE(eventually(
      [&] {
        return schedule_field("flaky", ".status.lastScheduleTime") == rfc3339(due) &&
               schedule_field("flaky", ".status.lastTrigger") == "once";
      },
      20))
      << get_schedule("flaky").dump(2);
  EXPECT_TRUE(wait_for_phase(scheduled, "Completed"));
  EXPECT_TRUE(wait_for_phase(triggered, "Completed"));
  std::vector<std::string> expected = {scheduled, triggered};
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(backup_names_of("flaky"), expected);
  EXPECT_EQ(events_of("flaky", "BackupCreated").size(), 2u);
  const std::string log =
      read_file(cluster_->dir() + "/controller-" + std::to_string(controller_starts_) + ".log");
  EXPECT_NE(log.find("backupschedules/flaky/status -> 500"), std::string::npos)
      << "the fault did not hit the status write";
}

TEST_F(ScheduleE2E, DowntimePastTheDeadlineRunsNothingAndSaysMissedSchedule) {
  kill_controller(SIGTERM);
  apply_schedule("newyear", "0 0 1 1 *", "  startingDeadlineSeconds: 300\n");
  const auto two_years_ago = Clock::now() - std::chrono::hours(24 * 730);
  patch_schedule_status("newyear", {{"lastScheduleTime", rfc3339(two_years_ago)}});

  start_controller();
  wait_for_controller_running();
  ASSERT_TRUE(eventually([&] { return !events_of("newyear", "MissedSchedule").empty(); }, 15))
      << get_schedule("newyear").dump(2);
  const nlohmann::json missed = events_of("newyear", "MissedSchedule")[0];
  EXPECT_EQ(missed["type"], "Warning");
  std::cout << "MissedSchedule: " << missed.value("message", "") << "\n";
  const std::string this_new_year = rfc3339(Clock::now()).substr(0, 4) + "-01-01T00:00:00Z";
  EXPECT_TRUE(eventually(
      [&] { return schedule_field("newyear", ".status.lastScheduleTime") == this_new_year; }, 10))
      << get_schedule("newyear").dump(2);
  EXPECT_EQ(backups_of("newyear").size(), 0u) << kubectl({"get", "backups"});
  nlohmann::json ready = ready_condition("newyear");
  EXPECT_EQ(ready.value("status", ""), "True") << ready.dump();

  restart_controller();
  std::this_thread::sleep_for(seconds(3));
  EXPECT_EQ(backups_of("newyear").size(), 0u) << kubectl({"get", "backups"});
  EXPECT_EQ(events_of("newyear", "MissedSchedule").size(), 1u) << "missed once, told once";
}

TEST_F(ScheduleE2E, TriggerMakesOneBackupPerValue) {
  apply_schedule("manual", "@yearly", "", "a");
  const std::string first = wait_for_triggered("manual", "a");
  ASSERT_FALSE(first.empty());
  EXPECT_TRUE(std::regex_match(first, std::regex("manual-manual-[0-9a-f]{8}"))) << first;
  ASSERT_TRUE(wait_for_phase(first, "Completed"));
  nlohmann::json backup = get_backup(first);
  EXPECT_EQ(backup["metadata"]["labels"].value("cellar.dev/schedule", ""), "manual");
  EXPECT_FALSE(backup["metadata"].contains("ownerReferences")) << backup.dump(2);
  EXPECT_TRUE(
      eventually([&] { return schedule_field("manual", ".status.lastTrigger") == "a"; }, 10))
      << get_schedule("manual").dump(2);

  // The same value again, and other changes to the schedule, make nothing more.
  trigger("manual", "a");
  kubectl({"label", "backupschedule/manual", "touched=yes"});
  apply_schedule("manual", "@yearly", "  concurrencyPolicy: Allow\n", "a");
  std::this_thread::sleep_for(seconds(3));
  EXPECT_EQ(backup_names_of("manual"), std::vector<std::string>{first});

  trigger("manual", "b");
  const std::string second = wait_for_triggered("manual", "b");
  ASSERT_FALSE(second.empty());
  EXPECT_NE(second, first);
  ASSERT_TRUE(wait_for_phase(second, "Completed"));
  EXPECT_TRUE(
      eventually([&] { return schedule_field("manual", ".status.lastTrigger") == "b"; }, 10));
  std::this_thread::sleep_for(seconds(1));
  EXPECT_EQ(backup_names_of("manual").size(), 2u);
  EXPECT_EQ(events_of("manual", "BackupCreated").size(), 2u);
}

TEST_F(ScheduleE2E, RetentionKeepLastKeepsTheTwoNewestAndTheirDumps) {
  apply_schedule("kept", "@yearly", "  retention:\n    keepLast: 2\n");
  std::vector<std::string> names;
  std::vector<std::string> files;
  for (int i = 1; i <= 4; ++i) {
    // Triggered Backups are placed by their creation time, which has whole seconds.
    if (i > 1) std::this_thread::sleep_for(milliseconds(1100));
    trigger("kept", "t" + std::to_string(i));
    const std::string name = wait_for_triggered("kept", "t" + std::to_string(i));
    ASSERT_FALSE(name.empty());
    ASSERT_TRUE(wait_for_phase(name, "Completed"));
    names.push_back(name);
    files.push_back(file_of(status_field(name, ".status.location")));
  }
  for (int i = 0; i < 2; ++i) {
    CommandResult gone =
        kubectl_result({"wait", "--for=delete", "backup/" + names[i], "--timeout=60s"});
    EXPECT_TRUE(gone.exit_code == 0 || !backup_exists(names[i])) << gone.describe();
  }
  std::this_thread::sleep_for(seconds(1));  // a wrong extra deletion would show by now
  std::vector<std::string> kept = {names[2], names[3]};
  std::sort(kept.begin(), kept.end());
  EXPECT_EQ(backup_names_of("kept"), kept);
  EXPECT_EQ(files_in(claim_folder() + "/kept"), (std::set<std::string>{files[2], files[3]}));

  std::vector<nlohmann::json> pruned = events_of("kept", "Pruned");
  EXPECT_EQ(pruned.size(), 2u);
  std::string messages;
  for (const auto& e : pruned) messages += e.value("message", "") + "\n";
  EXPECT_NE(messages.find(names[0]), std::string::npos) << messages;
  EXPECT_NE(messages.find(names[1]), std::string::npos) << messages;
  EXPECT_EQ(schedule_field("kept", ".status.lastTrigger"), "t4");
}

TEST_F(ScheduleE2E, FailedBackupSaysBackupFailedAndOnlyTheFailedHistoryLimitIsKept) {
  // No keep* rule: Completed Backups stay; failed history is trimmed to its limit.
  apply_schedule("failing", "@yearly", "  retention:\n    failedHistoryLimit: 1\n", "ok1");
  const std::string ok1 = wait_for_triggered("failing", "ok1");
  ASSERT_FALSE(ok1.empty());
  ASSERT_TRUE(wait_for_phase(ok1, "Completed"));

  apply_secret_and_claim("not-the-password");
  std::vector<std::string> failed;
  for (const char* value : {"bad1", "bad2"}) {
    std::this_thread::sleep_for(milliseconds(1100));  // creation times a second apart
    trigger("failing", value);
    const std::string name = wait_for_triggered("failing", value);
    ASSERT_FALSE(name.empty());
    ASSERT_TRUE(wait_for_phase(name, "Failed"));
    failed.push_back(name);
    ASSERT_TRUE(eventually(
        [&] {
          nlohmann::json ready = ready_condition("failing");
          return ready.is_object() && ready.value("reason", "") == "BackupFailed" &&
                 ready.value("message", "").find(name) != std::string::npos;
        },
        10))
        << get_schedule("failing").dump(2);
    nlohmann::json ready = ready_condition("failing");
    EXPECT_EQ(ready.value("status", ""), "False");
    EXPECT_NE(ready.value("message", "").find("password authentication failed"), std::string::npos)
        << ready.dump();
  }
  CommandResult gone =
      kubectl_result({"wait", "--for=delete", "backup/" + failed[0], "--timeout=60s"});
  EXPECT_TRUE(gone.exit_code == 0 || !backup_exists(failed[0])) << gone.describe();
  std::vector<std::string> expected = {ok1, failed[1]};
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(backup_names_of("failing"), expected);
  EXPECT_EQ(events_of("failing", "Pruned").size(), 1u);

  // A success after the failures makes the schedule Ready again.
  apply_secret_and_claim("s3cret-app-pw");
  std::this_thread::sleep_for(milliseconds(1100));
  trigger("failing", "ok2");
  const std::string ok2 = wait_for_triggered("failing", "ok2");
  ASSERT_FALSE(ok2.empty());
  ASSERT_TRUE(wait_for_phase(ok2, "Completed"));
  CommandResult r = kubectl_result(
      {"wait", "--for=condition=Ready=true", "backupschedule/failing", "--timeout=30s"});
  EXPECT_EQ(r.exit_code, 0) << r.describe();
  EXPECT_EQ(backup_names_of("failing").size(), 3u);
}

TEST_F(ScheduleE2E, InvalidScheduleAndTimeZoneAreReportedAndOthersKeepWorking) {
  apply_schedule("bad-cron", "61 * * * *");
  apply_schedule("bad-tz", "0 * * * *", "  timeZone: Mars/Olympus\n");
  apply_schedule("good", "@yearly", "", "go");

  CommandResult r = kubectl_result(
      {"wait", "--for=condition=Ready=false", "backupschedule/bad-cron", "--timeout=30s"});
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  nlohmann::json ready = ready_condition("bad-cron");
  EXPECT_EQ(ready.value("reason", ""), "InvalidSchedule");
  const std::string message = ready.value("message", "");
  EXPECT_TRUE(message.starts_with("spec.schedule: ")) << message;
  EXPECT_NE(message.find("61 is out of range 0-59"), std::string::npos) << message;
  EXPECT_NE(message.find("minute"), std::string::npos) << message;
  EXPECT_EQ(schedule_field("bad-cron", ".status.nextScheduleTime"), "");

  r = kubectl_result(
      {"wait", "--for=condition=Ready=false", "backupschedule/bad-tz", "--timeout=30s"});
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  ready = ready_condition("bad-tz");
  EXPECT_EQ(ready.value("reason", ""), "InvalidTimeZone");
  EXPECT_NE(ready.value("message", "").find("Mars/Olympus"), std::string::npos) << ready.dump();
  EXPECT_EQ(schedule_field("bad-tz", ".status.nextScheduleTime"), "");

  // Beside them, a valid schedule works.
  const std::string made = wait_for_triggered("good", "go");
  ASSERT_FALSE(made.empty());
  EXPECT_TRUE(wait_for_phase(made, "Completed"));
  r = kubectl_result(
      {"wait", "--for=condition=Ready=true", "backupschedule/good", "--timeout=30s"});
  EXPECT_EQ(r.exit_code, 0) << r.describe();
  EXPECT_EQ(backups_of("bad-cron").size() + backups_of("bad-tz").size(), 0u);

  // Fixed, the schedule is Ready again.
  apply_schedule("bad-cron", "*/5 * * * *");
  r = kubectl_result(
      {"wait", "--for=condition=Ready=true", "backupschedule/bad-cron", "--timeout=30s"});
  EXPECT_EQ(r.exit_code, 0) << r.describe();
  EXPECT_EQ(ready_condition("bad-cron").value("reason", ""), "Scheduled");
  EXPECT_NE(schedule_field("bad-cron", ".status.nextScheduleTime"), "");
  EXPECT_EQ(schedule_field("bad-cron", ".status.observedGeneration"), "2");
}

TEST_F(ScheduleE2E, KubectlGetShowsTheColumns) {
  apply_schedule("cols", "0 3 * * *", "  timeZone: Europe/Paris\n");
  CommandResult r = kubectl_result(
      {"wait", "--for=condition=Ready=true", "backupschedule/cols", "--timeout=30s"});
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  const std::string next = schedule_field("cols", ".status.nextScheduleTime");
  ASSERT_FALSE(next.empty());

  const std::string table = kubectl({"get", "bks"});
  std::cout << table;
  const std::string header = table.substr(0, table.find('\n'));
  std::size_t at = 0;
  for (const char* column :
       {"NAME", "SCHEDULE", "TIMEZONE", "SUSPEND", "LAST SUCCESS", "NEXT", "AGE"}) {
    std::size_t found = header.find(column, at);
    EXPECT_NE(found, std::string::npos) << column << " in order in: " << header;
    if (found != std::string::npos) at = found;
  }
  EXPECT_EQ(header.find("MESSAGE"), std::string::npos) << header;
  const std::string row = table.substr(table.find('\n') + 1);
  for (const std::string& cell : {std::string("cols"), std::string("0 3 * * *"),
                                  std::string("Europe/Paris"), std::string("false"), next}) {
    EXPECT_NE(row.find(cell), std::string::npos) << cell << " in: " << row;
  }
  const std::string wide = kubectl({"get", "bks", "-o", "wide"});
  std::cout << wide;
  EXPECT_NE(wide.find("MESSAGE"), std::string::npos) << wide;
  EXPECT_NE(wide.find("Next backup at " + next), std::string::npos) << wide;
}

TEST_F(ScheduleE2E, IdleScheduleControllerMakesNoWrites) {
  // One of each resting state: kept Backups, suspended, invalid, failed.
  apply_schedule("idle", "@yearly", "  retention:\n    keepLast: 1\n", "once");
  apply_schedule("idle-suspended", "* * * * *", "  suspend: true\n");
  apply_schedule("idle-invalid", "61 * * * *");
  const std::string made = wait_for_triggered("idle", "once");
  ASSERT_FALSE(made.empty());
  ASSERT_TRUE(wait_for_phase(made, "Completed"));
  ASSERT_TRUE(eventually(
      [&] { return !schedule_field("idle", ".status.lastSuccessfulTime").empty(); }, 10));
  CommandResult r = kubectl_result(
      {"wait", "--for=condition=Ready=false", "backupschedule/idle-invalid", "--timeout=30s"});
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  r = kubectl_result(
      {"wait", "--for=condition=Ready=true", "backupschedule/idle-suspended", "--timeout=30s"});
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  std::this_thread::sleep_for(seconds(2));  // anything the completion set off is done
  reset_stats();
  std::this_thread::sleep_for(seconds(10));
  EXPECT_EQ(controller_writes(), 0);
}

// backupOwnerReference defaults to none: deleting a schedule (a GitOps prune, a rename) leaves its
// Backups and their dumps.
TEST_F(ScheduleE2E, DeletingTheScheduleLeavesItsBackupsAndTheirDumps) {
  apply_schedule("kept", "@yearly", "  retention: {keepLast: 1}\n", "one");
  const std::string made = wait_for_triggered("kept", "one");
  ASSERT_FALSE(made.empty());
  ASSERT_TRUE(wait_for_phase(made, "Completed"));
  ASSERT_EQ(files_in(claim_folder() + "/kept").size(), 1u);
  EXPECT_FALSE(get_backup(made)["metadata"].contains("ownerReferences"));

  kubectl({"delete", "backupschedule/kept", "--timeout=60s"});
  std::this_thread::sleep_for(seconds(3));  // what a cascade would have done, it has done
  EXPECT_TRUE(backup_exists(made));
  EXPECT_EQ(status_field(made, ".status.phase"), "Completed");
  EXPECT_EQ(files_in(claim_folder() + "/kept").size(), 1u);
}

TEST_F(ScheduleE2E, WithBackupOwnerReferenceScheduleDeletingItDeletesItsBackupsAndTheirDumps) {
  apply_schedule("gone", "@yearly", "  backupOwnerReference: schedule\n", "one");
  const std::string made = wait_for_triggered("gone", "one");
  ASSERT_FALSE(made.empty());
  ASSERT_TRUE(wait_for_phase(made, "Completed"));
  ASSERT_EQ(files_in(claim_folder() + "/gone").size(), 1u);

  kubectl({"delete", "backupschedule/gone", "--timeout=60s"});
  CommandResult gone = kubectl_result({"wait", "--for=delete", "backup/" + made, "--timeout=60s"});
  EXPECT_TRUE(gone.exit_code == 0 || !backup_exists(made)) << gone.describe();
  EXPECT_EQ(files_in(claim_folder() + "/gone").size(), 0u);
}

// Names a schedule derives (<schedule>-<yyyymmddhhmm>, <schedule>-manual-<hash>, the Job, the
// labels) stay legal whatever the schedule's own legal name.
TEST_F(ScheduleE2E, AScheduleWithAFiftyFiveCharacterNameMakesBackupsThatComplete) {
  const std::string name = "warehouse-orders-nightly-to-the-cold-storage-claim-0001";
  ASSERT_EQ(name.size(), 55u);
  apply_schedule(name, "@yearly", "  retention: {keepLast: 1}\n", "first");
  const std::string first = wait_for_triggered(name, "first");
  ASSERT_FALSE(first.empty());
  EXPECT_GT(first.size(), 63u);
  ASSERT_TRUE(wait_for_phase(first, "Completed"));
  // Retention finds it by the label: a second Backup prunes the first.
  trigger(name, "second");
  const std::string second = wait_for_triggered(name, "second");
  ASSERT_FALSE(second.empty());
  ASSERT_TRUE(wait_for_phase(second, "Completed"));
  EXPECT_TRUE(eventually([&] { return !backup_exists(first); }, 30));
  EXPECT_TRUE(eventually([&] { return files_in(claim_folder() + "/" + name).size() == 1; }, 30));
  const nlohmann::json ready = ready_condition(name);
  EXPECT_EQ(ready.value("status", ""), "True") << ready.dump();
  EXPECT_EQ(schedule_field(name, ".status.lastBackup"), second);
}

// A Backup the schedule makes is reconciled from the create's answer: its Job does not wait for
// the Backup's watch event, held back here by two seconds (watchDelayMs) as kube-apiserver's
// watchers lag its writers; and that event, when it comes, makes no second Job.
TEST_F(ScheduleE2E, AScheduledBackupsJobWaitsForNoWatchEventAndIsMadeOnce) {
  apply_schedule("prompt", "@yearly");
  ASSERT_TRUE(eventually([&] { return !ready_condition("prompt").is_null(); }, 15));
  ASSERT_TRUE(cluster_->post_hook("faults", {{"watchDelayMs", 2000}}).ok());
  reset_stats();
  trigger("prompt", "now");
  const std::string name = wait_for_triggered("prompt", "now", 30);
  ASSERT_FALSE(name.empty());
  ASSERT_TRUE(wait_for_phase(name, "Completed"));
  std::this_thread::sleep_for(seconds(3));  // every delayed event delivered, and acted on
  ASSERT_TRUE(cluster_->post_hook("faults", {{"reset", true}}).ok());

  auto writes = cluster_->get_hook("writes");
  ASSERT_TRUE(writes.ok()) << writes.error().to_string();
  long long backup_at = -1;
  std::vector<std::pair<long long, int>> job_posts;  // when, answered with
  for (const auto& w : (*writes)["writes"]) {
    if (w.value("userAgent", "") != "cellar-controller" || w.value("method", "") != "POST") {
      continue;
    }
    const std::string path = w.value("path", "");
    if (path.ends_with("/backups") && w.value("code", 0) == 201) backup_at = w["micros"];
    if (path.ends_with("/jobs")) job_posts.emplace_back(w["micros"], w.value("code", 0));
  }
  ASSERT_GE(backup_at, 0) << writes->dump();
  ASSERT_EQ(job_posts.size(), 1u) << "one POST of the Job, never a second: " << writes->dump();
  EXPECT_EQ(job_posts[0].second, 201);
  EXPECT_LT(job_posts[0].first - backup_at, 1000 * 1000)
      << "the Job waited for the Backup's watch event (microseconds after the Backup's POST)";
  auto stats = cluster_->get_hook("stats");
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->value("/readsByUserAgent/cellar-controller/jobs.batch/get"_json_pointer, 0), 0)
      << "a Job of that name was looked for: its create was refused";
}

}  // namespace
}  // namespace cellar::testing
