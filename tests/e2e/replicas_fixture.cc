#include "tests/e2e/replicas_fixture.h"

#include <thread>

namespace cellar::testing {

void ReplicasE2E::TearDown() {
  if (HasFailure()) {
    for (size_t i = 0; i < replicas_.size(); ++i) {
      std::cerr << "--- replica " << i << " log ---\n" << read_file(replicas_[i].log_path);
    }
  }
  for (auto& r : replicas_) {
    if (r.process) r.process->terminate();
  }
  replicas_.clear();
  BackupE2E::TearDown();
}

size_t ReplicasE2E::start_replica(const std::vector<std::string>& extra) {
  Replica r;
  r.log_path = cluster_->dir() + "/replica-" + std::to_string(replicas_.size()) + ".log";
  ChildProcessOptions o;
  o.argv = {CELLAR_CONTROLLER_BIN, "--kubeconfig", cluster_->kubeconfig_path(),
            "--agent-image",       kAgentImage,    "--leader-elect"};
  o.argv.insert(o.argv.end(), extra.begin(), extra.end());
  o.stderr_path = r.log_path;
  std::string error;
  r.process = ChildProcess::spawn(o, &error);
  EXPECT_NE(r.process, nullptr) << error;
  replicas_.push_back(std::move(r));
  return replicas_.size() - 1;
}

nlohmann::json ReplicasE2E::lease() {
  auto client = cluster_->client();
  auto got = client->get(kube::resources::leases(), "default", "cellar-controller");
  return got.ok() ? *got : nlohmann::json(nullptr);
}

std::string ReplicasE2E::lease_holder() {
  auto l = lease();
  if (l.is_null()) return "";
  return l["spec"].value("holderIdentity", "");
}

std::string ReplicasE2E::wait_for_holder(const std::string& not_this,
                                         std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    std::string holder = lease_holder();
    if (!holder.empty() && holder != not_this) return holder;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return "";
}

std::string ReplicasE2E::user_agent(const std::string& identity) {
  return "cellar-controller (" + identity + ")";
}

std::vector<std::string> ReplicasE2E::replica_user_agents() {
  std::vector<std::string> out;
  auto stats = cluster_->get_hook("stats");
  EXPECT_TRUE(stats.ok());
  if (!stats.ok()) return out;
  for (const auto& [agent, count] : (*stats)["requestsByUserAgent"].items()) {
    if (agent.starts_with("cellar-controller (")) out.push_back(agent);
  }
  return out;
}

std::map<std::string, int> ReplicasE2E::writes_by_user_agent() {
  std::map<std::string, int> out;
  auto stats = cluster_->get_hook("stats");
  EXPECT_TRUE(stats.ok());
  if (!stats.ok()) return out;
  for (const auto& [agent, count] : (*stats)["writesByUserAgent"].items()) {
    out[agent] = count.get<int>();
  }
  return out;
}

std::vector<LoggedWrite> ReplicasE2E::write_log() {
  std::vector<LoggedWrite> out;
  auto log = cluster_->get_hook("writes");
  EXPECT_TRUE(log.ok());
  if (!log.ok()) return out;
  for (const auto& w : (*log)["writes"]) {
    out.push_back(
        {w["micros"].get<int64_t>(), w["method"], w["path"], w["userAgent"], w["code"].get<int>()});
  }
  return out;
}

CommandResult ReplicasE2E::http_get(const std::string& url) {
  return run_command({"/usr/bin/curl", "-sS", "-m", "5", "-w", "\n%{http_code}", url}, {},
                     std::chrono::seconds(10));
}

}  // namespace cellar::testing
