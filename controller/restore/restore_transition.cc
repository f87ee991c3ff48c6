#include "controller/restore/restore_transition.h"

#include <algorithm>
#include <cmath>

#include "controller/api/phase_status.h"
#include "controller/backup/byte_size.h"
#include "controller/backup/job_progress.h"
#include "controller/backup/status_transition.h"
#include "controller/restore/restore_job.h"

namespace cellar::restore {

namespace {

using api::Phase;
using backup::AgentResult;
using backup::JobView;

using api::first_non_empty;

std::string target_text(const api::RestoreSpec& spec) {
  return "database " + spec.target.name + " on " + spec.target.host + ":" +
         std::to_string(spec.target.port);
}

void finish(api::RestoreStatus& s, Phase phase, std::string message, const Observation& o,
            const std::string& completion_time) {
  api::finish_status(s, phase, std::move(message), completion_time, o.now);
}

std::string failure_message(const Observation& o, const AgentResult& agent) {
  const JobView& job = *o.job;
  const auto& spec = o.restore->spec;
  if (job.finished_reason == "DeadlineExceeded") {
    return "DeadlineExceeded: the restore ran longer than " +
           std::to_string(spec.active_deadline_seconds) +
           "s (spec.activeDeadlineSeconds); its transaction was rolled back";
  }
  if (!agent.error.empty()) return agent.error;
  const std::string reason = first_non_empty({job.finished_reason, "Failed"});
  if (o.pod && !o.pod->termination_message.empty()) {
    return reason + ": " + o.pod->termination_message;
  }
  return reason + ": the restore failed " + std::to_string(std::max(job.failed, 1)) +
         " time(s) with spec.backoffLimit " + std::to_string(spec.backoff_limit) +
         "; see `kubectl logs job/" + job.meta.name + "`";
}

void complete(api::RestoreStatus& s, const Observation& o, const AgentResult& agent) {
  const JobView& job = *o.job;
  if (s.start_time.empty()) {
    s.start_time = first_non_empty({o.pod ? o.pod->started_at : "", job.start_time, o.now});
  }
  if (agent.duration_seconds) s.duration_seconds = std::llround(*agent.duration_seconds);
  const auto& spec = o.restore->spec;
  std::string message;
  if (agent.bytes) {
    message = "Restored backup " + spec.backup_name + " (" +
              backup::format_byte_size(*agent.bytes) + ", checksum verified) into " +
              target_text(spec);
  } else {
    message = "The Job completed but the agent's result was not found (was its Pod deleted?)";
  }
  finish(s, Phase::kCompleted, message, o,
         first_non_empty({job.completion_time, o.pod ? o.pod->finished_at : ""}));
}

kube::Event transition_event(const api::RestoreStatus& s, const Observation& o) {
  switch (s.phase) {
    case Phase::kInProgress:
      return {"Normal", "Started",
              "Restoring backup " + o.restore->spec.backup_name + " into " +
                  target_text(o.restore->spec)};
    case Phase::kCompleted: {
      std::string m = "Restore completed";
      if (s.duration_seconds) m += " in " + std::to_string(*s.duration_seconds) + "s";
      return {"Normal", "Completed", m};
    }
    case Phase::kFailed:
      return {"Warning", "Failed", s.message};
    default:
      return {};
  }
}

// What was restored, as the Backup said when the restore began; kept once written.
void remember_backup(api::RestoreStatus& s, const Observation& o) {
  if (!s.backup.name.empty() || !o.backup) return;
  s.backup = {o.backup->meta.name, o.backup->status.location, o.backup->status.checksum};
}

}  // namespace

Decision decide(const Observation& o) {
  const api::Restore& r = *o.restore;
  Decision d;
  d.status = r.status;
  api::RestoreStatus& s = d.status;
  const Phase before = r.status.phase;
  if (api::is_terminal(before)) return d;

  s.observed_generation = r.meta.generation;
  if (!r.spec_errors.empty()) {
    finish(s, Phase::kFailed, api::invalid_spec_message(r.spec_errors), o, "");
  } else if (!o.job) {
    if (o.job_vanished) {
      finish(s, Phase::kFailed,
             "Job " + s.job_name +
                 " was deleted before the restore finished (its transaction was rolled back); "
                 "create a new Restore",
             o, "");
    } else if (!o.blocker.empty()) {
      finish(s, Phase::kFailed, o.blocker, o, "");
    } else {
      // As for Backups, the status waits for the Job's first news (kPendingGrace).
      d.job = JobAction::kCreate;
      d.events.push_back(
          {"Normal", "JobCreated", "Created Job " + restore_job_name_for(r.meta.name)});
      d.requeue_after = backup::kPendingGrace;
      d.status = r.status;
      return d;
    }
  } else {
    const JobView& job = *o.job;
    s.job_name = job.meta.name;
    remember_backup(s, o);
    const AgentResult agent = backup::parse_agent_result(o.pod ? o.pod->termination_message : "");
    const backup::JobProgress progress = backup::job_progress(job, o.pod, before, o.now);
    switch (progress.stage) {
      case backup::JobStage::kAwaitResult:
      case backup::JobStage::kStarting:
        d.status = r.status;
        d.requeue_after = progress.requeue_after;
        return d;
      case backup::JobStage::kSucceeded:
        complete(s, o, agent);
        break;
      case backup::JobStage::kFailed:
        if (s.start_time.empty()) s.start_time = job.start_time;
        finish(s, Phase::kFailed, failure_message(o, agent), o,
               first_non_empty({job.completion_time, o.pod ? o.pod->finished_at : ""}));
        break;
      case backup::JobStage::kRunning:
        s.phase = Phase::kInProgress;
        if (s.start_time.empty()) {
          s.start_time = first_non_empty({o.pod ? o.pod->started_at : "", job.start_time, o.now});
        }
        s.message = "Restoring backup " + r.spec.backup_name + " into " + target_text(r.spec);
        if (job.failed > 0) {
          s.message += " (attempt " + std::to_string(job.failed + 1) + " of " +
                       std::to_string(r.spec.backoff_limit + 1) + ")";
        }
        break;
      case backup::JobStage::kPending:
        s.phase = Phase::kPending;
        s.message = progress.waiting;
        break;
    }
  }

  api::set_phase_conditions(s.conditions, s.phase, s.message, r.meta.generation, o.now);
  if (s.phase != before) {
    if (kube::Event e = transition_event(s, o); !e.reason.empty()) d.events.push_back(e);
  }
  return d;
}

}  // namespace cellar::restore
