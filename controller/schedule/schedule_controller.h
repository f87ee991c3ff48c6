// The BackupSchedule controller: an informer on BackupSchedules, the Backup controller's informer
// on Backups (shared, so each Backup is cached once), a work queue of schedule keys, and workers
// that run the reconciler. A Backup maps back to its schedule through the cellar.dev/schedule
// label; a schedule wakes at its next due time through the queue's delayed add.
#pragma once

#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>
#include <vector>

#include "controller/kube/reconcile_loop.h"
#include "controller/kube/workqueue.h"
#include "controller/schedule/schedule_reconciler.h"

namespace cellar::schedule {

struct ScheduleControllerOptions {
  std::string ns;  // empty: every namespace
  int workers = 4;
};

class ScheduleController {
 public:
  // `backups` must not be running yet: the index and handlers this adds are set before it starts.
  ScheduleController(kube::Client& client, kube::EventRecorder& events,
                     kube::Informer<api::Backup>& backups, ScheduleControllerOptions options);
  ScheduleController(const ScheduleController&) = delete;
  ScheduleController& operator=(const ScheduleController&) = delete;
  ~ScheduleController();

  // Starts the schedule informer, waits for it and the Backup informer (started by its owner) to
  // sync (false on timeout), then starts the workers. Every schedule is reconciled once then,
  // which is where due times missed while the controller was down are found.
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
  void observe_missed(ScheduleReconciler::MissedObserver observe) {
    reconciler_.observe_missed(std::move(observe));
  }
  void observe_due(ScheduleReconciler::DueObserver observe) {
    reconciler_.observe_due(std::move(observe));
  }
  void observe_created(ScheduleReconciler::CreatedObserver observe) {
    reconciler_.observe_created(std::move(observe));
  }
  void read_notification_problems(ScheduleReconciler::NotificationProblems read) {
    reconciler_.read_notification_problems(std::move(read));
  }
  // Reconciles the schedule "namespace/name" soon (something it reports on changed).
  void wake(const std::string& key) { queue_.add(key); }
  // The BackupSchedule cache, read by the metrics at scrape time.
  const kube::Informer<api::BackupSchedule>& schedules() const { return schedules_; }
  void observe_reconciles(kube::ReconcileObserver observe) { workers_.observe(std::move(observe)); }
  void stop();

 private:
  // Enqueues the schedule whose cellar.dev/schedule label the Backup carries.
  void enqueue_schedule_of(const api::Backup& backup);

  ScheduleControllerOptions options_;
  kube::Informer<api::BackupSchedule> schedules_;
  const kube::Informer<api::Backup>& backups_;
  kube::WorkQueue queue_;
  ScheduleReconciler reconciler_;
  kube::Workers workers_{queue_,
                         [this](const std::string& key) { return reconciler_.reconcile(key); }};
  std::atomic<bool> synced_{false};
};

}  // namespace cellar::schedule
