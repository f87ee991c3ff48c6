#include "controller/backup/status_transition.h"

#include <algorithm>
#include <cmath>

#include "controller/api/phase_status.h"
#include "controller/api/timestamps.h"
#include "controller/backup/byte_size.h"
#include "controller/backup/job_template.h"

namespace cellar::backup {

namespace {

using api::Phase;

using api::first_non_empty;

void finish(api::BackupStatus& s, Phase phase, std::string message, const Observation& o,
            const std::string& completion_time) {
  api::finish_status(s, phase, std::move(message), completion_time, o.now);
}

std::string failure_message(const Observation& o, const AgentResult& agent) {
  const JobView& job = *o.job;
  const auto& spec = o.backup->spec;
  if (job.finished_reason == "DeadlineExceeded") {
    return "DeadlineExceeded: backup ran longer than " +
           std::to_string(spec.active_deadline_seconds) + "s (spec.activeDeadlineSeconds)";
  }
  if (!agent.error.empty()) return agent.error;
  if (o.pod && !o.pod->termination_message.empty()) {
    return first_non_empty({job.finished_reason, "Failed"}) + ": " + o.pod->termination_message;
  }
  return first_non_empty({job.finished_reason, "Failed"}) + ": the dump failed " +
         std::to_string(std::max(job.failed, 1)) + " time(s) with spec.backoffLimit " +
         std::to_string(spec.backoff_limit) + "; see `kubectl logs job/" + o.job->meta.name + "`";
}

void complete(api::BackupStatus& s, const Observation& o, const AgentResult& agent) {
  const JobView& job = *o.job;
  if (s.start_time.empty()) {
    s.start_time = first_non_empty({o.pod ? o.pod->started_at : "", job.start_time, o.now});
  }
  s.location = o.location;
  s.size_bytes = agent.bytes;
  s.size = agent.bytes ? format_byte_size(*agent.bytes) : "";
  s.checksum = agent.sha256.empty() ? "" : "sha256:" + agent.sha256;
  s.server_version = agent.server_version;
  s.database_size_bytes = agent.database_size_bytes;
  if (agent.duration_seconds) {
    s.duration_seconds = std::llround(*agent.duration_seconds);
  }
  // What the agent reported wins; without its report, what the spec asked for.
  s.encrypted =
      agent.bytes ? agent.encrypted.value_or(false) : o.backup->spec.encryption.has_value();
  // Boxed only when there is something to say, exactly as parse_backup_status reads it back, so a
  // status read from the cache compares equal to the one written.
  s.encrypted_dump = std::nullopt;
  if (*s.encrypted && (agent.plaintext_bytes || !agent.recipient_fingerprints.empty())) {
    s.encrypted_dump = api::EncryptedDump{agent.plaintext_bytes, agent.recipient_fingerprints};
  }
  const std::string completed_at =
      first_non_empty({job.completion_time, o.pod ? o.pod->finished_at : ""});
  if (agent.bytes && !*s.encrypted && o.backup->spec.encryption) {
    // An agent that predates encryption ignores the recipients: say so loudly, not Completed.
    finish(s, Phase::kFailed,
           "spec.encryption asked for an age-encrypted dump, but the agent stored it unencrypted "
           "at " +
               s.location +
               " (its image cannot encrypt): delete that dump and run the Backup again with "
               "a current cellar-agent image",
           o, completed_at);
    return;
  }
  std::string message;
  if (agent.bytes) {
    message =
        "Dumped " + s.size + " of database " + o.backup->spec.database.name + " to " + s.location;
    if (*s.encrypted) {
      message += ", age-encrypted to " + std::to_string(agent.recipient_fingerprints.size()) +
                 " recipient(s)";
    }
  } else {
    message =
        "The Job completed but the agent's result was not found (was its Pod deleted?); "
        "the dump should be at " +
        s.location;
  }
  finish(s, Phase::kCompleted, message, o, completed_at);
}

// An Event is a write, and DESIGN allows a successful Backup four (its Job, InProgress,
// Completed, and one Event), so a Backup that goes as it should says so once, when it completes.
// Everything else a person would want to hear of is news too: a Job slow to start (Pending, after
// kPendingGrace), a failure, a cancel. InProgress is in status (phase, message, jobName).
Event transition_event(const api::BackupStatus& s) {
  switch (s.phase) {
    case Phase::kPending:
      return {"Normal", "Pending", s.message};
    case Phase::kInProgress:
      return {};
    case Phase::kCompleted: {
      std::string m = "Backup completed";
      if (!s.size.empty()) m += ": " + s.size;
      if (s.duration_seconds) m += " in " + std::to_string(*s.duration_seconds) + "s";
      return {"Normal", "Completed", m};
    }
    case Phase::kFailed:
      return {"Warning", "Failed", s.message};
    case Phase::kCancelled:
      return {"Normal", "Cancelled", s.message};
    case Phase::kNone:
      break;
  }
  return {};
}

}  // namespace

AgentResult parse_agent_result(const std::string& text) {
  AgentResult r;
  auto j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) return r;
  if (auto it = j.find("bytes"); it != j.end() && it->is_number_integer())
    r.bytes = it->get<int64_t>();
  if (auto it = j.find("sha256"); it != j.end() && it->is_string())
    r.sha256 = it->get<std::string>();
  if (auto it = j.find("serverVersion"); it != j.end() && it->is_string()) {
    r.server_version = it->get<std::string>();
  }
  if (auto it = j.find("databaseSizeBytes"); it != j.end() && it->is_number_integer()) {
    r.database_size_bytes = it->get<int64_t>();
  }
  if (auto it = j.find("durationSeconds"); it != j.end() && it->is_number()) {
    r.duration_seconds = it->get<double>();
  }
  if (auto it = j.find("encrypted"); it != j.end() && it->is_boolean()) {
    r.encrypted = it->get<bool>();
  }
  if (auto it = j.find("plaintextBytes"); it != j.end() && it->is_number_integer()) {
    r.plaintext_bytes = it->get<int64_t>();
  }
  if (auto it = j.find("recipientFingerprints"); it != j.end() && it->is_array()) {
    for (const auto& f : *it) {
      if (f.is_string()) r.recipient_fingerprints.push_back(f.get<std::string>());
    }
  }
  if (auto it = j.find("error"); it != j.end() && it->is_string()) r.error = it->get<std::string>();
  return r;
}

