#include "controller/backup/backup_reconciler.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <future>

#include "controller/api/timestamps.h"
#include "controller/backup/cleanup_job.h"

namespace cellar::backup {

using json = nlohmann::json;

namespace {

bool owned_by(const api::ObjectMeta& meta, const api::Backup& backup) {
  return controlled_by(meta, backup.meta.uid);
}

std::string now_rfc3339() {
  return api::format_rfc3339(api::Clock::now());
}

}  // namespace

kube::Resource backups_resource() {
  return {api::kGroup, api::kVersion, "backups", true};
}

BackupReconciler::BackupReconciler(kube::Client& client, kube::EventRecorder& events, Caches caches,
                                   JobOptions options)
    : client_(client), events_(events), caches_(caches), options_(std::move(options)) {}

kube::Result<BackupReconciler::Requeue> BackupReconciler::reconcile(const std::string& key) {
  const Requeue kDone;
  std::optional<api::Backup> cached = caches_.backups.get(key);
  if (!cached) {
    own_writes_.forget(key);
    std::lock_guard lock(prerequisites_mu_);
    prerequisites_found_.erase(key);
    return kDone;  // gone: its Jobs go with it (ownerReferences)
  }
  const api::Backup& backup = *cached;
  // Our last write has not come back yet: this pass would redo it from a state known to be gone.
  if (own_writes_.cache_is_behind(key, backup.meta.resource_version)) return kDone;

  // A settled Backup needs nothing more unless it is being deleted or was cancelled (its Job may
  // still be stopping): no reads, no writes, however many of them there are.
  if (api::is_terminal(backup.status.phase) && !backup.meta.being_deleted &&
      backup.status.phase != api::Phase::kCancelled) {
    return kDone;
  }
  const std::string job_name = job_name_for(backup.meta.name);
  // The API server is asked only when status says a Job was made and the cache has none.
  auto job = find_job(backup, job_name,
                      !backup.status.job_name.empty() && !api::is_terminal(backup.status.phase));
  if (!job.ok()) return job.error();

  if (backup.meta.being_deleted) {
    auto deleted = reconcile_deletion(backup, job->has_value() ? &**job : nullptr);
    if (!deleted.ok()) return deleted.error();
    return kDone;
  }

  // A Job of that name that is not ours: never adopt or touch it.
  if (*job && !owned_by((*job)->meta, backup)) return refuse_foreign_job(backup, **job);

  // Deleting dumps needs the finalizer in place before there is anything to delete.
  const bool wants_finalizer = backup.spec.deletion_policy == api::DeletionPolicy::kDelete;
  if (wants_finalizer && !backup.meta.has_finalizer(kDumpFinalizer) &&
      !api::is_terminal(backup.status.phase)) {
    auto set = set_finalizer(backup, true);  // the update brings us back here
    if (!set.ok()) return set.error();
    return kDone;
  }

  Observation o;
  o.backup = &backup;
  o.location = dump_location(backup);
  o.now = now_rfc3339();
  std::optional<PodView> pod;
  if (*job) {
    o.job = &**job;
    pod = newest_pod(backup.meta.ns, job_name);
    o.pod = pod ? &*pod : nullptr;
  } else if (!backup.status.job_name.empty()) {
    o.job_vanished = true;
  }
  // Whether a Secret or claim the Job needs is missing is asked beside the Job's creation, not
  // before it: in front of it, those reads would double the time from an applied Backup to its
  // Job. Creating first is harmless, since a pod whose Secret or claim is missing cannot start;
  // when one is missing, the Job goes again before the Backup fails saying what to fix. Until
  // status names the Job, every pass asks that has not seen them all present, so a check that
  // failed once is not skipped for good.
  std::future<kube::Result<std::string>> blocker;
  const bool seen = prerequisites_seen(backup);  // also forgets what status has overtaken
  if (backup.status.job_name.empty() && !api::is_terminal(backup.status.phase) &&
      !backup.spec.cancel && backup.spec_errors.empty() && !seen) {
    blocker = std::async(std::launch::async, [this, &backup] { return find_blocker(backup); });
  }

  Decision d = decide(o);
  bool prerequisites_clear = false;
  std::optional<kube::Result<bool>> created;
  if (d.job == JobAction::kCreate) {
    created = create_job(client_, backup.meta.ns, make_dump_job(backup, options_));
  }
  if (blocker.valid()) {
    auto found = blocker.get();
    if (!found.ok()) return found.error();
    prerequisites_clear = found->empty();
    if (!prerequisites_clear) {
      const bool ours =
          (created && created->ok() && **created) || (*job && owned_by((*job)->meta, backup));
      if (ours) {
        if (auto s = delete_job(client_, backup.meta.ns, job_name); !s.ok()) return s.error();
      }
      o.job = nullptr;
      o.pod = nullptr;
      o.blocker = std::move(*found);
      d = decide(o);
    }
  }
  switch (d.job) {
    case JobAction::kCreate: {
      if (!created->ok()) {
        if (!kube::is_permanent(created->error())) return created->error();
        return fail_for_refusal(backup, o, "Job " + job_name, created->error());
      }
      if (!**created) {
        // Made by an earlier pass whose cache lagged (adopted on the next pass: say nothing
        // twice), or by someone else — whose Job our label-filtered cache cannot see.
        auto foreign = foreign_job(client_, backup.meta.ns, job_name, backup.meta.uid);
        if (!foreign.ok()) return foreign.error();
        if (*foreign) return refuse_foreign_job(backup, **foreign);
        d.events.clear();
      }
      break;
    }
    case JobAction::kDelete:
      if (auto s = delete_job(client_, backup.meta.ns, job_name); !s.ok()) return s.error();
      break;
    case JobAction::kNone:
      break;
  }
  if (prerequisites_clear && (o.job != nullptr || (created && created->ok()))) {
    std::lock_guard lock(prerequisites_mu_);
    prerequisites_found_[key] = backup.meta.uid;
  }
  if (d.status != backup.status) {
    if (auto s = write_status(backup, d.status); !s.ok()) return s.error();
    if (d.status.phase != backup.status.phase) {
      spdlog::info(
          "{}: {} -> {}: {}", key,
          backup.status.phase == api::Phase::kNone ? "(new)" : api::to_string(backup.status.phase),
          api::to_string(d.status.phase), d.status.message);
    }
  }
  for (const auto& e : d.events) record(backup, e);
  return Requeue(d.requeue_after);
}

kube::Result<BackupReconciler::Requeue> BackupReconciler::fail_for_refusal(
    const api::Backup& backup, Observation o, const std::string& what, const kube::Error& error) {
  if (kube::is_namespace_terminating(error)) {
    // The namespace, and this Backup with it, is going: nothing to run, nothing to report to.
    spdlog::info("{}: not creating {}: namespace {} is being deleted", backup.meta.key(), what,
                 backup.meta.ns);
    return Requeue{};
  }
  spdlog::error("{}: the API server refused {}: {}", backup.meta.key(), what, error.to_string());
  o.job = nullptr;
  o.pod = nullptr;
  o.blocker = "The API server refused " + what + ": " + error.message;
  Decision d = decide(o);
  if (d.status != backup.status) {
    if (auto s = write_status(backup, d.status); !s.ok()) return s.error();
  }
  for (const auto& e : d.events) record(backup, e);
  return Requeue{};
}

kube::Result<BackupReconciler::Requeue> BackupReconciler::refuse_foreign_job(
    const api::Backup& backup, const JobView& job) {
  const api::OwnerReference* ref = job.meta.controller_ref();
  if (ref && ref->kind == "Backup" && ref->name == backup.meta.name) {
    // Left by an earlier Backup of the same name; garbage collection removes it, and its
    // deletion (labelled with our name) brings us back here.
    spdlog::info("{}: waiting for Job {} of an earlier Backup of this name to go",
                 backup.meta.key(), job.meta.name);
    return Requeue{};
  }
  api::Backup blocked = backup;
  blocked.spec_errors.push_back("a Job named " + job.meta.name +
                                " already exists and does not belong to this Backup; delete it "
                                "or give the Backup another name");
  Observation o{&blocked, nullptr, nullptr, false, "", dump_location(backup), now_rfc3339()};
  Decision d = decide(o);
  if (d.status != backup.status) {
    if (auto s = write_status(backup, d.status); !s.ok()) return s.error();
  }
  for (const auto& e : d.events) record(backup, e);
  return Requeue{};
}

kube::Status BackupReconciler::reconcile_deletion(const api::Backup& backup, const JobView* job) {
  if (!backup.meta.has_finalizer(kDumpFinalizer)) return kube::ok_status();
  // A dump still running would write the file again after it was removed: stop it first. Its
  // deletion event brings us back.
  if (job && owned_by(job->meta, backup) && job->finished.empty()) {
    return delete_job(client_, backup.meta.ns, job->meta.name);
  }
  // Nothing was ever written when no Job ran.
  if (backup.spec.deletion_policy != api::DeletionPolicy::kDelete ||
      backup.status.job_name.empty()) {
    return set_finalizer(backup, false);
  }
  const std::string name = cleanup_job_name_for(backup);
  auto cleanup = find_job(backup, name, false);
  if (!cleanup.ok()) return cleanup.error();
  if (!*cleanup) {
    spdlog::info("{}: deleting its dump {}", backup.meta.key(), dump_location(backup));
    auto created = create_job(client_, backup.meta.ns, make_cleanup_job(backup, options_));
    if (created.ok()) return kube::ok_status();
    const kube::Error& error = created.error();
    if (kube::is_namespace_terminating(error)) {
      // No Job can run in a namespace being deleted, and holding the finalizer would hold the
      // namespace for good. A dump on a claim in this namespace goes with its volume.
      const std::string what = "Namespace " + backup.meta.ns +
                               " is being deleted, so no Job can delete the dump " +
                               dump_location(backup) + "; the Backup goes without it";
      spdlog::warn("{}: {}", backup.meta.key(), what);
      record(backup, {"Warning", "DumpNotDeleted", what});
      return set_finalizer(backup, false);
    }
    if (!kube::is_permanent(error)) return error;
    return report_cleanup_failure(
        backup, "the API server refused Job " + name + ": " + error.message, name);
  }
  const JobView& c = **cleanup;
  if (c.finished == "Complete") {
    spdlog::info("{}: dump {} deleted", backup.meta.key(), dump_location(backup));
    return set_finalizer(backup, false);
  }
  if (c.finished == "Failed") {
    auto pod = newest_pod(backup.meta.ns, name);
    std::string why = pod ? parse_agent_result(pod->termination_message).error : "";
    if (why.empty()) why = c.finished_reason + ": see `kubectl logs job/" + name + "`";
    return report_cleanup_failure(backup, why, name);
  }
  return kube::ok_status();
}

kube::Status BackupReconciler::report_cleanup_failure(const api::Backup& backup,
                                                      const std::string& why,
                                                      const std::string& cleanup_job) {
  api::BackupStatus status = backup.status;
  status.message = "Could not delete the dump " + dump_location(backup) + ": " + why +
                   ". The Backup stays until it is; fix the cause and delete job/" + cleanup_job +
                   " to try again, or remove the finalizer " + kDumpFinalizer +
                   " to keep the file and let the Backup go";
  if (status == backup.status) return kube::ok_status();
  if (auto s = write_status(backup, status); !s.ok()) return s;
  record(backup, {"Warning", "CleanupFailed", status.message});
  return kube::ok_status();
}

kube::Result<std::optional<JobView>> BackupReconciler::find_job(const api::Backup& backup,
                                                                const std::string& name,
                                                                bool expect_it) {
  return backup::find_job(client_, caches_.jobs, backup.meta.ns, name, expect_it);
}

std::optional<PodView> BackupReconciler::newest_pod(const std::string& ns,
                                                    const std::string& job_name) const {
  return backup::newest_pod(caches_.pods, ns, job_name);
}

bool BackupReconciler::prerequisites_seen(const api::Backup& backup) {
  std::lock_guard lock(prerequisites_mu_);
  auto it = prerequisites_found_.find(backup.meta.key());
  if (it == prerequisites_found_.end()) return false;
  if (it->second == backup.meta.uid && backup.status.job_name.empty() &&
      !api::is_terminal(backup.status.phase)) {
    return true;
  }
  prerequisites_found_.erase(it);  // status names the Job now, or it ended, or a namesake came
  return false;
}

kube::Result<std::string> BackupReconciler::find_blocker(const api::Backup& backup) {
  const std::string& ns = backup.meta.ns;
  const auto& db = backup.spec.database;
  std::vector<BlockerCheck> checks = {[&] {
    return backup::secret_blocker(client_, ns, db.password_secret_ref.name,
                                  {db.password_secret_ref.key}, "spec.database.passwordSecretRef",
                                  true);
  }};
  if (const auto& s3 = backup.spec.storage.s3) {
    checks.push_back([&] {
      return backup::secret_blocker(client_, ns, s3->credentials_secret_ref.name,
                                    {api::kAwsAccessKeyId, api::kAwsSecretAccessKey},
                                    "spec.storage.s3.credentialsSecretRef", false);
    });
    if (const auto& ca = s3->ca_secret_ref) {
      checks.push_back([&] {
        return backup::secret_blocker(client_, ns, ca->name, {ca->key},
                                      "spec.storage.s3.caSecretRef", true);
      });
    }
  }
  if (const auto& pvc = backup.spec.storage.persistent_volume_claim) {
    checks.push_back([&] {
      return claim_blocker(client_, ns, pvc->claim_name,
                           "spec.storage.persistentVolumeClaim.claimName");
    });
  }
  return first_blocker(checks);
}

kube::Status BackupReconciler::write_status(const api::Backup& backup,
                                            const api::BackupStatus& status) {
  // The status subresource takes only .status; resourceVersion makes the write conditional, so a
  // status computed from a stale cache is refused (409) instead of overwriting newer facts.
  json body = {{"apiVersion", api::kApiVersion},
               {"kind", "Backup"},
               {"metadata",
                {{"name", backup.meta.name},
                 {"namespace", backup.meta.ns},
                 {"resourceVersion", backup.meta.resource_version}}},
               {"status", api::to_json(status)}};
  auto written = client_.update_status(backups_resource(), backup.meta.ns, body);
  if (written.ok()) {
    own_writes_.wrote(backup.meta.key(), backup.meta.resource_version);
    // The write was conditional on the resourceVersion read, so only one write can end it.
    if (on_finished_ && api::is_terminal(status.phase) && !api::is_terminal(backup.status.phase)) {
      on_finished_(backup, status.phase);
    }
    return kube::ok_status();
  }
  return written.error();  // a 409 is retried with the fresh object the watch brings
}

kube::Status BackupReconciler::set_finalizer(const api::Backup& backup, bool present) {
  std::vector<std::string> finalizers = backup.meta.finalizers;
  std::erase(finalizers, std::string(kDumpFinalizer));
  if (present) finalizers.push_back(kDumpFinalizer);
  // A merge patch replaces the whole list; the resourceVersion makes sure it is the list we read.
  json patch = {{"metadata",
                 {{"finalizers", finalizers}, {"resourceVersion", backup.meta.resource_version}}}};
  auto patched = client_.merge_patch(backups_resource(), backup.meta.ns, backup.meta.name, patch);
  if (patched.ok()) own_writes_.wrote(backup.meta.key(), backup.meta.resource_version);
  if (patched.ok() || kube::is_not_found(patched.error())) return kube::ok_status();
  return patched.error();
}

void BackupReconciler::record(const api::Backup& backup, const Event& event) {
  events_.record({api::kApiVersion, "Backup", backup.meta.ns, backup.meta.name, backup.meta.uid},
                 event.type, event.reason, event.message);
}

}  // namespace cellar::backup
