// cellar-controller: wires flags, configuration, the client, the Backup, BackupSchedule and
// Restore controllers, the health and metrics servers and (with --leader-elect) the elector, then
// waits for SIGTERM or SIGINT.
#include <malloc.h>
#include <signal.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "controller/backup/backup_controller.h"
#include "controller/cmd/controller_flags.h"
#include "controller/health/health_server.h"
#include "controller/health/liveness.h"
#include "controller/kube/config.h"
#include "controller/kube/connection_warmer.h"
#include "controller/kube/events.h"
#include "controller/kube/leader_election.h"
#include "controller/logging.h"
#include "controller/metrics/metrics_server.h"
#include "controller/notify/notifier.h"
#include "controller/restore/restore_controller.h"
#include "controller/schedule/schedule_controller.h"

namespace {

constexpr const char* kLeaseName = "cellar-controller";
constexpr const char* kPodNamespaceFile = "/var/run/secrets/kubernetes.io/serviceaccount/namespace";

std::string host_name() {
  char buf[256] = {};
  return gethostname(buf, sizeof buf - 1) == 0 ? buf : "cellar-controller";
}

std::optional<std::string> read_file(const char* path) {
  std::ifstream in(path);
  if (!in) return std::nullopt;
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

int main(int argc, char** argv) {
  // Two malloc arenas, not glibc's eight a core: each informer, worker and connection thread would
  // otherwise keep freed pages of its own, which made a 20,000-object cache's process half again as
  // large (see README's Benchmark figures).
  mallopt(M_ARENA_MAX, 2);
  // Blocks from 128 KiB up (API answers: a list page is megabytes) are mapped and unmapped on
  // their own, never carved from the heap, where the caches' small allocations made meanwhile
  // would keep their pages. Setting it also stops glibc from raising the threshold by itself.
  mallopt(M_MMAP_THRESHOLD, 128 * 1024);
  const auto parsed = cellar::cmd::parse_flags(std::vector<std::string>(argv + 1, argv + argc));
  if (parsed.kind == cellar::cmd::ParsedFlags::Kind::kHelp) {
    std::fputs(parsed.text.c_str(), stdout);
    return cellar::cmd::exit_code(parsed);
  }
  if (parsed.kind == cellar::cmd::ParsedFlags::Kind::kError) {
    std::fprintf(stderr, "cellar-controller: %s\nRun cellar-controller --help for the flags.\n",
                 parsed.text.c_str());
    return cellar::cmd::exit_code(parsed);
  }
  const cellar::cmd::Flags& flags = parsed.flags;
  const cellar::cmd::LeaderElectionFlags& election = flags.leader_election;
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
  // With leader election each replica names itself apart (the Lease's holder, Events' reporting
  // instance, the user agent the API server's audit log shows), and every write but the Lease's
  // passes the fence the elector keeps.
  const std::string identity =
      election.enabled ? cellar::kube::make_identity(host_name()) : host_name();
  auto fence = election.enabled ? std::make_shared<cellar::kube::WriteFence>() : nullptr;
  // Before the clients, which count their requests into it, and so destroyed after them.
  auto metrics = std::make_shared<cellar::metrics::ControllerMetrics>();
  cellar::kube::ClientOptions client_options;
  client_options.qps = flags.qps;
  client_options.burst = flags.burst;
  client_options.user_agent =
      election.enabled ? "cellar-controller (" + identity + ")" : "cellar-controller";
  client_options.fence = fence;
  client_options.on_request = metrics->request_observer();
  std::shared_ptr<cellar::kube::Transport> shared_transport = std::move(*transport);
  cellar::kube::Client client(shared_transport, client_options);
  // Events have a budget of their own, so a burst of them (a thousand schedules firing the same
  // minute) never delays the writes that do the work; past it they wait in the recorder's queue.
  cellar::kube::ClientOptions event_options = client_options;
  event_options.qps = 50;
  event_options.burst = 500;
  cellar::kube::Client event_client(shared_transport, event_options);
  cellar::kube::EventRecorder events(event_client, "cellar-controller", identity);

  cellar::backup::BackupControllerOptions options;
  options.ns = flags.ns;
  options.workers = flags.workers;
  options.job.agent_image = flags.agent_image;
  cellar::backup::BackupController backups(client, events, options);
  // Built before the Backup controller starts: it indexes and watches the same Backup cache.
  cellar::schedule::ScheduleControllerOptions schedule_options;
  schedule_options.ns = flags.ns;
  // Connections open a moment before a schedule fires, so its Backup's Job is as quick as an
  // applied one's. Built before the schedules, so it outlives their workers.
  cellar::kube::ConnectionWarmer warmer(client);
  cellar::schedule::ScheduleController schedules(client, events, backups.backups(),
                                                 schedule_options);
  schedules.observe_due([&warmer](auto at) { warmer.expect_burst_at(at); });
  // A scheduled Backup is reconciled from the create's answer, not after its watch event.
  schedules.observe_created([&backups](const nlohmann::json& b) { backups.adopt_created(b); });
  // Built before the Backup informer runs too: its initial list brings back the Backups a
  // previous process ended without telling their webhooks of.
  cellar::notify::Notifier notifier(client, events, schedules.schedules(), backups.backups());
  notifier.on_problem_change([&schedules](const std::string& key) { schedules.wake(key); });
  schedules.read_notification_problems(
      [&notifier](const std::string& key) { return notifier.problem_of(key); });
  cellar::restore::RestoreControllerOptions restore_options;
  restore_options.ns = flags.ns;
  restore_options.job = options.job;
  cellar::restore::RestoreController restores(client, events, backups.backups(), restore_options);
  auto start_workers = [&] {
    backups.start_workers();
    schedules.start_workers();
    restores.start_workers();
    notifier.start();
  };
  auto stop_controllers = [&] {
    notifier.stop();
    restores.stop();
    schedules.stop();
    backups.stop();
  };

  // The elector has a client of its own: no fence (it is what feeds the fence), a small budget,
  // and requests that give up by the renew deadline, as client-go's do.
  cellar::kube::ClientOptions lease_options = client_options;
  lease_options.fence = nullptr;
  lease_options.qps = 5;
  lease_options.burst = 10;
  lease_options.request_timeout = election.renew_deadline;
  cellar::kube::Client lease_client(shared_transport, lease_options);
  std::unique_ptr<cellar::kube::LeaderElector> elector;

  metrics->add_work_queue("backup", backups.queue());
  metrics->add_work_queue("backupschedule", schedules.queue());
  metrics->add_work_queue("restore", restores.queue());
  metrics->set_leader(kLeaseName, !election.enabled);
  backups.observe_reconciles(metrics->reconcile_observer("backup"));
  schedules.observe_reconciles(metrics->reconcile_observer("backupschedule"));
  restores.observe_reconciles(metrics->reconcile_observer("restore"));
  backups.observe_finished(
      [&metrics = *metrics](const cellar::api::Backup& b, cellar::api::Phase phase) {
        metrics.count_finished(b, phase);
      });
  schedules.observe_missed(
      [&metrics = *metrics, &notifier](const std::string& ns, const std::string& name, int missed) {
        metrics.count_missed(ns, name, missed);
        notifier.missed(ns, name, missed);
      });
  metrics->read_readiness(
      [&] { return backups.synced() && schedules.synced() && restores.synced(); });
  metrics->read_caches([&backups] { return backups.backups().list(); },
                       [&schedules] { return schedules.schedules().list(); });

  std::string error;
  std::unique_ptr<cellar::metrics::MetricsServer> metrics_server;
  if (auto address = cellar::health::parse_listen_address(flags.metrics_addr, &error)) {
    metrics_server = cellar::metrics::MetricsServer::start(*address, metrics, &error);
    if (!metrics_server) {
      spdlog::error("{}", error);
      return 1;
    }
    spdlog::info("serving /metrics on {}", flags.metrics_addr);
  }
  std::unique_ptr<cellar::health::HealthServer> health_server;
  if (auto address = cellar::health::parse_listen_address(flags.health_addr, &error)) {
    cellar::health::Probes probes;
    probes.live = [&]() {
      cellar::health::LoopSigns signs;
      signs.queues = {{"backup", backups.queue().oldest_held()},
                      {"backupschedule", schedules.queue().oldest_held()},
                      {"restore", restores.queue().oldest_held()}};
      if (elector) {
        signs.elector_last_loop = elector->last_loop();
        signs.elector_max_silence = election.lease_duration + election.retry_period;
      }
      return cellar::health::stalled_loop(signs, cellar::health::Clock::now());
    };
    // As controller-runtime's: ready once the caches synced, leader or standby alike.
    probes.ready = [&]() -> std::optional<std::string> {
      if (backups.synced() && schedules.synced() && restores.synced()) return std::nullopt;
      return "caches not synced yet";
    };
    health_server = cellar::health::HealthServer::start(*address, std::move(probes), &error);
    if (!health_server) {
      spdlog::error("{}", error);
      return 1;
    }
    spdlog::info("serving /healthz and /readyz on {}", flags.health_addr);
  }

  spdlog::info("cellar-controller starting: server {}, namespace {}, agent image {}",
               config->server, flags.ns.empty() ? "(all)" : flags.ns, flags.agent_image);
  const auto sync_timeout = std::chrono::minutes(2);
  if (!backups.sync_caches(sync_timeout) || !schedules.sync_caches(sync_timeout) ||
      !restores.sync_caches(sync_timeout)) {
    spdlog::error(
        "caches did not sync within 2 minutes; is the API server reachable and are "
        "the CRDs applied (kubectl apply -f crds/)?");
    stop_controllers();
    return 1;
  }
  // The initial lists were read as whole documents; the caches keep a small part of them. Give the
  // freed pages back, or the process keeps the lists' peak as its size for good.
  malloc_trim(0);

  if (election.enabled) {
    cellar::kube::LeaderElectionConfig le;
    le.ns = cellar::cmd::lease_namespace(election.ns, read_file(kPodNamespaceFile), config->ns);
    le.name = kLeaseName;
    le.identity = identity;
    le.lease_duration = election.lease_duration;
    le.renew_deadline = election.renew_deadline;
    le.retry_period = election.retry_period;
    cellar::kube::LeaderCallbacks callbacks;
    callbacks.started_leading = [&] {
      metrics->set_leader(kLeaseName, true);
      start_workers();
      spdlog::info("cellar-controller running as the leader");
    };
    callbacks.lost_leadership = [] {
      // The fence is closed already. Controllers are not torn down and restarted in place: the
      // process ends and its Deployment starts it again, as a standby.
      spdlog::critical("cellar-controller exiting: leadership lost");
      spdlog::shutdown();
      std::_Exit(1);
    };
    elector = std::make_unique<cellar::kube::LeaderElector>(lease_client, le, *fence,
                                                            std::move(callbacks));
    elector->start();
    spdlog::info("cellar-controller running as a standby until it holds lease {}/{}", le.ns,
                 kLeaseName);
  } else {
    start_workers();
    spdlog::info("cellar-controller running");
  }

  int sig = 0;
  sigwait(&signals, &sig);
  spdlog::info("cellar-controller stopping on {}", sig == SIGTERM ? "SIGTERM" : "SIGINT");
  // Controllers first, so that no write is under way when the lease goes to another replica.
  stop_controllers();
  if (elector) elector->stop_and_release();
  return 0;
}
