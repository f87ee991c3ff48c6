#include "controller/backup/job_template.h"

#include "controller/age/age_recipient.h"
#include "controller/kube/names.h"

namespace cellar::backup {

using json = nlohmann::json;

namespace {

std::string join_path(const std::string& a, const std::string& b) {
  if (a.empty()) return b;
  if (b.empty()) return a;
  return a.back() == '/' ? a + b : a + "/" + b;
}

json env(const char* name, const std::string& value) {
  return {{"name", name}, {"value", value}};
}

// Pod- and container-level hardening: what restricted Pod Security asks for, and a read-only root.
json pod_security_context() {
  return {{"runAsNonRoot", true},
          {"runAsUser", kAgentUid},
          {"runAsGroup", kAgentUid},
          {"fsGroup", kAgentUid},
          {"seccompProfile", {{"type", "RuntimeDefault"}}}};
}

json container_security_context() {
  return {{"runAsNonRoot", true},
          {"allowPrivilegeEscalation", false},
          {"readOnlyRootFilesystem", true},
          {"capabilities", {{"drop", {"ALL"}}}},
          {"seccompProfile", {{"type", "RuntimeDefault"}}}};
}

}  // namespace

std::string job_name_for(const std::string& backup_name) {
  return kube::fit_name(backup_name, kube::kMaxLabelValue);
}

std::string dump_file_name(const api::Backup& backup) {
  // A file name is at most 255 bytes; the uid keeps even a cut name unique.
  const std::string name = kube::fit_name(backup.meta.name, kMaxDumpBaseName);
  const std::string uid = backup.meta.uid.substr(0, 8);
  const std::string base = uid.empty() ? name : name + "-" + uid;
  // age's own convention: an encrypted file says so in its name.
  const std::string encrypted = backup.spec.encryption ? ".age" : "";
  if (backup.spec.format == api::DumpFormat::kCustom) return base + ".dump" + encrypted;
  const bool compressed = backup.spec.compression_level && *backup.spec.compression_level > 0;
  return base + (compressed ? ".sql.gz" : ".sql") + encrypted;
}

std::string dump_object_key(const api::Backup& backup) {
  const auto& s3 = backup.spec.storage.s3;
  return join_path(s3 ? s3->prefix : "", dump_file_name(backup));
}

std::string dump_container_path(const api::Backup& backup) {
  std::string dir = kVolumeMountPath;
  if (const auto& pvc = backup.spec.storage.persistent_volume_claim) {
    dir = join_path(dir, pvc->sub_path);
  }
  return join_path(dir, dump_file_name(backup));
}

std::string dump_location(const api::Backup& backup) {
  if (const auto& s3 = backup.spec.storage.s3) {
    return "s3://" + s3->bucket + "/" + dump_object_key(backup);
  }
  const auto& pvc = backup.spec.storage.persistent_volume_claim;
  if (!pvc) return {};
  return "pvc://" + join_path(join_path(pvc->claim_name, pvc->sub_path), dump_file_name(backup));
}

namespace {

json secret_env(const char* name, const std::string& secret, const std::string& key,
                bool optional) {
  json ref = {{"name", secret}, {"key", key}};
  if (optional) ref["optional"] = true;
  return {{"name", name}, {"valueFrom", {{"secretKeyRef", ref}}}};
}

}  // namespace

void add_s3_connection(const api::S3Storage& s3, json& envs, json& mounts, json& volumes) {
  envs.push_back(env("CELLAR_S3_REGION", s3.region));
  if (!s3.endpoint.empty()) envs.push_back(env("CELLAR_S3_ENDPOINT", s3.endpoint));
  envs.push_back(env("CELLAR_S3_FORCE_PATH_STYLE", s3.force_path_style ? "true" : "false"));
  // The keys reach the pod only through secretKeyRef: never in the Job's spec, args or logs.
  const std::string& secret = s3.credentials_secret_ref.name;
  envs.push_back(secret_env(api::kAwsAccessKeyId, secret, api::kAwsAccessKeyId, false));
  envs.push_back(secret_env(api::kAwsSecretAccessKey, secret, api::kAwsSecretAccessKey, false));
  envs.push_back(secret_env(api::kAwsSessionToken, secret, api::kAwsSessionToken, true));
  if (s3.ca_secret_ref) {
    envs.push_back(env("CELLAR_S3_CA_FILE", std::string(kS3CaMountPath) + "/" + kS3CaFile));
    mounts.push_back({{"name", "s3-ca"}, {"mountPath", kS3CaMountPath}, {"readOnly", true}});
    volumes.push_back({{"name", "s3-ca"},
                       {"secret",
                        {{"secretName", s3.ca_secret_ref->name},
                         {"items", {{{"key", s3.ca_secret_ref->key}, {"path", kS3CaFile}}}}}}});
  }
}

json database_env(const api::DatabaseSpec& db) {
  json envs = json::array({
      env("PGHOST", db.host),
      env("PGPORT", std::to_string(db.port)),
      env("PGDATABASE", db.name),
      env("PGUSER", db.user),
      secret_env("PGPASSWORD", db.password_secret_ref.name, db.password_secret_ref.key, false),
  });
  if (!db.ssl_mode.empty()) envs.push_back(env("PGSSLMODE", db.ssl_mode));
  return envs;
}

json make_agent_job(const AgentJob& spec, const JobOptions& options) {
  json labels = spec.labels;
  labels["app.kubernetes.io/name"] = "cellar-agent";
  labels["app.kubernetes.io/managed-by"] = "cellar";
  json mounts = spec.mounts;
  json volumes = spec.volumes;
  // The root is read-only; pg_dump, pg_restore and psql may still want a scratch folder.
  mounts.push_back({{"name", "tmp"}, {"mountPath", "/tmp"}});
  volumes.push_back({{"name", "tmp"}, {"emptyDir", json::object()}});
  json envs = spec.env;
  envs.push_back(env("CELLAR_TERMINATION_MESSAGE_PATH", kTerminationMessagePath));
  json container = {
      {"name", spec.container},
      {"image", options.agent_image},
      {"args", spec.args},
      {"env", envs},
      {"terminationMessagePath", kTerminationMessagePath},
      // The agent writes its result there; if it dies before it can, the log tail says why.
      {"terminationMessagePolicy", "FallbackToLogsOnError"},
      {"securityContext", container_security_context()},
      {"volumeMounts", mounts},
  };
  return {{"apiVersion", "batch/v1"},
          {"kind", "Job"},
          {"metadata",
           {{"name", spec.name},
            {"namespace", spec.owner.ns},
            {"labels", labels},
            {"ownerReferences",
             {{{"apiVersion", api::kApiVersion},
               {"kind", spec.owner_kind},
               {"name", spec.owner.name},
               {"uid", spec.owner.uid},
               {"controller", true},
               {"blockOwnerDeletion", true}}}}}},
          {"spec",
           {{"backoffLimit", spec.backoff_limit},
            {"activeDeadlineSeconds", spec.active_deadline_seconds},
            {"template",
             {{"metadata", {{"labels", labels}}},
              {"spec",
               {{"restartPolicy", "Never"},
                {"automountServiceAccountToken", false},
                {"enableServiceLinks", false},
                {"securityContext", pod_security_context()},
                {"containers", {container}},
                {"volumes", volumes}}}}}}}};
}

json make_dump_job(const api::Backup& backup, const JobOptions& options) {
  const auto& spec = backup.spec;
  AgentJob job;
  job.name = job_name_for(backup.meta.name);
  job.owner = backup.meta;
  job.owner_kind = "Backup";
  job.labels = {{kBackupLabel, kube::label_value_for(backup.meta.name)}};
  job.container = "dump";
  job.args = {"dump"};
  job.env = database_env(spec.database);
  if (const auto& s3 = spec.storage.s3) {
    job.env.push_back(env("CELLAR_S3_BUCKET", s3->bucket));
    job.env.push_back(env("CELLAR_S3_KEY", dump_object_key(backup)));
    add_s3_connection(*s3, job.env, job.mounts, job.volumes);
  } else if (const auto& pvc = spec.storage.persistent_volume_claim) {
    job.env.push_back(env("CELLAR_OUTPUT", dump_container_path(backup)));
    job.mounts.push_back({{"name", "backup"}, {"mountPath", kVolumeMountPath}});
    job.volumes.push_back(
        {{"name", "backup"}, {"persistentVolumeClaim", {{"claimName", pvc->claim_name}}}});
  }
  job.env.push_back(
      env("CELLAR_FORMAT", spec.format == api::DumpFormat::kPlain ? "plain" : "custom"));
  if (spec.compression_level) {
    job.env.push_back(env("CELLAR_COMPRESSION", std::to_string(*spec.compression_level)));
  }
  // Public keys: not secrets, so plain env.
  if (spec.encryption) {
    job.env.push_back(
        env("CELLAR_AGE_RECIPIENTS", age::join_recipients(spec.encryption->age_recipients)));
  }
  job.backoff_limit = spec.backoff_limit;
  job.active_deadline_seconds = spec.active_deadline_seconds;
  return make_agent_job(job, options);
}

}  // namespace cellar::backup
