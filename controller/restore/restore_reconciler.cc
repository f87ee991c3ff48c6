#include "controller/restore/restore_reconciler.h"

#include <spdlog/spdlog.h>

#include "controller/api/timestamps.h"
#include "controller/backup/backup_reconciler.h"
#include "controller/restore/restore_job.h"

namespace cellar::restore {

using json = nlohmann::json;

namespace {

std::string foreign_job_message(const std::string& job_name) {
  return "a Job named " + job_name +
         " already exists and does not belong to this Restore; delete it or give the Restore "
         "another name";
}

}  // namespace

kube::Resource restores_resource() {
  return {api::kGroup, api::kVersion, "restores", true};
}

RestoreReconciler::RestoreReconciler(kube::Client& client, kube::EventRecorder& events,
                                     Caches caches, backup::JobOptions options)
    : client_(client), events_(events), caches_(caches), options_(std::move(options)) {}

kube::Result<kube::Requeue> RestoreReconciler::reconcile(const std::string& key) {
  const kube::Requeue kDone;
  std::optional<api::Restore> cached = caches_.restores.get(key);
  if (!cached) return kDone;  // gone: its Job goes with it, and the transaction rolls back
  const api::Restore& restore = *cached;
  // A settled Restore needs nothing more: no reads, no writes. One being deleted takes its Job
  // with it (ownerReference), so there is nothing to clean up either.
  if (api::is_terminal(restore.status.phase) || restore.meta.being_deleted) return kDone;

  const std::string& ns = restore.meta.ns;
  const std::string job_name = restore_job_name_for(restore.meta.name);
  auto job =
      backup::find_job(client_, caches_.jobs, ns, job_name, !restore.status.job_name.empty());
  if (!job.ok()) return job.error();

  Observation o;
  o.restore = &restore;
  o.now = api::format_rfc3339(api::Clock::now());
  std::optional<backup::PodView> pod;
  if (*job && !backup::controlled_by((*job)->meta, restore.meta.uid)) {
    const api::OwnerReference* ref = (*job)->meta.controller_ref();
    if (ref && ref->kind == "Restore" && ref->name == restore.meta.name) {
      // An earlier Restore of this name left it; garbage collection removes it and its deletion
      // brings us back.
      spdlog::info("{}: waiting for Job {} of an earlier Restore of this name to go", key,
                   job_name);
      return kDone;
    }
    o.blocker = foreign_job_message(job_name);
    job->reset();
  }

  // The Backup is read from the API server only when no Job runs yet and the cache has no
  // Completed Backup by that name: the one moment a lagging cache would fail the Restore wrongly.
  const bool cache_only = *job || !restore.status.job_name.empty() || !o.blocker.empty() ||
                          !restore.spec_errors.empty();
  auto found_backup = find_backup(restore, cache_only);
  if (!found_backup.ok()) return found_backup.error();
  o.backup = *found_backup ? &**found_backup : nullptr;

  if (*job) {
    o.job = &**job;
    pod = backup::newest_pod(caches_.pods, ns, job_name);
    o.pod = pod ? &*pod : nullptr;
  } else if (!restore.status.job_name.empty()) {
    o.job_vanished = true;
  } else if (o.blocker.empty() && restore.spec_errors.empty()) {
    o.blocker = backup_problem(restore, o.backup);
    if (o.blocker.empty()) {
      auto blocker = find_blocker(restore, *o.backup);
      if (!blocker.ok()) return blocker.error();
      o.blocker = *blocker;
    }
  }

  Decision d = decide(o);
  if (d.job == JobAction::kCreate) {
    auto created = backup::create_job(client_, ns, make_restore_job(restore, *o.backup, options_));
    if (!created.ok()) {
      const kube::Error& error = created.error();
      if (!kube::is_permanent(error)) return error;
      if (kube::is_namespace_terminating(error)) return kDone;
      spdlog::error("{}: the API server refused Job {}: {}", key, job_name, error.to_string());
      o.blocker = "The API server refused Job " + job_name + ": " + error.message;
      d = decide(o);
    } else if (!*created) {
      // Made by an earlier pass whose cache lagged (adopted when its event arrives; its Events
      // were recorded then), or by someone else, whose Job the label-filtered cache never sees.
      auto foreign = backup::foreign_job(client_, ns, job_name, restore.meta.uid);
      if (!foreign.ok()) return foreign.error();
      if (!*foreign) return kube::Requeue(d.requeue_after);
      o.blocker = foreign_job_message(job_name);
      d = decide(o);
    } else {
      warn_if_target_being_dumped(restore);
    }
  }
  if (d.status != restore.status) {
    if (auto s = write_status(restore, d.status); !s.ok()) return s.error();
    if (d.status.phase != restore.status.phase) {
      spdlog::info("{}: {} -> {}: {}", key,
                   restore.status.phase == api::Phase::kNone ? "(new)"
                                                             : api::to_string(restore.status.phase),
                   api::to_string(d.status.phase), d.status.message);
    }
  }
  for (const auto& e : d.events) record(restore, e);
  return kube::Requeue(d.requeue_after);
}

kube::Result<std::optional<api::Backup>> RestoreReconciler::find_backup(const api::Restore& restore,
                                                                        bool cache_only) {
  const std::string& ns = restore.meta.ns;
  auto cached = caches_.backups.get(ns + "/" + restore.spec.backup_name);
  if (cache_only || (cached && cached->status.phase == api::Phase::kCompleted)) {
    return {std::move(cached)};
  }
  auto live = client_.get(backup::backups_resource(), ns, restore.spec.backup_name);
  if (live.ok()) return {std::optional<api::Backup>(api::parse_backup(*live))};
  if (kube::is_not_found(live.error())) return {std::optional<api::Backup>{}};
  return live.error();
}

kube::Result<std::string> RestoreReconciler::find_blocker(const api::Restore& restore,
                                                          const api::Backup& backup) {
  const std::string& ns = restore.meta.ns;
  const auto& ref = restore.spec.target.password_secret_ref;
  std::vector<backup::BlockerCheck> checks = {[&] {
    return backup::secret_blocker(client_, ns, ref.name, {ref.key}, "spec.target.passwordSecretRef",
                                  true);
  }};
  // The dump is read with the Backup's own storage settings, from the Backup's namespace, which
  // is the Restore's.
  const std::string of_backup = " (of Backup \"" + backup.meta.name + "\")";
  if (const auto& s3 = backup.spec.storage.s3) {
    checks.push_back([&] {
      return backup::secret_blocker(client_, ns, s3->credentials_secret_ref.name,
                                    {api::kAwsAccessKeyId, api::kAwsSecretAccessKey},
                                    "spec.storage.s3.credentialsSecretRef" + of_backup, false);
    });
    if (const auto& ca = s3->ca_secret_ref) {
      checks.push_back([&] {
        return backup::secret_blocker(client_, ns, ca->name, {ca->key},
                                      "spec.storage.s3.caSecretRef" + of_backup, true);
      });
    }
  }
  if (const auto& identity = restore.spec.identity_secret_ref;
      identity && backup_encrypted(backup)) {
    checks.push_back([&] {
      return backup::secret_blocker(client_, ns, identity->name, {identity->key},
                                    "spec.decryption.identitySecretRef", true);
    });
  }
  if (const auto& pvc = backup.spec.storage.persistent_volume_claim) {
    checks.push_back([&] {
      return backup::claim_blocker(client_, ns, pvc->claim_name,
                                   "spec.storage.persistentVolumeClaim.claimName" + of_backup +
                                       "; the dump is gone with its claim");
    });
  }
  return backup::first_blocker(checks);
}

void RestoreReconciler::warn_if_target_being_dumped(const api::Restore& restore) {
  const api::DatabaseSpec& target = restore.spec.target;
  for (const api::Backup& b : caches_.backups.list()) {
    const api::DatabaseSpec& db = b.spec.database;
    if (api::is_terminal(b.status.phase) || db.host != target.host || db.port != target.port ||
        db.name != target.name) {
      continue;
    }
    record(restore, {"Warning", "TargetBeingBackedUp",
                     "Backup " + b.meta.key() + " is dumping database " + target.name + " on " +
                         target.host + ":" + std::to_string(target.port) +
                         ", the target of this restore; its dump holds the database as it was "
                         "when the dump began"});
    return;
  }
}

kube::Status RestoreReconciler::write_status(const api::Restore& restore,
                                             const api::RestoreStatus& status) {
  // Conditional on the resourceVersion read, as for Backups: a stale status gets a 409.
  json body = {{"apiVersion", api::kApiVersion},
               {"kind", "Restore"},
               {"metadata",
                {{"name", restore.meta.name},
                 {"namespace", restore.meta.ns},
                 {"resourceVersion", restore.meta.resource_version}}},
               {"status", api::to_json(status)}};
  auto written = client_.update_status(restores_resource(), restore.meta.ns, body);
  if (written.ok()) return kube::ok_status();
  return written.error();
}

void RestoreReconciler::record(const api::Restore& restore, const kube::Event& event) {
  events_.record(
      {api::kApiVersion, "Restore", restore.meta.ns, restore.meta.name, restore.meta.uid},
      event.type, event.reason, event.message);
}

}  // namespace cellar::restore
