#include "controller/notify/notifier.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "controller/api/timestamps.h"
#include "controller/backup/backup_reconciler.h"
#include "controller/notify/webhook_post.h"
#include "controller/notify/webhook_url.h"
#include "controller/schedule/schedule_reconciler.h"

namespace cellar::notify {

namespace {

using SteadyClock = std::chrono::steady_clock;
using SystemClock = std::chrono::system_clock;

std::optional<api::NotificationEvent> event_of(api::Phase phase) {
  switch (phase) {
    case api::Phase::kCompleted:
      return api::NotificationEvent::kCompleted;
    case api::Phase::kFailed:
      return api::NotificationEvent::kFailed;
    case api::Phase::kCancelled:
      return api::NotificationEvent::kCancelled;
    default:
      return std::nullopt;
  }
}

// When a finished Backup ended: its completionTime, else (a Backup failed before it started)
// its creation.
std::optional<SystemClock::time_point> ended_at(const api::Backup& b) {
  if (auto t = api::parse_rfc3339(b.status.completion_time)) return t;
  return api::parse_rfc3339(b.meta.creation_timestamp);
}

const api::Notification* find_notification(const api::BackupSchedule& s, const std::string& name) {
  for (const api::Notification& n : s.spec.notifications) {
    if (n.name == name) return &n;
  }
  return nullptr;
}

}  // namespace

std::string notified_annotation(const std::string& notification) {
  return "cellar.dev/notified-" + notification;
}

Notifier::Notifier(kube::Client& client, kube::EventRecorder& events,
                   const kube::Informer<api::BackupSchedule>& schedules,
                   kube::Informer<api::Backup>& backups, NotifierOptions options)
    : client_(client),
      events_(events),
      schedules_(schedules),
      backups_(backups),
      options_(options) {
  backups.on_add([this](const api::Backup& b) { consider(b); });
  backups.on_update([this](const api::Backup&, const api::Backup& now) { consider(now); });
}

Notifier::~Notifier() {
  stop();
}

void Notifier::consider(const api::Backup& b) {
  // Only a cheap look on the informer's thread; the worker reads the schedule and the marks.
  if (!event_of(b.status.phase) || b.meta.being_deleted) return;
  if (b.meta.labels.count(api::kScheduleLabel) == 0) return;
  auto ended = ended_at(b);
  if (!ended) return;
  auto age = std::chrono::duration_cast<std::chrono::milliseconds>(SystemClock::now() - *ended);
  if (!within_window(options_.retry, age)) return;
  std::lock_guard lock(mu_);
  candidates_.insert(b.meta.key());
  cv_.notify_all();
}

void Notifier::missed(const std::string& ns, const std::string& schedule, int missed) {
  auto cached = schedules_.get(ns + "/" + schedule);
  if (!cached) return;
  const auto now = SystemClock::now();
  std::lock_guard lock(mu_);
  for (const api::Notification& n : cached->spec.notifications) {
    if (!n.wants(api::NotificationEvent::kMissedSchedule)) continue;
    Delivery d;
    d.ns = ns;
    d.schedule = schedule;
    d.notification = n.name;
    d.happened = now;
    d.facts.event = api::NotificationEvent::kMissedSchedule;
    d.facts.ns = ns;
    d.facts.schedule = schedule;
    d.facts.time = api::format_rfc3339(now);
    d.facts.message = std::to_string(missed) + (missed == 1 ? " due time was" : " due times were") +
                      " missed (the controller was down or the schedule suspended past "
                      "startingDeadlineSeconds)";
    d.id = ns + "/" + schedule + "/" + n.name + "/missed@" + api::format_rfc3339_millis(now);
    d.due = SteadyClock::now();
    queued_.push_back(std::move(d));
  }
  cv_.notify_all();
}

std::optional<std::string> Notifier::problem_of(const std::string& schedule_key) const {
  std::lock_guard lock(mu_);
  auto it = problems_.find(schedule_key);
  if (it == problems_.end()) return std::nullopt;
  std::string all;
  for (const auto& [name, problem] : it->second) {
    if (problem.empty()) continue;
    all += (all.empty() ? "" : " ") + problem;
  }
  return all;
}

void Notifier::start() {
  std::lock_guard lock(mu_);
  if (started_ || stopping_) return;
  started_ = true;
  worker_ = std::thread([this] { run(); });
}

void Notifier::stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    cv_.notify_all();
  }
  if (worker_.joinable()) worker_.join();
}

