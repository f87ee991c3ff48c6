// The Restore's phase machine as one pure function, like the Backup's (status_transition.h): from
// what the reconciler observed (the Restore, its Backup, its Job and the Job's newest Pod, and
// anything that blocks the Job) to the status it should have, what to do with the Job, and the
// Events a person would want.
//
//   (none) ──► Pending ──► InProgress ──► Completed
//                 │             └──────► Failed
//                 └────────────────────► Failed
//
// A Restore fails at once, without a Job, when its Backup cannot be restored (missing, not
// Completed, no checksum) or a Secret or claim it needs is missing: waiting would only hide the
// mistake. Completed and Failed are terminal.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "controller/api/restore.h"
#include "controller/backup/job_progress.h"
#include "controller/backup/job_view.h"
#include "controller/kube/event.h"

namespace cellar::restore {

struct Observation {
  const api::Restore* restore = nullptr;
  const api::Backup* backup = nullptr;   // the Backup named by spec.backupName, when it exists
  const backup::JobView* job = nullptr;  // the Restore's own Job, when it exists
  const backup::PodView* pod = nullptr;  // that Job's newest Pod
  // Status says a Job was made, and the API server says it is gone.
  bool job_vanished = false;
  // Why the Job cannot be made (the Backup, a Secret or a claim), a sentence that says what to
  // fix; empty when nothing blocks. Only read when there is no Job yet.
  std::string blocker;
  std::string now;  // RFC 3339
};

enum class JobAction { kNone, kCreate };

struct Decision {
  api::RestoreStatus status;
  JobAction job = JobAction::kNone;
  std::vector<kube::Event> events;
  std::optional<std::chrono::seconds> requeue_after;
};

Decision decide(const Observation& observation);

}  // namespace cellar::restore
