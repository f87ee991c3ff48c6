#include "controller/cli/cli_options.h"

#include <algorithm>
#include <map>

#include "controller/cli/go_duration.h"

namespace cellar::cli {

namespace {

std::string in_quotes(const std::string& text) {
  return "\"" + text + "\"";
}

// Which commands take a flag: a bit each.
enum CommandBit : unsigned { kBackupNow = 1, kRestore = 2, kEveryCommand = kBackupNow | kRestore };

enum class FlagKind { kBool, kValue };

struct FlagSpec {
  const char* name;
  char shorthand;  // 0: none
  FlagKind kind;
  unsigned commands;
};

constexpr FlagSpec kFlags[] = {
    {"from-schedule", 0, FlagKind::kValue, kBackupNow},
    {"to-database", 0, FlagKind::kValue, kRestore},
    {"host", 0, FlagKind::kValue, kRestore},
    {"port", 0, FlagKind::kValue, kRestore},
    {"user", 0, FlagKind::kValue, kRestore},
    {"password-secret", 0, FlagKind::kValue, kRestore},
    {"identity-secret", 0, FlagKind::kValue, kRestore},
    {"create", 0, FlagKind::kBool, kRestore},
    {"clean", 0, FlagKind::kBool, kRestore},
    {"name", 0, FlagKind::kValue, kEveryCommand},
    {"wait", 0, FlagKind::kBool, kEveryCommand},
    {"timeout", 0, FlagKind::kValue, kEveryCommand},
    {"namespace", 'n', FlagKind::kValue, kEveryCommand},
    {"kubeconfig", 0, FlagKind::kValue, kEveryCommand},
    {"context", 0, FlagKind::kValue, kEveryCommand},
    {"help", 'h', FlagKind::kBool, kEveryCommand},
};

// What the flags said, before the words around them are checked: the last value of each flag
// given (pflag's rule), and the flags in the order they first appeared.
struct RawFlags {
  std::map<std::string, std::string> values;
  std::map<std::string, bool> bools;
  std::vector<const FlagSpec*> given;

