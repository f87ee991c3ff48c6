#include "tests/bench/bench_env.h"

#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>
#include <thread>

#include "controller/kube/config.h"

namespace cellar::bench {

using json = nlohmann::json;
using Clock = std::chrono::steady_clock;

BenchEnv::BenchEnv(Flags flags) : flags_(std::move(flags)) {
  auto config = kube::load_kubeconfig(flags_.kubeconfig);
  if (!config.ok()) throw std::runtime_error(config.error().to_string());
  config_ = *config;
  client_ = new_client();
}

std::unique_ptr<kube::Client> BenchEnv::new_client() const {
  auto transport = kube::make_http_transport(config_);
  if (!transport.ok()) throw std::runtime_error(transport.error().to_string());
  kube::ClientOptions options;
  options.qps = 1e6;
  options.burst = 1000000;
  options.user_agent = kBenchAgent;
  return std::make_unique<kube::Client>(std::move(*transport), options);
}

BenchEnv::~BenchEnv() {
  stop_controller();
}

bool BenchEnv::wants(const std::string& scenario) const {
  if (flags_.only.empty()) return true;
  return ("," + flags_.only + ",").find("," + scenario + ",") != std::string::npos;
}

bool BenchEnv::prepare() {
  auto made = [](const kube::Result<json>& r, const char* what) {
    if (r.ok() || r.error().code == 409) return true;
    std::cerr << "cannot create " << what << ": " << r.error().to_string() << "\n";
    return false;
  };
  return made(client_->create(kube::resources::namespaces(), "",
                              {{"apiVersion", "v1"},
                               {"kind", "Namespace"},
                               {"metadata", {{"name", flags_.ns}}}}),
              "namespace") &&
         made(client_->create(kube::resources::secrets(), flags_.ns,
                              {{"apiVersion", "v1"},
                               {"kind", "Secret"},
                               {"metadata", {{"name", "bench-db"}}},
                               {"stringData", {{"password", "bench"}}}}),
              "Secret bench-db") &&
         made(client_->create(kube::resources::persistentvolumeclaims(), flags_.ns,
                              {{"apiVersion", "v1"},
                               {"kind", "PersistentVolumeClaim"},
                               {"metadata", {{"name", "bench"}}},
                               {"spec",
                                {{"accessModes", {"ReadWriteOnce"}},
                                 {"resources", {{"requests", {{"storage", "1Gi"}}}}}}}}),
              "claim bench");
}

namespace {

json backup_spec(const std::string& secret) {
  return {{"database",
           {{"host", "127.0.0.1"},
            {"name", "bench"},
            {"user", "bench"},
            {"passwordSecretRef", {{"name", secret}, {"key", "password"}}}}},
          {"storage", {{"persistentVolumeClaim", {{"claimName", "bench"}}}}}};
}

}  // namespace

json BenchEnv::backup(const std::string& name) const {
  return {{"apiVersion", "cellar.dev/v1alpha1"},
          {"kind", "Backup"},
          {"metadata", {{"name", name}, {"namespace", flags_.ns}}},
          {"spec", backup_spec("bench-db")}};
}

json BenchEnv::schedule(const std::string& name, const std::string& cron,
                        const std::string& secret) const {
  return {{"apiVersion", "cellar.dev/v1alpha1"},
          {"kind", "BackupSchedule"},
          {"metadata", {{"name", name}, {"namespace", flags_.ns}, {"labels", {{"bench", "yes"}}}}},
          {"spec",
           {{"schedule", cron},
            {"concurrencyPolicy", "Allow"},
            {"backupTemplate", backup_spec(secret)},
            {"retention", {{"keepLast", 1000}}}}}};
}

std::optional<std::chrono::milliseconds> BenchEnv::start_controller() {
  stop_controller();
  const std::string log = dir_.path() + "/controller-" + std::to_string(++starts_) + ".log";
  testing::ChildProcessOptions o;
  o.argv = {flags_.controller, "--kubeconfig", flags_.kubeconfig, "--agent-image",
            flags_.agent_image};
  o.argv.insert(o.argv.end(), flags_.controller_args.begin(), flags_.controller_args.end());
  o.stderr_path = log;
  std::string error;
  const auto start = Clock::now();
  controller_ = testing::ChildProcess::spawn(o, &error);
  if (!controller_) {
    std::cerr << "cannot start " << flags_.controller << ": " << error << "\n";
    return std::nullopt;
  }
  // Until /readyz exists, "running" in the log is the moment every cache has synced.
  while (Clock::now() - start < std::chrono::minutes(3)) {
    std::ifstream in(log);
    std::stringstream text;
    text << in.rdbuf();
    if (text.str().find("cellar-controller running") != std::string::npos) {
      return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
    }
    if (!controller_->running()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  std::cerr << "the controller did not start; its log is " << log << "\n";
  return std::nullopt;
}

void BenchEnv::stop_controller() {
  if (controller_) controller_->terminate(std::chrono::seconds(10));
  controller_.reset();
}

BenchEnv::Memory BenchEnv::controller_memory() const {
  Memory m;
  std::ifstream in("/proc/" + std::to_string(controller_pid()) + "/status");
  for (std::string line; std::getline(in, line);) {
    if (line.starts_with("VmRSS:")) m.rss = std::atol(line.c_str() + 6);
    if (line.starts_with("VmHWM:")) m.peak = std::atol(line.c_str() + 6);
    if (line.starts_with("RssAnon:")) m.anon = std::atol(line.c_str() + 8);
    if (line.starts_with("RssFile:")) m.file = std::atol(line.c_str() + 8);
  }
  return m;
}

json BenchEnv::stats() {
  auto r = client_->request("GET", "/cellar-test/v1/stats");
  return r.ok() ? *r : json();
}

std::vector<double> BenchEnv::job_post_gaps(const std::string& backup_agent) {
  std::vector<double> gaps;
  auto r = client_->request("GET", "/cellar-test/v1/writes");
  if (!r.ok()) return gaps;
  long long backup_at = -1;  // the last Backup POST, while it has no Job yet
  for (const json& w : r->value("writes", json::array())) {
    if (w.value("method", "") != "POST" || w.value("code", 0) != 201) continue;
    const std::string path = w.value("path", "");
    const long long micros = w.value("micros", 0LL);
    if (path.ends_with("/backups")) {
      backup_at = w.value("userAgent", "") == backup_agent ? micros : -1;
    } else if (path.ends_with("/jobs") && backup_at >= 0) {
      gaps.push_back(static_cast<double>(micros - backup_at) / 1000.0);
      backup_at = -1;
    }
  }
  return gaps;
}

void BenchEnv::reset_stats() {
  (void)client_->request("POST", "/cellar-test/v1/stats/reset", json::object());
}

bool BenchEnv::set_watch_delay(int ms) {
  return client_->request("POST", "/cellar-test/v1/faults", {{"watchDelayMs", ms}}).ok();
}

bool BenchEnv::set_latency(int ms) {
  return client_->request("POST", "/cellar-test/v1/faults", {{"latencyMs", ms}}).ok();
}

}  // namespace cellar::bench
