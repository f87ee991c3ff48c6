#include "controller/schedule/schedule_reconciler.h"

#include <spdlog/spdlog.h>

#include <charconv>

#include "controller/api/timestamps.h"
#include "controller/backup/backup_reconciler.h"
#include "controller/kube/names.h"
#include "controller/schedule/notifications_condition.h"

namespace cellar::schedule {

using json = nlohmann::json;

namespace {

// How long a Backup we created may stay unseen by the cache before we stop counting it as
// running: far longer than a watch takes to deliver it, short enough that a Backup someone
// deleted at once does not hold up a Forbid schedule for long.
constexpr auto kCreatedExpectationTtl = std::chrono::seconds(30);

std::optional<uint64_t> as_number(const std::string& rv) {
  uint64_t n = 0;
  auto [end, ec] = std::from_chars(rv.data(), rv.data() + rv.size(), n);
  if (ec != std::errc() || end != rv.data() + rv.size()) return std::nullopt;
  return n;
}

}  // namespace

std::string schedule_label_key(const std::string& ns, const std::string& name) {
  return ns + "/" + kube::label_value_for(name);
}

kube::Resource backup_schedules_resource() {
  return {api::kGroup, api::kVersion, "backupschedules", true};
}

ScheduleReconciler::ScheduleReconciler(kube::Client& client, kube::EventRecorder& events,
                                       Caches caches)
    : client_(client), events_(events), caches_(caches) {}

kube::Result<ScheduleReconciler::Requeue> ScheduleReconciler::reconcile(const std::string& key) {
  std::optional<api::BackupSchedule> cached = caches_.schedules.get(key);
  if (!cached || cached->meta.being_deleted) {
    // Its Backups stay (or, with backupOwnerReference: schedule, go with it through their
    // ownerReferences); nothing of ours is left to do.
    std::lock_guard lock(mu_);
    expectations_.erase(key);
    return Requeue{};
  }
  const api::BackupSchedule& schedule = *cached;
  if (cache_behind_own_status_write(key, schedule.meta.resource_version)) {
    return Requeue{};  // the write's own watch event brings the schedule back
  }
  if (auto wait = bookkeeping_wait(key)) return Requeue(*wait);

  const auto now = std::chrono::system_clock::now();
  std::vector<OwnedBackup> owned = owned_backups(schedule);
  SchedulePlan plan = plan_schedule({&schedule, owned, now});

  bool made_all = !plan.create.empty();
  // Set before the creates, so that the new Backups' watch events, which may come before the
  // creates' answers, bring no pass of their own (bookkeeping_pending).
  if (made_all) set_bookkeeping_after(key, std::chrono::steady_clock::now() + kBookkeepingDelay);
  for (const BackupOrigin& origin : plan.create) {
    bool created = false;
    if (auto s = create_backup(schedule, origin, created); !s.ok()) {
      const kube::Error& error = s.error();
      set_bookkeeping_after(key, {});  // nothing to wait for: a retry must not be held back
      if (!kube::is_permanent(error)) return error;
      if (kube::is_namespace_terminating(error)) return Requeue{};  // the schedule goes with it
      spdlog::error("{}: the API server refused Backup {}: {}", key, origin.name,
                    error.to_string());
      reject_backup(plan, schedule, origin, error.message, now);
      made_all = false;
      continue;
    }
    // Held as the status write is (kBookkeepingDelay): the Backup's Job goes first.
    if (created) record(schedule, created_event(origin), kBookkeepingDelay);
  }
  if (made_all) {
    // The Backups first, the rest in a pass of its own a moment later (kBookkeepingDelay), behind
    // whatever is queued by then: when many schedules are due the same minute, every one's Backup
    // is made before any of their status writes, so the last is made seconds sooner; and a lone
    // schedule's status write does not reach the API server beside its Backup's Job (the passes
    // the new Backups' watch events bring sooner wait as well: bookkeeping_wait). The pass
    // that comes back sees the Backups made (by name, through the expectations, before the cache
    // has them), plans the same status, cancels and Events (tested in schedule_plan_test), and
    // writes them; should the process end between the two, the next start finds the Backups and
    // adopts them just the same.
    set_bookkeeping_after(key, std::chrono::steady_clock::now() + kBookkeepingDelay);
    return Requeue(kBookkeepingDelay);
  }
  // The new run first, then the cancel of the one it replaces: the due time is met to the
  // millisecond, and the cancel is not urgent.
  for (const std::string& name : plan.cancel) {
    spdlog::info("{}: cancelling Backup {} (concurrencyPolicy Replace)", key, name);
    auto patched = client_.merge_patch(backup::backups_resource(), schedule.meta.ns, name,
                                       {{"spec", {{"cancel", true}}}});
    if (!patched.ok() && !kube::is_not_found(patched.error())) return patched.error();
  }
  for (const std::string& name : plan.remove) {
    kube::DeleteOptions options;
    for (const OwnedBackup& b : owned) {
      if (b.name == name) options.precondition_uid = b.uid;  // never a namesake made since
    }
    spdlog::info("{}: deleting Backup {}: retention no longer keeps it", key, name);
    auto deleted = client_.remove(backup::backups_resource(), schedule.meta.ns, name, options);
    if (!deleted.ok() && !kube::is_not_found(deleted.error()) &&
        !kube::is_conflict(deleted.error())) {
      return deleted.error();
    }
  }
  if (notification_problems_) {
    set_notifications_condition(plan.status, schedule, notification_problems_(key),
                                api::format_rfc3339(now));
  }
  if (plan.status != schedule.status) {
    if (auto s = write_status(schedule, plan.status); !s.ok()) return s.error();
  }
  // Counted with the Events, after the status that records them: a pass that fails before
  // then is repeated and would count them again.
  if (plan.missed > 0 && on_missed_) on_missed_(schedule.meta.ns, schedule.meta.name, plan.missed);
  for (const kube::Event& e : plan.events) record(schedule, e);

  if (!plan.wake_at) return Requeue{};
  if (on_due_) on_due_(*plan.wake_at);
  // A millisecond past the due time, so the pass it wakes finds the time come even when the
  // queue's steady clock and the wall clock disagree by a hair; an early wake just sleeps again.
  auto delay = std::chrono::ceil<std::chrono::milliseconds>(*plan.wake_at - now) +
               std::chrono::milliseconds(1);
  return Requeue(std::max(delay, std::chrono::milliseconds(1)));
}

bool ScheduleReconciler::cache_behind_own_status_write(const std::string& key,
                                                       const std::string& cached_rv) {
  std::lock_guard lock(mu_);
  auto it = expectations_.find(key);
  if (it == expectations_.end() || it->second.status_resource_version.empty()) return false;
  auto written = as_number(it->second.status_resource_version);
  auto cached = as_number(cached_rv);
  // resourceVersions are opaque; a server whose versions are not numbers gets no such wait.
  if (!written || !cached || *cached >= *written) {
    it->second.status_resource_version.clear();
    return false;
  }
  return true;
}

std::optional<std::chrono::milliseconds> ScheduleReconciler::bookkeeping_wait(
    const std::string& key) {
  std::lock_guard lock(mu_);
  auto it = expectations_.find(key);
  if (it == expectations_.end()) return std::nullopt;
  const auto left = it->second.bookkeeping_after - std::chrono::steady_clock::now();
  if (left <= std::chrono::steady_clock::duration::zero()) return std::nullopt;
  return std::chrono::ceil<std::chrono::milliseconds>(left);
}

void ScheduleReconciler::set_bookkeeping_after(const std::string& key,
                                               std::chrono::steady_clock::time_point at) {
  std::lock_guard lock(mu_);
  expectations_[key].bookkeeping_after = at;
}

bool ScheduleReconciler::bookkeeping_pending(const std::string& key) {
  return bookkeeping_wait(key).has_value();
}

std::vector<OwnedBackup> ScheduleReconciler::owned_backups(const api::BackupSchedule& schedule) {
  std::vector<OwnedBackup> owned;
  for (const api::Backup& b : caches_.backups.by_index(
           kBackupsBySchedule, schedule_label_key(schedule.meta.ns, schedule.meta.name))) {
    // The label ties a Backup to the schedule of that name, whichever incarnation made it: a
    // schedule deleted and applied again (a GitOps rename back, a re-install) takes up its
    // history. A Backup another owner controls (an earlier namesake's, with
    // backupOwnerReference: schedule, on its way out) is not ours to count, cancel or delete.
    const api::OwnerReference* ref = b.meta.controller_ref();
    if (!ref || ref->uid == schedule.meta.uid) owned.push_back(owned_backup(b));
  }
  std::lock_guard lock(mu_);
  auto it = expectations_.find(schedule.meta.key());
  if (it == expectations_.end()) return owned;
  auto& created = it->second.created;
  const auto now = std::chrono::steady_clock::now();
  for (auto c = created.begin(); c != created.end();) {
    bool seen = std::any_of(owned.begin(), owned.end(),
                            [&](const OwnedBackup& b) { return b.name == c->first; });
    if (seen || now - c->second > kCreatedExpectationTtl) {
      c = created.erase(c);
      continue;
    }
    OwnedBackup pending;  // made, not yet in the cache: running, and too new to retain or prune
    pending.name = c->first;
    owned.push_back(std::move(pending));
    ++c;
  }
  return owned;
}

kube::Status ScheduleReconciler::create_backup(const api::BackupSchedule& schedule,
                                               const BackupOrigin& origin, bool& created) {
  auto made =
      client_.create(backup::backups_resource(), schedule.meta.ns, make_backup(schedule, origin));
  if (!made.ok()) {
    if (!kube::is_already_exists(made.error())) return made.error();
    // Made by an earlier pass (a restart, a lost status write): the name is the run's, so
    // finding it is adopting it, never a second Backup.
    spdlog::info("{}: Backup {} already exists", schedule.meta.key(), origin.name);
    created = false;
    return kube::ok_status();
  }
  if (on_created_) on_created_(*made);
  spdlog::info("{}: created Backup {}", schedule.meta.key(), origin.name);
  created = true;
  std::lock_guard lock(mu_);
  expectations_[schedule.meta.key()].created[origin.name] = std::chrono::steady_clock::now();
  return kube::ok_status();
}

kube::Status ScheduleReconciler::write_status(const api::BackupSchedule& schedule,
                                              const api::BackupScheduleStatus& status) {
  // resourceVersion makes the write conditional: a status computed from a stale cache is refused
  // (409) and recomputed, rather than overwriting newer facts.
  json body = {{"apiVersion", api::kApiVersion},
               {"kind", "BackupSchedule"},
               {"metadata",
                {{"name", schedule.meta.name},
                 {"namespace", schedule.meta.ns},
                 {"resourceVersion", schedule.meta.resource_version}}},
               {"status", api::to_json(status)}};
  auto written = client_.update_status(backup_schedules_resource(), schedule.meta.ns, body);
  if (!written.ok()) return written.error();
  std::string rv = (*written)["metadata"].value("resourceVersion", "");
  std::lock_guard lock(mu_);
  expectations_[schedule.meta.key()].status_resource_version = rv;
  return kube::ok_status();
}

void ScheduleReconciler::record(const api::BackupSchedule& schedule, const kube::Event& event,
                                std::chrono::milliseconds hold) {
  events_.record(
      {api::kApiVersion, "BackupSchedule", schedule.meta.ns, schedule.meta.name, schedule.meta.uid},
      event.type, event.reason, event.message, hold);
}

}  // namespace cellar::schedule
