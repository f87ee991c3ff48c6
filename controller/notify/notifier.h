// Delivers a BackupSchedule's notifications: a queue of deliveries and one worker thread of its
// own, so a slow or dead receiver never holds up a reconciler.
//
// Contract:
// - A Backup labelled cellar.dev/schedule that is Completed, Failed or Cancelled, ended within
//   the retry window, and lacks the mark cellar.dev/notified-<notification>=<event>, is delivered
//   to each of its schedule's notifications that lists that event. After a 2xx answer the Backup
//   gets the mark (a merge patch), so a Backup is told of once per notification, across restarts
//   too: the Backup cache's initial list brings back what a killed process left undelivered (at
//   least once: a process killed between the POST and the mark posts again).
// - A missed due time is delivered from memory: there is no object to mark.
// - Failures are retried with RetryPolicy's back-off until the window closes; then a Warning
//   Event NotificationFailed on the schedule. A Secret or key that is missing, or a URL that is
//   not one, is a Warning Event NotificationNotReady and what problem_of() reports, on change
//   only, so it never loops hot.
// - The URL is never logged nor recorded: messages say "the webhook of notification <name>".
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "controller/api/backup.h"
#include "controller/api/backup_schedule.h"
#include "controller/kube/client.h"
#include "controller/kube/events.h"
#include "controller/kube/informer.h"
#include "controller/notify/notification_body.h"
#include "controller/notify/retry_policy.h"

namespace cellar::notify {

// On a Backup: cellar.dev/notified-<notification name>, valued with the event delivered.
std::string notified_annotation(const std::string& notification);

struct NotifierOptions {
  RetryPolicy retry;
  std::chrono::milliseconds post_timeout{10000};
};

class Notifier {
 public:
  // `backups` must not be running yet (handlers are added); `schedules` is indexed by
  // schedule::kSchedulesByLabel.
  Notifier(kube::Client& client, kube::EventRecorder& events,
           const kube::Informer<api::BackupSchedule>& schedules,
           kube::Informer<api::Backup>& backups, NotifierOptions options = {});
  Notifier(const Notifier&) = delete;
  Notifier& operator=(const Notifier&) = delete;
  ~Notifier();

  // Starts the worker (the leader's): deliveries found before then wait for it. Once.
  void start();
  void stop();

  // A schedule missed `missed` due times (the schedule reconciler's hook).
  void missed(const std::string& ns, const std::string& schedule, int missed);

  // What stops the schedule "ns/name"'s notifications, as last seen: nullopt when nothing was
  // tried since the start, "" when the last attempt found them usable.
  std::optional<std::string> problem_of(const std::string& schedule_key) const;
  // Called (from the worker) with a schedule's key when problem_of() changed for it. Before start.
  void on_problem_change(std::function<void(const std::string&)> fn) {
    on_problem_change_ = std::move(fn);
  }

 private:
  struct Delivery {
    std::string id;  // "ns/backup/notification", or "ns/schedule/notification/missed@time"
    std::string ns;
    std::string schedule;
    std::string notification;
    std::string backup;       // empty for MissedSchedule
    NotificationFacts facts;  // MissedSchedule's; a Backup's are read again at each attempt
    std::chrono::system_clock::time_point happened;
    int failed_attempts = 0;
    std::chrono::steady_clock::time_point due;
  };

  void consider(const api::Backup& backup);
  void run();
  void plan_backup(const std::string& key);
  // true: done (delivered or dropped); false: try again later.
  bool attempt(Delivery& d);
  void set_problem(const api::BackupSchedule& schedule, const std::string& notification,
                   const std::string& problem);
  void record(const api::BackupSchedule& schedule, const std::string& reason,
              const std::string& message);
  std::chrono::milliseconds age(const Delivery& d) const;

  kube::Client& client_;
  kube::EventRecorder& events_;
  const kube::Informer<api::BackupSchedule>& schedules_;
  const kube::Informer<api::Backup>& backups_;
  NotifierOptions options_;
  std::function<void(const std::string&)> on_problem_change_;

  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool started_ = false;
  bool stopping_ = false;
  std::set<std::string> candidates_;         // Backup keys to look at
  std::vector<Delivery> queued_;             // missed-schedule deliveries handed in
  std::map<std::string, Delivery> pending_;  // by id; worker only
  std::map<std::string, std::chrono::steady_clock::time_point> finished_;  // by id, worker only
  // schedule key -> notification -> problem ("" when its last attempt found it usable)
  std::map<std::string, std::map<std::string, std::string>> problems_;
  std::thread worker_;
};

}  // namespace cellar::notify
