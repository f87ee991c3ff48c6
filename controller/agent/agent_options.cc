#include "controller/agent/agent_options.h"

#include <CLI/CLI.hpp>
#include <charconv>
#include <cstring>
#include <set>
#include <utility>

#include "controller/age/age_recipient.h"
#include "controller/s3/s3_address.h"

namespace cellar::agent {
namespace {

using s3::parse_s3_location;

// Each setting is a flag and the environment variable it overrides.
struct Setting {
  const char* flag;
  const char* env;
};

constexpr Setting kSettings[] = {
    {"output", "CELLAR_OUTPUT"},
    {"format", "CELLAR_FORMAT"},
    {"compression", "CELLAR_COMPRESSION"},
    {"termination-message-path", "CELLAR_TERMINATION_MESSAGE_PATH"},
    {"connect-timeout", "CELLAR_CONNECT_TIMEOUT"},
    {"pg-dump", "CELLAR_PG_DUMP"},
    {"host", "PGHOST"},
    {"port", "PGPORT"},
    {"database", "PGDATABASE"},
    {"user", "PGUSER"},
    {"sslmode", "PGSSLMODE"},
    {"s3-bucket", "CELLAR_S3_BUCKET"},
    {"s3-key", "CELLAR_S3_KEY"},
    {"s3-endpoint", "CELLAR_S3_ENDPOINT"},
    {"s3-region", "CELLAR_S3_REGION"},
    {"s3-force-path-style", "CELLAR_S3_FORCE_PATH_STYLE"},
    {"s3-ca-file", "CELLAR_S3_CA_FILE"},
    {"s3-part-size", "CELLAR_S3_PART_SIZE"},
    {"input", "CELLAR_INPUT"},
    {"checksum", "CELLAR_CHECKSUM"},
    {"create-database", "CELLAR_CREATE_DATABASE"},
    {"clean", "CELLAR_CLEAN"},
    {"pg-restore", "CELLAR_PG_RESTORE"},
    {"psql", "CELLAR_PSQL"},
    {"age-recipients", "CELLAR_AGE_RECIPIENTS"},
    {"age", "CELLAR_AGE"},
    {"age-identity-file", "CELLAR_AGE_IDENTITY_FILE"},
};

// Flags that may stand alone, meaning "true".
const std::set<std::string> kSwitches = {"s3-force-path-style", "create-database", "clean"};

const std::set<std::string> kDeleteFlags = {"output",    "termination-message-path", "s3-endpoint",
                                            "s3-region", "s3-force-path-style",      "s3-ca-file"};

// Flags that only one command reads; any other flag is shared by dump and restore.
const std::set<std::string> kDumpOnlyFlags = {"output", "compression", "pg-dump", "s3-part-size"};
const std::set<std::string> kRestoreOnlyFlags = {
    "input", "checksum", "create-database", "clean", "pg-restore", "psql", "age-identity-file"};

constexpr uint64_t kMiB = 1024 * 1024;

struct RawCommand {
  std::string name;
  std::map<std::string, std::string> values;  // by flag name
  std::vector<std::string> positionals;
};

const Setting* find_setting(const std::string& flag) {
  for (const Setting& setting : kSettings) {
    if (flag == setting.flag) return &setting;
  }
  return nullptr;
}

std::string value_or(const RawCommand& raw, const std::string& flag, const std::string& fallback) {
  auto it = raw.values.find(flag);
  return it == raw.values.end() || it->second.empty() ? fallback : it->second;
}

// A whole number within [low, high], or nullopt.
std::optional<int> parse_int(const std::string& text, int low, int high) {
  int value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc() || ptr != end || value < low || value > high) {
    return std::nullopt;
  }
  return value;
}

std::string in_quotes(const std::string& text) {
  return "\"" + text + "\"";
}

bool applies_to(const std::string& command, const std::string& flag) {
  if (command == "delete") return kDeleteFlags.count(flag) != 0;
  if (command == "dump") return kRestoreOnlyFlags.count(flag) == 0;
  return kDumpOnlyFlags.count(flag) == 0;
}

// Secrets never come from a flag: they would show in a process listing.
std::optional<std::string> secret_flag(const std::string& name) {
  if (name == "age-identity") {
    return "an age identity is read only from a file (CELLAR_AGE_IDENTITY_FILE or "
           "--age-identity-file), never from a flag";
  }
  if (name == "password") {
    return "the password is read only from the PGPASSWORD environment variable, never from a "
           "flag";
  }
  if (name.find("secret") != std::string::npos || name.find("access-key") != std::string::npos ||
      name.find("session-token") != std::string::npos) {
    return "S3 credentials are read only from the AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and "
           "AWS_SESSION_TOKEN environment variables, never from a flag";
  }
  return std::nullopt;
}

// The flag an argument spells ("--output=/x" and "--output" are "output"); empty for a word.
std::string flag_name(const std::string& arg) {
  if (arg.rfind("--", 0) != 0) return "";
  return arg.substr(2, arg.find('=') == std::string::npos ? std::string::npos : arg.find('=') - 2);
}

// cellar-agent's command line as CLI11 reads it: one subcommand a command, each with the flags it
// takes (the switches also as --flag=false), so --help is generated from the same table. Any other
// argument is left over for the project's own messages.
class CommandLine {
 public:
  CommandLine() : app_("cellar-agent: the program Cellar's Jobs run", "cellar-agent") {
    app_.set_help_flag("-h,--help", "print this help and exit");
    app_.footer(kEnvironmentHelp);
    for (const char* command : {"dump", "restore", "delete"}) {
      CLI::App* sub = app_.add_subcommand(command, kCommandHelp.at(command));
      sub->allow_extras();
      sub->set_help_flag("-h,--help", "print this help and exit");
      sub->footer(kEnvironmentHelp);
      for (const Setting& setting : kSettings) {
        if (!applies_to(command, setting.flag)) continue;
        const std::string flag = setting.flag;
        const std::string help = std::string("(") + setting.env + ")";
        CLI::Option* option =
            kSwitches.count(flag) != 0
                ? sub->add_flag("--" + flag, values_[flag], help)->option_text("[=true|false]")
                : sub->add_option("--" + flag, values_[flag], help)->type_name("VALUE");
        // As before CLI11: a flag given twice takes its last value.
        option->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
        options_[command][flag] = option;
      }
    }
  }

