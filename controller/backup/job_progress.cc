#include "controller/backup/job_progress.h"

#include <algorithm>

#include "controller/api/phase_status.h"
#include "controller/api/timestamps.h"

namespace cellar::backup {

JobProgress job_progress(const JobView& job, const PodView* pod, api::Phase before,
                         const std::string& now) {
  JobProgress p;
  const bool pod_ended = pod && pod->exit_code.has_value();
  if (!job.finished.empty() && !pod_ended && job.finished_reason != "DeadlineExceeded") {
    const auto since = api::seconds_between(
        api::first_non_empty({job.finished_time, job.completion_time, now}), now);
    if (since && *since < kPodResultWait.count()) {
      p.stage = JobStage::kAwaitResult;
      p.requeue_after = std::chrono::seconds(1);
      return p;
    }
  }
  if (job.finished == "Complete") {
    p.stage = JobStage::kSucceeded;
  } else if (job.finished == "Failed") {
    p.stage = JobStage::kFailed;
  } else if ((pod && pod->running) || before == api::Phase::kInProgress) {
    p.stage = JobStage::kRunning;
  } else {
    const bool says_why = pod && !pod->waiting_reason.empty();
    const auto age = api::seconds_between(job.meta.creation_timestamp, now);
    if (before == api::Phase::kNone && !says_why && age && *age < kPendingGrace.count()) {
      p.stage = JobStage::kStarting;
      p.requeue_after = kPendingGrace - std::chrono::seconds(std::max<int64_t>(0, *age));
      return p;
    }
    p.stage = JobStage::kPending;
    p.waiting =
        says_why
            ? api::status_message("Job " + job.meta.name + " is waiting: " + pod->waiting_reason +
                                  (pod->waiting_message.empty() ? "" : ": " + pod->waiting_message))
            : "Created Job " + job.meta.name + "; waiting for it to start";
  }
  return p;
}

}  // namespace cellar::backup
