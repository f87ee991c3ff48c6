#include "controller/cli/backup_now.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <random>

#include "controller/api/backup_schedule.h"
#include "controller/cli/cellar_resources.h"
#include "controller/cli/exit_codes.h"
#include "controller/cli/wait_for_phase.h"
#include "controller/schedule/firing.h"
#include "controller/schedule/scheduled_backup.h"

namespace cellar::cli {

namespace {

// Collisions of a generated name are astronomically rare; a handful of tries is plenty.
constexpr int kNameAttempts = 5;

std::string quoted(const std::string& text) {
  return "\"" + text + "\"";
}

struct Created {
  nlohmann::json object;
  std::chrono::steady_clock::time_point at;  // just before the POST: elapsed time counts from it
};

// POSTs the Backup; on AlreadyExists for a generated name, tries another. nullopt (the error
// printed) when it cannot.
std::optional<Created> create_backup(kube::Client& client, const std::string& ns,
                                     const api::BackupSchedule& schedule,
                                     const std::string& chosen_name, std::ostream& err) {
  for (int attempt = 1;; ++attempt) {
    const std::string name =
        chosen_name.empty() ? fresh_backup_name(schedule.meta.name) : chosen_name;
    const nlohmann::json object =
        schedule::make_backup(schedule, {name, std::nullopt, "", std::chrono::system_clock::now()});
    const auto at = std::chrono::steady_clock::now();
    auto created = client.create(backups_resource(), ns, object);
    if (created.ok()) return Created{std::move(created.value()), at};
    const kube::Error& e = created.error();
    if (kube::is_already_exists(e) && chosen_name.empty() && attempt < kNameAttempts) continue;
    if (kube::is_already_exists(e)) {
      err << "error: backups.cellar.dev " << quoted(name) << " already exists in namespace "
          << quoted(ns) << std::endl;
    } else {
      err << "error: cannot create backup " << quoted(name) << " in namespace " << quoted(ns)
          << ": " << e.to_string() << std::endl;
    }
    return std::nullopt;
  }
}

}  // namespace

std::string fresh_backup_name(const std::string& schedule) {
  static std::random_device entropy;
  const auto now = std::chrono::system_clock::now().time_since_epoch();
  const std::string nonce =
      std::to_string(std::chrono::duration_cast<std::chrono::nanoseconds>(now).count()) + "-" +
      std::to_string(getpid()) + "-" + std::to_string(entropy()) + "-" + std::to_string(entropy());
  return schedule::triggered_backup_name(schedule, nonce);
}

int run_backup_now(kube::Client& client, const std::string& ns, const BackupNowOptions& options,
                   std::ostream& out, std::ostream& err) {
  auto got = client.get(backup_schedules_resource(), ns, options.schedule);
  if (!got.ok()) {
    if (kube::is_not_found(got.error())) {
      err << "error: backupschedule " << quoted(options.schedule) << " not found in namespace "
          << quoted(ns) << std::endl;
    } else {
      err << "error: cannot read backupschedule " << quoted(options.schedule) << " in namespace "
          << quoted(ns) << ": " << got.error().to_string() << std::endl;
    }
    return kExitFailure;
  }
  const api::BackupSchedule schedule = api::parse_backup_schedule(got.value());
  if (!schedule.spec_errors.empty()) {
    // The same words the schedule controller would put in its conditions: fix the schedule.
    for (const auto& problem : schedule.spec_errors) {
      err << "error: backupschedule " << quoted(options.schedule) << ": " << problem << std::endl;
    }
    return kExitFailure;
  }

  auto created = create_backup(client, ns, schedule, options.name, err);
  if (!created) return kExitFailure;
  const api::Backup backup = api::parse_backup(created->object);
  out << "backup.cellar.dev/" << backup.meta.name << " created" << std::endl;
  if (!options.wait) return kExitOk;

  WaitRequest wait;
  wait.kind = followed_backups();
  wait.ns = ns;
  wait.name = backup.meta.name;
  wait.resource_version = backup.meta.resource_version;
  wait.phase = backup.status.phase;
  wait.created = created->at;
  wait.timeout = options.timeout.value_or(
      default_wait_timeout(schedule.spec.backup_template.active_deadline_seconds));
  return wait_for_phase(client, wait, out, err);
}

}  // namespace cellar::cli
