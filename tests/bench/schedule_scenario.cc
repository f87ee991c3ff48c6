// Schedules: how late after its minute a scheduled Backup appears, alone and with a thousand
// others due the same minute.
#include <date/date.h>

#include <cstdio>
#include <iostream>
#include <set>

#include "controller/kube/names.h"
#include "tests/bench/arrivals.h"
#include "tests/bench/scenarios.h"

namespace cellar::bench {

namespace {

using json = nlohmann::json;

const kube::Resource kBackups{"cellar.dev", "v1alpha1", "backups", true};
const kube::Resource kSchedules{"cellar.dev", "v1alpha1", "backupschedules", true};

// The scheduled time in a Backup's name, <schedule>-<yyyymmddhhmm> (UTC).
std::optional<WallClock::time_point> scheduled_time(const std::string& name) {
  if (name.size() < 12) return std::nullopt;
  const std::string digits = name.substr(name.size() - 12);
  if (digits.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
  auto part = [&](size_t at, size_t n) { return std::stoi(digits.substr(at, n)); };
  const date::year_month_day day{date::year(part(0, 4)), date::month(part(4, 2)),
                                 date::day(part(6, 2))};
  return WallClock::time_point(date::sys_days(day) + std::chrono::hours(part(8, 2)) +
                               std::chrono::minutes(part(10, 2)));
}

Classifier added_backups() {
  return [](const kube::WatchEvent& e) {
    std::vector<std::string> marks;
    if (e.type == "ADDED")
      marks.push_back("bk:" + e.object.value("/metadata/name"_json_pointer, ""));
    return marks;
  };
}

double ms(auto d) {
  return std::chrono::duration<double, std::milli>(d).count();
}

}  // namespace

void run_schedule(BenchEnv& env) {
  const Flags& f = env.flags();
  const std::string name = "every-minute";
  auto backup_client = env.new_client();
  auto job_client = env.new_client();
  Arrivals backups(*backup_client, kBackups, f.ns, "", added_backups());
  Arrivals jobs(*job_client, kube::resources::jobs(), f.ns, "cellar.dev/backup",
                [](const kube::WatchEvent& e) {
                  std::vector<std::string> marks;
                  if (e.type == "ADDED") {
                    marks.push_back("job:" + e.object.value("/metadata/name"_json_pointer, ""));
                  }
                  return marks;
                });
  env.reset_stats();  // the server's write log from here on
  const bool delayed = f.watch_delay_ms > 0 && env.set_watch_delay(f.watch_delay_ms);
  auto created = env.client().create(kSchedules, f.ns, env.schedule(name, "* * * * *"));
  if (!created.ok()) {
    std::cerr << "create schedule: " << created.error().to_string() << "\n";
    return;
  }
  // Half-way between two firings, a Backup applied by hand: after the same idle half minute, so
  // a scheduled Backup's Job is compared with an applied one's under the same conditions, on
  // the same clocks.
  const std::string applied_prefix = "half-past-";
  auto next_applied =
      date::floor<std::chrono::minutes>(WallClock::now()) + std::chrono::seconds(30);
  if (next_applied < WallClock::now()) next_applied += std::chrono::minutes(1);
  int applied = 0;
  const auto deadline =
      Clock::now() + std::chrono::minutes(f.schedule_minutes) + std::chrono::seconds(70);
  const std::string scheduled_prefix = "bk:" + name + "-";
  while (Clock::now() < deadline &&
         backups.with_prefix(scheduled_prefix).size() < static_cast<size_t>(f.schedule_minutes)) {
    if (WallClock::now() >= next_applied && applied < f.schedule_minutes) {
      const std::string backup = applied_prefix + std::to_string(applied++);
      if (auto made = env.client().create(kBackups, f.ns, env.backup(backup)); !made.ok()) {
        std::cerr << "create " << backup << ": " << made.error().to_string() << "\n";
      }
      next_applied += std::chrono::minutes(1);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  std::this_thread::sleep_for(std::chrono::seconds(2));  // the last Job
  (void)env.client().remove(kSchedules, f.ns, name);
  if (delayed) env.set_watch_delay(0);
  std::vector<double> late;
  // Each Backup's Job, from the Backup's watch event to the Job's (the only clock both have).
  auto job_after = [&](const std::string& prefix) {
    std::vector<double> out;
    for (const auto& [mark, arrival] : backups.with_prefix(prefix)) {
      const std::string backup = mark.substr(3);
      if (auto job = jobs.wait_for("job:" + kube::fit_name(backup, kube::kMaxLabelValue),
                                   std::chrono::seconds(5))) {
        out.push_back(ms(job->steady - arrival.steady));
      }
    }
    return out;
  };
  for (const auto& [mark, arrival] : backups.with_prefix(scheduled_prefix)) {
    if (auto due = scheduled_time(mark.substr(3))) late.push_back(ms(arrival.wall - *due));
  }
  const std::vector<double> scheduled_job = job_after(scheduled_prefix);
  const std::vector<double> applied_job = job_after("bk:" + applied_prefix);
  std::printf("\n== One `* * * * *` schedule for %d minute(s): %zu Backups", f.schedule_minutes,
              late.size());
  if (delayed) std::printf(" (every watch event %d ms late)", f.watch_delay_ms);
  std::printf("\n");
  std::printf("  Backup after its minute:       p50 %7.1f ms   max %7.1f ms\n",
              percentile(late, 50), percentile(late, 100));
  std::printf("  its Job after the Backup:      p50 %7.1f ms   max %7.1f ms\n",
              percentile(scheduled_job, 50), percentile(scheduled_job, 100));
  std::printf(
      "  an applied Backup's Job:       p50 %7.1f ms   max %7.1f ms"
      "   (%zu, each half a minute after a firing)\n",
      percentile(applied_job, 50), percentile(applied_job, 100), applied_job.size());
  const auto server_scheduled = env.job_post_gaps("cellar-controller");
  const auto server_applied = env.job_post_gaps(kBenchAgent);
  if (!server_scheduled.empty() && !server_applied.empty()) {
    std::printf(
        "  (the server's clock: Job POST p50 %.1f ms after a scheduled Backup's POST, "
        "%.1f after an applied one's)\n",
        percentile(server_scheduled, 50), percentile(server_applied, 50));
  }
  // A few samples: each one, in the order they came.
  std::printf("  each (Backup late / its Job after / the applied one's Job after):");
  for (size_t i = 0; i < late.size() && i < scheduled_job.size(); ++i) {
    std::printf(" %.1f/%.1f", late[i], scheduled_job[i]);
    if (i < applied_job.size()) std::printf("/%.1f", applied_job[i]);
  }
  std::printf(" ms\n");
}

void run_burst(BenchEnv& env) {
  const Flags& f = env.flags();
  // The first whole minute at least 40 s away, so every schedule exists before it.
  const auto now = WallClock::now();
  auto due = date::ceil<std::chrono::minutes>(now + std::chrono::seconds(40));
  const auto tod = date::make_time(due - date::floor<date::days>(due));
  const std::string cron =
      std::to_string(tod.minutes().count()) + " " + std::to_string(tod.hours().count()) + " * * *";
  auto backup_client = env.new_client();
  Arrivals fired(*backup_client, kBackups, f.ns, "cellar.dev/schedule", added_backups());
  // The template's Secret does not exist, so each Backup fails at once without a Job: this
  // measures the schedule controller firing, not a thousand Jobs on this machine.
  const auto made_start = Clock::now();
  int failed = 0;
  for (int i = 0; i < f.schedules; ++i) {
    json s = env.schedule("burst-" + std::to_string(i), cron, "bench-missing");
    s["spec"]["backupTemplate"]["database"]["name"] = "burst";
    auto created = env.client().create(kSchedules, f.ns, s);
    if (!created.ok()) ++failed;
  }
  std::printf("\n== %d schedules due at %s (made in %.1f s, %d failed to make)\n", f.schedules,
              date::format("%H:%M", due).c_str(), ms(Clock::now() - made_start) / 1000, failed);
  const auto deadline = WallClock::time_point(due) + std::chrono::seconds(90);
  while (WallClock::now() < deadline &&
         fired.with_prefix("bk:burst-").size() < static_cast<size_t>(f.schedules)) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  std::vector<double> late;
  std::set<std::string> schedules;
  for (const auto& [mark, arrival] : fired.with_prefix("bk:burst-")) {
    const std::string backup = mark.substr(3);
    schedules.insert(backup.substr(0, backup.size() - 13));
    late.push_back(ms(arrival.wall - WallClock::time_point(due)));
  }
  std::printf("  fired: %zu of %d schedules, %zu Backups (a schedule firing twice would show)\n",
              schedules.size(), f.schedules, late.size());
  std::printf("  Backup after the minute:       p50 %7.1f ms   last %7.1f ms\n",
              percentile(late, 50), percentile(late, 100));
  for (int i = 0; i < f.schedules; ++i) {
    (void)env.client().remove(kSchedules, f.ns, "burst-" + std::to_string(i));
  }
}

}  // namespace cellar::bench
