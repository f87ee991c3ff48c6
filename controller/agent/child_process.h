// Starting a program from an argv and an environment, with no shell in between (so nothing a
// user wrote is ever parsed as a command line), and reading what it prints.
#pragma once

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

}  // namespace cellar::agent
