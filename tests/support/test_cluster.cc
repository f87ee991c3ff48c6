#include "tests/support/test_cluster.h"

#include <gtest/gtest.h>

#include <filesystem>

namespace cellar::testing {

namespace {

constexpr auto kReadyTimeout = std::chrono::seconds{30};

std::string hook_target(const std::string& path) {
  return path.starts_with("/") ? path : "/cellar-test/v1/" + path;
}

}  // namespace

std::unique_ptr<TestCluster> TestCluster::start(const TestClusterOptions& options) {
  std::unique_ptr<TestCluster> cluster(new TestCluster());
  cluster->kubeconfig_path_ = cluster->dir_.file("kubeconfig");
  cluster->volume_root_ = cluster->dir_.file("volumes");
  cluster->log_path_ = cluster->dir_.file("cluster.log");
  std::filesystem::create_directories(cluster->volume_root_);

  ChildProcessOptions spawn;
  spawn.argv = {CELLAR_TEST_CLUSTER_BIN,
                "--kubeconfig-out",
                cluster->kubeconfig_path_,
                "--volume-root",
                cluster->volume_root_,
                "--port",
                "0"};
  for (const auto& image : options.images) {
    spawn.argv.push_back("--image");
    spawn.argv.push_back(image);
  }
  spawn.argv.insert(spawn.argv.end(), options.extra_args.begin(), options.extra_args.end());
  spawn.pipe_stdout = true;
  spawn.stderr_path = cluster->log_path_;
  std::string error;
  cluster->process_ = ChildProcess::spawn(spawn, &error);
  if (!cluster->process_) {
    ADD_FAILURE() << error;
    return nullptr;
  }

  const auto deadline = std::chrono::steady_clock::now() + kReadyTimeout;
  bool ready = false;
  while (!ready && std::chrono::steady_clock::now() < deadline) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    auto line = cluster->process_->read_stdout_line(left);
    if (!line) break;
    ready = *line == "ready";
  }
  if (!ready) {
    cluster->stop();
    ADD_FAILURE() << "cellar-test-cluster did not print `ready` within 30 s; its log:\n"
                  << cluster->log();
    return nullptr;
  }

  auto config = kube::load_kubeconfig(cluster->kubeconfig_path_);
  if (!config.ok()) {
    ADD_FAILURE() << "cannot read the cluster's kubeconfig: " << config.error().to_string();
    return nullptr;
  }
  cluster->config_ = config.value();
  auto transport = kube::make_http_transport(cluster->config_);
  if (!transport.ok()) {
    ADD_FAILURE() << "cannot make a transport: " << transport.error().to_string();
    return nullptr;
  }
  cluster->transport_ = std::move(transport.value());
  kube::ClientOptions hook_options;
  hook_options.user_agent = "cellar-test-support";
  hook_options.qps = 1e6;
  hook_options.burst = 1000000;
  cluster->hooks_ = std::make_unique<kube::Client>(cluster->transport_, hook_options);
  return cluster;
}

TestCluster::~TestCluster() {
  stop();
}

std::unique_ptr<kube::Client> TestCluster::client(const kube::ClientOptions& options) const {
  auto transport = kube::make_http_transport(config_);
  if (!transport.ok()) {
    ADD_FAILURE() << "cannot make a transport: " << transport.error().to_string();
    return nullptr;
  }
  return std::make_unique<kube::Client>(
      std::shared_ptr<kube::Transport>(std::move(transport.value())), options);
}

kube::Result<nlohmann::json> TestCluster::post_hook(const std::string& path,
                                                    const nlohmann::json& body) {
  return hooks_->request("POST", hook_target(path), body);
}

kube::Result<nlohmann::json> TestCluster::get_hook(const std::string& path) {
  return hooks_->request("GET", hook_target(path));
}

CommandResult TestCluster::kubectl(const std::vector<std::string>& args,
                                   std::chrono::milliseconds timeout,
                                   const std::string& stdin_text) const {
  std::vector<std::string> argv = {kubectl_path()};
  argv.insert(argv.end(), args.begin(), args.end());
  // kubectl keeps a discovery cache under HOME; a per-cluster HOME keeps clusters apart.
  return run_command(argv, {"KUBECONFIG=" + kubeconfig_path_, "HOME=" + dir_.path()}, timeout,
                     stdin_text);
}

std::unique_ptr<ChildProcess> TestCluster::kubectl_background(
    const std::vector<std::string>& args, const std::string& stdout_path) const {
  ChildProcessOptions spawn;
  spawn.argv = {kubectl_path()};
  spawn.argv.insert(spawn.argv.end(), args.begin(), args.end());
  spawn.env = {"KUBECONFIG=" + kubeconfig_path_, "HOME=" + dir_.path()};
  spawn.stdout_path = stdout_path;
  spawn.stderr_path = stdout_path + ".err";
  std::string error;
  auto child = ChildProcess::spawn(spawn, &error);
  if (!child) ADD_FAILURE() << error;
  return child;
}

std::string TestCluster::log() const {
  return read_file(log_path_);
}

int TestCluster::stop() {
  if (!exit_status_ && process_) {
    hooks_.reset();
    transport_.reset();
    exit_status_ = process_->terminate(std::chrono::seconds{10});
  }
  return exit_status_.value_or(-1);
}

}  // namespace cellar::testing
