// kubectl-cellar's command line, read as a pure function so every rule below has a unit test.
//
// kubectl hands a plugin everything after its name: `kubectl cellar backup now --from-schedule
// nightly --wait` runs `kubectl-cellar backup now --from-schedule nightly --wait`. Flags follow
// kubectl's (pflag's) spelling: `--flag value` or `--flag=value`, `-n NS`, `-n=NS` or `-nNS`,
// flags and words in any order, `--` ends the flags. Each command takes only its own flags (and
// the cluster's): `restore --from-schedule x` is an unknown flag, as cobra would say.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "controller/api/backup.h"

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

// `restore BACKUP`: one Restore of a Completed Backup. Every target field but the database's name
// defaults to the Backup's spec.database, so the common case — the same server, a new database —
// is one short line.
struct RestoreOptions {
  std::string backup;    // the BACKUP argument
  std::string database;  // --to-database (required)
  // Unset: the Backup's spec.database value.
  std::optional<std::string> host;  // --host
  std::optional<int> port;          // --port, 1-65535
  std::optional<std::string> user;  // --user
  std::optional<api::SecretKeyRef>
      password_secret;  // --password-secret S (key "password") or S:KEY
  // --identity-secret S (key "identity") or S:KEY: spec.decryption.identitySecretRef.
  std::optional<api::SecretKeyRef> identity_secret;
  bool create_database = false;  // --create
  bool clean = false;            // --clean
  std::string name;   // --name; empty: generateName <backup>-restore-, the server's 5 characters
  bool wait = false;  // --wait, or implied by --timeout
  // --timeout; nullopt: the Restore's activeDeadlineSeconds plus a minute.
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

struct RestoreCommand {
  ClusterFlags cluster;
  RestoreOptions options;
};

using ParsedCommandLine = std::variant<HelpRequest, BackupNowCommand, RestoreCommand, UsageError>;

// `args` are the arguments after the program's name. Never throws.
ParsedCommandLine parse_command_line(const std::vector<std::string>& args);

// The --help text, exit codes included.
std::string usage_text();

}  // namespace cellar::cli
