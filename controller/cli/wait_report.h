// What `--wait` prints while it follows a Backup or a Restore, as pure functions of phases and
// statuses so the exact words (which people read and scripts grep) are unit-tested:
//
//   InProgress (2s)                  a phase line, each time the phase changes (stdout)
//   Completed (1.55 MiB in 31s)      the end, exit 0 (stdout); a Restore's: Completed (into x in
//   4s) Failed: <status.message>         the end, exit 1 (stderr); likewise Cancelled timed out
//   after 2m waiting for backup NAME (phase InProgress)      exit 2 (stderr)
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "controller/api/backup.h"

namespace cellar::cli {

// What the wait reads from one version of the object it follows. Backups and Restores share the
// phase machine and these fields; only what a Completed line shows differs.
struct StatusSummary {
  api::Phase phase = api::Phase::kNone;
  std::string message;
  std::optional<int64_t> duration_seconds;
  // What a Completed line shows before "in <duration>": a Backup's size, a Restore's target. May
  // be empty.
  std::string result;
};

// A Backup's: its size ("1.55 MiB", else "<sizeBytes> B") as the result.
StatusSummary summarize(const api::BackupStatus& status);

// "InProgress (2s)": the new phase and the time since the object was created, in whole seconds.
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
Outcome terminal_outcome(const StatusSummary& status, std::chrono::nanoseconds elapsed);

// "timed out after 2m waiting for backup NAME (phase InProgress)"; `kind` is "backup" or
// "restore".
std::string timeout_line(std::chrono::nanoseconds timeout, const std::string& kind,
                         const std::string& name, api::Phase phase);

// The object went away before it ended (someone deleted it, or its owner).
std::string deleted_line(const std::string& kind, const std::string& name, api::Phase phase);

}  // namespace cellar::cli
