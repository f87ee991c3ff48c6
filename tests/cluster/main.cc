// cellar-test-cluster --kubeconfig-out FILE --volume-root DIR [--port N] [--image IMAGE=PATH]...
//                     [--watch-window DURATION]
//
// Wires the test cluster together: TLS identity and token, store and registry, the in-cluster
// controllers (CRDs, garbage collection, the job runner), the API server on 127.0.0.1, and the
// kubeconfig. Prints `ready` once it serves; SIGTERM or SIGINT stop it cleanly.
#include <signal.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>
#include <optional>
#include <string>

#include "tests/cluster/api_server.h"
#include "tests/cluster/crd_controller.h"
#include "tests/cluster/garbage_collector.h"
#include "tests/cluster/http_server.h"
#include "tests/cluster/kubeconfig_writer.h"
#include "tests/cluster/registry.h"
#include "tests/cluster/store.h"
#include "tests/cluster/tls_material.h"
#ifdef CELLAR_TEST_CLUSTER_JOBS
#include "tests/cluster/job_runner.h"
#endif

namespace {

using namespace cellar::testcluster;

struct Flags {
  std::string kubeconfig_out;
  std::string volume_root;
  int port = 0;
  std::map<std::string, std::string> images;
  // How long each resource's watch window keeps events: kube-apiserver's 75 s unless a test
  // wants 410s sooner.
  std::chrono::milliseconds watch_window{std::chrono::seconds{75}};
};

// "500ms", "5s", "2m": a positive duration, as Go's flags spell the common ones.
std::optional<std::chrono::milliseconds> parse_duration(const std::string& text) {
  size_t used = 0;
  long long count = 0;
  try {
    count = std::stoll(text, &used);
  } catch (...) {
    return std::nullopt;
  }
  const std::string unit = text.substr(used);
  if (count <= 0) return std::nullopt;
  if (unit == "ms") return std::chrono::milliseconds{count};
  if (unit == "s") return std::chrono::seconds{count};
  if (unit == "m") return std::chrono::minutes{count};
  return std::nullopt;
}

int usage(const std::string& problem) {
  std::cerr << "cellar-test-cluster: " << problem << "\n"
            << "usage: cellar-test-cluster --kubeconfig-out FILE --volume-root DIR [--port N] "
               "[--image IMAGE=PATH]... [--watch-window DURATION]\n";
  return 2;
}

// Parses the flags (`--flag value` or `--flag=value`); an error message when they are wrong.
std::string parse_flags(int argc, char** argv, Flags* flags) {
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    std::string value;
    bool has_value = false;
    if (size_t eq = arg.find('='); arg.starts_with("--") && eq != std::string::npos) {
      value = arg.substr(eq + 1);
      arg = arg.substr(0, eq);
      has_value = true;
    }
    auto take = [&]() -> bool {
      if (has_value) return true;
      if (i + 1 >= argc) return false;
      value = argv[++i];
      return true;
    };
    if (arg == "--kubeconfig-out" && take()) {
      flags->kubeconfig_out = value;
    } else if (arg == "--volume-root" && take()) {
      flags->volume_root = value;
    } else if (arg == "--port" && take()) {
      try {
        flags->port = std::stoi(value);
      } catch (...) {
        return "--port wants a number, not " + value;
      }
      if (flags->port < 0 || flags->port > 65535) return "--port out of range: " + value;
    } else if (arg == "--image" && take()) {
      size_t eq = value.find('=');
      if (eq == std::string::npos || eq == 0 || eq + 1 == value.size()) {
        return "--image wants IMAGE=PATH, not " + value;
      }
      flags->images[value.substr(0, eq)] = value.substr(eq + 1);
    } else if (arg == "--watch-window" && take()) {
      auto window = parse_duration(value);
      if (!window) return "--watch-window wants a duration such as 5s or 500ms, not " + value;
      flags->watch_window = *window;
    } else {
      return "unknown or incomplete flag " + arg;
    }
  }
  if (flags->kubeconfig_out.empty()) return "--kubeconfig-out is required";
  if (flags->volume_root.empty()) return "--volume-root is required";
  return "";
}

