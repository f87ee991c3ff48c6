#include "tests/bench/arrivals.h"

#include <algorithm>
#include <cmath>
#include <iostream>

namespace cellar::bench {

Arrivals::Arrivals(kube::Client& client, kube::Resource resource, std::string ns,
                   std::string label_selector, Classifier classify)
    : client_(client),
      resource_(std::move(resource)),
      ns_(std::move(ns)),
      selector_(std::move(label_selector)),
      classify_(std::move(classify)) {
  // Start from the current version, so only what happens from now on is marked.
  kube::ListOptions options;
  options.label_selector = selector_;
  options.limit = 1;
  auto list = client_.list(resource_, ns_, options);
  std::string rv = list.ok() ? list->value("/metadata/resourceVersion"_json_pointer, "") : "";
  thread_ = std::thread([this, rv] { run(rv); });
}

Arrivals::~Arrivals() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
    if (watch_) watch_->stop();
  }
  thread_.join();
}

void Arrivals::run(std::string resource_version) {
  while (true) {
    kube::WatchOptions options;
    options.resource_version = resource_version;
    options.label_selector = selector_;
    auto opened = client_.watch(resource_, ns_, options);
    if (!opened.ok()) {
      std::cerr << "watch " << resource_.plural << ": " << opened.error().to_string() << "\n";
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    } else {
      {
        std::lock_guard<std::mutex> lock(mu_);
        if (stopping_) return;
        watch_ = std::move(*opened);
      }
      while (auto event = watch_->next()) {
        const Arrival now{Clock::now(), WallClock::now()};
        if (event->type == "ERROR") break;  // too old: the benchmark is short, start afresh
        resource_version =
            event->object.value("/metadata/resourceVersion"_json_pointer, resource_version);
        if (event->type == "BOOKMARK") continue;
        std::vector<std::string> marks = classify_(*event);
        if (marks.empty()) continue;
        std::lock_guard<std::mutex> lock(mu_);
        for (auto& m : marks) marks_.emplace(std::move(m), now);
        changed_.notify_all();
      }
    }
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_) return;
  }
}

std::optional<Arrival> Arrivals::wait_for(const std::string& mark,
                                          std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lock(mu_);
  std::optional<Arrival> found;
  changed_.wait_for(lock, timeout, [&] {
    auto it = marks_.find(mark);
    if (it != marks_.end()) found = it->second;
    return found.has_value();
  });
  return found;
}

std::map<std::string, Arrival> Arrivals::with_prefix(const std::string& prefix) const {
  std::lock_guard<std::mutex> lock(mu_);
  std::map<std::string, Arrival> out;
  for (auto it = marks_.lower_bound(prefix); it != marks_.end() && it->first.starts_with(prefix);
       ++it) {
    out.insert(*it);
  }
  return out;
}

double percentile(std::vector<double> values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const auto rank = static_cast<size_t>(std::ceil(p / 100.0 * static_cast<double>(values.size())));
  return values[std::clamp<size_t>(rank, 1, values.size()) - 1];
}

}  // namespace cellar::bench
