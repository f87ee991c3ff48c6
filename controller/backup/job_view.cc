#include "controller/backup/job_view.h"

#include "controller/api/json_fields.h"

namespace cellar::backup {

using json = nlohmann::json;

namespace {

const json& at(const json& j, const char* key) {
  static const json kNull;
  if (!j.is_object()) return kNull;
  auto it = j.find(key);
  return it == j.end() ? kNull : *it;
}

int integer(const json& j, const char* key) {
  return static_cast<int>(api::int_field(j, key).value_or(0));
}

}  // namespace

JobView parse_job(const json& job) {
  JobView v;
  v.meta = api::parse_object_meta(job);
  const json& status = at(job, "status");
  v.active = integer(status, "active");
  v.succeeded = integer(status, "succeeded");
  v.failed = integer(status, "failed");
  v.start_time = api::string_field(status, "startTime");
  v.completion_time = api::string_field(status, "completionTime");
  const json& conditions = at(status, "conditions");
  if (conditions.is_array()) {
    for (const auto& c : conditions) {
      const std::string type = api::string_field(c, "type");
      if ((type == "Complete" || type == "Failed") && api::string_field(c, "status") == "True") {
        v.finished = type;
        v.finished_reason = api::string_field(c, "reason");
        v.finished_message = api::string_field(c, "message");
        v.finished_time = api::string_field(c, "lastTransitionTime");
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
  v.phase = api::string_field(status, "phase");
  const json& containers = at(status, "containerStatuses");
  if (!containers.is_array() || containers.empty()) return v;
  const json& state = at(containers[0], "state");
  if (const json& running = at(state, "running"); running.is_object()) {
    v.running = true;
    v.started_at = api::string_field(running, "startedAt");
  }
  if (const json& done = at(state, "terminated"); done.is_object()) {
    v.exit_code = integer(done, "exitCode");
    v.terminated_reason = api::string_field(done, "reason");
    v.termination_message = api::string_field(done, "message");
    v.started_at = api::string_field(done, "startedAt");
    v.finished_at = api::string_field(done, "finishedAt");
  }
  if (const json& waiting = at(state, "waiting"); waiting.is_object()) {
    v.waiting_reason = api::string_field(waiting, "reason");
    v.waiting_message = api::string_field(waiting, "message");
  }
  return v;
}

}  // namespace cellar::backup