  // Splits argv into `raw` (flags over `env`'s values); an error in the project's words, or the
  // help text when --help was asked for (in `help`).
  std::optional<std::string> read(const std::vector<std::string>& argv, const Environment& env,
                                  RawCommand* raw, std::optional<std::string>* help) {
    for (const Setting& setting : kSettings) {
      auto it = env.find(setting.env);
      if (it != env.end()) raw->values[setting.flag] = it->second;
    }
    // Checked before CLI11 reads them, so a secret in a flag is refused whatever else is wrong.
    for (size_t i = 2; i < argv.size(); ++i) {
      if (auto error = secret_flag(flag_name(argv[i]))) return error;
    }
    std::vector<std::string> reversed(argv.rbegin(), argv.rend() - 1);  // CLI11 pops from the back
    try {
      app_.parse(reversed);
    } catch (const CLI::CallForHelp&) {
      CLI::App* sub = app_.get_subcommand(raw->name);
      *help = sub->help();
      return std::nullopt;
    } catch (const CLI::ArgumentMismatch& e) {
      // "--output: 1 required VALUE missing": the flag was last, without its value.
      const std::string what = e.what();
      return "flag " + what.substr(0, what.find(':')) + " needs a value";
    } catch (const CLI::ParseError& e) {
      return std::string(e.what());
    }
    CLI::App* sub = app_.get_subcommand(raw->name);
    for (const auto& [flag, option] : options_[raw->name]) {
      if (option->count() > 0) raw->values[flag] = values_[flag];
    }
    // Left over: flags this command does not take, unknown ones, and words (a location).
    for (const std::string& arg : sub->remaining()) {
      const std::string name = flag_name(arg);
      if (name.empty()) continue;
      if (find_setting(name) == nullptr) return "unknown flag --" + name;
      return "flag --" + name + " does not apply to " + raw->name;
    }
    for (const std::string& arg : sub->remaining()) {
      if (flag_name(arg).empty()) raw->positionals.push_back(arg);
    }
    return std::nullopt;
  }

  std::string help() const { return app_.help("", CLI::AppFormatMode::All); }

