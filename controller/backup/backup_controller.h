// The Backup controller: informers on Backups and on the Jobs and Pods labelled
// cellar.dev/backup, a work queue of Backup keys, and workers that run the reconciler. Event
// handlers only enqueue keys; a Job or Pod maps back to its Backup through that label.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "controller/backup/backup_reconciler.h"
#include "controller/kube/reconcile_loop.h"
#include "controller/kube/workqueue.h"

namespace cellar::backup {

struct BackupControllerOptions {
  std::string ns;  // empty: every namespace
  int workers = 4;
  JobOptions job;
};

class BackupController {
 public:
  BackupController(kube::Client& client, kube::EventRecorder& events,
                   BackupControllerOptions options);
  BackupController(const BackupController&) = delete;
  BackupController& operator=(const BackupController&) = delete;
  ~BackupController();

  // Starts the informers, waits for them to sync (false on timeout), then starts the workers.
  // start() is sync_caches() then start_workers(). A standby replica only syncs: its caches stay
  // current, and its workers start when it becomes the leader.
  bool start(std::chrono::milliseconds sync_timeout) {
    return sync_caches(sync_timeout) && (start_workers(), true);
  }
  bool sync_caches(std::chrono::milliseconds sync_timeout);
  // Once; does nothing after stop() (they may race when leadership comes during shutdown).
  void start_workers();
  bool synced() const { return synced_; }
  const kube::WorkQueue& queue() const { return queue_; }
  // Tells `observe` of each reconcile pass (for metrics); before start_workers().
  void observe_finished(BackupReconciler::FinishedObserver observe) {
    reconciler_.observe_finished(std::move(observe));
  }
  void observe_reconciles(kube::ReconcileObserver observe) { workers_.observe(std::move(observe)); }
  // Stops taking new keys, lets workers finish the key in hand, stops the informers.
  void stop();

  // The Backup cache, for the schedule controller to share; add indexes and handlers before
  // start().
  kube::Informer<api::Backup>& backups() { return backups_; }

  // A Backup this process has just created (the API server's answer to the create): reconciled
  // from that answer at once, rather than after its watch event, so a scheduled Backup's Job
  // waits for no watch. Its ADDED event, when it comes with the same resourceVersion, enqueues
  // nothing more (that state was reconciled already). Any thread.
  void adopt_created(const nlohmann::json& backup);

 private:
  // Enqueues the Backup a Job (or a Pod's Job) belongs to.
  void enqueue_backup_of(const api::ObjectMeta& job);
  void enqueue_backup_of_pod(const PodView& pod);

  BackupControllerOptions options_;
  kube::Informer<api::Backup> backups_;
  kube::Informer<JobView> jobs_;
  kube::Informer<PodView> pods_;
  kube::WorkQueue queue_;
  BackupReconciler reconciler_;
  kube::Workers workers_{queue_,
                         [this](const std::string& key) { return reconciler_.reconcile(key); }};
  std::atomic<bool> synced_{false};
};

}  // namespace cellar::backup
