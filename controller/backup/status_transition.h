// The Backup's phase machine as one pure function: from what the reconciler observed (the Backup,
// its Job, the Job's newest Pod, and anything that blocks the Job from being made) to the status
// the Backup should have, what to do with the Job, and which Events a person would want.
//
//   (none) ──► Pending ──► InProgress ──► Completed
//                 │             │     └──► Failed
//                 └─────────────┴────────► Failed | Cancelled
//
// Completed, Failed and Cancelled are terminal: once stored, the function returns them unchanged.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "controller/api/backup.h"
#include "controller/backup/job_progress.h"
#include "controller/backup/job_view.h"
#include "controller/kube/event.h"

namespace cellar::backup {

struct Observation {
  const api::Backup* backup = nullptr;
  const JobView* job = nullptr;  // the Backup's own Job (owned by its uid), when it exists
  const PodView* pod = nullptr;  // that Job's newest Pod, when one exists
  // Set when the Backup's Job is known not to exist although status says one was made (deleted by
  // someone): only the reconciler can tell that from a cache that has not caught up yet.
  bool job_vanished = false;
  // Why a Job cannot be created, found before creating one (a missing Secret or key, a missing
  // PVC), as a sentence that says what to fix; empty when nothing blocks.
  std::string blocker;
  std::string location;  // where the dump goes, for status (pvc://claim/path)
  std::string now;       // RFC 3339
};

enum class JobAction { kNone, kCreate, kDelete };

using kube::Event;

struct Decision {
  api::BackupStatus status;
  JobAction job = JobAction::kNone;
  // Recorded once the Job action succeeded.
  std::vector<Event> events;
  // Look again after this long even if nothing changes.
  std::optional<std::chrono::seconds> requeue_after;
};

Decision decide(const Observation& observation);

// The agent's termination message (one line of JSON), read leniently: a missing or garbled
// message gives an empty result rather than an error, since the Job's own outcome still counts.
struct AgentResult {
  std::optional<int64_t> bytes;
  std::string sha256;
  std::string server_version;
  std::optional<int64_t> database_size_bytes;
  std::optional<double> duration_seconds;
  std::optional<bool> encrypted;
  std::optional<int64_t> plaintext_bytes;
  std::vector<std::string> recipient_fingerprints;
  std::string error;
};
AgentResult parse_agent_result(const std::string& termination_message);

}  // namespace cellar::backup
