// Starting a program from an argv and an environment, with no shell in between (so nothing a
// user wrote is ever parsed as a command line), and reading what it prints.
#pragma once

#include <signal.h>
#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

namespace cellar::agent {

// A started program whose stdout and stderr are pipes this process reads. The caller owns the
// two descriptors and must reap `pid` (see wait_for_exit).
struct SpawnedChild {
  pid_t pid = -1;
  int stdin_fd = -1;  // a pipe to the child's stdin when asked for; else -1 (/dev/null)
  int stdout_fd = -1;
  int stderr_fd = -1;
};

// Starts argv[0] (a path, or a bare name looked up in $PATH) with exactly `environment`
// ("NAME=VALUE" entries) and stdin from /dev/null, or from a pipe this process writes when
// `stdin_pipe`. The child starts with SIGPIPE at its default even when this process ignores it.
// nullopt with `*error` set when it cannot start, e.g. the program does not exist.
std::optional<SpawnedChild> spawn_child(const std::vector<std::string>& argv,
                                        const std::vector<std::string>& environment,
                                        std::string* error, bool stdin_pipe = false);

// Blocks until `pid` ends; returns its exit code, or 128 + the signal that killed it.
int wait_for_exit(pid_t pid);

// Says how a child ended, in words: "exited with code 1", "was killed by signal 9".
std::string describe_exit(int status);

struct ProgramOutput {
  int status = -1;
  std::string out;
  std::string err;
};

// Runs a short program to its end and returns all it printed (pg_dump --version). nullopt with
// `*error` set when it cannot start.
std::optional<ProgramOutput> run_program(const std::vector<std::string>& argv,
                                         const std::vector<std::string>& environment,
                                         std::string* error);

// Ignores SIGPIPE while it lives: a child that exits while the agent still writes to its stdin
// (pg_restore stopping at an error, age refusing its input) must be an EPIPE to handle, not a
// signal that kills the agent before it reports. Children start with SIGPIPE at its default (see
// spawn_child).
class SigpipeIgnored {
 public:
  SigpipeIgnored();
  ~SigpipeIgnored();
  SigpipeIgnored(const SigpipeIgnored&) = delete;
  SigpipeIgnored& operator=(const SigpipeIgnored&) = delete;

 private:
  struct sigaction previous_ = {};
};

}  // namespace cellar::agent
