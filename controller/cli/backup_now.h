// `kubectl cellar backup now`: one Backup made from a BackupSchedule's backupTemplate by the same
// function the schedule controller uses (schedule::make_backup), so a Backup asked for by hand
// looks like a scheduled one — label, owner, finalizer, spec — and retention and
// `kubectl get backups -l cellar.dev/schedule=NAME` treat it alike. With --wait it then follows
// the Backup to its end (wait_for_phase.h).
#pragma once

#include <ostream>
#include <string>

#include "controller/cli/cli_options.h"
#include "controller/kube/client.h"

namespace cellar::cli {

// "<schedule>-manual-<8 hex>" from a fresh nonce (the clock in nanoseconds, the pid and a random
// number), so two runs, even at the same instant on two machines, do not pick the same name; an
// AlreadyExists on the rare collision is answered with another nonce.
std::string fresh_backup_name(const std::string& schedule);

// Runs the command against `ns`: prints "backup.cellar.dev/NAME created" on `out`, errors on
// `err`, and returns the exit code (exit_codes.h).
int run_backup_now(kube::Client& client, const std::string& ns, const BackupNowOptions& options,
                   std::ostream& out, std::ostream& err);

}  // namespace cellar::cli