// The namespaces every cluster starts with.
void create_initial_namespaces(Store& store, Registry& registry) {
  auto type = registry.find("", "v1", "namespaces");
  for (const char* name : {"default", "kube-system", "kube-public", "kube-node-lease"}) {
    json ns = {{"apiVersion", "v1"}, {"kind", "Namespace"}, {"metadata", {{"name", name}}}};
    auto created = store.create(*type, ns);
    if (!created.ok() && created.error().code != 409) {
      spdlog::warn("cannot create namespace {}: {}", name, created.error().message);
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  Flags flags;
  if (std::string problem = parse_flags(argc, argv, &flags); !problem.empty()) {
    return usage(problem);
  }
  // Every thread started from here on inherits the mask, so only sigwait below sees them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  // The log goes to stderr: stdout carries only `ready`, which starters wait for.
  spdlog::set_default_logger(spdlog::stderr_color_mt("cellar-test-cluster"));
  if (const char* level = std::getenv("CELLAR_LOG_LEVEL")) {
    spdlog::set_level(spdlog::level::from_str(level));
  }

  std::error_code ec;
  std::filesystem::create_directories(flags.volume_root, ec);
  if (ec) {
    std::cerr << "cellar-test-cluster: cannot make " << flags.volume_root << ": " << ec.message()
              << "\n";
    return 1;
  }
  std::string error;
  auto tls = make_tls_material(&error);
  if (!tls) {
    std::cerr << "cellar-test-cluster: " << error << "\n";
    return 1;
  }
  const std::string token = make_bearer_token();

  WatchWindowOptions window;
  window.fresh_duration = flags.watch_window;
  Store store(10000, window);
  Registry registry;
  create_initial_namespaces(store, registry);
  CrdController crds(store, registry);
  crds.start();
  GarbageCollector collector(store, registry);
  collector.start();
#ifdef CELLAR_TEST_CLUSTER_JOBS
  JobRunnerOptions runner_options;
  runner_options.volume_root = flags.volume_root;
  runner_options.images = flags.images;
  JobRunner runner(store, registry, runner_options);
  runner.start();
#else
  // TODO(jobs): the job runner library is not built yet; Jobs stay as they are created.
  spdlog::warn("built without the job runner: Jobs will not run");
#endif

  ApiServer api(store, registry, ApiServerOptions{token});
  HttpServer http({flags.port, tls->server_cert_pem, tls->server_key_pem},
                  [&api](const HttpRequestData& request, Responder& responder) {
                    api.handle(request, responder);
                  });
  if (!http.start(&error)) {
    std::cerr << "cellar-test-cluster: " << error << "\n";
    return 1;
  }
  const std::string address = "127.0.0.1:" + std::to_string(http.port());
  api.attach(address, [&http] { http.cut_streams(); });
  if (!write_kubeconfig(flags.kubeconfig_out, {"https://" + address, tls->ca_cert_pem, token},
                        &error)) {
    std::cerr << "cellar-test-cluster: " << error << "\n";
    return 1;
  }
  spdlog::info("serving https://{} (kubeconfig {})", address, flags.kubeconfig_out);
  std::cout << "ready" << std::endl;

  int signo = 0;
  sigwait(&stop_signals, &signo);
  spdlog::info("stopping on signal {}", signo);
  const auto stop_started = std::chrono::steady_clock::now();
  auto elapsed_ms = [&stop_started] {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                                 stop_started)
        .count();
  };
  api.close_watches();
  http.stop();
  spdlog::debug("API server stopped after {} ms", elapsed_ms());
#ifdef CELLAR_TEST_CLUSTER_JOBS
  runner.stop();
  spdlog::debug("job runner stopped after {} ms", elapsed_ms());
#endif
  collector.stop();
  spdlog::debug("garbage collector stopped after {} ms", elapsed_ms());
  crds.stop();
  spdlog::info("stopped in {} ms", elapsed_ms());
  return 0;
}
