// cellar-controller's command line, read as a pure function so every rule has a unit test.
//
// `--flag value` and `--flag=value` both work; a bad or unknown flag is a usage error (exit 2),
// `--help` prints the usage (exit 0). Durations are Go's ("15s", "1m30s"), as controller-runtime's
// leader-election flags take them.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace cellar::cmd {

struct LeaderElectionFlags {
  bool enabled = false;  // --leader-elect
  // --leader-elect-namespace; empty: resolved at start-up (see lease_namespace).
  std::string ns;
  // client-go's defaults, as controller-runtime's managers use them.
  std::chrono::milliseconds lease_duration{15000};  // --leader-elect-lease-duration
  std::chrono::milliseconds renew_deadline{10000};  // --leader-elect-renew-deadline
  std::chrono::milliseconds retry_period{2000};     // --leader-elect-retry-period
};

struct Flags {
  std::string kubeconfig;
  std::string ns;  // --namespace: the one namespace to watch; empty: all
  std::string agent_image = "cellar-agent:0.1.0";
  int workers = 4;
  // No client-side limit unless asked for: kube-apiserver's API Priority and Fairness shares the
  // server out and answers 429 with Retry-After, which the client honours. A client-side limit
  // only delays a minute's work (a thousand schedules due at once) that the server could take.
  double qps = 0;  // --kube-api-qps; 0: no client-side limit
  int burst = 400;
  std::string log_format = "text";
  std::string log_level = "info";
  // "host:port" or ":port" (every interface); empty or "0": not served.
  std::string metrics_addr;
  std::string health_addr;
  LeaderElectionFlags leader_election;
};

// What the command line asks for: run with these flags, print help, or a usage error.
struct ParsedFlags {
  enum class Kind { kRun, kHelp, kError };
  Kind kind = Kind::kRun;
  Flags flags;
  // kHelp: the usage text. kError: what is wrong, one line, without the program's name.
  std::string text;
};

// `args` are argv[1..].
ParsedFlags parse_flags(const std::vector<std::string>& args);

// The process's exit code for a ParsedFlags that is not kRun: 0 for help, 2 for a usage error.
int exit_code(const ParsedFlags& parsed);

// Where the Lease lives when --leader-elect-namespace is not given: the pod's own namespace (the
// service account's namespace file, when it reads as a name), else the kubeconfig context's
// namespace, else "default".
std::string lease_namespace(const std::string& flag,
                            const std::optional<std::string>& pod_namespace,
                            const std::string& kubeconfig_namespace);

}  // namespace cellar::cmd
