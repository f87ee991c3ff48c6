#include "controller/schedule/schedule_plan.h"

#include <algorithm>
#include <set>

#include "controller/api/timestamps.h"
#include "controller/schedule/cron.h"
#include "controller/schedule/firing.h"
#include "controller/schedule/retention.h"
#include "controller/schedule/time_zone.h"

namespace cellar::schedule {

namespace {

using api::format_rfc3339;
using Time = std::chrono::system_clock::time_point;

bool is_running(const OwnedBackup& b) {
  return !api::is_terminal(b.phase) && !b.being_deleted;
}

std::string join(const std::vector<std::string>& parts, const char* separator) {
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : separator) + p;
  return out;
}

// "keepLast 2, keepDaily 7, failedHistoryLimit 3": the rules that made retention delete.
std::string describe(const api::RetentionSpec& r) {
  std::vector<std::string> rules;
  auto add = [&](const char* name, int n) {
    if (n > 0) rules.push_back(std::string(name) + " " + std::to_string(n));
  };
  add("keepLast", r.keep_last);
  add("keepHourly", r.keep_hourly);
  add("keepDaily", r.keep_daily);
  add("keepWeekly", r.keep_weekly);
  add("keepMonthly", r.keep_monthly);
  add("keepYearly", r.keep_yearly);
  rules.push_back("failedHistoryLimit " + std::to_string(r.failed_history_limit));
  return join(rules, ", ");
}

// Facts read off the owned Backups, true whatever the spec says.
void observe_backups(api::BackupScheduleStatus& status, const std::vector<OwnedBackup>& backups) {
  status.active.clear();
  for (const OwnedBackup& b : backups) {
    if (is_running(b)) status.active.push_back(b.name);
    // RFC 3339 in UTC orders as text.
    if (b.phase == api::Phase::kCompleted && b.completion_time > status.last_successful_time) {
      status.last_successful_time = b.completion_time;
    }
  }
}

// The newest Backup that finished (Completed, Failed or Cancelled), or nullptr.
const OwnedBackup* newest_finished(const std::vector<OwnedBackup>& backups) {
  const OwnedBackup* newest = nullptr;
  for (const OwnedBackup& b : backups) {
    if (!api::is_terminal(b.phase) || b.being_deleted || !b.time) continue;
    if (!newest || std::tie(*b.time, b.name) > std::tie(*newest->time, newest->name)) newest = &b;
  }
  return newest;
}

class Planner {
 public:
  explicit Planner(const ScheduleInput& in)
      : in_(in), s_(*in.schedule), now_text_(format_rfc3339(in.now)) {
    plan_.status = s_.status;
    plan_.status.observed_generation = s_.meta.generation;
    observe_backups(plan_.status, in.backups);
    for (const OwnedBackup& b : in.backups) existing_.insert(b.name);
  }

  SchedulePlan run() {
    if (!s_.spec_errors.empty()) return invalid("InvalidSpec", join(s_.spec_errors, "; "));
    CronParseResult cron = parse_cron(s_.spec.schedule, s_.meta.ns + "/" + s_.meta.name);
    if (!cron.schedule) return invalid("InvalidSchedule", "spec.schedule: " + cron.error);
    TimeZoneResult tz = find_time_zone(s_.spec.time_zone);
    if (!tz.zone) return invalid("InvalidTimeZone", "spec.timeZone: " + tz.error);

    answer_trigger();
    if (s_.spec.suspend) {
      plan_.status.next_schedule_time.clear();
    } else {
      fire(*cron.schedule, *tz.zone);
    }
    std::sort(plan_.status.active.begin(), plan_.status.active.end());
    retain(*tz.zone);
    set_ready();
    return std::move(plan_);
  }

 private:
  SchedulePlan invalid(const char* reason, const std::string& message) {
    plan_.status.next_schedule_time.clear();
    ready("False", reason, message + ". Fix the spec; no Backup is made until then");
    return std::move(plan_);
  }

  void ready(const char* status, const char* reason, const std::string& message) {
    api::set_condition(plan_.status.conditions,
                       {"Ready", status, s_.meta.generation, "", reason, message}, now_text_);
  }

