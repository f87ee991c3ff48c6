// The Restore controller: an informer on Restores and on the Jobs and Pods labelled
// cellar.dev/restore, the Backup controller's Backup cache (shared: each Backup is cached once),
// a work queue of Restore keys, and workers that run the reconciler. A Job maps back to its
// Restore through its ownerReference, a Pod through its Job.
#pragma once

#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>
#include <vector>

#include "controller/kube/reconcile_loop.h"
#include "controller/kube/workqueue.h"
#include "controller/restore/restore_reconciler.h"

namespace cellar::restore {

struct RestoreControllerOptions {
  std::string ns;  // empty: every namespace
  int workers = 2;
  backup::JobOptions job;
};

class RestoreController {
 public:
  RestoreController(kube::Client& client, kube::EventRecorder& events,
                    const kube::Informer<api::Backup>& backups, RestoreControllerOptions options);
  RestoreController(const RestoreController&) = delete;
  RestoreController& operator=(const RestoreController&) = delete;
  ~RestoreController();

  // Starts its informers, waits for them and the Backup informer (started by its owner) to sync
  // (false on timeout), then starts the workers.
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
  void observe_reconciles(kube::ReconcileObserver observe) { workers_.observe(std::move(observe)); }
  void stop();

 private:
  void enqueue_restore_of(const api::ObjectMeta& job);

  RestoreControllerOptions options_;
  kube::Informer<api::Restore> restores_;
  const kube::Informer<api::Backup>& backups_;
  kube::Informer<backup::JobView> jobs_;
  kube::Informer<backup::PodView> pods_;
  kube::WorkQueue queue_;
  RestoreReconciler reconciler_;
  kube::Workers workers_{queue_,
                         [this](const std::string& key) { return reconciler_.reconcile(key); }};
  std::atomic<bool> synced_{false};
};

}  // namespace cellar::restore
