// The settings of one cellar-agent run, read from the environment (as a Job passes them) and
// optionally overridden by command-line flags (for people running the agent by hand).
//
//   cellar-agent dump   [--output PATH | --s3-bucket B --s3-key K] [--format custom|plain]
//                       [--compression 0-9] [--host H] [--port N] [--database DB] [--user U]
//                       [--sslmode MODE] [--connect-timeout SECONDS]
//                       [--s3-endpoint URL] [--s3-region R] [--s3-force-path-style[=true|false]]
//                       [--s3-ca-file PATH] [--s3-part-size BYTES|NMi]
//                       [--age-recipients age1...,age1...] [--age PATH]
//                       [--termination-message-path PATH]
//   cellar-agent restore (--input PATH | --s3-bucket B --s3-key K) --checksum sha256:HEX
//                       [--format custom|plain] [--create-database[=true|false]]
//                       [--clean[=true|false]] [--host H] [--port N] [--database DB] [--user U]
//                       [--sslmode MODE] [--connect-timeout SECONDS] [--s3-endpoint URL]
//                       [--s3-region R] [--s3-force-path-style[=true|false]] [--s3-ca-file PATH]
//                       [--age-recipients age1...,...] [--age-identity-file PATH] [--age PATH]
//                       [--termination-message-path PATH]
//   cellar-agent delete LOCATION (a path, or s3://bucket/key) [--s3-endpoint ...
//                       --s3-region ... --s3-force-path-style --s3-ca-file ...]
//                       [--termination-message-path PATH]
//
// Environment: PGHOST, PGPORT, PGDATABASE, PGUSER, PGPASSWORD, PGSSLMODE, CELLAR_OUTPUT,
// CELLAR_INPUT, CELLAR_CHECKSUM, CELLAR_FORMAT, CELLAR_COMPRESSION, CELLAR_CREATE_DATABASE,
// CELLAR_CLEAN, CELLAR_TERMINATION_MESSAGE_PATH, CELLAR_CONNECT_TIMEOUT, CELLAR_PG_DUMP,
// CELLAR_PG_RESTORE, CELLAR_PSQL, CELLAR_S3_BUCKET, CELLAR_S3_KEY, CELLAR_S3_ENDPOINT,
// CELLAR_S3_REGION, CELLAR_S3_FORCE_PATH_STYLE, CELLAR_S3_CA_FILE, CELLAR_S3_PART_SIZE,
// CELLAR_AGE_RECIPIENTS, CELLAR_AGE, CELLAR_AGE_IDENTITY_FILE. Flags win over the environment.
// Secrets are only ever taken from the environment (or a file), so they never show in a process
// listing, and these settings never hold them: the password from PGPASSWORD, S3 credentials from
// AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN, an age identity only as the
// path of its file.
#pragma once

#include <cstdint>
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

// How to reach an S3-compatible store (credentials aside: they stay in the environment).
struct S3Connection {
  std::string endpoint;  // empty: AWS
  std::string region = "us-east-1";
  bool force_path_style = false;
  std::string ca_file;
};

struct S3Destination {
  S3Connection connection;
  std::string bucket;
  std::string key;
  uint64_t part_size = 16 * 1024 * 1024;
};

struct DumpSettings {
  ConnectionSettings connection;
  // Exactly one of the two: a file (absolute path of the finished dump) or an S3 object.
  std::string output;
  std::optional<S3Destination> s3;
  DumpFormat format = DumpFormat::kCustom;
  std::optional<int> compression;  // 0-9; pg_dump's own default when unset
  std::string pg_dump;             // CELLAR_PG_DUMP; empty: look for one
  // Non-empty: encrypt the dump to these age public keys as it streams.
  std::vector<std::string> age_recipients;
  std::string age = "age";  // CELLAR_AGE: the age program, a path or a name on $PATH
  std::string termination_message_path = "/dev/termination-log";
};

struct RestoreSettings {
  ConnectionSettings connection;  // the target; its database name is always set
  // Exactly one of the two: a file (absolute path of the dump) or an S3 object (part_size unused).
  std::string input;
  std::optional<S3Destination> s3;
  std::string sha256;  // the checksum the backup recorded: 64 lowercase hex digits
  DumpFormat format = DumpFormat::kCustom;
  bool create_database = false;  // CREATE DATABASE first; refuse when it exists
  bool clean = false;            // custom format only: drop what the dump recreates first
  std::string pg_restore;        // CELLAR_PG_RESTORE; empty: look for one
  std::string psql;              // CELLAR_PSQL; empty: look for one
  // An age-encrypted dump: the recipients it was encrypted to (to tell a wrong identity before
  // the target is touched) and the file holding the identity to decrypt it with.
  std::vector<std::string> age_recipients;
  std::string age_identity_file;
  std::string age = "age";
  std::string termination_message_path = "/dev/termination-log";
};

struct DeleteSettings {
  std::string location;  // absolute path of the dump file to remove, or s3://bucket/key
  S3Connection s3;       // for an s3:// location
  std::string termination_message_path = "/dev/termination-log";
};

// A usage or validation error, worded for the person who set the variable or flag, plus the
// termination-message path when it could be read (so even a bad setting is reported there).
struct OptionsError {
  std::string message;
  std::string termination_message_path = "/dev/termination-log";
};

// --help (or -h): the generated help, for stdout and exit 0.
struct HelpText {
  std::string text;
};

using AgentCommand = std::variant<DumpSettings, RestoreSettings, DeleteSettings>;
using ParsedCommand = std::variant<AgentCommand, OptionsError, HelpText>;

using Environment = std::map<std::string, std::string>;

// Reads the command (argv[0] is the program's name, CLI11 splits the rest) and the environment.
// Never throws.
ParsedCommand parse_agent_command(const std::vector<std::string>& argv, const Environment& env);

// The process environment as a map (entries without '=' are skipped).
Environment environment_from(char** envp);

// One-paragraph usage text for --help and usage errors.
std::string usage_text();

}  // namespace cellar::agent
