// `--wait`: follows one Backup to its end by WATCH — never by polling — printing each phase as it
// changes and the outcome (wait_report.h).
//
// The watch is on `backups` in the namespace with fieldSelector metadata.name=NAME, from the
// resourceVersion the create returned, so no change after the create is missed. A stream that
// ends (the server's timeout, a cut connection) is opened again from the last resourceVersion
// seen (bookmarks included); 410 Gone means that version is too old: one LIST (same field
// selector) gives the current state and a version to watch from. Errors worth retrying (no
// answer, 5xx, 429) are retried with back-off a bounded number of times; others end the wait with
// exit 1. A timer thread stops the open watch at --timeout, so the timeout holds to the second
// however quiet the stream is.
#pragma once

#include <chrono>
#include <ostream>
#include <string>

#include "controller/api/backup.h"
#include "controller/kube/client.h"

namespace cellar::cli {

struct WaitRequest {
  std::string ns;
  std::string name;
  std::string resource_version;          // the create's: the watch starts after it
  api::Phase phase = api::Phase::kNone;  // as created
  // Phase lines show the time since this moment (taken just before the create): the local clock,
  // so a skew between this machine and the API server cannot show negative or odd times.
  std::chrono::steady_clock::time_point created;
  std::chrono::nanoseconds timeout{0};  // from the start of the wait
};

// Returns the exit code (exit_codes.h); prints progress on `out`, failures on `err`.
int wait_for_backup(kube::Client& client, const WaitRequest& request, std::ostream& out,
                    std::ostream& err);

}  // namespace cellar::cli
