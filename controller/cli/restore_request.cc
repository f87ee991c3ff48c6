#include "controller/cli/restore_request.h"

#include "controller/api/restore.h"
#include "controller/kube/names.h"
#include "controller/restore/restore_job.h"

namespace cellar::cli {

namespace {

// kube-apiserver keeps this much of a generateName and adds 5 random characters.
constexpr size_t kGenerateNameKept = 58;
constexpr const char* kRestoreSuffix = "-restore-";

}  // namespace

std::optional<std::string> unrestorable(const api::Backup& backup, const RestoreOptions& options) {
  api::Restore restore = api::parse_restore(make_restore(backup, options));
  restore.meta.ns = backup.meta.ns;
  std::string why = restore::backup_problem(restore, &backup);
  if (why.empty()) return std::nullopt;
  if (restore::backup_encrypted(backup) && !options.identity_secret) {
    why += " (here: --identity-secret SECRET[:KEY])";
  }
  const api::Phase phase = backup.status.phase;
  if (api::is_terminal(phase) && phase != api::Phase::kCompleted &&
      !backup.status.message.empty()) {
    why += " (status.message: " + backup.status.message + ")";
  }
  return why;
}

std::string restore_generate_name(const std::string& backup) {
  const size_t room = kGenerateNameKept - std::string(kRestoreSuffix).size();
  return kube::fit_name(backup, room) + kRestoreSuffix;
}

nlohmann::json make_restore(const api::Backup& backup, const RestoreOptions& options) {
  api::RestoreSpec spec;
  spec.backup_name = backup.meta.name;
  spec.target = backup.spec.database;
  spec.target.name = options.database;
  if (options.host) spec.target.host = *options.host;
  if (options.port) spec.target.port = *options.port;
  if (options.user) spec.target.user = *options.user;
  if (options.password_secret) spec.target.password_secret_ref = *options.password_secret;
  spec.create_database = options.create_database;
  spec.clean = options.clean;
  spec.identity_secret_ref = options.identity_secret;

  nlohmann::json metadata = nlohmann::json::object();
  if (options.name.empty()) {
    metadata["generateName"] = restore_generate_name(backup.meta.name);
  } else {
    metadata["name"] = options.name;
  }
  return {{"apiVersion", api::kApiVersion},
          {"kind", "Restore"},
          {"metadata", metadata},
          {"spec", api::to_json(spec)}};
}

}  // namespace cellar::cli
