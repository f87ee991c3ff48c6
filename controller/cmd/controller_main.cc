// cellar-controller: wires flags, configuration, the client and the Backup, BackupSchedule and
// Restore controllers, then waits for SIGTERM or SIGINT.
#include <malloc.h>
#include <signal.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <string>

#include "controller/backup/backup_controller.h"
#include "controller/kube/config.h"
#include "controller/kube/events.h"
#include "controller/logging.h"
#include "controller/restore/restore_controller.h"
#include "controller/schedule/schedule_controller.h"

namespace {

constexpr const char* kUsage =
    "usage: cellar-controller [--kubeconfig FILE] [--namespace NS] [--agent-image IMAGE]\n"
    "                         [--workers N] [--kube-api-qps N] [--kube-api-burst N]\n"
    "                         [--log-format text|json] [--log-level LEVEL]\n";

struct Flags {
  std::string kubeconfig;
  std::string ns;
  std::string agent_image = "cellar-agent:0.1.0";
  int workers = 4;
  double qps = 200;
  int burst = 400;
  std::string log_format = "text";
  std::string log_level = "info";
};

bool parse_flags(int argc, char** argv, Flags& f, std::string& error) {
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    std::string value;
    if (auto eq = arg.find('='); eq != std::string::npos) {
      value = arg.substr(eq + 1);
      arg = arg.substr(0, eq);
    } else if (arg != "--help" && i + 1 < argc) {
      value = argv[++i];
    } else if (arg != "--help") {
      error = arg + " needs a value";
      return false;
    }
    try {
      if (arg == "--help") {
        error.clear();
        return false;
      } else if (arg == "--kubeconfig") {
        f.kubeconfig = value;
      } else if (arg == "--namespace") {
        f.ns = value;
      } else if (arg == "--agent-image") {
        f.agent_image = value;
      } else if (arg == "--workers") {
        f.workers = std::stoi(value);
        if (f.workers < 1) throw std::invalid_argument("workers");
      } else if (arg == "--kube-api-qps") {
        f.qps = std::stod(value);
      } else if (arg == "--kube-api-burst") {
        f.burst = std::stoi(value);
      } else if (arg == "--log-format") {
        f.log_format = value;
      } else if (arg == "--log-level") {
        f.log_level = value;
      } else {
        error = "unknown flag " + arg;
        return false;
      }
    } catch (const std::exception&) {
      error = "bad value for " + arg + ": " + value;
      return false;
    }
  }
  return true;
}

std::string host_name() {
  char buf[256] = {};
  return gethostname(buf, sizeof buf - 1) == 0 ? buf : "cellar-controller";
}

}  // namespace

int main(int argc, char** argv) {
  // Two malloc arenas, not glibc's eight a core: each informer, worker and connection thread would
  // otherwise keep freed pages of its own, which made a 20,000-object cache's process half again as
  // large (see README's Benchmark figures).
  mallopt(M_ARENA_MAX, 2);
  Flags flags;
  std::string error;
  if (!parse_flags(argc, argv, flags, error)) {
    if (!error.empty()) std::fprintf(stderr, "cellar-controller: %s\n", error.c_str());
    std::fputs(kUsage, stderr);
    return error.empty() ? 0 : 2;
  }
  if (!cellar::setup_logging(flags.log_format, flags.log_level)) {
    std::fprintf(stderr, "cellar-controller: --log-format must be text or json\n");
    return 2;
  }

  // Signals are taken by sigwait below; every thread started after this inherits the mask.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  auto config = cellar::kube::load_config(flags.kubeconfig);
  if (!config.ok()) {
    spdlog::error("no cluster configuration: {}", config.error().to_string());
    return 1;
  }
  auto transport = cellar::kube::make_http_transport(*config);
  if (!transport.ok()) {
    spdlog::error("cannot reach {}: {}", config->server, transport.error().to_string());
    return 1;
  }
  cellar::kube::ClientOptions client_options;
  client_options.qps = flags.qps;
  client_options.burst = flags.burst;
  client_options.user_agent = "cellar-controller";
  std::shared_ptr<cellar::kube::Transport> shared_transport = std::move(*transport);
  cellar::kube::Client client(shared_transport, client_options);
  // Events have a budget of their own, so a burst of them (a thousand schedules firing the same
  // minute) never delays the writes that do the work; past it they wait in the recorder's queue.
  cellar::kube::ClientOptions event_options = client_options;
  event_options.qps = 50;
  event_options.burst = 500;
  cellar::kube::Client event_client(shared_transport, event_options);
  cellar::kube::EventRecorder events(event_client, "cellar-controller", host_name());

  cellar::backup::BackupControllerOptions options;
  options.ns = flags.ns;
  options.workers = flags.workers;
  options.job.agent_image = flags.agent_image;
  cellar::backup::BackupController backups(client, events, options);
  // Built before the Backup controller starts: it indexes and watches the same Backup cache.
  cellar::schedule::ScheduleControllerOptions schedule_options;
  schedule_options.ns = flags.ns;
  cellar::schedule::ScheduleController schedules(client, events, backups.backups(),
                                                 schedule_options);
  cellar::restore::RestoreControllerOptions restore_options;
  restore_options.ns = flags.ns;
  restore_options.job = options.job;
  cellar::restore::RestoreController restores(client, events, backups.backups(), restore_options);
  spdlog::info("cellar-controller starting: server {}, namespace {}, agent image {}",
               config->server, flags.ns.empty() ? "(all)" : flags.ns, flags.agent_image);
  const auto sync_timeout = std::chrono::minutes(2);
  if (!backups.start(sync_timeout) || !schedules.start(sync_timeout) ||
      !restores.start(sync_timeout)) {
    spdlog::error(
        "caches did not sync within 2 minutes; is the API server reachable and are "
        "the CRDs applied (kubectl apply -f crds/)?");
    restores.stop();
    schedules.stop();
    backups.stop();
    return 1;
  }
  // The initial lists were read as whole documents; the caches keep a small part of them. Give the
  // freed pages back, or the process keeps the lists' peak as its size for good.
  malloc_trim(0);
  spdlog::info("cellar-controller running");

  int sig = 0;
  sigwait(&signals, &sig);
  spdlog::info("cellar-controller stopping on {}", sig == SIGTERM ? "SIGTERM" : "SIGINT");
  restores.stop();
  schedules.stop();
  backups.stop();
  return 0;
}
