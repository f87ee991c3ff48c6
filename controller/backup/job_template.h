// The Job that runs one Backup's dump, as DESIGN.md's Job contract fixes it: one Job per Backup,
// named from it, owned by it, labelled cellar.dev/backup=<name>, restartPolicy Never, the
// Backup's deadline and back-off limit, a hardened pod, the password only through secretKeyRef,
// and no spec field ever pasted into a shell: the container runs `cellar-agent dump` with env.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "controller/api/backup.h"

namespace cellar::backup {

// On the Job and its Pods: kube::label_value_for(<Backup name>), which is the name itself up to 63
// characters. It selects what Cellar made; the way back to the Backup is the Job's ownerReference.
inline constexpr const char* kBackupLabel = "cellar.dev/backup";
// How much of the Backup's name a dump file's name keeps (file names are at most 255 bytes).
inline constexpr size_t kMaxDumpBaseName = 200;
// Where the Backup's volume is mounted in the agent's container.
inline constexpr const char* kVolumeMountPath = "/backup";
inline constexpr const char* kTerminationMessagePath = "/dev/termination-log";
// The agent image's non-root user (distroless "nonroot").
inline constexpr int kAgentUid = 65532;

struct JobOptions {
  std::string agent_image;
};

// Deterministic and a valid label value (≤ 63 characters, as the Job controller labels its Pods
// with it): the Backup's name when it fits, else a prefix of it with a hash of the whole name.
std::string job_name_for(const std::string& backup_name);

// The dump file's name: the Backup's name and a prefix of its uid, so a Backup re-created under
// the same name never overwrites a dump that a Retain policy kept.
std::string dump_file_name(const api::Backup& backup);
// Where an S3 endpoint's CA bundle (spec.storage.s3.caSecretRef) is mounted, and its file there.
inline constexpr const char* kS3CaMountPath = "/etc/cellar/s3-ca";
inline constexpr const char* kS3CaFile = "ca.crt";

// The S3 object's key: <prefix>/<file>.
std::string dump_object_key(const api::Backup& backup);
// The dump's path inside the agent's container: /backup/<subPath>/<file>.
std::string dump_container_path(const api::Backup& backup);
// The location people read in status: pvc://<claim>/<subPath>/<file> or s3://<bucket>/<key>.
std::string dump_location(const api::Backup& backup);

// Adds what the agent needs to reach the store — region, endpoint, addressing, credentials
// through secretKeyRef, the CA bundle's volume — to a container's env and mounts and a pod's
// volumes. For the dump Job and the cleanup Job alike.
void add_s3_connection(const api::S3Storage& s3, nlohmann::json& envs, nlohmann::json& mounts,
                       nlohmann::json& volumes);

// The libpq variables for `db`: PGHOST, PGPORT, PGDATABASE, PGUSER, PGSSLMODE, and PGPASSWORD
// through secretKeyRef, so the password is never in the Job's spec.
nlohmann::json database_env(const api::DatabaseSpec& db);

// One Job that runs cellar-agent for a Cellar resource: what differs between them.
struct AgentJob {
  std::string name;
  api::ObjectMeta owner;   // the resource the Job belongs to (namespace, name, uid)
  std::string owner_kind;  // "Backup", "Restore"
  nlohmann::json labels = nlohmann::json::object();  // on the Job and its Pods
  std::string container;                             // the container's name
  nlohmann::json args = nlohmann::json::array();
  nlohmann::json env = nlohmann::json::array();
  nlohmann::json mounts = nlohmann::json::array();
  nlohmann::json volumes = nlohmann::json::array();
  int backoff_limit = 0;
  int64_t active_deadline_seconds = 3600;
};

// The Job for `job`, as the Job contract fixes every Cellar Job: owned by its resource
// (controller: true), restartPolicy Never, a hardened pod with a read-only root and a /tmp
// scratch folder, no service account token, and the agent's result in its termination message.
nlohmann::json make_agent_job(const AgentJob& job, const JobOptions& options);

// The Job for a Backup whose spec has no errors.
nlohmann::json make_dump_job(const api::Backup& backup, const JobOptions& options);

}  // namespace cellar::backup