std::chrono::milliseconds Notifier::age(const Delivery& d) const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(SystemClock::now() - d.happened);
}

void Notifier::run() {
  std::unique_lock lock(mu_);
  while (!stopping_) {
    std::set<std::string> candidates = std::move(candidates_);
    candidates_.clear();
    std::vector<Delivery> queued = std::move(queued_);
    queued_.clear();
    lock.unlock();
    for (const std::string& key : candidates) plan_backup(key);
    for (Delivery& d : queued) pending_.emplace(d.id, std::move(d));
    // Forget finished ids once the window is past: their Backups no longer qualify anyway.
    const auto now = SteadyClock::now();
    std::erase_if(finished_, [&](const auto& f) { return now - f.second > options_.retry.window; });
    for (auto it = pending_.begin(); it != pending_.end();) {
      if (it->second.due > SteadyClock::now()) {
        ++it;
        continue;
      }
      {
        std::lock_guard check(mu_);
        if (stopping_) return;
      }
      if (attempt(it->second)) {
        finished_[it->first] = SteadyClock::now();
        it = pending_.erase(it);
      } else {
        ++it;
      }
    }
    auto next = SteadyClock::time_point::max();
    for (const auto& [id, d] : pending_) next = std::min(next, d.due);
    lock.lock();
    if (!candidates_.empty() || !queued_.empty()) continue;
    if (next == SteadyClock::time_point::max()) {
      cv_.wait(lock);
    } else {
      cv_.wait_until(lock, next);
    }
  }
}

void Notifier::plan_backup(const std::string& key) {
  auto backup = backups_.get(key);
  if (!backup) return;
  auto event = event_of(backup->status.phase);
  auto label = backup->meta.labels.find(api::kScheduleLabel);
  auto ended = ended_at(*backup);
  if (!event || !ended || label == backup->meta.labels.end()) return;
  for (const api::BackupSchedule& s :
       schedules_.by_index(schedule::kSchedulesByLabel, backup->meta.ns + "/" + label->second)) {
    for (const api::Notification& n : s.spec.notifications) {
      if (!n.wants(*event)) continue;
      auto mark = backup->meta.annotations.find(notified_annotation(n.name));
      if (mark != backup->meta.annotations.end() && mark->second == api::to_string(*event)) {
        continue;
      }
      const std::string id = key + "/" + n.name;
      if (pending_.count(id) != 0 || finished_.count(id) != 0) continue;
      Delivery d;
      d.id = id;
      d.ns = backup->meta.ns;
      d.schedule = s.meta.name;
      d.notification = n.name;
      d.backup = backup->meta.name;
      d.happened = *ended;
      d.due = SteadyClock::now();
      pending_.emplace(id, std::move(d));
    }
  }
}

