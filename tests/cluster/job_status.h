// What the Job controller decides for one Job from its Pods: the Job's status and what to do next.
// Pure: the runner (job_runner.h) feeds it stored documents and the current time, and acts on the
// plan.
#pragma once

#include <chrono>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace cellar::testcluster {

using Clock = std::chrono::system_clock;

// metav1.Time on the wire: RFC 3339 in UTC, whole seconds ("2024-05-01T12:00:00Z").
std::string format_time(Clock::time_point t);
// Also accepts fractional seconds (metav1.MicroTime); nullopt when the text is not such a time.
std::optional<Clock::time_point> parse_time(const std::string& text);

struct JobPlan {
  // The Job's status as the Job controller would write it; equal to the stored one when nothing
  // changed, so the caller writes only on a difference.
  nlohmann::json status;
  // How many new Pods to create now.
  int pods_to_create = 0;
  // The Job has (or now gets) a Complete or Failed condition: it never changes again.
  bool finished = false;
  // The Job has ended while Pods were still active (deadline, back-off limit): kill them. They
  // are already counted as failed in `status`, as Kubernetes counts them.
  bool stop_active = false;
  // When the decision may change without any event: the active deadline, or the end of the
  // back-off before a replacement Pod.
  std::optional<Clock::time_point> look_again_at;
};

// `pods`: the Pods the Job controls (deleted ones left out). A Pod is active until its phase is
// Succeeded or Failed or it has a deletionTimestamp. Honours completions, parallelism,
// backoffLimit (failures > backoffLimit: Failed/BackoffLimitExceeded), activeDeadlineSeconds
// (Failed/DeadlineExceeded, counted from status.startTime) and suspend (no new Pods). Kubernetes
// waits 10 s, 20 s, 40 s, ... before replacing a failed Pod; `retry_backoff` is the fixed pause
// used here instead, measured from the newest failed Pod's finishedAt.
JobPlan plan_job(const nlohmann::json& job, const std::vector<nlohmann::json>& pods,
                 Clock::time_point now, std::chrono::milliseconds retry_backoff);

// The Job carries a Complete or Failed condition with status True.
bool job_finished(const nlohmann::json& job);

}  // namespace cellar::testcluster
