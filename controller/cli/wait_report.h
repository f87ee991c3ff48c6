// What `backup now --wait` prints, as pure functions of phases and statuses so the exact words
// (which people read and scripts grep) are unit-tested:
//
//   InProgress (2s)                  a phase line, each time the phase changes (stdout)
//   Completed (1.55 MiB in 31s)      the end, exit 0 (stdout)
//   Failed: <status.message>         the end, exit 1 (stderr); likewise Cancelled
//   timed out after 2m waiting for backup NAME (phase InProgress)      exit 2 (stderr)
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "controller/api/backup.h"

namespace cellar::cli {

// "InProgress (2s)": the new phase and the time since the Backup was created, in whole seconds.
// nullopt when nothing is worth a line: the phase did not change, is not set yet, or is terminal
// (a terminal phase gets the final line instead).
std::optional<std::string> phase_change_line(api::Phase before, api::Phase now,
                                             std::chrono::nanoseconds elapsed);

struct Outcome {
  int exit_code = 0;
  std::string line;
  bool to_stderr = false;  // the ends that exit non-zero explain themselves on stderr
};

// The final line for a terminal status. `elapsed` stands in for status.durationSeconds when the
// controller did not write it.
Outcome terminal_outcome(const api::BackupStatus& status, std::chrono::nanoseconds elapsed);

// "timed out after 2m waiting for backup NAME (phase InProgress)".
std::string timeout_line(std::chrono::nanoseconds timeout, const std::string& name,
                         api::Phase phase);

// The Backup went away before it ended (someone deleted it, or its schedule).
std::string deleted_line(const std::string& name, api::Phase phase);

}  // namespace cellar::cli
