// What every resource that runs a Job (Backup, Restore) writes the same way: the conditions that
// follow its phase, and a status message cut to a readable length.
#pragma once

#include <algorithm>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

#include "controller/api/backup.h"
#include "controller/api/condition.h"
#include "controller/api/timestamps.h"

namespace cellar::api {

// Status messages are read in `kubectl get -o wide` and in Events: long enough for a server's
// error, short enough to stay readable.
inline constexpr size_t kMaxStatusMessage = 1024;

// `text` without trailing blanks, cut to kMaxStatusMessage (ending in "...").
std::string status_message(std::string text);

// "Invalid spec: <error>; <error>", the status message of a spec that cannot be acted on.
std::string invalid_spec_message(const std::vector<std::string>& errors);

// The first of `values` that is not empty, or empty.
std::string first_non_empty(std::initializer_list<std::string> values);

// Settles `s` (a BackupStatus or RestoreStatus) in a terminal `phase`: the message, the
// completion time (`completion_time`, else `now`) unless one is set, and the duration from the
// start time.
template <typename Status>
void finish_status(Status& s, Phase phase, std::string message, const std::string& completion_time,
                   const std::string& now);

// The conditions readers rely on: Ready for people and Argo CD; Reconciling and Stalled, which
// kstatus (Flux) reads, present only while they are true, as its conventions ask.
void set_phase_conditions(std::vector<Condition>& conditions, Phase phase,
                          const std::string& message, int64_t generation, const std::string& now);

template <typename Status>
void finish_status(Status& s, Phase phase, std::string message, const std::string& completion_time,
                   const std::string& now) {
  s.phase = phase;
  s.message = status_message(std::move(message));
  if (s.completion_time.empty()) s.completion_time = first_non_empty({completion_time, now});
  if (!s.start_time.empty() && !s.duration_seconds) {
    if (auto d = seconds_between(s.start_time, s.completion_time)) {
      s.duration_seconds = std::max<int64_t>(0, *d);
    }
  }
}

}  // namespace cellar::api
