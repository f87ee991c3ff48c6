// How many bytes the controller's caches keep per object: N Completed Backups (as the controller
// leaves them: status, Ready condition, schedule label, finalizer) and their finished Jobs (as
// make_dump_job makes them, with a Job controller's status), pushed through the same projections
// and caches the informers use. Heap bytes come from mallinfo2, so the figure is exact and the
// same on a busy machine; it is what the ≤ 30 MB contract is made of, apart from the process's
// fixed cost (libraries, threads), which `scripts/bench.sh --only scale` measures whole.
#include <malloc.h>

#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>

#include "controller/api/backup.h"
#include "controller/backup/job_lookup.h"
#include "controller/backup/job_template.h"
#include "controller/backup/job_view.h"
#include "controller/kube/informer.h"

namespace {

using json = nlohmann::json;
using cellar::kube::ObjectCache;

size_t heap_in_use() {
  return mallinfo2().uordblks;
}

// Hex digits as random as a sha256 or a uid's are.
std::string random_hex(size_t n) {
  static std::mt19937_64 bits(42);
  static const char* digits = "0123456789abcdef";
  std::string s(n, '0');
  for (char& c : s) c = digits[bits() % 16];
  return s;
}

std::string padded(int i, int width) {
  std::string s = std::to_string(i);
  return std::string(width > static_cast<int>(s.size()) ? width - s.size() : 0, '0') + s;
}

// A scheduled Backup after its run: what the controller's status writes leave on it.
json completed_backup(int i) {
  const std::string schedule = "orders-db-nightly";
  const std::string name = schedule + "-2026" + padded(i % 10000, 8);
  const std::string location = "pvc://backups/" + name + ".dump";
  return {{"apiVersion", "cellar.dev/v1alpha1"},
          {"kind", "Backup"},
          {"metadata",
           {{"name", name},
            {"namespace", "shop"},
            {"uid", random_hex(8) + "-" + random_hex(4) + "-4" + random_hex(3) + "-a" +
                        random_hex(3) + "-" + random_hex(12)},
            {"resourceVersion", std::to_string(100000 + i)},
            {"generation", 1},
            {"creationTimestamp", "2026-11-28T02:00:00Z"},
            {"labels", {{"cellar.dev/schedule", schedule}}},
            {"finalizers", {"cellar.dev/delete-dump"}}}},
          {"spec",
           {{"database",
             {{"host", "orders-db.shop.svc"},
              {"port", 5432},
              {"name", "orders"},
              {"user", "backup"},
              {"passwordSecretRef", {{"name", "orders-db-backup"}, {"key", "password"}}}}},
            {"storage", {{"persistentVolumeClaim", {{"claimName", "backups"}}}}},
            {"format", "custom"},
            {"activeDeadlineSeconds", 3600},
            {"backoffLimit", 1},
            {"deletionPolicy", "Delete"}}},
          {"status",
           {{"phase", "Completed"},
            {"message", "Dumped 1.55 MiB of database orders to " + location},
            {"jobName", name},
            {"startTime", "2026-11-28T02:00:00Z"},
            {"completionTime", "2026-11-28T02:00:04Z"},
            {"durationSeconds", 4},
            {"sizeBytes", 1625292},
            {"size", "1.55 MiB"},
            {"location", location},
            {"checksum", "sha256:" + random_hex(64)},
            {"serverVersion", "15.18"},
            {"databaseSizeBytes", 9437184},
            {"observedGeneration", 1},
            {"conditions",
             {{{"type", "Ready"},
               {"status", "True"},
               {"observedGeneration", 1},
               {"lastTransitionTime", "2026-11-28T02:00:04Z"},
               {"reason", "Completed"},
               {"message", "Dumped 1.55 MiB of database orders to " + location}}}}}}};
}

json finished_job(const json& backup_json) {
  cellar::api::Backup backup = cellar::api::parse_backup(backup_json);
  cellar::backup::JobOptions options;
  options.agent_image = "ghcr.io/cellar/cellar-agent:0.1.0";
  json job = cellar::backup::make_dump_job(backup, options);
  job["metadata"]["uid"] = random_hex(8) + "-" + random_hex(4) + "-4" + random_hex(3) + "-a" +
                           random_hex(3) + "-" + random_hex(12);
  job["metadata"]["resourceVersion"] = "2" + backup.meta.resource_version;
  job["metadata"]["creationTimestamp"] = "2026-11-28T02:00:00Z";
  job["metadata"]["labels"]["batch.kubernetes.io/controller-uid"] = job["metadata"]["uid"];
  job["metadata"]["labels"]["controller-uid"] = job["metadata"]["uid"];
  job["status"] = {{"startTime", "2026-11-28T02:00:00Z"},
                   {"completionTime", "2026-11-28T02:00:04Z"},
                   {"succeeded", 1},
                   {"ready", 0},
                   {"terminating", 0},
                   {"uncountedTerminatedPods", json::object()},
                   {"conditions",
                    {{{"type", "SuccessCriteriaMet"},
                      {"status", "True"},
                      {"lastProbeTime", "2026-11-28T02:00:04Z"},
                      {"lastTransitionTime", "2026-11-28T02:00:04Z"}},
                     {{"type", "Complete"},
                      {"status", "True"},
                      {"lastProbeTime", "2026-11-28T02:00:04Z"},
                      {"lastTransitionTime", "2026-11-28T02:00:04Z"}}}}};
  return job;
}

template <typename T, typename Project>
double bytes_per_object(ObjectCache<T>& cache, const std::vector<json>& objects, Project project) {
  malloc_trim(0);
  const size_t before = heap_in_use();
  for (const json& o : objects) {
    cache.apply("ADDED", cellar::kube::object_key(o), cellar::kube::object_resource_version(o),
                project(o), &o);
  }
  return static_cast<double>(heap_in_use() - before) / static_cast<double>(objects.size());
}

}  // namespace