bool Notifier::attempt(Delivery& d) {
  auto schedule = schedules_.get(d.ns + "/" + d.schedule);
  if (!schedule) return true;  // deleted: nobody to tell on its behalf
  const api::Notification* n = find_notification(*schedule, d.notification);
  NotificationFacts facts = d.facts;
  if (!d.backup.empty()) {
    auto backup = backups_.get(d.ns + "/" + d.backup);
    if (!backup) return true;
    facts = facts_of(*backup, d.schedule);
    auto mark = backup->meta.annotations.find(notified_annotation(d.notification));
    if (mark != backup->meta.annotations.end() && mark->second == api::to_string(facts.event)) {
      return true;  // told by an earlier process
    }
  }
  if (!n || !n->wants(facts.event)) return true;  // the spec changed meanwhile
  const std::string who =
      "the webhook of notification " + n->name + " of schedule " + schedule->meta.key();
  const std::string what =
      d.backup.empty() ? std::string("MissedSchedule")
                       : std::string(api::to_string(facts.event)) + " of Backup " + d.backup;

  std::string problem;
  bool configuration = false;
  std::string url;
  auto secret = client_.get(kube::resources::secrets(), d.ns, n->url_secret_ref.name);
  if (!secret.ok()) {
    if (kube::is_not_found(secret.error())) {
      configuration = true;
      problem =
          "Secret " + n->url_secret_ref.name + " (spec.notifications " + n->name +
          ".webhook.urlSecretRef) does not exist; create it with the webhook's URL under key " +
          n->url_secret_ref.key;
    } else {
      problem = "cannot read Secret " + n->url_secret_ref.name + ": " + secret.error().to_string();
    }
  } else {
    WebhookUrl read = webhook_url_from(*secret, n->url_secret_ref.name, n->url_secret_ref.key);
    if (!read.problem.empty()) {
      configuration = true;
      problem = read.problem + " (notification " + n->name + ")";
    }
    url = std::move(read.url);
  }
  if (configuration) {
    set_problem(*schedule, n->name, "Notification " + n->name + ": " + problem + ".");
  } else if (problem.empty()) {
    set_problem(*schedule, n->name, "");
    PostOutcome posted = post_webhook(url, body(n->format, facts), options_.post_timeout);
    if (posted.delivered) {
      spdlog::info("{}: told {} of {}", schedule->meta.key(), who, what);
      if (!d.backup.empty()) {
        nlohmann::json patch = {
            {"metadata",
             {{"annotations", {{notified_annotation(n->name), api::to_string(facts.event)}}}}}};
        auto marked = client_.merge_patch(backup::backups_resource(), d.ns, d.backup, patch);
        if (!marked.ok() && !kube::is_not_found(marked.error())) {
          // Delivered: this process will not post again; a restart before a mark may.
          spdlog::warn("{}: cannot mark Backup {} as told: {}", schedule->meta.key(), d.backup,
                       marked.error().to_string());
        }
      }
      return true;
    }
    problem = posted.problem;
  }
  ++d.failed_attempts;
  auto delay = retry_delay(options_.retry, d.failed_attempts, age(d));
  if (!delay) {
    const std::string message = "Gave up telling " + who + " of " + what + " after " +
                                std::to_string(d.failed_attempts) + " attempts: " + problem;
    spdlog::error("{}", message);
    record(*schedule, "NotificationFailed", message);
    return true;
  }
  spdlog::warn("{}: cannot tell {} of {}: {}; trying again in {} ms", schedule->meta.key(), who,
               what, problem, delay->count());
  d.due = SteadyClock::now() + *delay;
  return false;
}

void Notifier::set_problem(const api::BackupSchedule& schedule, const std::string& notification,
                           const std::string& problem) {
  const std::string key = schedule.meta.key();
  {
    std::lock_guard lock(mu_);
    auto& known = problems_[key];
    auto it = known.find(notification);
    if (it != known.end() && it->second == problem) return;
    known[notification] = problem;
  }
  if (!problem.empty()) {
    spdlog::warn("{}: {}", key, problem);
    record(schedule, "NotificationNotReady", problem);
  }
  if (on_problem_change_) on_problem_change_(key);
}

void Notifier::record(const api::BackupSchedule& schedule, const std::string& reason,
                      const std::string& message) {
  events_.record(
      {api::kApiVersion, "BackupSchedule", schedule.meta.ns, schedule.meta.name, schedule.meta.uid},
      "Warning", reason, message);
}

}  // namespace cellar::notify
