// When a BackupSchedule makes a Backup: the pure decision, from its cron schedule, its time zone,
// the last time it ran and the clock, of which scheduled time (if any) to run now, what was
// missed, and when to look again. The reconciler wakes at `next` through the work queue's delayed
// add — nothing polls — and after downtime this finds the one missed time worth running.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "controller/api/backup_schedule.h"
#include "controller/schedule/cron.h"
#include "controller/schedule/cron_next.h"

namespace cellar::schedule {

struct FiringInput {
  const CronSchedule* cron = nullptr;
  const date::time_zone* zone = nullptr;
  // Scheduled times at or before this are never run again: status.lastScheduleTime, or the
  // schedule's creation time when it never ran.
  Instant since;
  Instant now;
  // startingDeadlineSeconds: a due time older than this is not run.
  std::optional<std::chrono::seconds> starting_deadline;
};

struct Firing {
  // The scheduled time to make a Backup for now: the most recent due time, never an older one,
  // so a controller that was down runs at most once on its return.
  std::optional<Instant> run;
  // Due times since `since` that will never run: older ones passed over for the most recent, or
  // all of them when the most recent is past the starting deadline (then `missed_last` is it).
  int missed = 0;
  std::optional<Instant> missed_last;
  // The first scheduled time after now; nullopt when the schedule never fires again.
  std::optional<Instant> next;
};

Firing decide_firing(const FiringInput& input);

// What to do with a due time while `active` Backups of the schedule are Pending or InProgress.
enum class ConcurrencyAction { kRun, kSkip, kReplace };
ConcurrencyAction concurrency_action(api::ConcurrencyPolicy policy, size_t active);

// "<schedule>-<yyyymmddhhmm>" from the scheduled time in UTC: the same time always makes the same
// name, so a Backup made before a restart is found again (AlreadyExists), never made twice.
std::string scheduled_backup_name(const std::string& schedule_name, Instant scheduled);
// "<schedule>-manual-<8 hex>" from a hash of the cellar.dev/trigger value: one Backup per value.
std::string triggered_backup_name(const std::string& schedule_name, const std::string& trigger);

}  // namespace cellar::schedule
