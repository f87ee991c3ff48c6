// A controller starting on a cluster that already holds many Backups and Jobs: how long until it
// works, how much memory it keeps, against how long a plain client takes to fetch the same lists,
// and that it then writes nothing.
#include <atomic>
#include <cstdio>
#include <iostream>
#include <thread>

#include "controller/kube/names.h"
#include "tests/bench/arrivals.h"
#include "tests/bench/scenarios.h"

namespace cellar::bench {

namespace {

using json = nlohmann::json;

const kube::Resource kBackups{"cellar.dev", "v1alpha1", "backups", true};

// One Completed Backup and its finished Job, as a day of a busy cluster leaves them. The Job is
// suspended so that the test cluster's job runner leaves it alone.
bool fill_one(BenchEnv& env, kube::Client& client, const std::string& ns, int i) {
  const std::string name = "held-" + std::to_string(i);
  json backup = env.backup(name);
  backup["metadata"]["namespace"] = ns;
  auto created = client.create(kBackups, ns, backup);
  if (!created.ok()) return created.error().code == 409;
  json status = {{"phase", "Completed"},
                 {"message", "Dumped 1.00 MiB of database bench to pvc://bench/" + name + ".dump"},
                 {"jobName", name},
                 {"startTime", "2026-11-28T00:00:00Z"},
                 {"completionTime", "2026-11-28T00:00:01Z"},
                 {"durationSeconds", 1},
                 {"sizeBytes", 1048576},
                 {"size", "1.00 MiB"},
                 {"location", "pvc://bench/" + name + ".dump"},
                 {"checksum", "sha256:" + std::string(64, '0')},
                 {"serverVersion", "15.0"},
                 {"observedGeneration", 1}};
  json with_status = *created;
  with_status["status"] = status;
  if (!client.update_status(kBackups, ns, with_status).ok()) return false;
  json job = {{"apiVersion", "batch/v1"},
              {"kind", "Job"},
              {"metadata",
               {{"name", name},
                {"namespace", ns},
                {"labels", {{"cellar.dev/backup", name}}},
                {"ownerReferences",
                 {{{"apiVersion", "cellar.dev/v1alpha1"},
                   {"kind", "Backup"},
                   {"name", name},
                   {"uid", created->value("/metadata/uid"_json_pointer, "")},
                   {"controller", true}}}}}},
              {"spec",
               {{"suspend", true},
                {"backoffLimit", 1},
                {"template",
                 {{"metadata", {{"labels", {{"cellar.dev/backup", name}}}}},
                  {"spec",
                   {{"restartPolicy", "Never"},
                    {"containers", {{{"name", "dump"}, {"image", env.flags().agent_image}}}}}}}}}}};
  auto made = client.create(kube::resources::jobs(), ns, job);
  return made.ok() || made.error().code == 409;
}

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// Deletes the namespace the other scenarios used, with the controller still running (it lets
// its finalizers go in a namespace being deleted), and waits up to two minutes for it to be gone:
// the contract is about 10,000 Backups and 10,000 Jobs, not those plus what earlier scenarios
// left. True once it is gone.
bool clear_earlier_scenarios(BenchEnv& env) {
  const std::string ns = env.flags().ns;
  auto removed = env.client().remove(kube::resources::namespaces(), "", ns);
  if (!removed.ok() && removed.error().code != 404) return false;
  const auto deadline = Clock::now() + std::chrono::minutes(2);
  while (Clock::now() < deadline) {
    auto got = env.client().get(kube::resources::namespaces(), "", ns);
    if (!got.ok() && got.error().code == 404) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  return false;
}

}  // namespace

void run_scale(BenchEnv& env) {
  const Flags& f = env.flags();
  const std::string ns = f.ns + "-scale";
  if (!clear_earlier_scenarios(env)) {
    std::printf("\n(namespace %s was not gone within 2 minutes: its objects are cached too)\n",
                f.ns.c_str());
  }
  env.stop_controller();
  (void)env.client().create(
      kube::resources::namespaces(), "",
      {{"apiVersion", "v1"}, {"kind", "Namespace"}, {"metadata", {{"name", ns}}}});
  const auto fill_start = Clock::now();
  std::atomic<int> next{0};
  std::atomic<int> failures{0};
  std::vector<std::thread> writers;
  for (int w = 0; w < 4; ++w) {
    writers.emplace_back([&] {
      auto client = env.new_client();
      for (int i = next++; i < f.objects; i = next++) {
        if (!fill_one(env, *client, ns, i)) ++failures;
      }
    });
  }
  for (auto& w : writers) w.join();
  std::printf(
      "\n== A controller starting with %d Completed Backups and %d Jobs (filled in %.1f s, "
      "%d failed)\n",
      f.objects, f.objects, seconds_since(fill_start), failures.load());

  // What a plain client needs for the same lists the controller's informers read.
  const auto fetch_start = Clock::now();
  size_t items = 0;
  kube::ListOptions whole;
  whole.resource_version = "0";
  for (const auto& [resource, selector] : std::vector<std::pair<kube::Resource, std::string>>{
           {kBackups, ""},
           {kube::resources::jobs(), "cellar.dev/backup"},
           {kube::resources::pods(), "cellar.dev/backup"},
           {{"cellar.dev", "v1alpha1", "backupschedules", true}, ""},
           {{"cellar.dev", "v1alpha1", "restores", true}, ""},
           {kube::resources::jobs(), "cellar.dev/restore"},
           {kube::resources::pods(), "cellar.dev/restore"}}) {
    kube::ListOptions o = whole;
    o.label_selector = selector;
    auto list = env.client().list(resource, "", o);
    if (list.ok()) items += list->value("items", json::array()).size();
  }
  const double fetch = seconds_since(fetch_start);

  auto synced = env.start_controller();
  if (!synced) return;
  std::this_thread::sleep_for(std::chrono::seconds(5));
  const BenchEnv::Memory memory = env.controller_memory();
  std::printf(
      "  caches synced after start:     %.2f s (a plain client fetches the same %zu "
      "objects in %.2f s: %.1fx)\n",
      synced->count() / 1000.0, items, fetch, synced->count() / 1000.0 / fetch);
  std::printf(
      "  controller memory:             RSS %.1f MiB (%.1f MB), peak %.1f MiB; of the RSS %.1f MiB "
      "heap and stacks, %.1f MiB the program's and libraries' pages\n",
      memory.rss / 1024.0, memory.rss * 1024 / 1e6, memory.peak / 1024.0, memory.anon / 1024.0,
      memory.file / 1024.0);
  env.reset_stats();
  std::this_thread::sleep_for(std::chrono::seconds(10));
  const json stats = env.stats();
  std::printf("  writes in 10 s idle:           %ld\n",
              stats.value("/writesByUserAgent/cellar-controller"_json_pointer, 0L));
}

}  // namespace cellar::bench
