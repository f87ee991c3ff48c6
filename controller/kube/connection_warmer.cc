#include "controller/kube/connection_warmer.h"

#include <spdlog/spdlog.h>

#include <vector>

namespace cellar::kube {

// More due times than this waiting is a bug somewhere, not a need: the oldest are dropped.
constexpr size_t kMaxPending = 1024;

WarmStep plan_warm(const std::set<WallClock::time_point>& pending, WallClock::time_point now,
                   std::chrono::milliseconds lead) {
  WarmStep step;
  for (WallClock::time_point at : pending) {
    if (at <= now) {
      step.done.insert(at);  // the burst has begun: opening connections now only competes with it
    } else if (at - now <= lead) {
      step.warm_now = true;
      step.done.insert(at);
    } else {
      step.wake_at = at - lead;
      break;  // the set is ordered: the rest are later still
    }
  }
  return step;
}

ConnectionWarmer::ConnectionWarmer(Client& client, int connections, std::chrono::milliseconds lead)
    : client_(client), connections_(connections), lead_(lead) {}

ConnectionWarmer::~ConnectionWarmer() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void ConnectionWarmer::expect_burst_at(WallClock::time_point at) {
  {
    std::lock_guard lock(mu_);
    if (stopping_ || !pending_.insert(at).second) return;
    while (pending_.size() > kMaxPending) pending_.erase(pending_.begin());
    // Started by the first due time: a controller with no schedules keeps no thread for it.
    if (!thread_.joinable()) thread_ = std::thread([this] { run(); });
  }
  wake_.notify_all();
}

void ConnectionWarmer::run() {
  std::unique_lock lock(mu_);
  while (!stopping_) {
    WarmStep step = plan_warm(pending_, WallClock::now(), lead_);
    for (WallClock::time_point at : step.done) pending_.erase(at);
    if (step.warm_now) {
      lock.unlock();
      warm();
      lock.lock();
      continue;
    }
    if (step.wake_at) {
      wake_.wait_until(lock, *step.wake_at);
    } else {
      wake_.wait(lock);
    }
  }
}

void ConnectionWarmer::warm() {
  // Concurrent, so that each takes a connection of its own (and leaves it in the pool).
  std::vector<std::thread> requests;
  requests.reserve(static_cast<size_t>(connections_));
  for (int i = 0; i < connections_; ++i) {
    requests.emplace_back([this] {
      auto answer = client_.request("GET", "/version");
      if (!answer.ok()) spdlog::debug("warming a connection: {}", answer.error().to_string());
    });
  }
  for (std::thread& t : requests) t.join();
}

}  // namespace cellar::kube