 private:
  static inline const std::map<std::string, std::string> kCommandHelp = {
      {"dump", "pg_dump a database to a file (--output) or an S3 object (--s3-bucket, --s3-key)"},
      {"restore", "restore a dump (--input or --s3-bucket/--s3-key) after checking its --checksum"},
      {"delete", "remove a dump: delete PATH|s3://BUCKET/KEY"}};
  static constexpr const char* kEnvironmentHelp =
      "Each flag's environment variable is read first; flags win. The password comes only from "
      "PGPASSWORD; S3 credentials only from AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and "
      "AWS_SESSION_TOKEN.";

  CLI::App app_;
  std::map<std::string, std::string> values_;  // by flag; stable addresses for CLI11
  std::map<std::string, std::map<std::string, CLI::Option*>> options_;  // by command, then flag
};

// `role` is "output" or "input", and names the setting too (CELLAR_OUTPUT, --output).
std::optional<std::string> check_location(const std::string& location,
                                          const std::string& role = "output") {
  if (location.empty()) {
    std::string upper = role == "input" ? "INPUT" : "OUTPUT";
    return "no " + role + " location: set CELLAR_" + upper + " or --" + role;
  }
  if (location.front() != '/') {
    return "the " + role + " location must be an absolute path, got " + in_quotes(location);
  }
  if (location.back() == '/') {
    return "the " + role + " location must name a file, not a folder, got " + in_quotes(location);
  }
  return std::nullopt;
}

// "true"/"false" (and 1/0, yes/no), or nullopt.
std::optional<bool> parse_bool(const std::string& text) {
  if (text == "true" || text == "1" || text == "yes") return true;
  if (text == "false" || text == "0" || text == "no") return false;
  return std::nullopt;
}

// Bytes, or a whole number of Ki/Mi/Gi ("16Mi", "16MiB"); nullopt when not one.
std::optional<uint64_t> parse_size(std::string text) {
  uint64_t unit = 1;
  for (auto [suffix, factor] : {std::pair<const char*, uint64_t>{"KiB", 1024},
                                {"Ki", 1024},
                                {"MiB", kMiB},
                                {"Mi", kMiB},
                                {"GiB", 1024 * kMiB},
                                {"Gi", 1024 * kMiB}}) {
    std::string s(suffix);
    if (text.size() > s.size() && text.compare(text.size() - s.size(), s.size(), s) == 0) {
      unit = factor;
      text.resize(text.size() - s.size());
      break;
    }
  }
  uint64_t value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc() || ptr != end) return std::nullopt;
  return value * unit;
}

// The S3 connection flags shared by dump and delete; an error text or empty.
std::string read_s3_connection(const RawCommand& raw, S3Connection* connection) {
  connection->endpoint = value_or(raw, "s3-endpoint", "");
  connection->region = value_or(raw, "s3-region", "us-east-1");
  connection->ca_file = value_or(raw, "s3-ca-file", "");
  std::string path_style = value_or(raw, "s3-force-path-style", "false");
  std::optional<bool> force = parse_bool(path_style);
  if (!force) return "--s3-force-path-style takes true or false, got " + in_quotes(path_style);
  connection->force_path_style = *force;
  if (!connection->ca_file.empty() && connection->ca_file.front() != '/') {
    return "the S3 CA file must be an absolute path, got " + in_quotes(connection->ca_file);
  }
  return "";
}

