// Reconciles one Backup: reads the caches, asks the phase machine (status_transition.h) what
// should be, and makes the fewest API calls that get there — create or delete the Job, write the
// status only when it differs, record Events, and run the dump's cleanup before a Backup with
// deletionPolicy Delete may go.
#pragma once

#include <chrono>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "controller/api/backup.h"
#include "controller/backup/job_lookup.h"
#include "controller/backup/job_template.h"
#include "controller/backup/job_view.h"
#include "controller/backup/status_transition.h"
#include "controller/kube/client.h"
#include "controller/kube/events.h"
#include "controller/kube/informer.h"
#include "controller/kube/own_writes.h"
#include "controller/kube/reconcile_loop.h"

namespace cellar::backup {

kube::Resource backups_resource();

class BackupReconciler {
 public:
  struct Caches {
    const kube::Informer<api::Backup>& backups;
    const kube::Informer<JobView>& jobs;
    const kube::Informer<PodView>& pods;  // indexed by kPodsByJob
  };

  BackupReconciler(kube::Client& client, kube::EventRecorder& events, Caches caches,
                   JobOptions options);

  // When to look again though nothing changed; nullopt: only when something does.
  using Requeue = kube::Requeue;

  // One pass for the Backup "namespace/name". An Error means: try again with back-off.
  kube::Result<Requeue> reconcile(const std::string& key);

  // Told once per Backup, when this reconciler's status write takes it to a terminal phase
  // (`backup` is the object as it was before). Set before the workers start.
  using FinishedObserver = std::function<void(const api::Backup& backup, api::Phase phase)>;
  void observe_finished(FinishedObserver observe) { on_finished_ = std::move(observe); }

 private:
  kube::Status reconcile_deletion(const api::Backup& backup, const JobView* job);
  // The API server refused to create `what` with an answer that retrying cannot change: the
  // Backup ends Failed with the server's words (or, when its namespace is being deleted, quietly).
  kube::Result<Requeue> fail_for_refusal(const api::Backup& backup, Observation o,
                                         const std::string& what, const kube::Error& error);
  // Says in status (and an Event) why the dump could not be deleted; the finalizer stays.
  kube::Status report_cleanup_failure(const api::Backup& backup, const std::string& why,
                                      const std::string& cleanup_job);
  // A Job of the Backup's Job name that it does not own: fail the Backup saying so, or wait when
  // it is an earlier namesake's, on its way out.
  kube::Result<Requeue> refuse_foreign_job(const api::Backup& backup, const JobView& job);
  // The Backup's own Job from the cache, or — when status says one was made but the cache has
  // none yet — from the API server, so a cache that lags never makes a second Job.
  kube::Result<std::optional<JobView>> find_job(const api::Backup& backup, const std::string& name,
                                                bool expect_it);
  std::optional<PodView> newest_pod(const std::string& ns, const std::string& job_name) const;
  // True when an earlier pass found this Backup's Secrets and claim present and status does not
  // name its Job yet; forgets it otherwise.
  bool prerequisites_seen(const api::Backup& backup);
  // Why the Job cannot be made yet (Secret, key or PVC missing), or empty.
  kube::Result<std::string> find_blocker(const api::Backup& backup);
  kube::Status write_status(const api::Backup& backup, const api::BackupStatus& status);
  kube::Status set_finalizer(const api::Backup& backup, bool present);
  void record(const api::Backup& backup, const Event& event);

  kube::Client& client_;
  kube::EventRecorder& events_;
  Caches caches_;
  JobOptions options_;
  kube::OwnWrites own_writes_;  // status and finalizer writes not yet back through the watch
  // Backups (key -> uid) whose Secrets and claim a pass found present: until status names the Job,
  // the passes its Job's and Pod's first events bring need not ask the API server again.
  // Forgotten once status names the Job or the Backup is gone.
  std::mutex prerequisites_mu_;
  std::unordered_map<std::string, std::string> prerequisites_found_;
  FinishedObserver on_finished_;
};

}  // namespace cellar::backup
