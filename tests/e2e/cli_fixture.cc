#include "tests/e2e/cli_fixture.h"

#include <cstdlib>
#include <filesystem>
#include <sstream>

namespace cellar::testing {

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

constexpr auto kCommandTimeout = std::chrono::seconds{120};

}  // namespace

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::vector<std::string> CliE2E::kubectl_env() const {
  const char* path = std::getenv("PATH");
  return {"KUBECONFIG=" + cluster_->kubeconfig_path(), "HOME=" + cluster_->dir(),
          "PATH=" + fs::path(KUBECTL_CELLAR_BIN).parent_path().string() + ":" +
              (path ? path : "/usr/bin:/bin")};
}

CommandResult CliE2E::cellar(std::vector<std::string> args) {
  std::vector<std::string> argv = {kubectl_path(), "cellar"};
  argv.insert(argv.end(), args.begin(), args.end());
  argv.push_back("-n");
  argv.push_back(ns_);
  return run_command(argv, kubectl_env(), kCommandTimeout);
}

std::unique_ptr<ChildProcess> CliE2E::cellar_background(std::vector<std::string> args,
                                                        const std::string& stderr_path) {
  ChildProcessOptions o;
  o.argv = {kubectl_path(), "cellar"};
  o.argv.insert(o.argv.end(), args.begin(), args.end());
  o.argv.push_back("-n");
  o.argv.push_back(ns_);
  o.env = kubectl_env();
  o.pipe_stdout = true;
  o.stderr_path = stderr_path;
  std::string error;
  auto child = ChildProcess::spawn(o, &error);
  EXPECT_NE(child, nullptr) << error;
  return child;
}

bool CliE2E::read_until(ChildProcess& child, const std::string& text, std::string& seen,
                        std::chrono::seconds within) {
  const auto deadline = Clock::now() + within;
  while (Clock::now() < deadline) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    auto line = child.read_stdout_line(left);
    if (!line) return false;
    seen += *line + "\n";
    if (line->find(text) != std::string::npos) return true;
  }
  return false;
}

std::string CliE2E::read_rest(ChildProcess& child) {
  std::string rest;
  while (auto line = child.read_stdout_line(std::chrono::seconds{5})) rest += *line + "\n";
  return rest;
}

}  // namespace cellar::testing
