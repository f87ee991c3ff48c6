// The settings of one cellar-agent run, read from the environment (as a Job passes them) and
// optionally overridden by command-line flags (for people running the agent by hand).
//
//   cellar-agent dump   [--output PATH] [--format custom|plain] [--compression 0-9]
//                       [--host H] [--port N] [--database DB] [--user U] [--sslmode MODE]
//                       [--connect-timeout SECONDS] [--termination-message-path PATH]
//   cellar-agent delete LOCATION [--termination-message-path PATH]
//
// Environment: PGHOST, PGPORT, PGDATABASE, PGUSER, PGPASSWORD, PGSSLMODE, CELLAR_OUTPUT,
// CELLAR_FORMAT, CELLAR_COMPRESSION, CELLAR_TERMINATION_MESSAGE_PATH, CELLAR_CONNECT_TIMEOUT,
// CELLAR_PG_DUMP. Flags win over the environment. The password is only ever taken from
// PGPASSWORD, so it never shows in a process listing; these settings never hold it.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace cellar::agent {

enum class DumpFormat { kCustom, kPlain };

// "custom" or "plain", as pg_dump's --format spells them.
const char* format_name(DumpFormat format);

// Where and as whom to connect. Empty fields are left to libpq's own defaults.
struct ConnectionSettings {
  std::string host;
  std::string port;
  std::string database;
  std::string user;
  std::string sslmode;
  int connect_timeout_seconds = 10;
};

struct DumpSettings {
  ConnectionSettings connection;
  std::string output;  // absolute path of the finished dump file
  DumpFormat format = DumpFormat::kCustom;
  std::optional<int> compression;  // 0-9; pg_dump's own default when unset
  std::string pg_dump;             // CELLAR_PG_DUMP; empty: look for one
  std::string termination_message_path = "/dev/termination-log";
};

struct DeleteSettings {
  std::string location;  // absolute path of the dump file to remove
  std::string termination_message_path = "/dev/termination-log";
};

// A usage or validation error, worded for the person who set the variable or flag, plus the
// termination-message path when it could be read (so even a bad setting is reported there).
struct OptionsError {
  std::string message;
  std::string termination_message_path = "/dev/termination-log";
};

using AgentCommand = std::variant<DumpSettings, DeleteSettings>;
using ParsedCommand = std::variant<AgentCommand, OptionsError>;

using Environment = std::map<std::string, std::string>;

// Reads the command (argv[0] is the program's name) and the environment. Never throws.
ParsedCommand parse_agent_command(const std::vector<std::string>& argv, const Environment& env);

// The process environment as a map (entries without '=' are skipped).
Environment environment_from(char** envp);

// One-paragraph usage text for --help and usage errors.
std::string usage_text();

}  // namespace cellar::agent
