#include "controller/backup/cleanup_job.h"

namespace cellar::backup {

using json = nlohmann::json;

std::string cleanup_job_name_for(const api::Backup& backup) {
  // The uid makes it unique; a dump Job is named from a Backup's name alone, so a Backup called
  // "<x>-delete-<uid>" is the only way to collide, and the ownership check catches that.
  std::string prefix = backup.meta.name.substr(0, 40);
  while (!prefix.empty() && (prefix.back() == '-' || prefix.back() == '.')) prefix.pop_back();
  return prefix + "-delete-" + backup.meta.uid.substr(0, 8);
}

json make_cleanup_job(const api::Backup& backup, const JobOptions& options) {
  // The dump Job's shape, with another name, program and budget.
  json job = make_dump_job(backup, options);
  job["metadata"]["name"] = cleanup_job_name_for(backup);
  job["metadata"]["labels"]["cellar.dev/purpose"] = "delete-dump";
  job["spec"]["backoffLimit"] = 3;
  job["spec"]["activeDeadlineSeconds"] = 600;
  json& pod = job["spec"]["template"]["spec"];
  json& container = pod["containers"][0];
  container["name"] = "delete";
  // Deleting needs no database: only what the agent reads for this command.
  json env = json::array(
      {{{"name", "CELLAR_TERMINATION_MESSAGE_PATH"}, {"value", kTerminationMessagePath}}});
  if (const auto& s3 = backup.spec.storage.s3) {
    container["args"] = {"delete", dump_location(backup)};
    json mounts = json::array({{{"name", "tmp"}, {"mountPath", "/tmp"}}});
    json volumes = json::array({{{"name", "tmp"}, {"emptyDir", json::object()}}});
    add_s3_connection(*s3, env, mounts, volumes);
    container["volumeMounts"] = mounts;
    pod["volumes"] = volumes;
  } else {
    container["args"] = {"delete", dump_container_path(backup)};
  }
  container["env"] = env;
  return job;
}

}  // namespace cellar::backup