  void create(BackupOrigin origin) {
    plan_.status.active.push_back(origin.name);
    plan_.status.last_backup = origin.name;
    existing_.insert(origin.name);
    plan_.create.push_back(std::move(origin));
  }

  void event(const char* type, const char* reason, std::string message) {
    plan_.events.push_back({type, reason, std::move(message)});
  }

  // A new cellar.dev/trigger value asks for one Backup now, whatever the concurrency policy: a
  // person asked for it.
  void answer_trigger() {
    auto it = s_.meta.annotations.find(api::kTriggerAnnotation);
    if (it == s_.meta.annotations.end() || it->second.empty() ||
        it->second == s_.status.last_trigger) {
      return;
    }
    const std::string name = triggered_backup_name(s_.meta.name, it->second);
    plan_.status.last_trigger = it->second;
    if (existing_.contains(name)) {
      // Made by an earlier pass whose status write was lost, or by the pass just before this
      // one, which leaves the status to this one: it is the newest Backup all the same.
      plan_.status.last_backup = name;
      return;
    }
    create({name, std::nullopt, it->second, in_.now});
  }

  void fire(const CronSchedule& cron, const date::time_zone& zone) {
    // Due times at or before `since` were dealt with already (or predate the schedule).
    Time since = in_.now;
    if (auto last = api::parse_rfc3339(s_.status.last_schedule_time)) {
      since = *last;
    } else if (auto created = api::parse_rfc3339(s_.meta.creation_timestamp)) {
      since = *created;
    }
    FiringInput input{&cron, &zone, since, in_.now, std::nullopt};
    if (s_.spec.starting_deadline_seconds) {
      input.starting_deadline = std::chrono::seconds(*s_.spec.starting_deadline_seconds);
    }
    const Firing f = decide_firing(input);
    plan_.missed = f.missed;
    plan_.status.next_schedule_time = f.next ? format_rfc3339(*f.next) : "";
    plan_.wake_at = f.next;

    if (f.missed_last) {
      plan_.status.last_schedule_time = format_rfc3339(*f.missed_last);
      event("Warning", "MissedSchedule",
            missed_count(f.missed) + " missed; the most recent, " + format_rfc3339(*f.missed_last) +
                ", is more than startingDeadlineSeconds (" +
                std::to_string(*s_.spec.starting_deadline_seconds) +
                ") old, so none ran. The next is at " +
                (f.next ? format_rfc3339(*f.next) : std::string("never")));
    }
    if (!f.run) return;
    const std::string due = format_rfc3339(*f.run);
    plan_.status.last_schedule_time = due;
    if (f.missed > 0) {
      event("Warning", "MissedSchedule",
            missed_count(f.missed) + " missed before " + due + "; only the most recent runs");
    }
    const std::string name = scheduled_backup_name(s_.meta.name, *f.run);
    if (existing_.contains(name)) {
      // Made by an earlier pass whose later calls failed, or by the pass just before this one,
      // which leaves the rest to this one: it is the newest Backup, and what it displaces must
      // still stop.
      plan_.status.last_backup = name;
      if (s_.spec.concurrency_policy == api::ConcurrencyPolicy::kReplace) cancel_older(*f.run);
      return;
    }

    std::vector<std::string> running;
    for (const OwnedBackup& b : in_.backups) {
      if (is_running(b)) running.push_back(b.name);
    }
    switch (concurrency_action(s_.spec.concurrency_policy, running.size())) {
      case ConcurrencyAction::kSkip:
        event("Normal", "Skipped",
              "Skipped the run due at " + due + ": Backup " + join(running, ", ") +
                  " is still running (concurrencyPolicy Forbid)");
        return;
      case ConcurrencyAction::kReplace:
        cancel_older(*f.run);
        break;
      case ConcurrencyAction::kRun:
        break;
    }
    create({name, *f.run, "", std::nullopt});
  }

  // Replace: every running Backup from before the due time `run` is cancelled, once.
  void cancel_older(Time run) {
    for (const OwnedBackup& b : in_.backups) {
      if (!is_running(b) || b.cancel_requested || !b.time || *b.time >= run) continue;
      plan_.cancel.push_back(b.name);
      event("Normal", "Replaced",
            "Cancelling Backup " + b.name + " for the run due at " + format_rfc3339(run) +
                " (concurrencyPolicy Replace)");
    }
  }

