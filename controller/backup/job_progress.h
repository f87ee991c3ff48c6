// Where a running Job stands, read from the Job and its newest Pod the same way for every
// resource that runs one (Backup, Restore): finished, running, starting or stuck before it starts.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "controller/api/backup.h"
#include "controller/backup/job_view.h"

namespace cellar::backup {

// How long a new Job may take to start before its owner is shown Pending. A Job that starts
// within it goes straight to InProgress: one status write fewer, and no Pending that nobody could
// have seen. A Pod that reports why it waits is shown at once.
inline constexpr std::chrono::seconds kPendingGrace{5};

// How long a finished Job's Pod may take to report its container's end. The Pod's status comes
// on another watch than the Job's and may arrive second; without it the agent's result (size,
// checksum, error) would be lost for good, since the phase it settles is terminal.
inline constexpr std::chrono::seconds kPodResultWait{10};

enum class JobStage {
  kAwaitResult,  // the Job finished; its Pod's result has not arrived yet: look again soon
  kSucceeded,
  kFailed,
  kRunning,   // the agent started (or the owner was InProgress already, as through retries)
  kStarting,  // made moments ago and quiet: no status yet (see kPendingGrace)
  kPending,   // not started, and a person should know why (`waiting` says it)
};

struct JobProgress {
  JobStage stage = JobStage::kPending;
  std::optional<std::chrono::seconds> requeue_after;
  std::string waiting;  // kPending: "Job x is waiting: ErrImagePull: ..." or "Created Job x; ..."
};

// `before` is the owner's phase as stored; `now` RFC 3339.
JobProgress job_progress(const JobView& job, const PodView* pod, api::Phase before,
                         const std::string& now);

}  // namespace cellar::backup
