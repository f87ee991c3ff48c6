// `cellar-agent restore`: verify the dump's checksum, prepare the target (connect; create the
// database when asked), then pg_restore or psql in one transaction, and leave the termination
// message the controller reads into the Restore's status. In that order, so that a dump that is
// not the one backed up never touches the target, and a failed restore leaves the target as it
// was (a database this run created is dropped again). One log line on stderr says how it ended;
// neither it nor the message ever holds the password.
#pragma once

#include "controller/agent/agent_options.h"

namespace cellar::agent {

// `cancel_fd` becoming readable stops it (see termination_signal.h). Returns kExitSuccess or
// kExitFailure.
int run_restore_command(const RestoreSettings& settings, const Environment& env, int cancel_fd);

// The message for a dump whose bytes hash to `found` instead of `expected` (both hex).
std::string checksum_mismatch_message(const std::string& expected, const std::string& found);

}  // namespace cellar::agent
