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

std::optional<std::string> phase_change_line(api::Phase before, api::Phase now,
                                             std::chrono::nanoseconds elapsed) {
  if (now == before || now == api::Phase::kNone || api::is_terminal(now)) return std::nullopt;
  return std::string(to_string(now)) + " (" + whole_seconds(elapsed) + ")";
}

Outcome terminal_outcome(const api::BackupStatus& status, std::chrono::nanoseconds elapsed) {
  if (status.phase == api::Phase::kCompleted) {
    std::string size = status.size;
    if (size.empty() && status.size_bytes) size = std::to_string(*status.size_bytes) + " B";
    const std::string took = status.duration_seconds
                                 ? format_duration(seconds{*status.duration_seconds})
                                 : whole_seconds(elapsed);
    return {kExitOk, "Completed (" + (size.empty() ? "" : size + " ") + "in " + took + ")", false};
  }
  std::string line = to_string(status.phase);
  line += status.message.empty() ? " (the controller gave no reason)" : ": " + status.message;
  return {kExitFailure, line, true};
}

std::string timeout_line(std::chrono::nanoseconds timeout, const std::string& name,
                         api::Phase phase) {
  return "timed out after " + format_duration(timeout) + " waiting for backup " + name + " (" +
         phase_words(phase) + ")";
}

std::string deleted_line(const std::string& name, api::Phase phase) {
  return "error: backup " + name + " was deleted while waiting for it (" + phase_words(phase) + ")";
}

}  // namespace cellar::cli
