#include "controller/health/liveness.h"

namespace cellar::health {
namespace {

long long seconds(Clock::duration d) {
  return std::chrono::duration_cast<std::chrono::seconds>(d).count();
}

}  // namespace

std::optional<std::string> stalled_loop(const LoopSigns& signs, Clock::time_point now) {
  for (const auto& q : signs.queues) {
    if (q.oldest_held && now - *q.oldest_held > signs.max_reconcile) {
      return q.controller + " worker has held one key for " +
             std::to_string(seconds(now - *q.oldest_held)) + "s";
    }
  }
  if (signs.elector_last_loop && now - *signs.elector_last_loop > signs.elector_max_silence) {
    return "leader election loop has not run for " +
           std::to_string(seconds(now - *signs.elector_last_loop)) + "s";
  }
  return std::nullopt;
}

}  // namespace cellar::health
