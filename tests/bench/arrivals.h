// When things were first seen, by the benchmark's own clock: one watch on its own connection per
// resource, and a classifier that turns each event into the moments it marks ("job:<name>" when a
// Job is first seen, "done:<name>" when it completes, ...). Reading times from watches rather
// than from the controller's logs measures what a user's `kubectl get -w` would see.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "controller/kube/client.h"

namespace cellar::bench {

using Clock = std::chrono::steady_clock;
using WallClock = std::chrono::system_clock;

struct Arrival {
  Clock::time_point steady;
  WallClock::time_point wall;
};

// The marks an event sets; only a mark's first time is kept.
using Classifier = std::function<std::vector<std::string>(const kube::WatchEvent&)>;

class Arrivals {
 public:
  // Watches `resource` in `ns` (label_selector may be empty) from now on, on `client`, which
  // should be the benchmark's own (a connection of its own).
  Arrivals(kube::Client& client, kube::Resource resource, std::string ns,
           std::string label_selector, Classifier classify);
  ~Arrivals();
  Arrivals(const Arrivals&) = delete;
  Arrivals& operator=(const Arrivals&) = delete;

  // The mark's first time; waits up to `timeout` for it.
  std::optional<Arrival> wait_for(const std::string& mark, std::chrono::milliseconds timeout);
  // Every mark starting with `prefix`, with its time.
  std::map<std::string, Arrival> with_prefix(const std::string& prefix) const;

 private:
  void run(std::string resource_version);

  kube::Client& client_;
  kube::Resource resource_;
  std::string ns_;
  std::string selector_;
  Classifier classify_;
  mutable std::mutex mu_;
  std::condition_variable changed_;
  std::map<std::string, Arrival> marks_;
  bool stopping_ = false;
  std::unique_ptr<kube::Watch> watch_;
  std::thread thread_;
};

// Percentile `p` (0-100) of `values`, nearest rank; 0 when empty.
double percentile(std::vector<double> values, double p);

}  // namespace cellar::bench
