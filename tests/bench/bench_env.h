// What every benchmark scenario shares: the flags, a client of its own (no rate limit: the
// controller is measured, not the benchmark), the controller process it starts and stops, the
// test cluster's request counters, and the objects a scenario makes.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "controller/kube/client.h"
#include "controller/kube/config.h"
#include "tests/support/child_process.h"
#include "tests/support/temp_dir.h"

namespace cellar::bench {

// The User-Agent of the benchmark's own requests, as the test cluster's stats record it.
inline constexpr char kBenchAgent[] = "cellar-bench";

struct Flags {
  std::string kubeconfig;
  std::string controller;  // the cellar-controller binary
  std::string agent_image = "cellar-agent:bench";
  std::string ns = "bench";
  std::string only;  // comma-separated scenarios; empty: all
  int backups = 100;
  int schedule_minutes = 2;
  int schedules = 1000;
  int objects = 10000;
  int latency_ms = 3;  // the second latency run's per-request fault (0: no second run)
  // The schedule scenario's watch events that much late (the test cluster's watchDelayMs), as
  // kube-apiserver's watchers lag its writers; 0: none.
  int watch_delay_ms = 0;
  std::vector<std::string> controller_args;  // --controller-arg, passed through
};

class BenchEnv {
 public:
  explicit BenchEnv(Flags flags);
  ~BenchEnv();

  const Flags& flags() const { return flags_; }
  kube::Client& client() { return *client_; }
  // Another client like client(), for a watch that must not share its connections.
  std::unique_ptr<kube::Client> new_client() const;
  bool wants(const std::string& scenario) const;

  // Namespace, Secret bench-db and claim bench; false (said on stderr) when they cannot be made.
  bool prepare();
  // A Backup of a database that needs nothing: the stand-in agent (bench-agent.sh) ignores it.
  nlohmann::json backup(const std::string& name) const;
  // A BackupSchedule making such Backups; `secret` names the password Secret.
  nlohmann::json schedule(const std::string& name, const std::string& cron,
                          const std::string& secret = "bench-db") const;

  // Starts cellar-controller (its log in a temp folder) and waits until it logs that it runs.
  // Returns the time it took, or nullopt.
  std::optional<std::chrono::milliseconds> start_controller();
  void stop_controller();
  pid_t controller_pid() const { return controller_ ? controller_->pid() : -1; }
  // The controller's resident memory, in KiB (/proc/PID/status).
  struct Memory {
    long rss = 0;   // VmRSS
    long peak = 0;  // VmHWM
    long anon = 0;  // RssAnon: heap, stacks
    long file = 0;  // RssFile: the executable and shared libraries' pages
  };
  Memory controller_memory() const;

  // The test cluster's counters (GET /cellar-test/v1/stats); null when it has none.
  nlohmann::json stats();
  void reset_stats();
  // By the test cluster's clock (when each request arrived), since the last reset_stats(): the
  // milliseconds from each Backup POST made by `backup_agent` (a User-Agent) to the next Job
  // POST, both answered 201. Backups made one at a time, that is each Backup's own Job. Empty
  // where the server keeps no write log.
  std::vector<double> job_post_gaps(const std::string& backup_agent);
  // Every API request waits `ms` first (the test cluster's latencyMs fault).
  bool set_latency(int ms);
  // Every watch event goes out `ms` after its write (the watchDelayMs fault).
  bool set_watch_delay(int ms);

 private:
  Flags flags_;
  kube::Config config_;
  std::unique_ptr<kube::Client> client_;
  testing::TempDir dir_{"cellar-bench"};
  std::unique_ptr<testing::ChildProcess> controller_;
  int starts_ = 0;
};

}  // namespace cellar::bench
