// Whether the controller's loops are alive, for /healthz: a pure decision over when each loop
// last showed a sign of life, so the rules have unit tests.
//
// A worker is stalled when it has held one key longer than a reconcile can take (each API call
// has a timeout; a reconcile makes a handful); the elector when its loop has not gone round for
// longer than a lease (it goes round every retry period). A stalled loop means a restart helps,
// which is what a failing liveness probe gets.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace cellar::health {

using Clock = std::chrono::steady_clock;

struct LoopSigns {
  struct Queue {
    std::string controller;
    std::optional<Clock::time_point> oldest_held;  // nullopt: no key held
  };
  std::vector<Queue> queues;
  std::chrono::milliseconds max_reconcile{std::chrono::minutes(5)};
  // Leader election only.
  std::optional<Clock::time_point> elector_last_loop;
  std::chrono::milliseconds elector_max_silence{0};
};

// nullopt when alive; else what is stalled, in words ("backup worker has held one key for 312s").
std::optional<std::string> stalled_loop(const LoopSigns& signs, Clock::time_point now);

}  // namespace cellar::health
