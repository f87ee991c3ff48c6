// `kubectl cellar restore BACKUP --to-database NAME`: reads the Backup (it must exist and be
// Completed), creates a Restore of it (restore_request.h: the target defaults to the Backup's
// database), and with --wait follows the Restore to its end exactly as `backup now --wait`
// follows a Backup (wait_for_phase.h).
#pragma once

#include <ostream>
#include <string>

#include "controller/cli/cli_options.h"
#include "controller/cli/wait_for_phase.h"
#include "controller/kube/client.h"

namespace cellar::cli {

// Restores, as `restore --wait` follows them: a Completed line names the target database.
FollowedKind followed_restores();

// Runs the command against `ns`: prints "restore.cellar.dev/NAME created" on `out`, errors on
// `err`, and returns the exit code (exit_codes.h).
int run_restore(kube::Client& client, const std::string& ns, const RestoreOptions& options,
                std::ostream& out, std::ostream& err);

}  // namespace cellar::cli
