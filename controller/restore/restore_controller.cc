#include "controller/restore/restore_controller.h"

#include <spdlog/spdlog.h>

#include "controller/restore/restore_job.h"

namespace cellar::restore {

namespace {

kube::InformerOptions selected(const std::string& ns, const std::string& selector) {
  kube::InformerOptions o;
  o.ns = ns;
  o.label_selector = selector;
  return o;
}

}  // namespace

RestoreController::RestoreController(kube::Client& client, kube::EventRecorder& events,
                                     const kube::Informer<api::Backup>& backups,
                                     RestoreControllerOptions options)
    : options_(std::move(options)),
      restores_(client, restores_resource(), selected(options_.ns, ""),
                api::cache_projection(api::parse_restore)),
      backups_(backups),
      jobs_(client, kube::resources::jobs(),
            backup::workload_informer_options(options_.ns, kRestoreLabel),
            api::cache_projection(backup::parse_job)),
      pods_(client, kube::resources::pods(),
            backup::workload_informer_options(options_.ns, kRestoreLabel),
            api::cache_projection(backup::parse_pod)),
      reconciler_(client, events, {restores_, backups_, jobs_, pods_}, options_.job) {
  backup::index_pods_by_job(pods_);
  auto enqueue = [this](const api::Restore& r) { queue_.add(r.meta.key()); };
  restores_.on_add(enqueue);
  restores_.on_update([enqueue](const api::Restore&, const api::Restore& now) { enqueue(now); });
  restores_.on_delete(enqueue);
  jobs_.on_add([this](const backup::JobView& j) { enqueue_restore_of(j.meta); });
  jobs_.on_update(
      [this](const backup::JobView&, const backup::JobView& j) { enqueue_restore_of(j.meta); });
  jobs_.on_delete([this](const backup::JobView& j) { enqueue_restore_of(j.meta); });
  auto enqueue_pod = [this](const backup::PodView& p) {
    // A Pod seen before its Job needs nothing: the Job's own event brings the Restore.
    if (auto job = jobs_.get(p.meta.ns + "/" + p.job_name)) enqueue_restore_of(job->meta);
  };
  pods_.on_add(enqueue_pod);
  pods_.on_update(
      [enqueue_pod](const backup::PodView&, const backup::PodView& p) { enqueue_pod(p); });
  pods_.on_delete(enqueue_pod);
}

RestoreController::~RestoreController() {
  stop();
}

void RestoreController::enqueue_restore_of(const api::ObjectMeta& job) {
  if (const api::OwnerReference* ref = job.controller_ref(); ref && ref->kind == "Restore") {
    queue_.add(job.ns + "/" + ref->name);
  }
}

bool RestoreController::sync_caches(std::chrono::milliseconds sync_timeout) {
  jobs_.run();
  pods_.run();
  restores_.run();
  // Reconciling before the Job cache is whole could create a Job that already exists.
  if (!kube::wait_for_caches(sync_timeout, jobs_, pods_, restores_, backups_)) return false;
  spdlog::info("caches synced: {} restores, {} restore jobs", restores_.size(), jobs_.size());
  synced_ = true;
  return true;
}

void RestoreController::start_workers() {
  workers_.start(options_.workers);
}

void RestoreController::stop() {
  if (!workers_.stop()) return;
  restores_.stop();
  pods_.stop();
  jobs_.stop();
}

}  // namespace cellar::restore