// Credentials come from the environment only; say which variable is missing.
std::string check_s3_credentials(const Environment& env) {
  for (const char* name : {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"}) {
    auto it = env.find(name);
    if (it == env.end() || it->second.empty()) {
      return std::string("no S3 credentials: set ") + name + " (and its pair) in the environment";
    }
  }
  return "";
}

std::optional<std::string> read_s3_destination(const RawCommand& raw, const Environment& env,
                                               std::optional<S3Destination>* destination) {
  std::string bucket = value_or(raw, "s3-bucket", "");
  std::string key = value_or(raw, "s3-key", "");
  if (bucket.empty()) {
    if (!key.empty()) return "--s3-key needs --s3-bucket";
    return std::nullopt;
  }
  if (bucket.find('/') != std::string::npos) {
    return "the S3 bucket is a name, not a path, got " + in_quotes(bucket);
  }
  if (key.empty()) return "--s3-bucket needs --s3-key, the object's name";
  if (key.front() == '/') return "the S3 key must not start with '/', got " + in_quotes(key);
  S3Destination s3;
  s3.bucket = bucket;
  s3.key = key;
  if (std::string error = read_s3_connection(raw, &s3.connection); !error.empty()) return error;
  std::string size_text = value_or(raw, "s3-part-size", "16Mi");
  std::optional<uint64_t> size = parse_size(size_text);
  if (!size || *size < 5 * kMiB || *size > 5 * 1024 * kMiB) {
    return "the S3 part size must be from 5Mi to 5Gi (S3's limits), got " + in_quotes(size_text);
  }
  s3.part_size = *size;
  if (std::string error = check_s3_credentials(env); !error.empty()) return error;
  *destination = s3;
  return std::nullopt;
}

// The target (or source) database, shared by dump and restore.
std::optional<std::string> read_connection(const RawCommand& raw, ConnectionSettings* connection) {
  std::string timeout = value_or(raw, "connect-timeout", "10");
  auto seconds = parse_int(timeout, 1, 3600);
  if (!seconds) {
    return "the connect timeout must be a whole number of seconds from 1 to 3600, got " +
           in_quotes(timeout);
  }
  connection->connect_timeout_seconds = *seconds;
  connection->host = value_or(raw, "host", "");
  connection->port = value_or(raw, "port", "");
  connection->database = value_or(raw, "database", "");
  connection->user = value_or(raw, "user", "");
  connection->sslmode = value_or(raw, "sslmode", "");
  if (!connection->port.empty() && !parse_int(connection->port, 1, 65535)) {
    return "the port must be a number from 1 to 65535, got " + in_quotes(connection->port);
  }
  return std::nullopt;
}

// CELLAR_AGE_RECIPIENTS: age public keys, comma-separated, each checked as the API checks them.
std::optional<std::string> read_age(const RawCommand& raw, std::vector<std::string>* recipients,
                                    std::string* program) {
  *recipients = age::split_recipients(value_or(raw, "age-recipients", ""));
  for (const std::string& r : *recipients) {
    if (auto problem = age::recipient_problem(r)) {
      return "--age-recipients (CELLAR_AGE_RECIPIENTS): " + in_quotes(r) +
             " is not an age public key: " + *problem;
    }
  }
  *program = value_or(raw, "age", "age");
  return std::nullopt;
}

std::optional<DumpFormat> parse_format(const std::string& text) {
  if (text == "custom") return DumpFormat::kCustom;
  if (text == "plain") return DumpFormat::kPlain;
  return std::nullopt;
}

ParsedCommand build_dump(const RawCommand& raw, const Environment& env,
                         const std::string& termination_path) {
  auto fail = [&](std::string message) -> ParsedCommand {
    return OptionsError{std::move(message), termination_path};
  };
  if (!raw.positionals.empty()) return fail("unexpected argument " + in_quotes(raw.positionals[0]));

  DumpSettings settings;
  settings.termination_message_path = termination_path;
  settings.output = value_or(raw, "output", "");
  if (auto error = read_s3_destination(raw, env, &settings.s3)) return fail(*error);
  if (settings.s3 && !settings.output.empty()) {
    return fail("give one destination: --output (a file) or --s3-bucket (an S3 object), not both");
  }
  if (!settings.s3) {
    if (auto error = check_location(settings.output)) return fail(*error);
  }

  std::string format = value_or(raw, "format", "custom");
  std::optional<DumpFormat> parsed_format = parse_format(format);
  if (!parsed_format) {
    return fail("the format must be \"custom\" or \"plain\", got " + in_quotes(format));
  }
  settings.format = *parsed_format;

  std::string compression = value_or(raw, "compression", "");
  if (!compression.empty()) {
    settings.compression = parse_int(compression, 0, 9);
    if (!settings.compression) {
      return fail("the compression level must be a whole number from 0 to 9, got " +
                  in_quotes(compression));
    }
  }

  if (auto error = read_connection(raw, &settings.connection)) return fail(*error);
  settings.pg_dump = value_or(raw, "pg-dump", "");
  if (auto error = read_age(raw, &settings.age_recipients, &settings.age)) return fail(*error);
  return AgentCommand{settings};
}

// "sha256:" and 64 hex digits, returned as the lowercase digits; nullopt when not that.
std::optional<std::string> parse_checksum(const std::string& text) {
  const std::string prefix = "sha256:";
  if (text.rfind(prefix, 0) != 0 || text.size() != prefix.size() + 64) return std::nullopt;
  std::string hex = text.substr(prefix.size());
  for (char& c : hex) {
    if (c >= 'A' && c <= 'F') c = static_cast<char>(c - 'A' + 'a');
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return std::nullopt;
  }
  return hex;
}

ParsedCommand build_restore(const RawCommand& raw, const Environment& env,
                            const std::string& termination_path) {
  auto fail = [&](std::string message) -> ParsedCommand {
    return OptionsError{std::move(message), termination_path};
  };
  if (!raw.positionals.empty()) return fail("unexpected argument " + in_quotes(raw.positionals[0]));

  RestoreSettings settings;
  settings.termination_message_path = termination_path;
  settings.input = value_or(raw, "input", "");
  if (auto error = read_s3_destination(raw, env, &settings.s3)) return fail(*error);
  if (settings.s3 && !settings.input.empty()) {
    return fail("give one source: --input (a file) or --s3-bucket (an S3 object), not both");
  }
  if (!settings.s3) {
    if (auto error = check_location(settings.input, "input")) return fail(*error);
  }

  std::string checksum = value_or(raw, "checksum", "");
  if (checksum.empty()) {
    return fail(
        "restore needs the checksum the backup recorded: set CELLAR_CHECKSUM or "
        "--checksum sha256:HEX");
  }
  std::optional<std::string> hex = parse_checksum(checksum);
  if (!hex) {
    return fail("the checksum must be \"sha256:\" and 64 hex digits, got " + in_quotes(checksum));
  }
  settings.sha256 = *hex;

  std::string format = value_or(raw, "format", "custom");
  std::optional<DumpFormat> parsed_format = parse_format(format);
  if (!parsed_format) {
    return fail("the format must be \"custom\" or \"plain\", got " + in_quotes(format));
  }
  settings.format = *parsed_format;

  for (auto [flag, target] :
       {std::pair<const char*, bool*>{"create-database", &settings.create_database},
        {"clean", &settings.clean}}) {
    std::string text = value_or(raw, flag, "false");
    std::optional<bool> value = parse_bool(text);
    if (!value)
      return fail(std::string("--") + flag + " takes true or false, got " + in_quotes(text));
    *target = *value;
  }
  if (settings.clean && settings.format == DumpFormat::kPlain) {
    return fail("clean needs a custom-format dump");
  }

  if (auto error = read_connection(raw, &settings.connection)) return fail(*error);
  // Without a name pg_restore would print the SQL rather than restore it, and libpq's default
  // (the user's name) is too easy to restore over by accident.
  if (settings.connection.database.empty()) {
    return fail("restore needs the target database: set PGDATABASE or --database");
  }
  settings.pg_restore = value_or(raw, "pg-restore", "");
  settings.psql = value_or(raw, "psql", "");
  if (auto error = read_age(raw, &settings.age_recipients, &settings.age)) return fail(*error);
  settings.age_identity_file = value_or(raw, "age-identity-file", "");
  if (!settings.age_identity_file.empty() && settings.age_identity_file.front() != '/') {
    return fail("the age identity file must be an absolute path, got " +
                in_quotes(settings.age_identity_file));
  }
  if (!settings.age_recipients.empty() && settings.age_identity_file.empty()) {
    return fail("the dump is age-encrypted (to " + age::join_recipients(settings.age_recipients) +
                "): the restore needs the identity of one of those recipients: set "
                "CELLAR_AGE_IDENTITY_FILE or --age-identity-file");
  }
  return AgentCommand{settings};
}

ParsedCommand build_delete(const RawCommand& raw, const Environment& env,
                           const std::string& termination_path) {
  auto fail = [&](std::string message) -> ParsedCommand {
    return OptionsError{std::move(message), termination_path};
  };
  if (raw.positionals.size() > 1) return fail("delete takes one location");
  DeleteSettings settings;
  settings.termination_message_path = termination_path;
  settings.location = raw.positionals.empty() ? value_or(raw, "output", "") : raw.positionals[0];
  if (settings.location.empty()) return fail("delete needs the location of the dump to remove");
  if (settings.location.rfind("s3://", 0) == 0) {
    if (!parse_s3_location(settings.location)) {
      return fail("an S3 location is s3://bucket/key, got " + in_quotes(settings.location));
    }
    if (std::string error = read_s3_connection(raw, &settings.s3); !error.empty()) {
      return fail(error);
    }
    if (std::string error = check_s3_credentials(env); !error.empty()) return fail(error);
    return AgentCommand{settings};
  }
  if (auto error = check_location(settings.location)) return fail(*error);
  return AgentCommand{settings};
}

}  // namespace

