#include "controller/cli/wait_report.h"

#include "controller/cli/exit_codes.h"
#include "controller/cli/go_duration.h"

namespace cellar::cli {

namespace {

using std::chrono::duration_cast;
using std::chrono::seconds;

std::string whole_seconds(std::chrono::nanoseconds d) {
  return format_duration(duration_cast<seconds>(d));
}

std::string phase_words(api::Phase phase) {
  return phase == api::Phase::kNone ? "no phase yet" : std::string("phase ") + to_string(phase);
}

}  // namespace

StatusSummary summarize(const api::BackupStatus& status) {
  StatusSummary summary{status.phase, status.message, status.duration_seconds, status.size};
  if (summary.result.empty() && status.size_bytes) {
    summary.result = std::to_string(*status.size_bytes) + " B";
  }
  return summary;
}

std::optional<std::string> phase_change_line(api::Phase before, api::Phase now,
                                             std::chrono::nanoseconds elapsed) {
  if (now == before || now == api::Phase::kNone || api::is_terminal(now)) return std::nullopt;
  return std::string(to_string(now)) + " (" + whole_seconds(elapsed) + ")";
}

Outcome terminal_outcome(const StatusSummary& status, std::chrono::nanoseconds elapsed) {
  if (status.phase == api::Phase::kCompleted) {
    const std::string took = status.duration_seconds
                                 ? format_duration(seconds{*status.duration_seconds})
                                 : whole_seconds(elapsed);
    const std::string result = status.result.empty() ? "" : status.result + " ";
    return {kExitOk, "Completed (" + result + "in " + took + ")", false};
  }
  std::string line = to_string(status.phase);
  line += status.message.empty() ? " (the controller gave no reason)" : ": " + status.message;
  return {kExitFailure, line, true};
}

std::string timeout_line(std::chrono::nanoseconds timeout, const std::string& kind,
                         const std::string& name, api::Phase phase) {
  return "timed out after " + format_duration(timeout) + " waiting for " + kind + " " + name +
         " (" + phase_words(phase) + ")";
}

std::string deleted_line(const std::string& kind, const std::string& name, api::Phase phase) {
  return "error: " + kind + " " + name + " was deleted while waiting for it (" +
         phase_words(phase) + ")";
}

}  // namespace cellar::cli