  static std::string missed_count(int n) {
    return n == 1 ? std::string("1 due time was") : std::to_string(n) + " due times were";
  }

  void retain(const date::time_zone& zone) {
    std::vector<BackupRecord> records;
    for (const OwnedBackup& b : in_.backups) {
      if (b.being_deleted || !b.time) continue;  // going already, or nowhere to place it
      BackupOutcome outcome = BackupOutcome::kRunning;
      if (b.phase == api::Phase::kCompleted) {
        outcome = BackupOutcome::kCompleted;
      } else if (b.phase == api::Phase::kFailed || b.phase == api::Phase::kCancelled) {
        outcome = BackupOutcome::kFailed;
      }
      records.push_back({b.name, *b.time, outcome});
    }
    RetentionDecision d = select_retained(records, s_.spec.retention, &zone);
    for (const std::string& name : d.remove) {
      event("Normal", "Pruned",
            "Deleting Backup " + name + ": retention (" + describe(s_.spec.retention) +
                ") no longer keeps it");
    }
    plan_.remove = std::move(d.remove);
  }

  void set_ready() {
    const OwnedBackup* last = newest_finished(in_.backups);
    const api::Condition* ready_now = api::find_condition(s_.status.conditions, "Ready");
    if (ready_now && ready_now->reason == kBackupRejected && plan_.create.empty() &&
        ready_now->observed_generation == s_.meta.generation) {
      // The API server refused the last Backup made from this spec: that stays the news until
      // the spec changes or a Backup is made.
      return;
    }
    if (last && last->phase == api::Phase::kFailed) {
      ready("False", "BackupFailed", "Backup " + last->name + " failed: " + last->message);
    } else if (s_.spec.suspend) {
      ready("True", "Suspended", "Suspended: no Backup is made until spec.suspend is false");
    } else if (!plan_.status.next_schedule_time.empty()) {
      ready("True", "Scheduled", "Next backup at " + plan_.status.next_schedule_time);
    } else {
      ready("True", "Scheduled", "spec.schedule names no time that comes again");
    }
  }

  const ScheduleInput& in_;
  const api::BackupSchedule& s_;
  const std::string now_text_;
  std::set<std::string> existing_;
  SchedulePlan plan_;
};

}  // namespace

OwnedBackup owned_backup(const api::Backup& backup) {
  OwnedBackup b;
  b.name = backup.meta.name;
  b.uid = backup.meta.uid;
  b.phase = backup.status.phase;
  b.time = backup_time(backup.meta);
  b.completion_time = backup.status.completion_time;
  b.message = backup.status.message;
  b.being_deleted = backup.meta.being_deleted;
  b.cancel_requested = backup.spec.cancel;
  return b;
}

SchedulePlan plan_schedule(const ScheduleInput& input) {
  return Planner(input).run();
}

void reject_backup(SchedulePlan& plan, const api::BackupSchedule& schedule,
                   const BackupOrigin& origin, const std::string& server_message,
                   std::chrono::system_clock::time_point now) {
  std::erase(plan.status.active, origin.name);
  if (plan.status.last_backup == origin.name) plan.status.last_backup = schedule.status.last_backup;
  const std::string message = "The API server refused Backup " + origin.name + ": " +
                              server_message +
                              ". Fix spec.backupTemplate; the next due time tries again";
  api::set_condition(plan.status.conditions,
                     {"Ready", "False", schedule.meta.generation, "", kBackupRejected, message},
                     format_rfc3339(now));
  plan.events.push_back({"Warning", kBackupRejected, message});
}

kube::Event created_event(const BackupOrigin& origin) {
  std::string why = origin.scheduled_at
                        ? "the run due at " + format_rfc3339(*origin.scheduled_at)
                        : std::string(api::kTriggerAnnotation) + "=" + origin.trigger;
  if (!origin.scheduled_at && origin.trigger.empty()) why = "a request by hand";
  return {"Normal", "BackupCreated", "Created Backup " + origin.name + " for " + why};
}

}  // namespace cellar::schedule
