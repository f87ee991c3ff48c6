// Which of a schedule's Backups to keep and which to delete: one pure function, no I/O, no clock.
//
// The rules are restic's `forget --keep-*`, evaluated independently over the Completed Backups and
// then united (a Backup that several rules keep is kept once):
//   - keep_last: the keep_last newest Completed Backups.
//   - keep_hourly / keep_daily / keep_weekly / keep_monthly / keep_yearly (each n > 0): walk the
//     Completed Backups newest first and keep the first (newest) one of each distinct period not
//     seen before, until n periods are kept. Periods are those of the schedule's time zone: a local
//     hour, a local calendar day (23 or 25 hours long on DST days), an ISO 8601 week (Monday first,
//     so the last days of December may belong to week 1 of the next year), a month, a year.
//     Periods without Backups do not count: keep_daily 7 means the newest Backup of each of the 7
//     most recent days that have one, not of the last 7 calendar days.
//   - failed_history_limit: the failed_history_limit newest Failed or Cancelled Backups.
// A policy with no keep rule at all (every keep_* zero, as when spec.retention is left out) keeps
// every Completed Backup: only failed history is trimmed.
// Whatever the policy says, the newest Completed Backup and every Running Backup are kept: a
// policy cannot leave a schedule without its latest good dump, nor delete a dump being written.
// Every other Backup is removed. Negative counts are read as zero (validation rejects them before
// a policy gets here; this function only must not misbehave).
//
// Unlike restic 0.17, the oldest Backup is not kept additionally when there are fewer periods than
// a rule asks for: the rules above are the whole contract.
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "controller/api/backup_schedule.h"

namespace date {
class time_zone;
}

namespace cellar::schedule {

// The schedule's spec.retention, as the API reads it.
using RetentionPolicy = api::RetentionSpec;

// What retention needs to know of a Backup's phase.
enum class BackupOutcome {
  kRunning,    // Pending or InProgress, or no phase yet
  kCompleted,  // Completed
  kFailed,     // Failed or Cancelled
};

struct BackupRecord {
  std::string name;  // unique among the records given
  // The scheduled time for a Backup the schedule made, its creation time otherwise: what places
  // the Backup in its hour, day, week, month and year.
  std::chrono::system_clock::time_point time;
  BackupOutcome outcome = BackupOutcome::kRunning;
};

struct RetentionDecision {
  // Names, newest first. Every record's name is in exactly one of the two lists.
  std::vector<std::string> keep;
  std::vector<std::string> remove;
  // For every kept name, why, in the order the rules are listed above, e.g. {"last 2",
  // "daily 2026-11-20"}. Completed: "last <rank>" (1 is the newest), "hourly
  // 2026-11-20T02+01:00" (the offset tells apart the two 01:00 hours of a fall-back night),
  // "daily 2026-11-20", "weekly 2026-W47", "monthly 2026-11", "yearly 2026", and "newest
  // completed" only when no rule kept the newest Completed Backup. Failed: "failed <rank>".
  // Running: "running". With no keep rule, every Completed: "no keep rule".
  std::map<std::string, std::vector<std::string>> reasons;
};

// "Newest" orders by time, and among records of the same time by name, the greater name being
// the newer (a schedule's Backups are named after their time, so the order matches); the input
// may be in any order. `zone` is the schedule's time zone; nullptr means UTC.
// True when any keep_* rule is set (> 0).
bool has_keep_rule(const RetentionPolicy& policy);

RetentionDecision select_retained(const std::vector<BackupRecord>& backups,
                                  const RetentionPolicy& policy, const date::time_zone* zone);

}  // namespace cellar::schedule
