// cellar_bench_list_pages --kubeconfig FILE [--objects N] [--page-size N] [--namespace NS]
//
// How long listing a large collection takes, as an informer's initial sync and `kubectl get
// --chunk-size` do it: makes sure NS holds N ConfigMaps (creating the missing ones with Cellar's
// own client), then times one full paged listing (each page, and the total) and one
// `resourceVersion=0` list, and prints the figures. It starts nothing itself: point it at a
// running cluster (cellar-test-cluster or a real one).
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include "controller/kube/client.h"
#include "controller/kube/config.h"

namespace {

using cellar::kube::Client;
using cellar::kube::ClientOptions;
using cellar::kube::json;
using cellar::kube::ListOptions;
using Clock = std::chrono::steady_clock;

struct Flags {
  std::string kubeconfig;
  std::string ns = "bench-list";
  long objects = 10000;
  long page_size = 500;
};

double ms_since(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

bool parse(int argc, char** argv, Flags& flags) {
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string arg = argv[i];
    const std::string value = argv[i + 1];
    if (arg == "--kubeconfig") {
      flags.kubeconfig = value;
    } else if (arg == "--namespace") {
      flags.ns = value;
    } else if (arg == "--objects") {
      flags.objects = std::atol(value.c_str());
    } else if (arg == "--page-size") {
      flags.page_size = std::atol(value.c_str());
    } else {
      return false;
    }
  }
  return !flags.kubeconfig.empty() && flags.objects > 0 && flags.page_size > 0 && argc % 2 == 1;
}

// Counts what NS holds now (one unpaged list), then creates the missing objects from 4 threads.
bool fill(Client& client, const Flags& flags) {
  const auto& configmaps = cellar::kube::resources::configmaps();
  auto ns = client.create(
      cellar::kube::resources::namespaces(), "",
      {{"apiVersion", "v1"}, {"kind", "Namespace"}, {"metadata", {{"name", flags.ns}}}});
  if (!ns.ok() && ns.error().code != 409) {
    std::cerr << "cannot create namespace " << flags.ns << ": " << ns.error().to_string() << "\n";
    return false;
  }
  std::atomic<long> next{0};
  std::atomic<long> failures{0};
  const auto start = Clock::now();
  std::vector<std::thread> writers;
  for (int w = 0; w < 4; ++w) {
    writers.emplace_back([&] {
      for (long i = next++; i < flags.objects; i = next++) {
        char name[32];
        std::snprintf(name, sizeof name, "bench-%06ld", i);
        json cm = {{"apiVersion", "v1"},
                   {"kind", "ConfigMap"},
                   {"metadata", {{"name", name}, {"labels", {{"bench", "list-pages"}}}}},
                   {"data", {{"payload", std::string(200, 'x')}, {"index", std::to_string(i)}}}};
        auto created = client.create(configmaps, flags.ns, cm);
        if (!created.ok() && created.error().code != 409) ++failures;
      }
    });
  }
  for (auto& w : writers) w.join();
  std::printf("filled %ld ConfigMaps in %s in %.0f ms (%ld failed)\n", flags.objects,
              flags.ns.c_str(), ms_since(start), failures.load());
  return failures.load() == 0;
}

}  // namespace

int main(int argc, char** argv) {
  Flags flags;
  if (!parse(argc, argv, flags)) {
    std::cerr << "usage: cellar_bench_list_pages --kubeconfig FILE [--objects N] [--page-size N] "
                 "[--namespace NS]\n";
    return 2;
  }
  auto config = cellar::kube::load_kubeconfig(flags.kubeconfig);
  if (!config.ok()) {
    std::cerr << config.error().to_string() << "\n";
    return 1;
  }
  auto transport = cellar::kube::make_http_transport(config.value());
  if (!transport.ok()) {
    std::cerr << transport.error().to_string() << "\n";
    return 1;
  }
  ClientOptions options;
  options.qps = 1e6;  // the server is measured, not the client's rate limit
  options.burst = 1000000;
  options.user_agent = "cellar-bench-list-pages";
  Client client(std::move(transport.value()), options);
  if (!fill(client, flags)) return 1;

  const auto& configmaps = cellar::kube::resources::configmaps();
  ListOptions page_options;
  page_options.limit = flags.page_size;
  std::vector<double> pages;
  size_t items = 0;
  const auto total_start = Clock::now();
  for (;;) {
    const auto start = Clock::now();
    auto page = client.list(configmaps, flags.ns, page_options);
    if (!page.ok()) {
      std::cerr << "page " << pages.size() + 1 << ": " << page.error().to_string() << "\n";
      return 1;
    }
    pages.push_back(ms_since(start));
    items += page->value("items", json::array()).size();
    std::string next = page->value("/metadata/continue"_json_pointer, "");
    if (next.empty()) break;
    page_options.continue_token = std::move(next);
  }
  const double total = ms_since(total_start);
  std::printf("paged list (limit %ld): %zu items in %zu pages, %.1f ms total\n", flags.page_size,
              items, pages.size(), total);
  for (size_t i = 0; i < pages.size(); ++i) std::printf("  page %2zu: %7.1f ms\n", i + 1, pages[i]);
  std::vector<double> sorted = pages;
  std::sort(sorted.begin(), sorted.end());
  std::printf("  per page: min %.1f ms, median %.1f ms, max %.1f ms\n", sorted.front(),
              sorted[sorted.size() / 2], sorted.back());

  ListOptions from_cache;
  from_cache.resource_version = "0";
  from_cache.limit = flags.page_size;  // ignored by the watch cache, as kube-apiserver does
  const auto cache_start = Clock::now();
  auto whole = client.list(configmaps, flags.ns, from_cache);
  if (!whole.ok()) {
    std::cerr << "resourceVersion=0 list: " << whole.error().to_string() << "\n";
    return 1;
  }
  std::printf("resourceVersion=0 list (limit %ld asked): %zu items in %.1f ms\n", flags.page_size,
              whole->value("items", json::array()).size(), ms_since(cache_start));
  return 0;
}