  std::optional<std::string> value(const std::string& name) const {
    auto it = values.find(name);
    return it == values.end() ? std::nullopt : std::optional<std::string>(it->second);
  }
  // Set when the flag appeared, to tell --wait=false from no --wait.
  std::optional<bool> boolean(const std::string& name) const {
    auto it = bools.find(name);
    return it == bools.end() ? std::nullopt : std::optional<bool>(it->second);
  }
};

const FlagSpec* find_long(const std::string& name) {
  for (const auto& f : kFlags) {
    if (name == f.name) return &f;
  }
  return nullptr;
}

const FlagSpec* find_short(char c) {
  for (const auto& f : kFlags) {
    if (f.shorthand != 0 && f.shorthand == c) return &f;
  }
  return nullptr;
}

// pflag's spellings of a boolean value.
std::optional<bool> parse_bool(const std::string& text) {
  if (text == "true" || text == "1" || text == "t" || text == "T" || text == "TRUE" ||
      text == "True") {
    return true;
  }
  if (text == "false" || text == "0" || text == "f" || text == "F" || text == "FALSE" ||
      text == "False") {
    return false;
  }
  return std::nullopt;
}

// Stores one flag's value; an error message when the value is not one the flag takes.
std::optional<std::string> store(const FlagSpec& flag, const std::string& value, RawFlags& raw) {
  const std::string name = flag.name;
  if (std::find(raw.given.begin(), raw.given.end(), &flag) == raw.given.end()) {
    raw.given.push_back(&flag);
  }
  if (flag.kind == FlagKind::kBool) {
    auto b = parse_bool(value);
    if (!b) {
      return "invalid argument " + in_quotes(value) + " for \"--" + name +
             "\" flag: not true or false";
    }
    raw.bools[name] = *b;
    return std::nullopt;
  }
  raw.values[name] = value;
  return std::nullopt;
}

// Sorts `args` into flags (into `raw`) and words (into `words`); an error message on a flag it
// does not know or one missing its value.
std::optional<std::string> split_args(const std::vector<std::string>& args, RawFlags& raw,
                                      std::vector<std::string>& words) {
  bool flags_done = false;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (flags_done || arg == "-" || !arg.starts_with("-")) {
      words.push_back(arg);
      continue;
    }
    if (arg == "--") {
      flags_done = true;
      continue;
    }
    const FlagSpec* flag = nullptr;
    std::optional<std::string> value;
    std::string spelled;  // how an error names the flag, as pflag does
    if (arg.starts_with("--")) {
      std::string name = arg.substr(2);
      if (auto eq = name.find('='); eq != std::string::npos) {
        value = name.substr(eq + 1);
        name.resize(eq);
      }
      flag = find_long(name);
      if (!flag) return "unknown flag: --" + name;
      spelled = "--" + name;
    } else {
      const char c = arg[1];
      flag = find_short(c);
      if (!flag) return std::string("unknown shorthand flag: '") + c + "' in " + arg;
      const std::string rest = arg.substr(2);
      if (rest.starts_with("=")) {
        value = rest.substr(1);
      } else if (!rest.empty()) {
        if (flag->kind == FlagKind::kBool) {
          return std::string("unknown shorthand flag: '") + rest[0] + "' in " + arg;
        }
        value = rest;
      }
      spelled = std::string("'") + c + "' in -" + c;
    }
    if (!value) {
      if (flag->kind == FlagKind::kBool) {
        value = "true";
      } else if (i + 1 < args.size()) {
        value = args[++i];
      } else {
        return "flag needs an argument: " + spelled;
      }
    }
    if (auto error = store(*flag, *value, raw)) return error;
  }
  return std::nullopt;
}

// A flag given with an empty value ("--name=") is a mistake, not a request for the default.
std::optional<std::string> non_empty(const RawFlags& raw, const char* flag, std::string& out) {
  auto value = raw.value(flag);
  if (!value) return std::nullopt;
  if (value->empty()) return std::string("flag --") + flag + " needs a non-empty value";
  out = *value;
  return std::nullopt;
}

std::optional<std::string> non_empty(const RawFlags& raw, const char* flag,
                                     std::optional<std::string>& out) {
  std::string value;
  if (auto error = non_empty(raw, flag, value)) return error;
  if (raw.value(flag)) out = value;
  return std::nullopt;
}

// The first flag given that `command` does not take, named as pflag names an unknown flag.
std::optional<std::string> foreign_flag(const RawFlags& raw, CommandBit command) {
  for (const FlagSpec* flag : raw.given) {
    if ((flag->commands & command) == 0) return std::string("unknown flag: --") + flag->name;
  }
  return std::nullopt;
}

// --timeout, and the --wait it implies; `what` names what is waited for in the error.
std::optional<std::string> wait_flags(const RawFlags& raw, const char* what, bool& wait,
                                      std::optional<std::chrono::nanoseconds>& timeout) {
  const std::optional<bool> wait_flag = raw.boolean("wait");
  wait = wait_flag.value_or(false);
  const auto text = raw.value("timeout");
  if (!text) return std::nullopt;
  std::string why;
  auto parsed = parse_go_duration(*text, &why);
  if (!parsed) return "invalid argument " + in_quotes(*text) + " for \"--timeout\" flag: " + why;
  if (parsed->count() <= 0) {
    return "invalid argument " + in_quotes(*text) + " for \"--timeout\" flag: must be more than 0";
  }
  // A timeout only means something while waiting, so asking for one asks to wait; saying
  // --wait=false as well contradicts it.
  if (wait_flag == false)
    return std::string("--timeout waits for the ") + what + "; drop --wait=false";
  timeout = parsed;
  wait = true;
  return std::nullopt;
}

std::optional<std::string> cluster_flags(const RawFlags& raw, ClusterFlags& cluster) {
  for (auto error :
       {non_empty(raw, "namespace", cluster.ns), non_empty(raw, "kubeconfig", cluster.kubeconfig),
        non_empty(raw, "context", cluster.context)}) {
    if (error) return error;
  }
  return std::nullopt;
}

ParsedCommandLine backup_now_command(const RawFlags& raw, const std::vector<std::string>& words) {
  if (words.size() < 2) return UsageError{"\"backup\" needs a subcommand: now"};
  if (words[1] != "now") {
    return UsageError{"unknown command " + in_quotes(words[1]) + " for \"kubectl cellar backup\""};
  }
  if (words.size() > 2) {
    return UsageError{"unexpected argument " + in_quotes(words[2]) + " for \"backup now\""};
  }
  if (auto error = foreign_flag(raw, kBackupNow)) return UsageError{*error};

  BackupNowCommand command;
  BackupNowOptions& o = command.options;
  if (!raw.value("from-schedule")) return UsageError{"required flag --from-schedule not set"};
  for (auto error :
       {non_empty(raw, "from-schedule", o.schedule), non_empty(raw, "name", o.name),
        cluster_flags(raw, command.cluster), wait_flags(raw, "backup", o.wait, o.timeout)}) {
    if (error) return UsageError{*error};
  }
  return command;
}

// A TCP port as --port takes it: decimal digits, 1-65535.
std::optional<int> parse_port(const std::string& text) {
  if (text.empty() || text.size() > 5) return std::nullopt;
  int port = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    port = port * 10 + (c - '0');
  }
  if (port < 1 || port > 65535) return std::nullopt;
  return port;
}

