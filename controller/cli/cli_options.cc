#include "controller/cli/cli_options.h"

#include "controller/cli/go_duration.h"

namespace cellar::cli {

namespace {

std::string quoted(const std::string& text) {
  return "\"" + text + "\"";
}

// What the flags said, before the words around them are checked.
struct RawFlags {
  bool help = false;
  std::optional<bool> wait;  // set when --wait appeared, to tell --wait=false from no --wait
  std::optional<std::string> timeout;
  std::optional<std::string> schedule;
  std::optional<std::string> name;
  std::optional<std::string> ns;
  std::optional<std::string> kubeconfig;
  std::optional<std::string> context;
};

enum class FlagKind { kBool, kValue };

struct FlagSpec {
  const char* name;
  char shorthand;  // 0: none
  FlagKind kind;
};

constexpr FlagSpec kFlags[] = {
    {"from-schedule", 0, FlagKind::kValue}, {"name", 0, FlagKind::kValue},
    {"wait", 0, FlagKind::kBool},           {"timeout", 0, FlagKind::kValue},
    {"namespace", 'n', FlagKind::kValue},   {"kubeconfig", 0, FlagKind::kValue},
    {"context", 0, FlagKind::kValue},       {"help", 'h', FlagKind::kBool},
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
  if (flag.kind == FlagKind::kBool) {
    auto b = parse_bool(value);
    if (!b) {
      return "invalid argument " + quoted(value) + " for \"--" + name +
             "\" flag: not true or false";
    }
    if (name == "wait") raw.wait = *b;
    if (name == "help") raw.help = *b;
    return std::nullopt;
  }
  if (name == "from-schedule") raw.schedule = value;
  if (name == "name") raw.name = value;
  if (name == "timeout") raw.timeout = value;
  if (name == "namespace") raw.ns = value;
  if (name == "kubeconfig") raw.kubeconfig = value;
  if (name == "context") raw.context = value;
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
std::optional<std::string> non_empty(const std::optional<std::string>& value, const char* flag,
                                     std::string& out) {
  if (!value) return std::nullopt;
  if (value->empty()) return std::string("flag --") + flag + " needs a non-empty value";
  out = *value;
  return std::nullopt;
}

}  // namespace

ParsedCommandLine parse_command_line(const std::vector<std::string>& args) {
  RawFlags raw;
  std::vector<std::string> words;
  if (auto error = split_args(args, raw, words)) return UsageError{*error};
  if (raw.help || (!words.empty() && words[0] == "help")) return HelpRequest{};

  if (words.empty()) return UsageError{"no command given; try \"backup now\""};
  if (words[0] != "backup") {
    return UsageError{"unknown command " + quoted(words[0]) + " for \"kubectl cellar\""};
  }
  if (words.size() < 2) return UsageError{"\"backup\" needs a subcommand: now"};
  if (words[1] != "now") {
    return UsageError{"unknown command " + quoted(words[1]) + " for \"kubectl cellar backup\""};
  }
  if (words.size() > 2) {
    return UsageError{"unexpected argument " + quoted(words[2]) + " for \"backup now\""};
  }

  BackupNowCommand command;
  BackupNowOptions& o = command.options;
  if (!raw.schedule) return UsageError{"required flag --from-schedule not set"};
  for (auto error :
       {non_empty(raw.schedule, "from-schedule", o.schedule), non_empty(raw.name, "name", o.name),
        non_empty(raw.ns, "namespace", command.cluster.ns),
        non_empty(raw.kubeconfig, "kubeconfig", command.cluster.kubeconfig),
        non_empty(raw.context, "context", command.cluster.context)}) {
    if (error) return UsageError{*error};
  }

  o.wait = raw.wait.value_or(false);
  if (raw.timeout) {
    std::string why;
    auto timeout = parse_go_duration(*raw.timeout, &why);
    if (!timeout) {
      return UsageError{"invalid argument " + quoted(*raw.timeout) +
                        " for \"--timeout\" flag: " + why};
    }
    if (timeout->count() <= 0) {
      return UsageError{"invalid argument " + quoted(*raw.timeout) +
                        " for \"--timeout\" flag: must be more than 0"};
    }
    // A timeout only means something while waiting, so asking for one asks to wait; saying
    // --wait=false as well contradicts it.
    if (raw.wait == false) return UsageError{"--timeout waits for the backup; drop --wait=false"};
    o.timeout = timeout;
    o.wait = true;
  }
  return command;
}

std::string usage_text() {
  return R"usage(kubectl cellar: Cellar's kubectl plugin.

Usage:
  kubectl cellar backup now --from-schedule NAME [--name NAME] [--wait] [--timeout DURATION]
                            [-n NAMESPACE] [--kubeconfig FILE] [--context NAME]

Creates a Backup from the BackupSchedule's backupTemplate, as the schedule itself would
(label cellar.dev/schedule, owned by the schedule), and prints "backup.cellar.dev/NAME created".
With --wait, follows the Backup by watch, prints each phase with the time since it was created,
and ends with "Completed (SIZE in DURATION)", or why it failed.

Flags:
  --from-schedule NAME  the BackupSchedule whose backupTemplate to use (required)
  --name NAME           the Backup's name (default: SCHEDULE-manual-<8 hex>, new each run)
  --wait                wait until the Backup is Completed, Failed or Cancelled
  --timeout DURATION    stop waiting after this long: 90s, 2m, 1h30m (implies --wait;
                        default: the template's activeDeadlineSeconds plus 1m)
  -n, --namespace NS    the namespace (default: the kubeconfig context's)
  --kubeconfig FILE     the kubeconfig (default: $KUBECONFIG, then ~/.kube/config)
  --context NAME        the kubeconfig context (default: its current-context)
  -h, --help            this help

Exit codes:
  0  the Backup was created and, with --wait, it Completed
  1  it could not be created, it ended Failed or Cancelled, or it was deleted while waiting;
     also usage and connection errors
  2  --timeout passed first; the Backup goes on running
)usage";
}

}  // namespace cellar::cli
