// cellar-agent's exit codes. The Job's back-off policy and the controller read only these two;
// the reason is always in the termination message.
#pragma once

namespace cellar::agent {

// The dump (or delete) is done and its result was written to the termination-message path.
inline constexpr int kExitSuccess = 0;
// Anything else: a bad setting, a failed connection, a pg_dump failure, or a stop by SIGTERM.
inline constexpr int kExitFailure = 1;

}  // namespace cellar::agent