// --password-secret SECRET (the key "password", as a Backup's Secret usually names it) or
// SECRET:KEY; --identity-secret likewise, its key "identity" by default. Neither a Secret's name
// nor a key may hold ':', so the first one splits them.
std::optional<api::SecretKeyRef> parse_secret_ref(const std::string& text,
                                                  const std::string& default_key) {
  const auto colon = text.find(':');
  api::SecretKeyRef ref{text.substr(0, colon),
                        colon == std::string::npos ? default_key : text.substr(colon + 1)};
  if (ref.name.empty() || ref.key.empty()) return std::nullopt;
  return ref;
}

ParsedCommandLine restore_command(const RawFlags& raw, const std::vector<std::string>& words) {
  if (words.size() < 2) {
    return UsageError{
        "\"restore\" needs the Backup to restore: kubectl cellar restore BACKUP --to-database "
        "NAME"};
  }
  if (words.size() > 2) {
    return UsageError{"unexpected argument " + in_quotes(words[2]) + " for \"restore\""};
  }
  if (auto error = foreign_flag(raw, kRestore)) return UsageError{*error};

  RestoreCommand command;
  RestoreOptions& o = command.options;
  o.backup = words[1];
  if (o.backup.empty()) return UsageError{"\"restore\" needs a non-empty Backup name"};
  if (!raw.value("to-database")) return UsageError{"required flag --to-database not set"};
  for (auto error :
       {non_empty(raw, "to-database", o.database), non_empty(raw, "host", o.host),
        non_empty(raw, "user", o.user), non_empty(raw, "name", o.name),
        cluster_flags(raw, command.cluster), wait_flags(raw, "restore", o.wait, o.timeout)}) {
    if (error) return UsageError{*error};
  }
  if (auto text = raw.value("port")) {
    o.port = parse_port(*text);
    if (!o.port) {
      return UsageError{"invalid argument " + in_quotes(*text) +
                        " for \"--port\" flag: not a port number (1-65535)"};
    }
  }
  if (auto text = raw.value("password-secret")) {
    o.password_secret = parse_secret_ref(*text, "password");
    if (!o.password_secret) {
      return UsageError{"invalid argument " + in_quotes(*text) +
                        " for \"--password-secret\" flag: want SECRET or SECRET:KEY"};
    }
  }
  if (auto text = raw.value("identity-secret")) {
    o.identity_secret = parse_secret_ref(*text, "identity");
    if (!o.identity_secret) {
      return UsageError{"invalid argument " + in_quotes(*text) +
                        " for \"--identity-secret\" flag: want SECRET or SECRET:KEY"};
    }
  }
  o.create_database = raw.boolean("create").value_or(false);
  o.clean = raw.boolean("clean").value_or(false);
  return command;
}

}  // namespace

