// kubectl-cellar: Cellar's kubectl plugin (`kubectl cellar backup now --from-schedule NAME
// --wait`, `kubectl cellar restore BACKUP --to-database NAME --wait`). main only wires the command
// line, the cluster's configuration and the client to the command; see backup_now.h, restore.h and
// wait_for_phase.h for what they do, exit_codes.h for how they end.
#include <algorithm>
#include <iostream>
#include <string>
#include <vector>

#include "controller/cli/backup_now.h"
#include "controller/cli/cli_options.h"
#include "controller/cli/cluster_config.h"
#include "controller/cli/exit_codes.h"
#include "controller/cli/restore.h"
#include "controller/kube/client.h"
#include "controller/logging.h"

namespace {

using namespace cellar::cli;

int usage_error(const UsageError& error) {
  // kubectl's convention: the error, the usage, exit 1.
  std::cerr << "error: " << error.message << "\n\n" << usage_text();
  return kExitFailure;
}

}  // namespace

int main(int argc, char** argv) {
  // The client logs through spdlog: keep stdout for the command's own lines, and show only what a
  // person should see (warnings and errors) on stderr.
  cellar::setup_logging("text", "warn");

  const ParsedCommandLine parsed =
      parse_command_line(std::vector<std::string>(argv + std::min(argc, 1), argv + argc));
  if (const auto* error = std::get_if<UsageError>(&parsed)) return usage_error(*error);
  if (std::holds_alternative<HelpRequest>(parsed)) {
    std::cout << usage_text();
    return kExitOk;
  }
  const ClusterFlags& cluster = std::holds_alternative<BackupNowCommand>(parsed)
                                    ? std::get<BackupNowCommand>(parsed).cluster
                                    : std::get<RestoreCommand>(parsed).cluster;

  auto config = load_cluster_config(cluster);
  if (!config.ok()) {
    std::cerr << "error: " << config.error().message << std::endl;
    return kExitFailure;
  }
  auto transport = cellar::kube::make_http_transport(config.value());
  if (!transport.ok()) {
    std::cerr << "error: cannot reach " << config->server << ": " << transport.error().message
              << std::endl;
    return kExitFailure;
  }
  cellar::kube::ClientOptions options;
  options.user_agent = "kubectl-cellar";
  cellar::kube::Client client(std::move(transport.value()), options);
  const std::string ns = target_namespace(cluster, config.value());
  if (const auto* restore = std::get_if<RestoreCommand>(&parsed)) {
    return run_restore(client, ns, restore->options, std::cout, std::cerr);
  }
  return run_backup_now(client, ns, std::get<BackupNowCommand>(parsed).options, std::cout,
                        std::cerr);
}
