// cellar-controller's /healthz, /readyz and /metrics, over real HTTP, and promtool's verdict on
// the metrics text.
#include <thread>

#include "tests/e2e/replicas_fixture.h"
#include "tests/support/loopback_port.h"

namespace cellar::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

int status_of(const CommandResult& r) {
  auto nl = r.out.rfind('\n');
  return nl == std::string::npos ? 0 : std::atoi(r.out.c_str() + nl + 1);
}

std::string body_of(const CommandResult& r) {
  auto nl = r.out.rfind('\n');
  return nl == std::string::npos ? r.out : r.out.substr(0, nl);
}

class ProbesE2E : public ReplicasE2E {
 protected:
  // Waits until `url` answers `status`; false after `timeout`.
  bool wait_for_status(const std::string& url, int status, seconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      if (status_of(http_get(url)) == status) return true;
      std::this_thread::sleep_for(milliseconds(20));
    }
    return false;
  }
};

TEST_F(ProbesE2E, ReadyOnlyOnceCachesSyncLiveAllAlong) {
  // Lists of Backups fail until the fault is lifted, so the caches cannot sync.
  ASSERT_TRUE(cluster_
                  ->post_hook("faults", {{"failNext",
                                          {{"count", 1000000},
                                           {"code", 500},
                                           {"pathPrefix", "/apis/cellar.dev/v1alpha1/backups"}}}})
                  .ok());
  const int health = free_loopback_port();
  const std::string base = "http://127.0.0.1:" + std::to_string(health);
  start_replica({"--health-addr", "127.0.0.1:" + std::to_string(health)});
  ASSERT_TRUE(wait_for_status(base + "/healthz", 200, seconds(20)));
  auto ready = http_get(base + "/readyz");
  EXPECT_EQ(status_of(ready), 503) << ready.describe();
  EXPECT_NE(body_of(ready).find("caches not synced"), std::string::npos) << ready.describe();

  ASSERT_TRUE(cluster_->post_hook("faults", {{"reset", true}}).ok());
  EXPECT_TRUE(wait_for_status(base + "/readyz", 200, seconds(20)));
  EXPECT_EQ(status_of(http_get(base + "/healthz")), 200);
  EXPECT_EQ(status_of(http_get(base + "/nothing")), 404);
}

TEST_F(ProbesE2E, StandbyIsReadyToo) {
  const int a = free_loopback_port();
  start_replica({"--health-addr", "127.0.0.1:" + std::to_string(a)});
  ASSERT_FALSE(wait_for_holder("", seconds(30)).empty());
  const int b = free_loopback_port();
  start_replica({"--health-addr", "127.0.0.1:" + std::to_string(b)});
  EXPECT_TRUE(
      wait_for_status("http://127.0.0.1:" + std::to_string(b) + "/readyz", 200, seconds(20)));
}

TEST_F(ProbesE2E, MetricsPassPromtool) {
  const int port = free_loopback_port();
  const std::string url = "http://127.0.0.1:" + std::to_string(port) + "/metrics";
  start_replica({"--metrics-addr", "127.0.0.1:" + std::to_string(port)});
  ASSERT_FALSE(wait_for_holder("", seconds(30)).empty());
  // cellar_leader turns 1 once the lease is held.
  std::string text;
  for (int i = 0; i < 100; ++i) {
    auto r = http_get(url);
    text = body_of(r);
    if (status_of(r) == 200 &&
        text.find("cellar_leader{lease=\"cellar-controller\"} 1") != std::string::npos) {
      break;
    }
    std::this_thread::sleep_for(milliseconds(50));
  }
  for (const char* want :
       {"process_cpu_seconds_total", "process_resident_memory_bytes", "process_start_time_seconds",
        "process_open_fds", "cellar_workqueue_depth{controller=\"backup\"}",
        "cellar_workqueue_depth{controller=\"backupschedule\"}",
        "cellar_workqueue_depth{controller=\"restore\"}", "cellar_workqueue_adds_total",
        "cellar_workqueue_retries_total", "cellar_leader{lease=\"cellar-controller\"} 1"}) {
    EXPECT_NE(text.find(want), std::string::npos) << want << "\n" << text;
  }
  auto check = run_command({"/usr/bin/promtool", "check", "metrics"}, {}, seconds(30), text);
  EXPECT_EQ(check.exit_code, 0) << check.describe() << "\n" << text;
}

}  // namespace
}  // namespace cellar::testing
