#include "controller/agent/agent_options.h"

#include <charconv>
#include <cstring>
#include <set>

namespace cellar::agent {
namespace {

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
};

const std::set<std::string> kDeleteFlags = {"output", "termination-message-path"};

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

std::string quoted(const std::string& text) {
  return "\"" + text + "\"";
}

// Reads flags over the environment's values; an error names the offending flag.
std::optional<std::string> read_arguments(const std::vector<std::string>& argv,
                                          const Environment& env, RawCommand* raw) {
  for (const Setting& setting : kSettings) {
    auto it = env.find(setting.env);
    if (it != env.end()) raw->values[setting.flag] = it->second;
  }
  for (size_t i = 2; i < argv.size(); ++i) {
    const std::string& arg = argv[i];
    if (arg.rfind("--", 0) != 0) {
      raw->positionals.push_back(arg);
      continue;
    }
    std::string name = arg.substr(2);
    std::optional<std::string> value;
    if (auto eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name.resize(eq);
    }
    if (name == "password") {
      return "the password is read only from the PGPASSWORD environment variable, never from a "
             "flag";
    }
    if (find_setting(name) == nullptr) return "unknown flag --" + name;
    if (raw->name == "delete" && kDeleteFlags.count(name) == 0) {
      return "flag --" + name + " does not apply to delete";
    }
    if (!value) {
      if (i + 1 >= argv.size()) return "flag --" + name + " needs a value";
      value = argv[++i];
    }
    raw->values[name] = *value;
  }
  return std::nullopt;
}

std::optional<std::string> check_location(const std::string& location) {
  if (location.empty()) {
    return "no output location: set CELLAR_OUTPUT or --output";
  }
  if (location.front() != '/') {
    return "the output location must be an absolute path, got " + quoted(location);
  }
  if (location.back() == '/') {
    return "the output location must name a file, not a folder, got " + quoted(location);
  }
  return std::nullopt;
}

ParsedCommand build_dump(const RawCommand& raw, const std::string& termination_path) {
  auto fail = [&](std::string message) -> ParsedCommand {
    return OptionsError{std::move(message), termination_path};
  };
  if (!raw.positionals.empty()) return fail("unexpected argument " + quoted(raw.positionals[0]));

  DumpSettings settings;
  settings.termination_message_path = termination_path;
  settings.output = value_or(raw, "output", "");
  if (auto error = check_location(settings.output)) return fail(*error);

  std::string format = value_or(raw, "format", "custom");
  if (format == "custom") {
    settings.format = DumpFormat::kCustom;
  } else if (format == "plain") {
    settings.format = DumpFormat::kPlain;
  } else {
    return fail("the format must be \"custom\" or \"plain\", got " + quoted(format));
  }

  std::string compression = value_or(raw, "compression", "");
  if (!compression.empty()) {
    settings.compression = parse_int(compression, 0, 9);
    if (!settings.compression) {
      return fail("the compression level must be a whole number from 0 to 9, got " +
                  quoted(compression));
    }
  }

  std::string timeout = value_or(raw, "connect-timeout", "10");
  auto seconds = parse_int(timeout, 1, 3600);
  if (!seconds) {
    return fail("the connect timeout must be a whole number of seconds from 1 to 3600, got " +
                quoted(timeout));
  }

  ConnectionSettings& connection = settings.connection;
  connection.connect_timeout_seconds = *seconds;
  connection.host = value_or(raw, "host", "");
  connection.port = value_or(raw, "port", "");
  connection.database = value_or(raw, "database", "");
  connection.user = value_or(raw, "user", "");
  connection.sslmode = value_or(raw, "sslmode", "");
  if (!connection.port.empty() && !parse_int(connection.port, 1, 65535)) {
    return fail("the port must be a number from 1 to 65535, got " + quoted(connection.port));
  }
  settings.pg_dump = value_or(raw, "pg-dump", "");
  return AgentCommand{settings};
}

ParsedCommand build_delete(const RawCommand& raw, const std::string& termination_path) {
  auto fail = [&](std::string message) -> ParsedCommand {
    return OptionsError{std::move(message), termination_path};
  };
  if (raw.positionals.size() > 1) return fail("delete takes one location");
  DeleteSettings settings;
  settings.termination_message_path = termination_path;
  settings.location = raw.positionals.empty() ? value_or(raw, "output", "") : raw.positionals[0];
  if (settings.location.empty()) return fail("delete needs the location of the dump to remove");
  if (auto error = check_location(settings.location)) return fail(*error);
  return AgentCommand{settings};
}

}  // namespace

const char* format_name(DumpFormat format) {
  return format == DumpFormat::kPlain ? "plain" : "custom";
}

ParsedCommand parse_agent_command(const std::vector<std::string>& argv, const Environment& env) {
  RawCommand raw;
  if (argv.size() < 2) return OptionsError{"missing command: dump or delete"};
  raw.name = argv[1];
  if (raw.name != "dump" && raw.name != "delete") {
    return OptionsError{"unknown command " + quoted(raw.name) + ": expected dump or delete"};
  }
  std::optional<std::string> error = read_arguments(argv, env, &raw);
  // The termination path is settled first so that every later error can still be reported.
  std::string termination_path = value_or(raw, "termination-message-path", "/dev/termination-log");
  if (error) return OptionsError{*error, termination_path};
  return raw.name == "dump" ? build_dump(raw, termination_path)
                            : build_delete(raw, termination_path);
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
  return "usage: cellar-agent dump [--output PATH] [--format custom|plain] [--compression 0-9]\n"
         "                         [--host H] [--port N] [--database DB] [--user U] [--sslmode M]\n"
         "                         [--connect-timeout SECONDS] [--termination-message-path P]\n"
         "       cellar-agent delete LOCATION [--termination-message-path P]\n"
         "Settings also come from PGHOST, PGPORT, PGDATABASE, PGUSER, PGSSLMODE, CELLAR_OUTPUT,\n"
         "CELLAR_FORMAT, CELLAR_COMPRESSION, CELLAR_CONNECT_TIMEOUT, CELLAR_PG_DUMP and\n"
         "CELLAR_TERMINATION_MESSAGE_PATH; flags win. The password comes only from PGPASSWORD.\n";
}

}  // namespace cellar::agent
