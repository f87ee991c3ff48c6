// What the Backup reconciler reads of a Job and of its Pod: compact projections, so the informer
// cache holds a few strings per object instead of whole documents.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "controller/api/object_meta.h"

namespace cellar::backup {

struct JobView {
  api::ObjectMeta meta;
  int active = 0;
  int succeeded = 0;
  int failed = 0;
  std::string start_time;
  std::string completion_time;
  // The terminal condition, when there is one: "Complete" or "Failed", with its reason
  // ("BackoffLimitExceeded", "DeadlineExceeded") and message.
  std::string finished;
  std::string finished_reason;
  std::string finished_message;
  std::string finished_time;  // the terminal condition's lastTransitionTime
};

struct PodView {
  api::ObjectMeta meta;
  std::string job_name;  // label job-name
  std::string phase;     // Pending, Running, Succeeded, Failed
  bool running = false;  // the container has started
  std::string started_at;
  // Set once the container ended.
  std::optional<int> exit_code;
  std::string terminated_reason;
  std::string termination_message;  // the agent's one line of JSON, or its log tail
  std::string finished_at;
  // Why the container is not running yet (ErrImagePull, CreateContainerConfigError, ...).
  std::string waiting_reason;
  std::string waiting_message;
};

JobView parse_job(const nlohmann::json& job);
PodView parse_pod(const nlohmann::json& pod);

}  // namespace cellar::backup
