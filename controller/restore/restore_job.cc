#include "controller/restore/restore_job.h"

#include "controller/age/age_recipient.h"
#include "controller/kube/names.h"

namespace cellar::restore {

using json = nlohmann::json;

namespace {

json env(const char* name, const std::string& value) {
  return {{"name", name}, {"value", value}};
}

}  // namespace

std::string restore_job_name_for(const std::string& restore_name) {
  return kube::fit_name(restore_name + "-restore", kube::kMaxLabelValue);
}

std::variant<DumpSource, std::string> dump_source(const api::Backup& backup) {
  const std::string& location = backup.status.location;
  const std::string unreadable = "Backup \"" + backup.meta.name + "\" records its dump at \"" +
                                 location + "\", which is not on the storage its spec names";
  if (const auto& s3 = backup.spec.storage.s3) {
    const std::string prefix = "s3://" + s3->bucket + "/";
    if (!location.starts_with(prefix) || location.size() == prefix.size()) return unreadable;
    return DumpSource{ObjectSource{s3->bucket, location.substr(prefix.size())}};
  }
  if (const auto& pvc = backup.spec.storage.persistent_volume_claim) {
    const std::string prefix = "pvc://" + pvc->claim_name + "/";
    if (!location.starts_with(prefix) || location.size() == prefix.size()) return unreadable;
    std::string path = location.substr(prefix.size());
    // The path came from status, which anyone allowed to write it could change: never leave the
    // volume.
    if (path.front() == '/' || path == ".." || path.starts_with("../") ||
        path.find("/../") != std::string::npos || path.ends_with("/..")) {
      return unreadable;
    }
    return DumpSource{ClaimSource{pvc->claim_name, path}};
  }
  return unreadable;
}

bool backup_encrypted(const api::Backup& backup) {
  return backup.status.encrypted.value_or(backup.spec.encryption.has_value());
}

std::string backup_problem(const api::Restore& restore, const api::Backup* backup) {
  const std::string name = "Backup \"" + restore.spec.backup_name + "\"";
  if (!backup) {
    return name + " not found in namespace \"" + restore.meta.ns +
           "\": fix spec.backupName, or create a new Restore of an existing Backup";
  }
  if (backup->meta.being_deleted) return name + " is being deleted; its dump may already be gone";
  if (backup->status.phase != api::Phase::kCompleted) {
    const char* phase =
        backup->status.phase == api::Phase::kNone ? "new" : api::to_string(backup->status.phase);
    std::string why =
        name + " is " + phase + ", not Completed: only a Completed Backup can be " + "restored";
    if (!api::is_terminal(backup->status.phase)) {
      why += "; create the Restore again once it has completed";
    }
    return why;
  }
  if (!backup->spec_errors.empty()) return name + " has an invalid spec";
  if (!backup->status.checksum.starts_with("sha256:")) {
    return name + " has no sha256 checksum in its status, so its dump cannot be verified";
  }
  const auto source = dump_source(*backup);
  if (const auto* why = std::get_if<std::string>(&source)) return *why;
  if (backup_encrypted(*backup) && !restore.spec.identity_secret_ref) {
    std::string to;
    if (backup->spec.encryption)
      to = " to " + age::join_recipients(backup->spec.encryption->age_recipients);
    return name + "'s dump is age-encrypted" + to +
           ": set spec.decryption.identitySecretRef to a Secret key holding the identity "
           "(AGE-SECRET-KEY-1...) of one of those recipients, in a new Restore";
  }
  if (restore.spec.clean && backup->spec.format == api::DumpFormat::kPlain) {
    return "spec.clean needs a custom-format Backup, and " + name +
           " is a plain SQL dump, which cannot drop what it recreates: restore into a new or "
           "empty database instead";
  }
  return {};
}

json make_restore_job(const api::Restore& restore, const api::Backup& backup,
                      const backup::JobOptions& options) {
  const api::RestoreSpec& spec = restore.spec;
  backup::AgentJob job;
  job.name = restore_job_name_for(restore.meta.name);
  job.owner = restore.meta;
  job.owner_kind = "Restore";
  job.labels = {{kRestoreLabel, kube::label_value_for(restore.meta.name)}};
  job.container = "restore";
  job.args = {"restore"};
  job.env = backup::database_env(spec.target);
  const auto source = std::get<DumpSource>(dump_source(backup));
  if (const auto* object = std::get_if<ObjectSource>(&source)) {
    job.env.push_back(env("CELLAR_S3_BUCKET", object->bucket));
    job.env.push_back(env("CELLAR_S3_KEY", object->key));
    backup::add_s3_connection(*backup.spec.storage.s3, job.env, job.mounts, job.volumes);
  } else {
    const auto& claim = std::get<ClaimSource>(source);
    job.env.push_back(
        env("CELLAR_INPUT", std::string(backup::kVolumeMountPath) + "/" + claim.path));
    job.mounts.push_back(
        {{"name", "backup"}, {"mountPath", backup::kVolumeMountPath}, {"readOnly", true}});
    job.volumes.push_back(
        {{"name", "backup"},
         {"persistentVolumeClaim", {{"claimName", claim.claim}, {"readOnly", true}}}});
  }
  job.env.push_back(env("CELLAR_CHECKSUM", backup.status.checksum));
  job.env.push_back(
      env("CELLAR_FORMAT", backup.spec.format == api::DumpFormat::kPlain ? "plain" : "custom"));
  job.env.push_back(env("CELLAR_CREATE_DATABASE", spec.create_database ? "true" : "false"));
  job.env.push_back(env("CELLAR_CLEAN", spec.clean ? "true" : "false"));
  if (backup_encrypted(backup) && spec.identity_secret_ref) {
    // The recipients (public) let the agent tell a wrong identity before the target is touched;
    // the identity itself is a file from the Secret, readable by the agent's group only.
    if (backup.spec.encryption) {
      job.env.push_back(env("CELLAR_AGE_RECIPIENTS",
                            age::join_recipients(backup.spec.encryption->age_recipients)));
    }
    job.env.push_back(env("CELLAR_AGE_IDENTITY_FILE",
                          std::string(kAgeIdentityMountPath) + "/" + kAgeIdentityFile));
    job.mounts.push_back(
        {{"name", "age-identity"}, {"mountPath", kAgeIdentityMountPath}, {"readOnly", true}});
    job.volumes.push_back(
        {{"name", "age-identity"},
         {"secret",
          {{"secretName", spec.identity_secret_ref->name},
           {"defaultMode", 0440},
           {"items", {{{"key", spec.identity_secret_ref->key}, {"path", kAgeIdentityFile}}}}}}});
  }
  job.backoff_limit = spec.backoff_limit;
  job.active_deadline_seconds = spec.active_deadline_seconds;
  return backup::make_agent_job(job, options);
}

}  // namespace cellar::restore
