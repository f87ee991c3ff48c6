// `--wait`: follows one Backup or Restore to its end by WATCH — never by polling — printing each
// phase as it changes and the outcome (wait_report.h). Both kinds share the phase machine, so one
// wait serves both; FollowedKind says which resource it watches and how its status reads.
//
// The watch is on the resource in the namespace with fieldSelector metadata.name=NAME, from the
// resourceVersion the create returned, so no change after the create is missed. A stream that
// ends (the server's timeout, a cut connection) is opened again from the last resourceVersion
// seen (bookmarks included); 410 Gone means that version is too old: one LIST (same field
// selector) gives the current state and a version to watch from. Errors worth retrying (no
// answer, 5xx, 429) are retried with back-off a bounded number of times; others end the wait with
// exit 1. A timer thread stops the open watch at --timeout, so the timeout holds to the second
// however quiet the stream is.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>

#include "controller/api/backup.h"
#include "controller/cli/wait_report.h"
#include "controller/kube/client.h"

namespace cellar::cli {

// The kind of object the wait follows.
struct FollowedKind {
  kube::Resource resource;
  std::string word;  // "backup", "restore": how the messages name it
  // Reads one version of the object (the whole object: a Completed line may show its spec).
  std::function<StatusSummary(const nlohmann::json& object)> summarize;
};

// Backups, as `backup now --wait` follows them.
FollowedKind followed_backups();

struct WaitRequest {
  FollowedKind kind;
  std::string ns;
  std::string name;
  std::string resource_version;          // the create's: the watch starts after it
  api::Phase phase = api::Phase::kNone;  // as created
  // Phase lines show the time since this moment (taken just before the create): the local clock,
  // so a skew between this machine and the API server cannot show negative or odd times.
  std::chrono::steady_clock::time_point created;
  std::chrono::nanoseconds timeout{0};  // from the start of the wait
};

// --timeout's default: as long as the object itself may run (its activeDeadlineSeconds) plus a
// minute for the controller to start the Job before the deadline's clock runs and to write the
// outcome after it, so a long run is never cut short by a default the user did not choose.
std::chrono::nanoseconds default_wait_timeout(int64_t active_deadline_seconds);

// Returns the exit code (exit_codes.h); prints progress on `out`, failures on `err`.
int wait_for_phase(kube::Client& client, const WaitRequest& request, std::ostream& out,
                   std::ostream& err);

}  // namespace cellar::cli
