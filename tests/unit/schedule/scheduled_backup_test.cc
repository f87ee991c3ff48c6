#include "controller/schedule/scheduled_backup.h"

#include <gtest/gtest.h>

#include "controller/api/timestamps.h"

namespace cellar::schedule {
namespace {

api::BackupSchedule nightly(const char* deletion_policy, const char* owner_reference = nullptr,
                            const std::string& name = "nightly") {
  nlohmann::json object = {
      {"apiVersion", "cellar.dev/v1alpha1"},
      {"kind", "BackupSchedule"},
      {"metadata", {{"name", name}, {"namespace", "shop"}, {"uid", "sched-uid"}}},
      {"spec",
       {{"schedule", "0 2 * * *"},
        {"backupTemplate",
         {{"database",
           {{"host", "db.shop"},
            {"name", "shop"},
            {"user", "app"},
            {"passwordSecretRef", {{"name", "db"}, {"key", "password"}}}}},
          {"storage", {{"persistentVolumeClaim", {{"claimName", "dumps"}}}}}}}}}};
  if (deletion_policy) object["spec"]["backupTemplate"]["deletionPolicy"] = deletion_policy;
  if (owner_reference) object["spec"]["backupOwnerReference"] = owner_reference;
  return api::parse_backup_schedule(object);
}

TEST(ScheduledBackupTest, CarriesLabelTimeAndTemplate) {
  const auto s = nightly(nullptr);
  ASSERT_TRUE(s.spec_errors.empty());
  auto t = *api::parse_rfc3339("2026-11-21T02:00:00Z");
  nlohmann::json b = make_backup(s, {"nightly-202611210200", t, "", {}});
  EXPECT_EQ(b["apiVersion"], "cellar.dev/v1alpha1");
  EXPECT_EQ(b["kind"], "Backup");
  const auto& meta = b["metadata"];
  EXPECT_EQ(meta["name"], "nightly-202611210200");
  EXPECT_EQ(meta["namespace"], "shop");
  EXPECT_EQ(meta["labels"]["cellar.dev/schedule"], "nightly");
  EXPECT_EQ(meta["annotations"]["cellar.dev/scheduled-at"], "2026-11-21T02:00:00Z");
  EXPECT_FALSE(meta["annotations"].contains("cellar.dev/trigger"));
  // backupOwnerReference defaults to none: the Backup outlives its schedule.
  EXPECT_FALSE(meta.contains("ownerReferences"));
  // Scheduled dumps default to Delete, so the finalizer that removes the file is there at birth.
  EXPECT_EQ(meta["finalizers"], nlohmann::json::array({"cellar.dev/delete-dump"}));
  EXPECT_EQ(b["spec"]["deletionPolicy"], "Delete");
  EXPECT_EQ(b["spec"]["database"]["host"], "db.shop");
  EXPECT_EQ(b["spec"]["storage"]["persistentVolumeClaim"]["claimName"], "dumps");
  EXPECT_EQ(b["spec"]["cancel"], false);
}

TEST(ScheduledBackupTest, OwnedByTheScheduleOnlyWhenAskedTo) {
  const auto s = nightly(nullptr, "schedule");
  ASSERT_TRUE(s.spec_errors.empty());
  nlohmann::json meta = make_backup(s, {"nightly-202611210200", {}, "", {}})["metadata"];
  ASSERT_EQ(meta["ownerReferences"].size(), 1u);
  EXPECT_EQ(meta["ownerReferences"][0]["kind"], "BackupSchedule");
  EXPECT_EQ(meta["ownerReferences"][0]["name"], "nightly");
  EXPECT_EQ(meta["ownerReferences"][0]["uid"], "sched-uid");
  EXPECT_EQ(meta["ownerReferences"][0]["controller"], true);
  EXPECT_FALSE(make_backup(nightly(nullptr, "none"), {"n", {}, "", {}})["metadata"].contains(
      "ownerReferences"));
}

TEST(ScheduledBackupTest, AnUnknownOwnerReferencePolicyIsASpecError) {
  const auto s = nightly(nullptr, "always");
  ASSERT_EQ(s.spec_errors.size(), 1u);
  EXPECT_EQ(s.spec_errors[0],
            "spec.backupOwnerReference must be one of none, schedule (it is \"always\")");
}

TEST(ScheduledBackupTest, ALongScheduleNameGivesAValidLabelValue) {
  const std::string name(70, 'n');
  nlohmann::json meta = make_backup(nightly(nullptr, nullptr, name), {"x", {}, "", {}})["metadata"];
  const std::string label = meta["labels"]["cellar.dev/schedule"];
  EXPECT_EQ(label.size(), 63u);
  EXPECT_EQ(label.substr(0, 52), name.substr(0, 52));
  EXPECT_NE(label, make_backup(nightly(nullptr, nullptr, name + "x"),
                               {"x", {}, "", {}})["metadata"]["labels"]["cellar.dev/schedule"]);
}

TEST(ScheduledBackupTest, RetainHasNoFinalizerAndATriggerIsCopied) {
  nlohmann::json b = make_backup(nightly("Retain"), {"nightly-manual-0badcafe", {}, "v2", {}});
  EXPECT_FALSE(b["metadata"].contains("finalizers"));
  EXPECT_EQ(b["metadata"]["annotations"]["cellar.dev/trigger"], "v2");
  EXPECT_FALSE(b["metadata"]["annotations"].contains("cellar.dev/scheduled-at"));
  EXPECT_EQ(b["spec"]["deletionPolicy"], "Retain");
}

TEST(ScheduledBackupTest, TheMadeObjectParsesBackToTheTemplate) {
  const auto s = nightly(nullptr);
  api::Backup b = api::parse_backup(make_backup(s, {"x", {}, "", {}}));
  EXPECT_TRUE(b.spec_errors.empty());
  EXPECT_EQ(b.spec, s.spec.backup_template);
}

TEST(ScheduledBackupTest, TimeIsTheDueTimeElseTheCreationTime) {
  api::ObjectMeta meta;
  meta.creation_timestamp = "2026-11-21T02:00:03Z";
  EXPECT_EQ(api::format_rfc3339(*backup_time(meta)), "2026-11-21T02:00:03Z");
  meta.annotations[kScheduledAtAnnotation] = "2026-11-21T02:00:00Z";
  EXPECT_EQ(api::format_rfc3339(*backup_time(meta)), "2026-11-21T02:00:00Z");
  meta.annotations[kScheduledAtAnnotation] = "not a time";
  EXPECT_EQ(api::format_rfc3339(*backup_time(meta)), "2026-11-21T02:00:03Z");
  meta.creation_timestamp.clear();
  EXPECT_FALSE(backup_time(meta));
}

// Two Backups asked for within one second share a creationTimestamp; the request time, to the
// millisecond, still orders them, so retention keeps the one asked for last.
TEST(ScheduledBackupTest, ABackupAskedForByHandCarriesItsRequestTimeToTheMillisecond) {
  using namespace std::chrono;
  const auto at =
      sys_days{2026y / 11 / 28} + hours{14} + minutes{34} + seconds{2} + milliseconds{143};
  nlohmann::json b = make_backup(nightly(nullptr), {"nightly-manual-0badcafe", {}, "v2", at});
  EXPECT_EQ(b["metadata"]["annotations"]["cellar.dev/requested-at"], "2026-11-28T14:34:02.143Z");
  api::Backup parsed = api::parse_backup(b);
  parsed.meta.creation_timestamp = "2026-11-28T14:34:02Z";
  EXPECT_EQ(*backup_time(parsed.meta), at);

  // A due time wins over a request time: a scheduled Backup is placed where it was due.
  b = make_backup(nightly(nullptr), {"nightly-202611280200", at - hours{12}, "", at});
  EXPECT_FALSE(b["metadata"]["annotations"].contains("cellar.dev/requested-at"));
}

}  // namespace
}  // namespace cellar::schedule