int main(int argc, char** argv) {
  const int n = argc > 1 ? std::atoi(argv[1]) : 10000;
  std::vector<json> backups;
  std::vector<json> jobs;
  for (int i = 0; i < n; ++i) {
    backups.push_back(completed_backup(i));
    jobs.push_back(finished_job(backups.back()));
  }
  // Packed as the controller's informers pack them (backup_controller.cc, job_lookup.cc).
  auto backup_projection = cellar::api::cache_projection(cellar::api::parse_backup);
  auto job_projection = cellar::api::cache_projection(cellar::backup::parse_job);
  const auto job_options = cellar::backup::workload_informer_options("", "");
  std::vector<json::json_pointer> job_drop;
  for (const auto& p : job_options.packed_drop) job_drop.emplace_back(p);
  ObjectCache<cellar::api::Backup> backup_cache(std::make_shared<cellar::kube::ObjectPacker>(),
                                                backup_projection);
  // The schedule controller's index (schedule_controller.cc).
  backup_cache.add_index("by-schedule", [](const cellar::api::Backup& b) {
    std::vector<std::string> out;
    auto it = b.meta.labels.find("cellar.dev/schedule");
    if (it != b.meta.labels.end()) out.push_back(b.meta.ns + "/" + it->second);
    return out;
  });
  ObjectCache<cellar::backup::JobView> job_cache(
      std::make_shared<cellar::kube::ObjectPacker>(std::move(job_drop)), job_projection);
  const double backup_bytes = bytes_per_object(backup_cache, backups, backup_projection);
  const double job_bytes = bytes_per_object(job_cache, jobs, job_projection);
  std::printf("heap bytes cached per object (%d of each):\n", n);
  std::printf("  Completed Backup: %7.0f\n", backup_bytes);
  std::printf("  finished Job:     %7.0f\n", job_bytes);
  std::printf("  10,000 of each:   %7.1f MiB\n", (backup_bytes + job_bytes) * 10000 / 1048576.0);
  std::printf("sizeof: Backup %zu, JobView %zu\n", sizeof(cellar::api::Backup),
              sizeof(cellar::backup::JobView));
  return 0;
}
