// What one BackupSchedule should have now: the pure decision behind the schedule reconciler.
// From the schedule, the Backups it owns and the clock it works out which Backups to make (a due
// time, a new trigger value), which running Backup to cancel (Replace), which to delete
// (retention), the status to write, the Events a person would want, and when to look again.
// No I/O and no clock of its own, so unit tests call it with plain structs.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "controller/api/backup.h"
#include "controller/api/backup_schedule.h"
#include "controller/kube/event.h"
#include "controller/schedule/scheduled_backup.h"

namespace cellar::schedule {

// What the plan needs to know of one Backup the schedule owns.
struct OwnedBackup {
  std::string name;
  std::string uid;
  api::Phase phase = api::Phase::kNone;
  // Where retention places it: its cellar.dev/scheduled-at annotation, else its creation time.
  std::optional<std::chrono::system_clock::time_point> time;
  std::string completion_time;  // RFC 3339, when Completed
  std::string message;          // status.message
  bool being_deleted = false;
  bool cancel_requested = false;  // spec.cancel
};

OwnedBackup owned_backup(const api::Backup& backup);

struct ScheduleInput {
  const api::BackupSchedule* schedule = nullptr;
  std::vector<OwnedBackup> backups;  // those whose controller ownerReference is the schedule
  std::chrono::system_clock::time_point now;
};

struct SchedulePlan {
  // Each is announced by created_event() once the API server has taken it; one that already
  // exists (made by an earlier pass) is not announced again.
  std::vector<BackupOrigin> create;
  std::vector<std::string> cancel;  // set spec.cancel on these (Replace)
  std::vector<std::string> remove;  // delete these (retention)
  api::BackupScheduleStatus status;
  std::vector<kube::Event> events;
  // Due times that passed without a run (the MissedSchedule Events say which).
  int missed = 0;
  // The next due time to wake up at; nullopt when only a change can bring work.
  std::optional<std::chrono::system_clock::time_point> wake_at;
};

SchedulePlan plan_schedule(const ScheduleInput& input);

// The Ready reason (and Event) when the API server refused a Backup the plan made.
inline constexpr const char* kBackupRejected = "BackupRejected";

// Amends `plan` after the API server refused `origin` with an answer retrying cannot change (422
// from the Backup's schema or rules, 403): it is not active, Ready turns False with the server's
// words (and stays so until the spec changes or a Backup is made), and a Warning Event says it.
// The due time or trigger counts as dealt with, so it is not retried in a loop.
void reject_backup(SchedulePlan& plan, const api::BackupSchedule& schedule,
                   const BackupOrigin& origin, const std::string& server_message,
                   std::chrono::system_clock::time_point now);

// The Event "BackupCreated" for a Backup the plan made, naming its due time or trigger.
kube::Event created_event(const BackupOrigin& origin);

}  // namespace cellar::schedule
