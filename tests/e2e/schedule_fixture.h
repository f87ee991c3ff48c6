// What every BackupSchedule end-to-end test starts: BackupE2E's world (a real PostgreSQL with
// sample data, cellar-test-cluster, the CRDs, the real cellar-controller) plus the Secret and the
// PVC a schedule's Backups need, and helpers to read schedules, their Backups and their Events.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "tests/e2e/backup_fixture.h"

namespace cellar::testing {

using Clock = std::chrono::system_clock;

// "2024-05-01T12:34:00Z": a time as the schedule's status and annotations write it.
std::string rfc3339(Clock::time_point t);
// The start of the minute `t` falls in.
Clock::time_point floor_minute(Clock::time_point t);

// Watches the Backups of a namespace from a thread and remembers when each was first seen
// (ADDED), to measure how late after its minute a scheduled Backup appears.
class BackupWatch {
 public:
  BackupWatch(const TestCluster& cluster, std::string ns);
  ~BackupWatch();
  BackupWatch(const BackupWatch&) = delete;
  BackupWatch& operator=(const BackupWatch&) = delete;

  // When Backup `name` was first seen; waits until `deadline` for it.
  std::optional<Clock::time_point> added(const std::string& name, Clock::time_point deadline);

 private:
  void run();

  std::unique_ptr<kube::Client> client_;
  std::string ns_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::map<std::string, Clock::time_point> added_;
  std::unique_ptr<kube::Watch> watch_;
  bool stopped_ = false;
  std::string resource_version_;
  std::thread thread_;
};

class ScheduleE2E : public BackupE2E {
 protected:
  ScheduleE2E();
  void SetUp() override;
  void TearDown() override;

  nlohmann::json get_schedule(const std::string& name);
  std::string schedule_field(const std::string& name, const std::string& jsonpath);
  // status.conditions[type=Ready], or null.
  nlohmann::json ready_condition(const std::string& name);
  // Writes `status` (merged) through the status subresource, as only a controller would.
  void patch_schedule_status(const std::string& name, const nlohmann::json& status);
  // Sets the cellar.dev/trigger annotation.
  void trigger(const std::string& schedule, const std::string& value);

  // The Backups labelled with the schedule, by name.
  std::vector<nlohmann::json> backups_of(const std::string& schedule);
  std::vector<std::string> backup_names_of(const std::string& schedule);
  // The name of the Backup annotated cellar.dev/trigger=`value`, waiting up to `seconds` for it;
  // empty (and a failure) when none came.
  std::string wait_for_triggered(const std::string& schedule, const std::string& value,
                                 int seconds = 15);
  bool backup_exists(const std::string& name);
  // The Events about the schedule with this reason.
  std::vector<nlohmann::json> events_of(const std::string& schedule, const std::string& reason);

  // Re-checks `done` every 250 ms for up to `seconds`; true once it holds.
  static bool eventually(const std::function<bool()>& done, int seconds);
  // Waits for the controller (started `controller_starts_` times) to log that it runs.
  void wait_for_controller_running(int seconds = 30);
  void restart_controller();

  // The next minute boundary that is at least `margin` away, sleeping past the current one when
  // it is nearer than that.
  static Clock::time_point coming_minute(std::chrono::seconds margin);
  // "<schedule>-<yyyymmddhhmm>": the Backup a schedule makes for a due time.
  static std::string scheduled_name(const std::string& schedule, Clock::time_point due);
};

}  // namespace cellar::testing
