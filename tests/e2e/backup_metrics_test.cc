// The backup metrics on the real controller's /metrics: after a Completed and a Failed Backup the
// gauges and counters say so, and after a restart the gauges still hold the same values (they are
// read from the Backup cache, not remembered). promtool accepts every scrape.
#include <gmock/gmock.h>
#include <time.h>

#include <thread>

#include "tests/e2e/backup_fixture.h"
#include "tests/support/loopback_port.h"

namespace cellar::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class BackupMetricsE2E : public BackupE2E {
 protected:
  BackupMetricsE2E() { use_new_metrics_port(); }

  void use_new_metrics_port() {
    port_ = free_loopback_port();
    controller_args_ = {"--agent-image", kAgentImage, "--metrics-addr",
                        "127.0.0.1:" + std::to_string(port_)};
  }

  std::string scrape() {
    auto r = run_command({"/usr/bin/curl", "-sS", "-m", "5",
                          "http://127.0.0.1:" + std::to_string(port_) + "/metrics"},
                         {}, std::chrono::seconds(10));
    return r.exit_code == 0 ? r.out : "";
  }

  // The scrape once it holds `line`; the last scrape (and a failure) after 30 seconds.
  std::string scrape_until(const std::string& line) {
    std::string text;
    for (int i = 0; i < 300; ++i) {
      text = scrape();
      if (text.find(line) != std::string::npos) return text;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    ADD_FAILURE() << "/metrics never held " << line << "\n" << text;
    return text;
  }

  void expect_promtool_accepts(const std::string& text) {
    auto check =
        run_command({"/usr/bin/promtool", "check", "metrics"}, {}, std::chrono::seconds(30), text);
    EXPECT_EQ(check.exit_code, 0) << check.describe() << "\n" << text;
  }

  // A Backup of shop labelled as made by schedule `schedule` (none when empty), its password
  // from Secret `secret`.
  void apply_labelled_backup(const std::string& name, const std::string& schedule,
                             const std::string& secret) {
    std::string labels =
        schedule.empty() ? "" : "  labels:\n    cellar.dev/schedule: " + schedule + "\n";
    apply("apiVersion: cellar.dev/v1alpha1\nkind: Backup\nmetadata:\n  name: " + name + "\n" +
          labels +
          "spec:\n  database:\n    host: 127.0.0.1\n    port: " + std::to_string(pg_->port()) +
          "\n    name: shop\n    user: app\n    passwordSecretRef: {name: " + secret +
          ", key: password}\n  storage:\n    persistentVolumeClaim: {claimName: dumps, "
          "subPath: shop}\n");
  }

  static std::string epoch_text(const std::string& rfc3339) {
    struct tm tm = {};
    if (strptime(rfc3339.c_str(), "%Y-%m-%dT%H:%M:%SZ", &tm) == nullptr) return "?";
    return std::to_string(static_cast<long long>(timegm(&tm)));
  }

  int port_ = 0;
};

TEST_F(BackupMetricsE2E, ShowCompletedAndFailedBackupsAndSurviveARestart) {
  apply_secret_and_claim("s3cret-app-pw");
  apply_labelled_backup("good", "nightly", "db");
  apply_labelled_backup("bad", "", "missing");  // no such Secret: Failed before any Job
  ASSERT_TRUE(wait_for_phase("good", "Completed"));
  ASSERT_TRUE(wait_for_phase("bad", "Failed"));
  const std::string completed = epoch_text(status_field("good", ".status.completionTime"));
  const std::string failed = epoch_text(status_field("bad", ".status.completionTime"));
  const std::string size = status_field("good", ".status.sizeBytes");
  const std::string duration = status_field("good", ".status.durationSeconds");
  ASSERT_NE(size, "");

  const std::string success_line =
      "cellar_backup_last_success_timestamp_seconds{namespace=\"backups\",schedule=\"nightly\"} " +
      completed + "\n";
  std::string text = scrape_until(success_line);
  EXPECT_THAT(text, HasSubstr("cellar_backup_last_size_bytes{namespace=\"backups\",schedule="
                              "\"nightly\"} " +
                              size + "\n"));
  EXPECT_THAT(text, HasSubstr("cellar_backup_last_duration_seconds{namespace=\"backups\","
                              "schedule=\"nightly\"} " +
                              duration + "\n"));
  EXPECT_THAT(text, HasSubstr("cellar_backup_last_failure_timestamp_seconds{namespace=\"backups\","
                              "schedule=\"\"} " +
                              failed + "\n"));
  EXPECT_THAT(text, Not(HasSubstr("cellar_backup_last_success_timestamp_seconds{namespace="
                                  "\"backups\",schedule=\"\"}")));
  EXPECT_THAT(text, HasSubstr("cellar_backups_total{namespace=\"backups\",phase=\"Completed\","
                              "schedule=\"nightly\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("cellar_backups_total{namespace=\"backups\",phase=\"Failed\","
                              "schedule=\"\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("cellar_reconcile_duration_seconds_count{controller=\"backup\"}"));
  EXPECT_THAT(text, HasSubstr("cellar_reconcile_errors_total{controller=\"backup\"}"));
  EXPECT_THAT(text, HasSubstr("cellar_kube_requests_total{code=\"200\",verb=\"list\"}"));
  EXPECT_THAT(text, HasSubstr("cellar_kube_requests_total{code=\"201\",verb=\"create\"}"));
  EXPECT_THAT(text, HasSubstr("cellar_kube_requests_total{code=\"200\",verb=\"update\"}"));
  EXPECT_THAT(text, HasSubstr("cellar_ready 1\n"));
  expect_promtool_accepts(text);

  kill_controller(SIGTERM);
  use_new_metrics_port();
  start_controller();
  text = scrape_until(success_line);
  EXPECT_THAT(text, HasSubstr("cellar_backup_last_failure_timestamp_seconds{namespace=\"backups\","
                              "schedule=\"\"} " +
                              failed + "\n"));
  // Counters count what this process did: the restarted one finished no Backup.
  EXPECT_THAT(text, Not(HasSubstr("cellar_backups_total{")));
  expect_promtool_accepts(text);
}

}  // namespace
}  // namespace cellar::testing
