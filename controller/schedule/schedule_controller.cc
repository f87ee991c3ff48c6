#include "controller/schedule/schedule_controller.h"

#include <spdlog/spdlog.h>

#include "controller/kube/reconcile_loop.h"

namespace cellar::schedule {

namespace {

kube::InformerOptions namespaced(const std::string& ns) {
  kube::InformerOptions o;
  o.ns = ns;
  return o;
}

}  // namespace

void ScheduleController::enqueue_schedule_of(const api::Backup& backup) {
  auto it = backup.meta.labels.find(api::kScheduleLabel);
  if (it == backup.meta.labels.end()) return;
  // The label may be a cut name: the schedule's index maps it back.
  for (const api::BackupSchedule& s :
       schedules_.by_index(kSchedulesByLabel, backup.meta.ns + "/" + it->second)) {
    // A schedule that has just made Backups has its next pass queued already; one sooner, for
    // its new Backup's own watch event, would only wait (and use a core while the Backup's Job
    // is being made).
    if (reconciler_.bookkeeping_pending(s.meta.key())) continue;
    queue_.add(s.meta.key());
  }
}

ScheduleController::ScheduleController(kube::Client& client, kube::EventRecorder& events,
                                       kube::Informer<api::Backup>& backups,
                                       ScheduleControllerOptions options)
    : options_(std::move(options)),
      schedules_(client, backup_schedules_resource(), namespaced(options_.ns),
                 api::cache_projection(api::parse_backup_schedule)),
      backups_(backups),
      reconciler_(client, events, {schedules_, backups}) {
  backups.add_index(kBackupsBySchedule, [](const api::Backup& b) {
    auto it = b.meta.labels.find(api::kScheduleLabel);
    if (it == b.meta.labels.end()) return std::vector<std::string>{};
    return std::vector<std::string>{b.meta.ns + "/" + it->second};
  });
  schedules_.add_index(kSchedulesByLabel, [](const api::BackupSchedule& s) {
    return std::vector<std::string>{schedule_label_key(s.meta.ns, s.meta.name)};
  });
  auto enqueue = [this](const api::BackupSchedule& s) { queue_.add(s.meta.key()); };
  schedules_.on_add(enqueue);
  schedules_.on_update(
      [enqueue](const api::BackupSchedule&, const api::BackupSchedule& now) { enqueue(now); });
  // A deleted schedule is enqueued so the reconciler forgets what it remembered of it.
  schedules_.on_delete(enqueue);
  backups.on_add([this](const api::Backup& b) { enqueue_schedule_of(b); });
  backups.on_update([this](const api::Backup& old, const api::Backup& now) {
    // A schedule cares about a Backup's phase, its being deleted and its going; the Backup
    // controller's own writes in between (conditions, the finalizer) change nothing of that.
    if (old.status.phase != now.status.phase || old.meta.being_deleted != now.meta.being_deleted ||
        old.meta.labels != now.meta.labels || old.spec.cancel != now.spec.cancel) {
      enqueue_schedule_of(now);
    }
  });
  backups.on_delete([this](const api::Backup& b) { enqueue_schedule_of(b); });
}

ScheduleController::~ScheduleController() {
  stop();
}

bool ScheduleController::sync_caches(std::chrono::milliseconds sync_timeout) {
  schedules_.run();
  // Firing before the Backup cache is whole would miss a running Backup (Forbid) or one already
  // made for the due time.
  if (!kube::wait_for_caches(sync_timeout, schedules_, backups_)) return false;
  spdlog::info("schedule cache synced: {} schedules", schedules_.size());
  synced_ = true;
  return true;
}

void ScheduleController::start_workers() {
  workers_.start(options_.workers);
}

void ScheduleController::stop() {
  if (!workers_.stop()) return;
  schedules_.stop();
}

}  // namespace cellar::schedule
