// Reconciles one BackupSchedule: reads the caches, asks plan_schedule (schedule_plan.h) what
// should be, and makes the calls that get there — create Backups, cancel the one a Replace
// displaces, delete what retention no longer keeps, write the status only when it differs, and
// record Events. It returns when the next due time comes, so the work queue's delayed add wakes
// the schedule then: nothing polls.
#pragma once

#include <chrono>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "controller/api/backup.h"
#include "controller/api/backup_schedule.h"
#include "controller/kube/client.h"
#include "controller/kube/events.h"
#include "controller/kube/informer.h"
#include "controller/kube/reconcile_loop.h"
#include "controller/schedule/schedule_plan.h"

namespace cellar::schedule {

// Index of the Backup cache: "namespace/<label value>" from each Backup's cellar.dev/schedule
// label.
inline constexpr const char* kBackupsBySchedule = "schedule";
// Index of the schedule cache, by the same key: "namespace/<cellar.dev/schedule label value>".
inline constexpr const char* kSchedulesByLabel = "label";

// The key both indexes use for the schedule `name` in `ns`.
std::string schedule_label_key(const std::string& ns, const std::string& name);

kube::Resource backup_schedules_resource();

// How long after a pass that made Backups its status write and Events follow: long enough for
// those Backups' Jobs to be made first (a few milliseconds, tens on a busy server), short for a
// person reading `kubectl get backupschedules`.
inline constexpr std::chrono::milliseconds kBookkeepingDelay{100};

class ScheduleReconciler {
 public:
  struct Caches {
    const kube::Informer<api::BackupSchedule>& schedules;
    const kube::Informer<api::Backup>& backups;  // indexed by kBackupsBySchedule
  };

  ScheduleReconciler(kube::Client& client, kube::EventRecorder& events, Caches caches);

  using Requeue = kube::Requeue;

  // Told of due times a schedule missed, once each (set before the workers start).
  using MissedObserver =
      std::function<void(const std::string& ns, const std::string& name, int missed)>;
  void observe_missed(MissedObserver observe) { on_missed_ = std::move(observe); }

  // What stops a schedule's notifications from being delivered ("" when nothing does, nullopt
  // when unknown): written as the NotificationsReady condition. Set before the workers start.
  using NotificationProblems = std::function<std::optional<std::string>(const std::string& key)>;
  void read_notification_problems(NotificationProblems read) {
    notification_problems_ = std::move(read);
  }

  // Told of each schedule's next wake-up (a due time), so connections can be opened just before
  // it (kube/connection_warmer.h). Set before the workers start.
  using DueObserver = std::function<void(std::chrono::system_clock::time_point)>;
  void observe_due(DueObserver observe) { on_due_ = std::move(observe); }

  // Given each Backup a pass creates, as the API server answered the create, before anything
  // else is done with it (the Backup controller reconciles it from there). Set before the workers
  // start.
  using CreatedObserver = std::function<void(const nlohmann::json& backup)>;
  void observe_created(CreatedObserver observe) { on_created_ = std::move(observe); }

  // Whether the schedule "namespace/name" has just made Backups and its status write and Events
  // wait a moment (kBookkeepingDelay): a pass is already queued for then, so the new Backups'
  // watch events need not bring one sooner. Any thread.
  bool bookkeeping_pending(const std::string& key);

  // One pass for the schedule "namespace/name". An Error means: try again with back-off.
  kube::Result<Requeue> reconcile(const std::string& key);

 private:
  // What this process wrote that the caches have not shown yet (the watches of schedules and of
  // Backups are not ordered with each other, nor with our writes): a pass that acted on a cache
  // behind them would write the same status twice or flap `active`. As the ReplicaSet
  // controller's "expectations", this is memory only, and short-lived.
  struct Expectations {
    std::string status_resource_version;  // of our last status write
    std::unordered_map<std::string, std::chrono::steady_clock::time_point> created;  // name -> when
    // Set by a pass that made Backups: passes before then (the new Backups' own watch events
    // bring them at once) leave the status and Events for later.
    std::chrono::steady_clock::time_point bookkeeping_after{};
  };

  bool cache_behind_own_status_write(const std::string& key, const std::string& cached_rv);
  // How long until the schedule's bookkeeping may be done, when a pass that made Backups asked
  // for that wait and it has not passed; nullopt otherwise.
  std::optional<std::chrono::milliseconds> bookkeeping_wait(const std::string& key);
  void set_bookkeeping_after(const std::string& key, std::chrono::steady_clock::time_point at);
  std::vector<OwnedBackup> owned_backups(const api::BackupSchedule& schedule);
  kube::Status create_backup(const api::BackupSchedule& schedule, const BackupOrigin& origin,
                             bool& created);
  kube::Status write_status(const api::BackupSchedule& schedule,
                            const api::BackupScheduleStatus& status);
  void record(const api::BackupSchedule& schedule, const kube::Event& event,
              std::chrono::milliseconds hold = std::chrono::milliseconds(0));

  kube::Client& client_;
  kube::EventRecorder& events_;
  Caches caches_;
  std::mutex mu_;
  std::unordered_map<std::string, Expectations> expectations_;
  MissedObserver on_missed_;
  DueObserver on_due_;
  CreatedObserver on_created_;
  NotificationProblems notification_problems_;
};

}  // namespace cellar::schedule
