#include "controller/backup/job_view.h"

namespace cellar::backup {

using json = nlohmann::json;

namespace {

const json& at(const json& j, const char* key) {
  static const json kNull;
  if (!j.is_object()) return kNull;
  auto it = j.find(key);
  return it == j.end() ? kNull : *it;
}

std::string str(const json& j, const char* key) {
  const json& v = at(j, key);
  return v.is_string() ? v.get<std::string>() : std::string{};
}

int integer(const json& j, const char* key) {
  const json& v = at(j, key);
  return v.is_number_integer() ? v.get<int>() : 0;
}

}  // namespace

JobView parse_job(const json& job) {
  JobView v;
  v.meta = api::parse_object_meta(job);
  const json& status = at(job, "status");
  v.active = integer(status, "active");
  v.succeeded = integer(status, "succeeded");
  v.failed = integer(status, "failed");
  v.start_time = str(status, "startTime");
  v.completion_time = str(status, "completionTime");
  const json& conditions = at(status, "conditions");
  if (conditions.is_array()) {
    for (const auto& c : conditions) {
      const std::string type = str(c, "type");
      if ((type == "Complete" || type == "Failed") && str(c, "status") == "True") {
        v.finished = type;
        v.finished_reason = str(c, "reason");
        v.finished_message = str(c, "message");
        v.finished_time = str(c, "lastTransitionTime");
      }
    }
  }
  return v;
}

PodView parse_pod(const json& pod) {
  PodView v;
  v.meta = api::parse_object_meta(pod);
  if (auto it = v.meta.labels.find("job-name"); it != v.meta.labels.end()) v.job_name = it->second;
  const json& status = at(pod, "status");
  v.phase = str(status, "phase");
  const json& containers = at(status, "containerStatuses");
  if (!containers.is_array() || containers.empty()) return v;
  const json& state = at(containers[0], "state");
  if (const json& running = at(state, "running"); running.is_object()) {
    v.running = true;
    v.started_at = str(running, "startedAt");
  }
  if (const json& done = at(state, "terminated"); done.is_object()) {
    v.exit_code = integer(done, "exitCode");
    v.terminated_reason = str(done, "reason");
    v.termination_message = str(done, "message");
    v.started_at = str(done, "startedAt");
    v.finished_at = str(done, "finishedAt");
  }
  if (const json& waiting = at(state, "waiting"); waiting.is_object()) {
    v.waiting_reason = str(waiting, "reason");
    v.waiting_message = str(waiting, "message");
  }
  return v;
}

}  // namespace cellar::backup
