#include "controller/api/backup_schedule.h"

#include <gtest/gtest.h>

#include "tests/unit/backup/backup_fixtures.h"

namespace cellar::api {
namespace {

using json = nlohmann::json;

class BackupScheduleTest : public ::testing::Test {
 protected:
  BackupScheduleTest() {
    json backup = backup::testing::backup_json();
    doc_ = {{"apiVersion", kApiVersion},
            {"kind", "BackupSchedule"},
            {"metadata", {{"name", "nightly"}, {"namespace", "shop"}, {"generation", 2}}},
            {"spec", {{"schedule", "H 2 * * *"}, {"backupTemplate", backup["spec"]}}}};
    doc_["spec"]["backupTemplate"].erase("deletionPolicy");
  }
  BackupSchedule parse() { return parse_backup_schedule(doc_); }
  json& spec() { return doc_["spec"]; }

  json doc_;
};

TEST_F(BackupScheduleTest, DefaultsAreThoseOfTheSchema) {
  BackupSchedule s = parse();
  EXPECT_TRUE(s.spec_errors.empty());
  EXPECT_EQ(s.spec.schedule, "H 2 * * *");
  EXPECT_EQ(s.spec.time_zone, "UTC");
  EXPECT_FALSE(s.spec.suspend);
  EXPECT_EQ(s.spec.concurrency_policy, ConcurrencyPolicy::kForbid);
  EXPECT_FALSE(s.spec.starting_deadline_seconds);
  EXPECT_EQ(s.spec.retention.failed_history_limit, 3);
}

TEST_F(BackupScheduleTest, ScheduledDumpsAreDeletedWithTheirBackupsByDefault) {
  EXPECT_EQ(parse().spec.backup_template.deletion_policy, DeletionPolicy::kDelete);
  spec()["backupTemplate"]["deletionPolicy"] = "Retain";
  EXPECT_EQ(parse().spec.backup_template.deletion_policy, DeletionPolicy::kRetain);
}

TEST_F(BackupScheduleTest, ReadsEveryField) {
  spec()["timeZone"] = "Europe/Paris";
  spec()["suspend"] = true;
  spec()["concurrencyPolicy"] = "Replace";
  spec()["startingDeadlineSeconds"] = 300;
  spec()["retention"] = {{"keepLast", 2}, {"keepDaily", 7}, {"failedHistoryLimit", 1}};
  BackupSchedule s = parse();
  EXPECT_TRUE(s.spec_errors.empty());
  EXPECT_EQ(s.spec.time_zone, "Europe/Paris");
  EXPECT_TRUE(s.spec.suspend);
  EXPECT_EQ(s.spec.concurrency_policy, ConcurrencyPolicy::kReplace);
  EXPECT_EQ(s.spec.starting_deadline_seconds, 300);
  EXPECT_EQ(s.spec.retention, (RetentionSpec{2, 0, 7, 0, 0, 0, 1}));
}

TEST_F(BackupScheduleTest, TemplateErrorsNameTheirFullPath) {
  spec()["backupTemplate"]["database"].erase("host");
  spec()["concurrencyPolicy"] = "Sometimes";
  spec()["retention"] = {{"keepLast", -1}};
  EXPECT_EQ(
      parse().spec_errors,
      (std::vector<std::string>{
          "spec.concurrencyPolicy must be one of Forbid, Allow, Replace (it is \"Sometimes\")",
          "spec.backupTemplate.database.host is required",
          "spec.retention.keepLast must be a whole number from 0 (it is -1)"}));
}

TEST_F(BackupScheduleTest, StatusRoundTripsThroughJson) {
  BackupScheduleStatus s;
  s.last_schedule_time = "2026-11-21T02:37:00Z";
  s.next_schedule_time = "2026-11-22T02:37:00Z";
  s.active = {"nightly-202611210237"};
  s.last_backup = "nightly-202611210237";
  s.observed_generation = 2;
  s.conditions.push_back({"Ready", "True", 2, "2026-11-21T02:37:00Z", "Scheduled", "next 02:37"});
  EXPECT_EQ(parse_backup_schedule_status(to_json(s)), s);
  EXPECT_EQ(to_json(s)["active"][0]["name"], "nightly-202611210237");
}

TEST_F(BackupScheduleTest, ReadsNotifications) {
  spec()["notifications"] = {
      {{"name", "ops"},
       {"events", {"Failed", "MissedSchedule", "Failed"}},
       {"webhook", {{"urlSecretRef", {{"name", "hooks"}, {"key", "slack"}}}, {"format", "slack"}}}},
      {{"name", "ping"},
       {"events", {"Completed"}},
       {"webhook", {{"urlSecretRef", {{"name", "hooks"}, {"key", "hc"}}}}}}};
  BackupSchedule s = parse();
  EXPECT_TRUE(s.spec_errors.empty());
  ASSERT_EQ(s.spec.notifications.size(), 2u);
  const Notification& ops = s.spec.notifications[0];
  EXPECT_EQ(ops.name, "ops");
  EXPECT_EQ(ops.events, (std::vector<NotificationEvent>{NotificationEvent::kFailed,
                                                        NotificationEvent::kMissedSchedule}));
  EXPECT_EQ(ops.url_secret_ref, (SecretKeyRef{"hooks", "slack"}));
  EXPECT_EQ(ops.format, WebhookFormat::kSlack);
  EXPECT_TRUE(ops.wants(NotificationEvent::kMissedSchedule));
  EXPECT_FALSE(ops.wants(NotificationEvent::kCompleted));
  EXPECT_EQ(s.spec.notifications[1].format, WebhookFormat::kJson);
}

TEST_F(BackupScheduleTest, NoNotificationsByDefault) {
  EXPECT_TRUE(parse().spec.notifications.empty());
}

TEST_F(BackupScheduleTest, NotificationErrorsNameTheField) {
  spec()["notifications"] = {
      {{"name", "Ops!"},
       {"events", {"Finished"}},
       {"webhook", {{"urlSecretRef", {{"name", "hooks"}}}, {"format", "xml"}}}},
      {{"name", "a"}, {"events", json::array()}},
      {{"name", "b"},
       {"events", {"Failed"}},
       {"webhook", {{"urlSecretRef", {{"name", "h"}, {"key", "k"}}}}}},
      {{"name", "b"},
       {"events", {"Failed"}},
       {"webhook", {{"urlSecretRef", {{"name", "h"}, {"key", "k"}}}}}}};
  BackupSchedule s = parse();
  EXPECT_EQ(s.spec_errors,
            (std::vector<std::string>{
                "spec.notifications[0].name must be lower-case letters, digits and '-', at most "
                "40 characters (it is \"Ops!\")",
                "spec.notifications[0].events[0] must be one of Completed, Failed, Cancelled, "
                "MissedSchedule (it is \"Finished\")",
                "spec.notifications[0].webhook.urlSecretRef.key is required",
                "spec.notifications[0].webhook.format must be one of json, slack (it is \"xml\")",
                "spec.notifications[1].events must list at least one of Completed, Failed, "
                "Cancelled, MissedSchedule",
                "spec.notifications[1].webhook is required",
                "spec.notifications[3].name must be unique within the schedule (\"b\" is used "
                "twice)"}));
  ASSERT_EQ(s.spec.notifications.size(), 1u);
  EXPECT_EQ(s.spec.notifications[0].name, "b");
}

}  // namespace
}  // namespace cellar::api
