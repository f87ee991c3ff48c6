// Opens connections to the API server just before a burst of requests is due, so that the burst
// does not pay for TCP and TLS handshakes on its critical path.
//
// Why: the HTTP client keeps idle connections for 30 to 60 seconds only, so after a quiet minute
// every request of a schedule's firing (the Backup's POST, then its Job's POST with the Secret
// and claim checks, the schedule's status) waited for a new connection, and a scheduled Backup
// got its Job about three times later than an applied one. A schedule knows its next due time, so
// a moment before it this opens a few connections with `GET /version` (readable by every
// authenticated client), once per due time however many schedules share it. The controller makes
// these reads only when a schedule is about to fire: an idle controller still makes none.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <set>
#include <thread>

#include "controller/kube/client.h"

namespace cellar::kube {

using WallClock = std::chrono::system_clock;

struct WarmStep {
  bool warm_now = false;
  // Due times dealt with: warmed now, or too late to be worth warming.
  std::set<WallClock::time_point> done;
  std::optional<WallClock::time_point> wake_at;  // when to look again; none: nothing pending
};

// What to do at `now` with the `pending` due times: warm when one is within `lead`, skip those
// already past, and otherwise sleep until the earliest is `lead` away.
WarmStep plan_warm(const std::set<WallClock::time_point>& pending, WallClock::time_point now,
                   std::chrono::milliseconds lead);

class ConnectionWarmer {
 public:
  // `connections` requests are made at once, so that many connections are open for the burst.
  ConnectionWarmer(Client& client, int connections = 6,
                   std::chrono::milliseconds lead = std::chrono::milliseconds(1000));
  ~ConnectionWarmer();
  ConnectionWarmer(const ConnectionWarmer&) = delete;
  ConnectionWarmer& operator=(const ConnectionWarmer&) = delete;

  // A burst of requests is due at `at` (a schedule's next time).
  void expect_burst_at(WallClock::time_point at);

 private:
  void run();
  void warm();

  Client& client_;
  const int connections_;
  const std::chrono::milliseconds lead_;
  std::mutex mu_;
  std::condition_variable wake_;
  std::set<WallClock::time_point> pending_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace cellar::kube
