// kubectl-cellar's exit codes. Scripts and pipelines branch on these, so they are a contract
// (printed by --help): 0 the Backup or Restore was created (and, with --wait, Completed); 1
// anything went wrong, including usage errors as kubectl itself exits 1 on them, a Backup to
// restore that is missing or not Completed, and a Backup or Restore that ended Failed or
// Cancelled; 2 --wait gave up at --timeout while it was still running, which is not a verdict on
// it — it may yet complete.
#pragma once

namespace cellar::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitTimeout = 2;

}  // namespace cellar::cli
