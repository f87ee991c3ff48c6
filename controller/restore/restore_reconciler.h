// Reconciles one Restore: reads the caches (and, where a cache may lag, the API server), asks the
// phase machine (restore_transition.h) what should be, and makes the fewest API calls that get
// there — create the Job once, write the status only when it differs, record Events.
#pragma once

#include <optional>
#include <string>

#include "controller/api/restore.h"
#include "controller/backup/job_lookup.h"
#include "controller/backup/job_template.h"
#include "controller/kube/client.h"
#include "controller/kube/events.h"
#include "controller/kube/informer.h"
#include "controller/kube/reconcile_loop.h"
#include "controller/restore/restore_transition.h"

namespace cellar::restore {

kube::Resource restores_resource();

class RestoreReconciler {
 public:
  struct Caches {
    const kube::Informer<api::Restore>& restores;
    const kube::Informer<api::Backup>& backups;
    const kube::Informer<backup::JobView>& jobs;  // labelled cellar.dev/restore
    const kube::Informer<backup::PodView>& pods;  // indexed by backup::kPodsByJob
  };

  RestoreReconciler(kube::Client& client, kube::EventRecorder& events, Caches caches,
                    backup::JobOptions options);

  // One pass for the Restore "namespace/name". An Error means: try again with back-off.
  kube::Result<kube::Requeue> reconcile(const std::string& key);

 private:
  // The Backup the Restore names. The cache answers when it has it Completed; otherwise the API
  // server is asked, since a Backup that completed a moment ago may not be in the cache yet and a
  // Restore must not fail for that.
  kube::Result<std::optional<api::Backup>> find_backup(const api::Restore& restore,
                                                       bool cache_only);
  // Why the Job cannot be made yet: the target's Secret, the Backup's storage credentials or claim.
  kube::Result<std::string> find_blocker(const api::Restore& restore, const api::Backup& backup);
  // Says in an Event when a Backup is dumping the very database being restored into.
  void warn_if_target_being_dumped(const api::Restore& restore);
  kube::Status write_status(const api::Restore& restore, const api::RestoreStatus& status);
  void record(const api::Restore& restore, const kube::Event& event);

  kube::Client& client_;
  kube::EventRecorder& events_;
  Caches caches_;
  backup::JobOptions options_;
};

}  // namespace cellar::restore
