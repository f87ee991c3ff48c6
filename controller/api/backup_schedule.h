// The BackupSchedule resource (cellar.dev/v1alpha1): spec and status as plain structs, read from
// and written to JSON. DESIGN.md fixes the fields; crds/backupschedules.cellar.dev.yaml is their
// schema.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "controller/api/backup.h"
#include "controller/api/condition.h"
#include "controller/api/object_meta.h"

namespace cellar::api {

// The Backups a schedule makes carry this label, whose value is kube::label_value_for(<schedule
// name>) — the name itself when it has at most 63 characters. It is what ties them to the
// schedule: retention counts and prunes the Backups that carry it.
inline constexpr const char* kScheduleLabel = "cellar.dev/schedule";
// Changing this annotation on a schedule to a new value makes one Backup for that value.
inline constexpr const char* kTriggerAnnotation = "cellar.dev/trigger";

enum class ConcurrencyPolicy { kForbid, kAllow, kReplace };

// spec.backupOwnerReference: whether the Backups a schedule makes are owned by it, and so
// deleted, with their dumps, when it is. None by default: deleting (or renaming, or pruning from
// Git) a schedule must not destroy its history.
enum class BackupOwnerReference { kNone, kSchedule };

struct RetentionSpec {
  int keep_last = 0;
  int keep_hourly = 0;
  int keep_daily = 0;
  int keep_weekly = 0;
  int keep_monthly = 0;
  int keep_yearly = 0;
  int failed_history_limit = 3;
  bool operator==(const RetentionSpec&) const = default;
};

// spec.notifications[].events: what a notification is sent for.
enum class NotificationEvent { kCompleted, kFailed, kCancelled, kMissedSchedule };
const char* to_string(NotificationEvent event);

enum class WebhookFormat { kJson, kSlack };

// spec.notifications[]: a webhook told of the events listed. The URL is in a Secret, never in
// the spec: webhook URLs carry tokens.
struct Notification {
  std::string name;  // unique within the schedule; names its cellar.dev/notified-<name> mark
  std::vector<NotificationEvent> events;
  SecretKeyRef url_secret_ref;
  WebhookFormat format = WebhookFormat::kJson;
  bool wants(NotificationEvent event) const;
  bool operator==(const Notification&) const = default;
};

struct BackupScheduleSpec {
  std::string schedule;
  std::string time_zone = "UTC";
  bool suspend = false;
  ConcurrencyPolicy concurrency_policy = ConcurrencyPolicy::kForbid;
  std::optional<int64_t> starting_deadline_seconds;
  // The spec of each Backup made; its deletionPolicy defaults to Delete, unlike a Backup's own.
  BackupSpec backup_template;
  RetentionSpec retention;
  BackupOwnerReference backup_owner_reference = BackupOwnerReference::kNone;
  std::vector<Notification> notifications;
  bool operator==(const BackupScheduleSpec&) const = default;
};

struct BackupScheduleStatus {
  // The most recent due time dealt with (RFC 3339): run, skipped under Forbid, or missed past
  // the starting deadline. Due times at or before it are never run.
  std::string last_schedule_time;
  std::string last_successful_time;
  std::string next_schedule_time;
  std::vector<std::string> active;  // names of this schedule's Pending/InProgress Backups
  std::string last_backup;
  // The cellar.dev/trigger value last answered with a Backup: a value is answered once, even
  // after retention has deleted its Backup.
  std::string last_trigger;
  int64_t observed_generation = 0;
  std::vector<Condition> conditions;
  bool operator==(const BackupScheduleStatus&) const = default;
};

struct BackupSchedule {
  ObjectMeta meta;
  BackupScheduleSpec spec;
  // What is wrong with the spec (cron and time zone excepted: the schedule engine words those),
  // one sentence each; empty when usable.
  std::vector<std::string> spec_errors;
  BackupScheduleStatus status;
};

BackupSchedule parse_backup_schedule(const nlohmann::json& object);
nlohmann::json to_json(const BackupScheduleStatus& status);
BackupScheduleStatus parse_backup_schedule_status(const nlohmann::json& status);

}  // namespace cellar::api