Decision decide(const Observation& o) {
  const api::Backup& b = *o.backup;
  Decision d;
  d.status = b.status;
  api::BackupStatus& s = d.status;
  const Phase before = b.status.phase;

  if (api::is_terminal(before)) {
    // The phase is settled for good. A Job still running after a cancel (the delete raced with a
    // restart) must still be stopped.
    if (before == Phase::kCancelled && o.job && o.job->finished.empty()) d.job = JobAction::kDelete;
    return d;
  }

  s.observed_generation = b.meta.generation;
  if (b.spec.cancel) {
    const bool running = o.job && o.job->finished.empty();
    if (running) d.job = JobAction::kDelete;
    finish(s, Phase::kCancelled,
           running ? "Cancelled (spec.cancel is true); its Job was stopped"
                   : "Cancelled (spec.cancel is true) before it started",
           o, "");
  } else if (!b.spec_errors.empty()) {
    finish(s, Phase::kFailed, api::invalid_spec_message(b.spec_errors), o, "");
  } else if (!o.job) {
    if (o.job_vanished) {
      finish(s, Phase::kFailed,
             "Job " + s.job_name + " was deleted before the backup finished; create a new Backup",
             o, "");
    } else if (!o.blocker.empty()) {
      finish(s, Phase::kFailed, o.blocker, o, "");
    } else {
      // The status waits for the Job's first news (see kPendingGrace).
      d.job = JobAction::kCreate;
      d.requeue_after = kPendingGrace;
      d.status = b.status;
      return d;
    }
  } else {
    const JobView& job = *o.job;
    s.job_name = job.meta.name;
    const AgentResult agent = parse_agent_result(o.pod ? o.pod->termination_message : "");
    const JobProgress progress = job_progress(job, o.pod, before, o.now);
    switch (progress.stage) {
      case JobStage::kAwaitResult:
      case JobStage::kStarting:
        d.status = b.status;
        d.requeue_after = progress.requeue_after;
        return d;
      case JobStage::kSucceeded:
        complete(s, o, agent);
        break;
      case JobStage::kFailed:
        if (s.start_time.empty()) s.start_time = job.start_time;
        finish(s, Phase::kFailed, failure_message(o, agent), o,
               first_non_empty({job.completion_time, o.pod ? o.pod->finished_at : ""}));
        break;
      case JobStage::kRunning:
        // Once started, a backup stays InProgress through retries until the Job settles.
        s.phase = Phase::kInProgress;
        if (s.start_time.empty()) {
          s.start_time = first_non_empty({o.pod ? o.pod->started_at : "", job.start_time, o.now});
        }
        s.message = "Dumping database " + b.spec.database.name + " from " + b.spec.database.host +
                    ":" + std::to_string(b.spec.database.port);
        if (job.failed > 0) {
          s.message += " (attempt " + std::to_string(job.failed + 1) + " of " +
                       std::to_string(b.spec.backoff_limit + 1) + ")";
        }
        break;
      case JobStage::kPending:
        s.phase = Phase::kPending;
        s.message = progress.waiting;
        break;
    }
  }

  api::set_phase_conditions(s.conditions, s.phase, s.message, b.meta.generation, o.now);
  if (s.phase != before) {
    if (Event e = transition_event(s); !e.reason.empty()) d.events.push_back(e);
  }
  return d;
}

}  // namespace cellar::backup
