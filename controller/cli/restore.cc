#include "controller/cli/restore.h"

#include <chrono>

#include "controller/api/restore.h"
#include "controller/cli/cellar_resources.h"
#include "controller/cli/exit_codes.h"
#include "controller/cli/restore_request.h"

namespace cellar::cli {

namespace {

std::string quoted(const std::string& text) {
  return "\"" + text + "\"";
}

// The Backup to restore, or nullopt with the reason printed.
std::optional<api::Backup> read_backup(kube::Client& client, const std::string& ns,
                                       const std::string& name, std::ostream& err) {
  auto got = client.get(backups_resource(), ns, name);
  if (got.ok()) return api::parse_backup(got.value());
  if (kube::is_not_found(got.error())) {
    err << "error: backup " << quoted(name) << " not found in namespace " << quoted(ns)
        << std::endl;
  } else {
    err << "error: cannot read backup " << quoted(name) << " in namespace " << quoted(ns) << ": "
        << got.error().to_string() << std::endl;
  }
  return std::nullopt;
}

}  // namespace

FollowedKind followed_restores() {
  return {restores_resource(), "restore", [](const nlohmann::json& object) {
            const api::Restore restore = api::parse_restore(object);
            const api::RestoreStatus& s = restore.status;
            return StatusSummary{s.phase, s.message, s.duration_seconds,
                                 "into " + restore.spec.target.name};
          }};
}

int run_restore(kube::Client& client, const std::string& ns, const RestoreOptions& options,
                std::ostream& out, std::ostream& err) {
  const auto backup = read_backup(client, ns, options.backup, err);
  if (!backup) return kExitFailure;
  if (auto why = unrestorable(*backup, options)) {
    err << "error: " << *why << std::endl;
    return kExitFailure;
  }

  const auto at = std::chrono::steady_clock::now();  // elapsed time counts from the create
  auto created = client.create(restores_resource(), ns, make_restore(*backup, options));
  if (!created.ok()) {
    const kube::Error& e = created.error();
    if (kube::is_already_exists(e)) {
      err << "error: restores.cellar.dev " << quoted(options.name)
          << " already exists in namespace " << quoted(ns) << std::endl;
    } else {
      err << "error: cannot create a restore of backup " << quoted(options.backup)
          << " in namespace " << quoted(ns) << ": " << e.to_string() << std::endl;
    }
    return kExitFailure;
  }
  // As the server stored it: the generated name, and the defaults it filled in.
  const api::Restore restore = api::parse_restore(created.value());
  out << "restore.cellar.dev/" << restore.meta.name << " created" << std::endl;
  if (!options.wait) return kExitOk;

  WaitRequest wait;
  wait.kind = followed_restores();
  wait.ns = ns;
  wait.name = restore.meta.name;
  wait.resource_version = restore.meta.resource_version;
  wait.phase = restore.status.phase;
  wait.created = at;
  wait.timeout =
      options.timeout.value_or(default_wait_timeout(restore.spec.active_deadline_seconds));
  return wait_for_phase(client, wait, out, err);
}

}  // namespace cellar::cli
