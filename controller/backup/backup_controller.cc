#include "controller/backup/backup_controller.h"

#include <spdlog/spdlog.h>

#include "controller/kube/reconcile_loop.h"

namespace cellar::backup {

namespace {

// Backups are the controller's biggest cache (a schedule keeps its history), so it is packed;
// every field of a Backup has a reader.
kube::InformerOptions all_backups(const std::string& ns) {
  kube::InformerOptions o;
  o.ns = ns;
  o.packed = true;
  return o;
}

}  // namespace

BackupController::BackupController(kube::Client& client, kube::EventRecorder& events,
                                   BackupControllerOptions options)
    : options_(std::move(options)),
      backups_(client, backups_resource(), all_backups(options_.ns),
               api::cache_projection(api::parse_backup)),
      jobs_(client, kube::resources::jobs(), workload_informer_options(options_.ns, kBackupLabel),
            api::cache_projection(parse_job)),
      pods_(client, kube::resources::pods(), workload_informer_options(options_.ns, kBackupLabel),
            api::cache_projection(parse_pod)),
      reconciler_(client, events, {backups_, jobs_, pods_}, options_.job) {
  index_pods_by_job(pods_);
  auto enqueue = [this](const api::Backup& b) { queue_.add(b.meta.key()); };
  backups_.on_add([this, enqueue](const api::Backup& b) {
    // The state adopt_created() reconciled already (or has just enqueued): nothing more.
    if (!backups_.delivering_remembered()) enqueue(b);
  });
  backups_.on_update([enqueue](const api::Backup&, const api::Backup& now) { enqueue(now); });
  backups_.on_delete(enqueue);
  jobs_.on_add([this](const JobView& j) { enqueue_backup_of(j.meta); });
  jobs_.on_update([this](const JobView&, const JobView& j) { enqueue_backup_of(j.meta); });
  jobs_.on_delete([this](const JobView& j) { enqueue_backup_of(j.meta); });
  pods_.on_add([this](const PodView& p) { enqueue_backup_of_pod(p); });
  pods_.on_update([this](const PodView&, const PodView& p) { enqueue_backup_of_pod(p); });
  pods_.on_delete([this](const PodView& p) { enqueue_backup_of_pod(p); });
}

BackupController::~BackupController() {
  stop();
}

void BackupController::adopt_created(const nlohmann::json& backup) {
  // When the watch was first, its event enqueued the Backup already.
  if (backups_.remember_created(backup)) queue_.add(kube::object_key(backup));
}

void BackupController::enqueue_backup_of(const api::ObjectMeta& job) {
  // The label is cut to 63 characters for long names; the ownerReference has the whole name.
  if (const api::OwnerReference* ref = job.controller_ref(); ref && ref->kind == "Backup") {
    queue_.add(job.ns + "/" + ref->name);
    return;
  }
  // Someone else's Job in our name: the Backup it blocks is told (when its name fits a label).
  auto it = job.labels.find(kBackupLabel);
  if (it != job.labels.end()) queue_.add(job.ns + "/" + it->second);
}

void BackupController::enqueue_backup_of_pod(const PodView& pod) {
  // A Pod belongs to its Job, the Job to its Backup. A Pod seen before its Job needs nothing:
  // the Job's own event brings the Backup.
  if (auto job = jobs_.get(pod.meta.ns + "/" + pod.job_name)) enqueue_backup_of(job->meta);
}

bool BackupController::sync_caches(std::chrono::milliseconds sync_timeout) {
  jobs_.run();
  pods_.run();
  backups_.run();
  // Reconciling before the Job cache is whole could create a Job that already exists.
  if (!kube::wait_for_caches(sync_timeout, jobs_, pods_, backups_)) return false;
  spdlog::info("caches synced: {} backups, {} jobs, {} pods", backups_.size(), jobs_.size(),
               pods_.size());
  synced_ = true;
  return true;
}

void BackupController::start_workers() {
  workers_.start(options_.workers);
}

void BackupController::stop() {
  if (!workers_.stop()) return;
  backups_.stop();
  pods_.stop();
  jobs_.stop();
}

}  // namespace cellar::backup
