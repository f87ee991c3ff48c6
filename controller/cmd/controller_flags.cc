#include "controller/cmd/controller_flags.h"

#include <CLI/CLI.hpp>
#include <algorithm>

#include "controller/cli/go_duration.h"
#include "controller/health/listen_address.h"

namespace cellar::cmd {
namespace {

// A Go duration flag that must be positive, in whole milliseconds.
std::optional<std::string> to_millis(const std::string& flag, const std::string& text,
                                     std::chrono::milliseconds& out) {
  std::string error;
  auto d = cli::parse_go_duration(text, &error);
  if (!d) return "invalid value \"" + text + "\" for " + flag + ": " + error;
  if (*d <= std::chrono::nanoseconds::zero()) {
    return "invalid value \"" + text + "\" for " + flag + ": must be positive";
  }
  out = std::chrono::duration_cast<std::chrono::milliseconds>(*d);
  return std::nullopt;
}

// client-go refuses these combinations (NewLeaderElector): a leader that renews no earlier than
// its lease runs out, or tries once per deadline, loses the lease on the first slow answer.
std::optional<std::string> check_election(const LeaderElectionFlags& le) {
  if (le.lease_duration <= le.renew_deadline) {
    return "--leader-elect-lease-duration must be greater than --leader-elect-renew-deadline";
  }
  // client-go's JitterFactor: a retry may come 1.2 retry periods after the last.
  if (le.renew_deadline.count() * 10 <= le.retry_period.count() * 12) {
    return "--leader-elect-renew-deadline must be greater than 1.2 × "
           "--leader-elect-retry-period";
  }
  return std::nullopt;
}

bool is_dns_label(const std::string& s) {
  if (s.empty() || s.size() > 63 || s.front() == '-' || s.back() == '-') return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
}

}  // namespace

ParsedFlags parse_flags(const std::vector<std::string>& args) {
  ParsedFlags out;
  Flags& f = out.flags;
  std::string lease_duration = "15s", renew_deadline = "10s", retry_period = "2s";

  CLI::App app{"cellar-controller: keeps PostgreSQL backups as Kubernetes resources say.",
               "cellar-controller"};
  app.add_option("--kubeconfig", f.kubeconfig,
                 "kubeconfig file; default $KUBECONFIG, ~/.kube/config, else in-cluster")
      ->type_name("FILE");
  app.add_option("--namespace", f.ns, "watch only this namespace (default: all)")->type_name("NS");
  app.add_option("--agent-image", f.agent_image, "the image Jobs run cellar-agent from")
      ->type_name("IMAGE")
      ->capture_default_str();
  app.add_option("--workers", f.workers, "Backup reconcile workers")
      ->check(CLI::PositiveNumber)
      ->type_name("N")
      ->capture_default_str();
  app.add_option("--kube-api-qps", f.qps,
                 "sustained API requests a second (0: no client-side limit)")
      ->check(CLI::NonNegativeNumber)
      ->type_name("N")
      ->capture_default_str();
  app.add_option("--kube-api-burst", f.burst,
                 "API requests allowed in a burst, with --kube-api-qps")
      ->check(CLI::PositiveNumber)
      ->type_name("N")
      ->capture_default_str();
  app.add_option("--log-format", f.log_format, "text or json")
      ->check(CLI::IsMember({"text", "json"}))
      ->type_name("FORMAT")
      ->capture_default_str();
  app.add_option("--log-level", f.log_level, "trace, debug, info, warn or error")
      ->type_name("LEVEL")
      ->capture_default_str();
  app.add_option("--metrics-addr", f.metrics_addr,
                 "serve /metrics on host:port (:port: every interface; empty or 0: off)")
      ->expected(0, 1)
      ->type_name("ADDR");
  app.add_option("--health-addr", f.health_addr,
                 "serve /healthz and /readyz on host:port (:port: every interface; empty or 0: "
                 "off)")
      ->expected(0, 1)
      ->type_name("ADDR");
  app.add_flag("--leader-elect", f.leader_election.enabled,
               "work only while holding the Lease cellar-controller (one replica at a time)");
  app.add_option("--leader-elect-namespace", f.leader_election.ns,
                 "the Lease's namespace (default: the pod's, else the kubeconfig's, else "
                 "default)")
      ->type_name("NS");
  app.add_option("--leader-elect-lease-duration", lease_duration,
                 "how long a standby waits after the last renewal before taking over")
      ->type_name("DURATION")
      ->capture_default_str();
  app.add_option("--leader-elect-renew-deadline", renew_deadline,
                 "how long the leader keeps trying to renew before it stops")
      ->type_name("DURATION")
      ->capture_default_str();
  app.add_option("--leader-elect-retry-period", retry_period,
                 "between tries to acquire or renew the Lease")
      ->type_name("DURATION")
      ->capture_default_str();

  // CLI11 reads arguments from the back of the vector.
  std::vector<std::string> reversed(args.rbegin(), args.rend());
  try {
    app.parse(reversed);
  } catch (const CLI::CallForHelp&) {
    out.kind = ParsedFlags::Kind::kHelp;
    out.text = app.help();
    return out;
  } catch (const CLI::ParseError& e) {
    out.kind = ParsedFlags::Kind::kError;
    out.text = e.what();
    return out;
  }

  auto fail = [&out](std::string text) {
    out.kind = ParsedFlags::Kind::kError;
    out.text = std::move(text);
    return out;
  };
  LeaderElectionFlags& le = f.leader_election;
  for (auto [flag, text, target] :
       {std::tuple{"--leader-elect-lease-duration", &lease_duration, &le.lease_duration},
        std::tuple{"--leader-elect-renew-deadline", &renew_deadline, &le.renew_deadline},
        std::tuple{"--leader-elect-retry-period", &retry_period, &le.retry_period}}) {
    if (auto error = to_millis(flag, *text, *target)) return fail(*error);
  }
  if (auto error = check_election(le)) return fail(*error);
  if (!le.ns.empty() && !is_dns_label(le.ns)) {
    return fail("invalid value \"" + le.ns +
                "\" for --leader-elect-namespace: not a namespace name");
  }
  for (auto [flag, value] :
       {std::pair{"--metrics-addr", &f.metrics_addr}, std::pair{"--health-addr", &f.health_addr}}) {
    std::string error;
    if (!health::parse_listen_address(*value, &error)) {
      if (!error.empty())
        return fail("invalid value \"" + *value + "\" for " + flag + ": " + error);
    }
  }
  return out;
}

int exit_code(const ParsedFlags& parsed) {
  return parsed.kind == ParsedFlags::Kind::kHelp ? 0 : 2;
}

std::string lease_namespace(const std::string& flag,
                            const std::optional<std::string>& pod_namespace,
                            const std::string& kubeconfig_namespace) {
  if (!flag.empty()) return flag;
  if (pod_namespace) {
    std::string ns = *pod_namespace;
    while (!ns.empty() && (ns.back() == '\n' || ns.back() == ' ')) ns.pop_back();
    if (is_dns_label(ns)) return ns;
  }
  if (!kubeconfig_namespace.empty()) return kubeconfig_namespace;
  return "default";
}

}  // namespace cellar::cmd
