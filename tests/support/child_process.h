// A child process for end-to-end tests: started with posix_spawn from an argv and environment,
// its output captured, waited for with a deadline, and stopped by its PID only.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace cellar::testing {

struct ChildProcessOptions {
  // argv[0] is the program: a path, or a bare name looked up in $PATH.
  std::vector<std::string> argv;
  // "NAME=VALUE" entries added to (or replacing those of) this process's environment.
  std::vector<std::string> env;
  // Where stdin comes from; empty: /dev/null.
  std::string stdin_path;
  // Captures stdout into this file (truncated first). Empty: a pipe when pipe_stdout, else the
  // test's own stdout.
  std::string stdout_path;
  bool pipe_stdout = false;
  // Captures stderr into this file. Empty: the test's own stderr.
  std::string stderr_path;
};

class ChildProcess {
 public:
  // Starts the program; nullptr with `*error` set when it cannot be started.
  static std::unique_ptr<ChildProcess> spawn(const ChildProcessOptions& options,
                                             std::string* error);
  // Terminates the process (see terminate()) if it still runs.
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  pid_t pid() const { return pid_; }

  // With pipe_stdout: the next line of stdout without its newline; nullopt at end of output or
  // when `timeout` passed first (a partial line is kept for the next call).
  std::optional<std::string> read_stdout_line(std::chrono::milliseconds timeout);

  // The exit status once the process ended: its exit code, or 128 + the signal that killed it.
  // nullopt when it still runs after `timeout`.
  std::optional<int> wait(std::chrono::milliseconds timeout);
  // True while the process has not been reaped.
  bool running();
  // SIGTERM, then SIGKILL if it still runs after `grace`; returns the exit status.
  int terminate(std::chrono::milliseconds grace = std::chrono::seconds{5});
  // Sends a signal to the process (by its PID) without waiting.
  void signal(int signo);

 private:
  ChildProcess() = default;
  bool reap(bool block);

  pid_t pid_ = -1;
  int stdout_fd_ = -1;
  std::string pending_;  // bytes read from the pipe after the last full line
  std::optional<int> status_;
};

// This process's environment ("NAME=VALUE" entries) with `overrides` laid over it.
std::vector<std::string> merged_environment(const std::vector<std::string>& overrides);

// The host's processes whose command line holds `marker`: how a test finds what it started
// indirectly (a container's process), by an argument nothing else uses.
std::vector<pid_t> processes_with(const std::string& marker);

// What a program that ran to its end said.
struct CommandResult {
  int exit_code = -1;  // 128 + signal when killed; -1 when it could not start
  std::string out;
  std::string err;
  bool timed_out = false;  // killed because it ran past its deadline
  // "exit 1 ... stdout: ... stderr: ..." for assertion messages.
  std::string describe() const;
};

// Runs a program to completion with `stdin_text` as its input, killing it after `timeout`.
CommandResult run_command(const std::vector<std::string>& argv,
                          const std::vector<std::string>& env = {},
                          std::chrono::milliseconds timeout = std::chrono::seconds{60},
                          const std::string& stdin_text = "");

}  // namespace cellar::testing
