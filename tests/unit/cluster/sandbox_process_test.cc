// SandboxProcess with real bubblewrap: stopping a container leaves none of its processes behind,
// however early the stop comes.
#include "tests/cluster/sandbox_process.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/child_process.h"

namespace cellar::testcluster {
namespace {

namespace fs = std::filesystem;
using cellar::testing::processes_with;

// Whether the container's own command (sleep, which sh execs) runs, not just bwrap holding it.
bool command_runs(const std::string& marker) {
  for (pid_t pid : processes_with(marker)) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/comm");
    std::string comm;
    std::getline(in, comm);
    if (comm == "sleep") return true;
  }
  return false;
}

class SandboxProcessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!fs::exists("/usr/bin/bwrap")) GTEST_SKIP() << "bubblewrap is not installed";
    char tmpl[] = "/tmp/cellar-sandbox-test-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override {
    std::error_code ec;
    if (!dir_.empty()) fs::remove_all(dir_, ec);
  }

  // A container sleeping for a length no other process on the host sleeps for.
  std::pair<LaunchSpec, std::string> sleeper() {
    std::random_device rd;
    const std::string marker =
        "4" + std::to_string(100 + rd() % 800) + "." + std::to_string(rd() % 1000000);
    LaunchSpec spec;
    spec.argv = {"/bin/sh", "-c", "sleep " + marker};
    return {spec, marker};
  }

  SandboxOptions options(int i) const {
    SandboxOptions o;
    o.scratch_dir = dir_ + "/scratch-" + std::to_string(i);
    o.log_path = dir_ + "/log-" + std::to_string(i);
    o.hostname = "pod-" + std::to_string(i);
    return o;
  }

  // Waits up to five seconds for every process with `marker` to be gone; what is left.
  static std::vector<pid_t> leftovers(const std::string& marker) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    auto left = processes_with(marker);
    while (!left.empty() && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      left = processes_with(marker);
    }
    return left;
  }

  std::string dir_;
};

// The kubelet's stop may come while bwrap is still building the sandbox, before the container's
// command exists (a Job deleted the moment its Pod ran). Nothing may outlive the stop.
TEST_F(SandboxProcessTest, AStopRightAfterTheStartLeavesNoProcessBehind) {
  constexpr int kRounds = 20;
  for (int i = 0; i < kRounds; ++i) {
    auto [spec, marker] = sleeper();
    auto started = SandboxProcess::start(spec, options(i));
    ASSERT_TRUE(std::holds_alternative<std::unique_ptr<SandboxProcess>>(started))
        << std::get<std::string>(started);
    auto& process = std::get<std::unique_ptr<SandboxProcess>>(started);
    if (i % 2 == 1) std::this_thread::sleep_for(std::chrono::microseconds(500 * i));
    process->signal_main(SIGTERM);
    const int code = process->wait();
    EXPECT_GE(code, 128) << "round " << i;
    const auto left = leftovers(marker);
    EXPECT_TRUE(left.empty()) << "round " << i << ": " << left.size()
                              << " processes of the sandbox outlived its stop";
    for (pid_t pid : left) ::kill(pid, SIGKILL);
  }
}

// A stop once the command runs reaches the command itself, which exits on SIGTERM.
TEST_F(SandboxProcessTest, AStopOfARunningCommandEndsIt) {
  auto [spec, marker] = sleeper();
  auto started = SandboxProcess::start(spec, options(0));
  ASSERT_TRUE(std::holds_alternative<std::unique_ptr<SandboxProcess>>(started));
  auto& process = std::get<std::unique_ptr<SandboxProcess>>(started);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!command_runs(marker) && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  ASSERT_TRUE(command_runs(marker));
  process->signal_main(SIGTERM);
  EXPECT_GE(process->wait(), 128);
  EXPECT_TRUE(leftovers(marker).empty());
}

}  // namespace
}  // namespace cellar::testcluster
