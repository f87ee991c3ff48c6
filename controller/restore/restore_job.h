// The Job that runs one Restore, built like a Backup's (job_template.h): one Job per Restore,
// named from it, owned by it, labelled cellar.dev/restore=<name>, the Restore's deadline and
// back-off limit, a hardened pod, the target's password only through secretKeyRef, and
// `cellar-agent restore` with argv and env. The dump is read where the Backup's status says it
// is, and the claim that holds it is mounted read-only: a restore never writes to a Backup's
// storage.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <variant>

#include "controller/api/restore.h"
#include "controller/backup/job_template.h"

namespace cellar::restore {

// On the Job and its Pods: kube::label_value_for(<Restore name>).
inline constexpr const char* kRestoreLabel = "cellar.dev/restore";

// <restore>-restore, cut to a label value's 63 characters with a hash of the whole when longer.
std::string restore_job_name_for(const std::string& restore_name);

// Where a Backup's dump is, read from its status.location.
struct ClaimSource {
  std::string claim;
  std::string path;  // inside the volume
};
struct ObjectSource {
  std::string bucket;
  std::string key;
};
using DumpSource = std::variant<ClaimSource, ObjectSource>;

// The dump's source for `backup`, or why it has none that can be read (a sentence naming the
// Backup): its location must be on the storage its spec names.
std::variant<DumpSource, std::string> dump_source(const api::Backup& backup);

// Where an encrypted dump's age identity is mounted (from spec.decryption.identitySecretRef),
// and its file there.
inline constexpr const char* kAgeIdentityMountPath = "/etc/cellar/age";
inline constexpr const char* kAgeIdentityFile = "identity";

// Whether `backup`'s dump is age-encrypted: as its status says, else as its spec asked.
bool backup_encrypted(const api::Backup& backup);

// Why `backup` (nullptr: not found) cannot be restored by `restore`, as a sentence that says
// what to fix; empty when it can.
std::string backup_problem(const api::Restore& restore, const api::Backup* backup);

// The Job for `restore` of `backup`, both without problems (backup_problem is empty).
nlohmann::json make_restore_job(const api::Restore& restore, const api::Backup& backup,
                                const backup::JobOptions& options);

}  // namespace cellar::restore
