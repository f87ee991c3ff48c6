#include "tests/e2e/schedule_fixture.h"

#include <signal.h>
#include <time.h>

#include <algorithm>
#include <fstream>
#include <iostream>

namespace cellar::testing {

namespace {

const kube::Resource kBackups{"cellar.dev", "v1alpha1", "backups", true};

std::string format_utc(Clock::time_point t, const char* format) {
  const time_t seconds = Clock::to_time_t(std::chrono::floor<std::chrono::seconds>(t));
  struct tm parts {};
  gmtime_r(&seconds, &parts);
  char text[64];
  strftime(text, sizeof text, format, &parts);
  return text;
}

}  // namespace

std::string rfc3339(Clock::time_point t) {
  return format_utc(t, "%Y-%m-%dT%H:%M:%SZ");
}

Clock::time_point floor_minute(Clock::time_point t) {
  return std::chrono::floor<std::chrono::minutes>(t);
}

// ---- BackupWatch ----

BackupWatch::BackupWatch(const TestCluster& cluster, std::string ns)
    : client_(cluster.client()), ns_(std::move(ns)) {
  auto list = client_->list(kBackups, ns_);
  EXPECT_TRUE(list.ok()) << (list.ok() ? "" : list.error().to_string());
  if (list.ok()) {
    resource_version_ = (*list)["metadata"].value("resourceVersion", "");
    const auto now = Clock::now();
    for (const auto& item : (*list)["items"]) added_[item["metadata"]["name"]] = now;
  }
  thread_ = std::thread([this] { run(); });
}

BackupWatch::~BackupWatch() {
  {
    std::lock_guard lock(mu_);
    stopped_ = true;
    if (watch_) watch_->stop();
  }
  thread_.join();
}

void BackupWatch::run() {
  for (;;) {
    kube::WatchOptions options;
    {
      std::lock_guard lock(mu_);
      if (stopped_) return;
      options.resource_version = resource_version_;
    }
    auto opened = client_->watch(kBackups, ns_, options);
    if (!opened.ok()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
      continue;
    }
    kube::Watch* watch = nullptr;
    {
      std::lock_guard lock(mu_);
      watch_ = std::move(*opened);
      watch = watch_.get();
      if (stopped_) return;
    }
    while (auto event = watch->next()) {
      const auto seen = Clock::now();
      if (event->type == "ERROR") break;
      std::lock_guard lock(mu_);
      resource_version_ = event->object["metadata"].value("resourceVersion", resource_version_);
      if (event->type == "ADDED") {
        added_.emplace(event->object["metadata"].value("name", ""), seen);
        cv_.notify_all();
      }
    }
  }
}

std::optional<Clock::time_point> BackupWatch::added(const std::string& name,
                                                    Clock::time_point deadline) {
  std::unique_lock lock(mu_);
  cv_.wait_until(lock, deadline, [&] { return added_.contains(name); });
  auto it = added_.find(name);
  if (it == added_.end()) return std::nullopt;
  return it->second;
}

// ---- ScheduleE2E ----

ScheduleE2E::ScheduleE2E() {
  ns_ = "schedules";
}

void ScheduleE2E::SetUp() {
  BackupE2E::SetUp();
  if (HasFatalFailure()) return;
  apply_secret_and_claim("s3cret-app-pw");
}

void ScheduleE2E::TearDown() {
  if (HasFailure() && cluster_) {
    std::cerr << "--- schedules ---\n"
              << cluster_->kubectl({"get", "backupschedules", "-n", ns_, "-o", "yaml"}).out
              << "--- events ---\n"
              << cluster_->kubectl({"get", "events", "-n", ns_}).out;
  }
  BackupE2E::TearDown();
}

nlohmann::json ScheduleE2E::get_schedule(const std::string& name) {
  CommandResult r = kubectl_result({"get", "backupschedule/" + name, "-o", "json"});
  if (r.exit_code != 0) return nullptr;
  return nlohmann::json::parse(r.out, nullptr, false);
}

std::string ScheduleE2E::schedule_field(const std::string& name, const std::string& jsonpath) {
  return kubectl({"get", "backupschedule/" + name, "-o", "jsonpath={" + jsonpath + "}"});
}

nlohmann::json ScheduleE2E::ready_condition(const std::string& name) {
  nlohmann::json s = get_schedule(name);
  if (!s.is_object() || !s.contains("status")) return nullptr;
  for (const auto& c : s["status"].value("conditions", nlohmann::json::array())) {
    if (c.value("type", "") == "Ready") return c;
  }
  return nullptr;
}

void ScheduleE2E::patch_schedule_status(const std::string& name, const nlohmann::json& status) {
  kubectl({"patch", "backupschedule/" + name, "--subresource=status", "--type=merge", "-p",
           nlohmann::json{{"status", status}}.dump()});
}

void ScheduleE2E::trigger(const std::string& schedule, const std::string& value) {
  kubectl({"annotate", "--overwrite", "backupschedule/" + schedule, "cellar.dev/trigger=" + value});
}

std::vector<nlohmann::json> ScheduleE2E::backups_of(const std::string& schedule) {
  CommandResult r =
      kubectl_result({"get", "backups", "-l", "cellar.dev/schedule=" + schedule, "-o", "json"});
  EXPECT_EQ(r.exit_code, 0) << r.describe();
  std::vector<nlohmann::json> items;
  if (r.exit_code != 0) return items;
  nlohmann::json list = nlohmann::json::parse(r.out, nullptr, false);
  if (!list.is_object()) return items;
  for (const auto& item : list["items"]) items.push_back(item);
  std::sort(items.begin(), items.end(), [](const auto& a, const auto& b) {
    return a["metadata"]["name"].template get<std::string>() <
           b["metadata"]["name"].template get<std::string>();
  });
  return items;
}

std::vector<std::string> ScheduleE2E::backup_names_of(const std::string& schedule) {
  std::vector<std::string> names;
  for (const auto& b : backups_of(schedule)) names.push_back(b["metadata"]["name"]);
  return names;
}

std::string ScheduleE2E::wait_for_triggered(const std::string& schedule, const std::string& value,
                                            int seconds) {
  std::string found;
  eventually(
      [&] {
        for (const auto& b : backups_of(schedule)) {
          const auto& annotations = b["metadata"].value("annotations", nlohmann::json::object());
          if (annotations.value("cellar.dev/trigger", "") == value) {
            found = b["metadata"]["name"];
            return true;
          }
        }
        return false;
      },
      seconds);
  EXPECT_FALSE(found.empty()) << "no Backup of " << schedule << " for cellar.dev/trigger=" << value;
  return found;
}

bool ScheduleE2E::backup_exists(const std::string& name) {
  return kubectl_result({"get", "backup/" + name, "-o", "name"}).exit_code == 0;
}

std::vector<nlohmann::json> ScheduleE2E::events_of(const std::string& schedule,
                                                   const std::string& reason) {
  std::vector<nlohmann::json> found;
  CommandResult r = kubectl_result({"get", "events", "-o", "json"});
  EXPECT_EQ(r.exit_code, 0) << r.describe();
  if (r.exit_code != 0) return found;
  nlohmann::json list = nlohmann::json::parse(r.out, nullptr, false);
  if (!list.is_object()) return found;
  for (const auto& e : list["items"]) {
    const auto& involved = e.value("involvedObject", nlohmann::json::object());
    if (involved.value("kind", "") == "BackupSchedule" && involved.value("name", "") == schedule &&
        e.value("reason", "") == reason) {
      found.push_back(e);
    }
  }
  return found;
}

bool ScheduleE2E::eventually(const std::function<bool()>& done, int seconds) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  for (;;) {
    if (done()) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
  }
}

void ScheduleE2E::wait_for_controller_running(int seconds) {
  const std::string log =
      cluster_->dir() + "/controller-" + std::to_string(controller_starts_) + ".log";
  ASSERT_TRUE(eventually(
      [&] { return read_file(log).find("cellar-controller running") != std::string::npos; },
      seconds))
      << "the controller did not start:\n"
      << read_file(log);
}

void ScheduleE2E::restart_controller() {
  kill_controller(SIGTERM);
  start_controller();
  wait_for_controller_running();
}

Clock::time_point ScheduleE2E::coming_minute(std::chrono::seconds margin) {
  const auto now = Clock::now();
  auto next = floor_minute(now) + std::chrono::minutes(1);
  if (next - now < margin) {
    std::this_thread::sleep_until(next + std::chrono::milliseconds(100));
    next += std::chrono::minutes(1);
  }
  return next;
}

std::string ScheduleE2E::scheduled_name(const std::string& schedule, Clock::time_point due) {
  return schedule + "-" + format_utc(due, "%Y%m%d%H%M");
}

}  // namespace cellar::testing
