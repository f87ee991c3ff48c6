// kubectl-cellar's command line, read as a pure function so every rule below has a unit test.
//
// kubectl hands a plugin everything after its name: `kubectl cellar backup now --from-schedule
// nightly --wait` runs `kubectl-cellar backup now --from-schedule nightly --wait`. Flags follow
// kubectl's (pflag's) spelling: `--flag value` or `--flag=value`, `-n NS`, `-n=NS` or `-nNS`,
// flags and words in any order, `--` ends the flags.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace cellar::cli {

// Where the cluster is: kubectl's own flags, with kubectl's defaults (see cluster_config.h).
struct ClusterFlags {
  std::string kubeconfig;  // --kubeconfig; empty: $KUBECONFIG, then ~/.kube/config
  std::string context;     // --context; empty: the kubeconfig's current-context
  std::string ns;          // -n/--namespace; empty: the context's namespace
};

// `backup now`: one Backup from a BackupSchedule's backupTemplate.
struct BackupNowOptions {
  std::string schedule;  // --from-schedule (required)
  std::string name;      // --name; empty: <schedule>-manual-<8 hex>, new each run
  bool wait = false;     // --wait, or implied by --timeout
  // --timeout; nullopt: as long as the Backup itself may run (its activeDeadlineSeconds) plus a
  // minute, so a long dump is never cut short by a default the user did not choose.
  std::optional<std::chrono::nanoseconds> timeout;
};

struct HelpRequest {};

struct BackupNowCommand {
  ClusterFlags cluster;
  BackupNowOptions options;
};

// A usage error: the message (without "error: "), to print with the usage text.
struct UsageError {
  std::string message;
};

using ParsedCommandLine = std::variant<HelpRequest, BackupNowCommand, UsageError>;

// `args` are the arguments after the program's name. Never throws.
ParsedCommandLine parse_command_line(const std::vector<std::string>& args);

// The --help text, exit codes included.
std::string usage_text();

}  // namespace cellar::cli
