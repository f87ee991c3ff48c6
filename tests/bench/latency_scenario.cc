// Backups applied one at a time, each followed to Completed before the next: the latencies a
// person sees, without queueing behind other work.
#include <cstdio>
#include <iostream>

#include "controller/kube/names.h"
#include "tests/bench/arrivals.h"
#include "tests/bench/scenarios.h"

namespace cellar::bench {

namespace {

using json = nlohmann::json;

double ms(Clock::time_point from, Clock::time_point to) {
  return std::chrono::duration<double, std::milli>(to - from).count();
}

bool condition_true(const json& object, const char* type) {
  for (const auto& c : object.value("/status/conditions"_json_pointer, json::array())) {
    if (c.value("type", "") == type && c.value("status", "") == "True") return true;
  }
  return false;
}

}  // namespace

void run_latency(BenchEnv& env, const std::string& run) {
  const Flags& f = env.flags();
  auto job_client = env.new_client();
  auto backup_client = env.new_client();
  Arrivals jobs(*job_client, kube::resources::jobs(), f.ns, "cellar.dev/backup",
                [](const kube::WatchEvent& e) {
                  const std::string name = e.object.value("/metadata/name"_json_pointer, "");
                  std::vector<std::string> marks = {"job:" + name};
                  if (condition_true(e.object, "Complete")) marks.push_back("jobdone:" + name);
                  return marks;
                });
  Arrivals backups(
      *backup_client, kube::Resource{"cellar.dev", "v1alpha1", "backups", true}, f.ns, "",
      [](const kube::WatchEvent& e) {
        std::vector<std::string> marks;
        if (e.type == "ADDED") {
          marks.push_back("added:" + e.object.value("/metadata/name"_json_pointer, ""));
        }
        if (e.object.value("/status/phase"_json_pointer, "") == "Completed") {
          marks.push_back("done:" + e.object.value("/metadata/name"_json_pointer, ""));
        }
        return marks;
      });
  env.reset_stats();
  std::vector<double> to_job;
  std::vector<double> watched_to_job;
  std::vector<double> to_completed;
  int lost = 0;
  const kube::Resource backups_resource{"cellar.dev", "v1alpha1", "backups", true};
  for (int i = 0; i < f.backups; ++i) {
    const std::string name = "lat-" + run + "-" + std::to_string(i);
    auto created = env.client().create(backups_resource, f.ns, env.backup(name));
    const auto applied = Clock::now();
    if (!created.ok()) {
      std::cerr << "create " << name << ": " << created.error().to_string() << "\n";
      ++lost;
      continue;
    }
    const std::string job = kube::fit_name(name, kube::kMaxLabelValue);
    auto made = jobs.wait_for("job:" + job, std::chrono::seconds(30));
    auto finished = jobs.wait_for("jobdone:" + job, std::chrono::seconds(60));
    auto completed = backups.wait_for("done:" + name, std::chrono::seconds(60));
    if (!made || !finished || !completed) {
      ++lost;
      continue;
    }
    to_job.push_back(ms(applied, made->steady));
    // As the schedule scenario measures a scheduled Backup's Job: from the Backup's watch event.
    if (auto added = backups.wait_for("added:" + name, std::chrono::seconds(1))) {
      watched_to_job.push_back(ms(added->steady, made->steady));
    }
    to_completed.push_back(ms(finished->steady, completed->steady));
  }
  std::this_thread::sleep_for(std::chrono::seconds(1));  // anything late is counted too
  const json stats = env.stats();
  const auto server_gaps = env.job_post_gaps(kBenchAgent);
  const double n = static_cast<double>(f.backups - lost);
  std::printf("\n== Backups applied one at a time (%s): %d Backups, %d lost\n", run.c_str(),
              f.backups, lost);
  std::printf("  applied -> Job created:        p50 %7.1f ms   p99 %7.1f ms   max %7.1f ms\n",
              percentile(to_job, 50), percentile(to_job, 99), percentile(to_job, 100));
  std::printf("  (Job after the Backup's watch event, as for a scheduled one: p50 %.1f ms)\n",
              percentile(watched_to_job, 50));
  std::printf("  Job finished -> Completed:     p50 %7.1f ms   p99 %7.1f ms   max %7.1f ms\n",
              percentile(to_completed, 50), percentile(to_completed, 99),
              percentile(to_completed, 100));
  if (!server_gaps.empty()) {
    std::printf("  (the server's clock: Job POST p50 %.1f ms after the Backup's POST)\n",
                percentile(server_gaps, 50));
  }
  if (stats.is_object() && n > 0) {
    const double requests = stats.value("/requestsByUserAgent/cellar-controller"_json_pointer, 0.0);
    const double writes = stats.value("/writesByUserAgent/cellar-controller"_json_pointer, 0.0);
    std::printf("  controller API requests per Backup: %.1f, of them writes: %.1f\n", requests / n,
                writes / n);
  }
}

}  // namespace cellar::bench