const char* format_name(DumpFormat format) {
  return format == DumpFormat::kPlain ? "plain" : "custom";
}

ParsedCommand parse_agent_command(const std::vector<std::string>& argv, const Environment& env) {
  RawCommand raw;
  if (argv.size() >= 2 && (argv[1] == "--help" || argv[1] == "-h")) {
    return HelpText{CommandLine().help()};
  }
  if (argv.size() < 2) return OptionsError{"missing command: dump, restore or delete"};
  raw.name = argv[1];
  if (raw.name != "dump" && raw.name != "delete" && raw.name != "restore") {
    return OptionsError{"unknown command " + in_quotes(raw.name) +
                        ": expected dump, restore or delete"};
  }
  std::optional<std::string> help;
  std::optional<std::string> error = CommandLine().read(argv, env, &raw, &help);
  if (help) return HelpText{*help};
  // The termination path is settled first so that every later error can still be reported.
  std::string termination_path = value_or(raw, "termination-message-path", "/dev/termination-log");
  if (error) return OptionsError{*error, termination_path};
  if (raw.name == "dump") return build_dump(raw, env, termination_path);
  if (raw.name == "restore") return build_restore(raw, env, termination_path);
  return build_delete(raw, env, termination_path);
}

Environment environment_from(char** envp) {
  Environment env;
  for (char** entry = envp; entry != nullptr && *entry != nullptr; ++entry) {
    const char* eq = std::strchr(*entry, '=');
    if (eq == nullptr) continue;
    env.emplace(std::string(*entry, static_cast<size_t>(eq - *entry)), std::string(eq + 1));
  }
  return env;
}