ParsedCommandLine parse_command_line(const std::vector<std::string>& args) {
  RawFlags raw;
  std::vector<std::string> words;
  if (auto error = split_args(args, raw, words)) return UsageError{*error};
  if (raw.boolean("help").value_or(false) || (!words.empty() && words[0] == "help")) {
    return HelpRequest{};
  }

  if (words.empty()) return UsageError{"no command given; try \"backup now\" or \"restore\""};
  if (words[0] == "backup") return backup_now_command(raw, words);
  if (words[0] == "restore") return restore_command(raw, words);
  return UsageError{"unknown command " + in_quotes(words[0]) + " for \"kubectl cellar\""};
}

std::string usage_text() {
  return R"usage(kubectl cellar: Cellar's kubectl plugin.

Usage:
  kubectl cellar backup now --from-schedule NAME [--name NAME] [--wait] [--timeout DURATION]
                            [-n NAMESPACE] [--kubeconfig FILE] [--context NAME]
  kubectl cellar restore BACKUP --to-database NAME [--host HOST] [--port PORT] [--user USER]
                            [--password-secret SECRET[:KEY]] [--create] [--clean] [--name NAME]
                            [--wait] [--timeout DURATION]
                            [-n NAMESPACE] [--kubeconfig FILE] [--context NAME]

backup now: creates a Backup from the BackupSchedule's backupTemplate, as the schedule itself
would (label cellar.dev/schedule, owned by the schedule), and prints
"backup.cellar.dev/NAME created".

restore: reads the Backup (it must be Completed), creates a Restore of it into database NAME and
prints "restore.cellar.dev/NAME created". The host, port, user, password Secret and sslMode
default to the Backup's spec.database, so the same server with a new database is:
  kubectl cellar restore shop-nightly-202611280200 --to-database shop_check --create --wait
The controller verifies the dump's checksum before it touches the database and restores in one
transaction: a failed restore leaves the database as it was (one it created is dropped again).

With --wait, either command follows the object by watch, prints each phase with the time since
it was created, and ends with "Completed (...)", or why it failed.

Flags of backup now:
  --from-schedule NAME  the BackupSchedule whose backupTemplate to use (required)
  --name NAME           the Backup's name (default: SCHEDULE-manual-<8 hex>, new each run)

Flags of restore:
  --to-database NAME    the database to restore into (required)
  --host HOST           the PostgreSQL server (default: the Backup's)
  --port PORT           its port (default: the Backup's)
  --user USER           the role to restore as (default: the Backup's); with --create it needs
                        CREATEDB
  --password-secret SECRET[:KEY]
                        the Secret holding that role's password, under KEY (default key:
                        password; default Secret: the Backup's)
  --identity-secret SECRET[:KEY]
                        for an encrypted Backup: the Secret holding an age identity of one of
                        its recipients, under KEY (default key: identity)
  --create              create the database first; it must not exist yet
  --clean               drop the objects the dump recreates first (custom-format dumps only)
  --name NAME           the Restore's name (default: BACKUP-restore-<5 characters>)

Flags of both:
  --wait                wait until it is Completed, Failed or Cancelled
  --timeout DURATION    stop waiting after this long: 90s, 2m, 1h30m (implies --wait; default:
                        its activeDeadlineSeconds plus 1m)
  -n, --namespace NS    the namespace (default: the kubeconfig context's)
  --kubeconfig FILE     the kubeconfig (default: $KUBECONFIG, then ~/.kube/config)
  --context NAME        the kubeconfig context (default: its current-context)
  -h, --help            this help

Exit codes:
  0  the Backup or Restore was created and, with --wait, it Completed
  1  it could not be created (for a restore: the Backup is missing or not Completed), it ended
     Failed or Cancelled, or it was deleted while waiting; also usage and connection errors
  2  --timeout passed first; the Backup or Restore goes on running
)usage";
}

}  // namespace cellar::cli