std::string usage_text() {
  return "usage: cellar-agent dump [--output PATH | --s3-bucket B --s3-key K]\n"
         "                         [--format custom|plain] [--compression 0-9]\n"
         "                         [--host H] [--port N] [--database DB] [--user U] [--sslmode M]\n"
         "                         [--connect-timeout SECONDS] [--termination-message-path P]\n"
         "                         [--s3-endpoint URL] [--s3-region R] [--s3-force-path-style]\n"
         "                         [--s3-ca-file PATH] [--s3-part-size 16Mi]\n"
         "                         [--age-recipients age1...,age1...] [--age PATH]\n"
         "       cellar-agent restore (--input PATH | --s3-bucket B --s3-key K)\n"
         "                         --checksum sha256:HEX [--format custom|plain]\n"
         "                         [--create-database] [--clean] [--host H] [--port N]\n"
         "                         [--database DB] [--user U] [--sslmode M]\n"
         "                         [--connect-timeout SECONDS] [--termination-message-path P]\n"
         "                         [--s3-endpoint URL] [--s3-region R] [--s3-force-path-style]\n"
         "                         [--s3-ca-file PATH] [--age-recipients age1...,age1...]\n"
         "                         [--age-identity-file PATH] [--age PATH]\n"
         "       cellar-agent delete PATH|s3://BUCKET/KEY [--s3-endpoint URL] [--s3-region R]\n"
         "                         [--s3-force-path-style] [--s3-ca-file PATH]\n"
         "                         [--termination-message-path P]\n"
         "Settings also come from PGHOST, PGPORT, PGDATABASE, PGUSER, PGSSLMODE, CELLAR_OUTPUT,\n"
         "CELLAR_INPUT, CELLAR_CHECKSUM, CELLAR_FORMAT, CELLAR_COMPRESSION, "
         "CELLAR_CREATE_DATABASE,\n"
         "CELLAR_CLEAN, CELLAR_CONNECT_TIMEOUT, CELLAR_PG_DUMP, CELLAR_PG_RESTORE, CELLAR_PSQL,\n"
         "CELLAR_TERMINATION_MESSAGE_PATH, CELLAR_AGE_<FLAG> and CELLAR_S3_<FLAG> "
         "(CELLAR_S3_BUCKET,\n"
         "...); flags win.\n"
         "The password comes only from PGPASSWORD; S3 credentials only from AWS_ACCESS_KEY_ID,\n"
         "AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN.\n";
}

}  // namespace cellar::agent
