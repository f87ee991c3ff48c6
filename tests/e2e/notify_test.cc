// BackupSchedule notifications end to end: the real controller, agent, kubectl and PostgreSQL
// against cellar-test-cluster, posting to a WebhookReceiver on a loopback port. Each schedule is
// triggered by hand (cellar.dev/trigger), so no test waits for a minute to turn.
#include <signal.h>

#include <chrono>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>

#include "tests/cluster/tls_material.h"
#include "tests/e2e/schedule_fixture.h"
#include "tests/e2e/webhook_receiver.h"

namespace cellar::testing {
namespace {

using json = nlohmann::json;
using std::chrono::milliseconds;
using std::chrono::seconds;

// A token no log, Event or status may ever show.
constexpr const char* kToken = "T0KEN-d41d8cd98f00b204";

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

class NotifyE2E : public ScheduleE2E {
 protected:
  NotifyE2E() { ns_ = "notify"; }
  void SetUp() override {
    ASSERT_GT(receiver_.port(), 0) << "no loopback port for the webhook receiver";
    ScheduleE2E::SetUp();
  }

  std::string url() const {
    return "http://127.0.0.1:" + std::to_string(receiver_.port()) + "/hook/" + kToken;
  }
  // Secret "hooks" with the receiver's URL (or `other`) under key "url".
  void apply_hook_secret(const std::string& other = "") {
    apply("apiVersion: v1\nkind: Secret\nmetadata:\n  name: hooks\nstringData:\n  url: \"" +
          (other.empty() ? url() : other) + "\"\n");
  }
  // spec lines for one notification "ops" of `events` in `format`, its URL in Secret `secret`.
  static std::string notifications(const std::string& events, const std::string& format = "json",
                                   const std::string& secret = "hooks") {
    return "  notifications:\n  - name: ops\n    events: [" + events +
           "]\n    webhook:\n      urlSecretRef: {name: " + secret +
           ", key: url}\n      format: " + format + "\n";
  }
  // A schedule that never fires by itself, triggered once now; the Backup's name.
  std::string run_once(const std::string& schedule, const std::string& spec) {
    apply_schedule(schedule, "0 0 1 1 *", spec, "now");
    return wait_for_triggered(schedule, "now");
  }
  json body(size_t i) {
    auto posts = receiver_.posts();
    if (i >= posts.size()) return nullptr;
    return json::parse(posts[i].body, nullptr, false);
  }
  // The URL's token is nowhere the controller writes for people: logs, Events, statuses.
  void expect_url_nowhere() {
    for (int i = 1; i <= controller_starts_; ++i) {
      const std::string log = slurp(cluster_->dir() + "/controller-" + std::to_string(i) + ".log");
      EXPECT_EQ(log.find(kToken), std::string::npos) << "controller log " << i << " shows the URL";
    }
    EXPECT_EQ(kubectl({"get", "events", "-o", "json"}).find(kToken), std::string::npos);
    EXPECT_EQ(kubectl({"get", "backupschedules", "-o", "json"}).find(kToken), std::string::npos);
    EXPECT_EQ(kubectl({"get", "backups", "-o", "json"}).find(kToken), std::string::npos);
  }
  std::string mark(const std::string& backup) {
    return get_backup(backup)["metadata"]
        .value("annotations", json::object())
        .value("cellar.dev/notified-ops", "");
  }

  WebhookReceiver receiver_;
};

TEST_F(NotifyE2E, FailedBackupPostsJsonWithTheServersMessage) {
  apply_secret_and_claim("not-the-password");
  apply_hook_secret();
  const std::string name = run_once("failing", notifications("Failed, Completed"));
  ASSERT_FALSE(name.empty());
  ASSERT_TRUE(wait_for_phase(name, "Failed"));
  const auto failed_at = std::chrono::steady_clock::now();
  ASSERT_TRUE(receiver_.wait_for(1, seconds(10))) << "no notification within 10 s";
  std::cout << "notified "
            << std::chrono::duration_cast<milliseconds>(std::chrono::steady_clock::now() -
                                                        failed_at)
                   .count()
            << " ms after kubectl saw Failed\n";
  json j = body(0);
  EXPECT_EQ(receiver_.posts()[0].path, std::string("/hook/") + kToken);
  EXPECT_EQ(j["event"], "Failed");
  EXPECT_EQ(j["phase"], "Failed");
  EXPECT_EQ(j["namespace"], ns_);
  EXPECT_EQ(j["schedule"], "failing");
  EXPECT_EQ(j["backup"], name);
  EXPECT_NE(j.value("message", "").find("password authentication failed"), std::string::npos)
      << j.dump();
  EXPECT_TRUE(eventually([&] { return mark(name) == "Failed"; }, 10));
  std::this_thread::sleep_for(seconds(2));
  EXPECT_EQ(receiver_.posts().size(), 1u);
  expect_url_nowhere();
}

TEST_F(NotifyE2E, CompletedBackupPostsSizeAndDuration) {
  apply_hook_secret();
  const std::string name = run_once("good", notifications("Completed"));
  ASSERT_FALSE(name.empty());
  ASSERT_TRUE(wait_for_phase(name, "Completed"));
  ASSERT_TRUE(receiver_.wait_for(1, seconds(10)));
  json j = body(0);
  EXPECT_EQ(j["event"], "Completed");
  EXPECT_EQ(j["phase"], "Completed");
  EXPECT_EQ(j["backup"], name);
  EXPECT_GT(j.value("sizeBytes", 0), 0) << j.dump();
  EXPECT_TRUE(j["durationSeconds"].is_number_integer()) << j.dump();
  EXPECT_EQ(j["location"], status_field(name, ".status.location"));
  EXPECT_EQ(j["time"], status_field(name, ".status.completionTime"));
  ASSERT_TRUE(eventually(
      [&] {
        json c;
        for (const auto& x : get_schedule("good")["status"].value("conditions", json::array())) {
          if (x.value("type", "") == "NotificationsReady") c = x;
        }
        return c.is_object() && c.value("status", "") == "True";
      },
      10))
      << get_schedule("good").dump(2);
}

TEST_F(NotifyE2E, SlackFormatPostsText) {
  apply_hook_secret();
  const std::string name = run_once("chatty", notifications("Completed", "slack"));
  ASSERT_FALSE(name.empty());
  ASSERT_TRUE(wait_for_phase(name, "Completed"));
  ASSERT_TRUE(receiver_.wait_for(1, seconds(10)));
  json j = body(0);
  ASSERT_TRUE(j.is_object()) << receiver_.posts()[0].body;
  EXPECT_EQ(j.size(), 1u) << j.dump();
  EXPECT_NE(
      j.value("text", "").find("Backup " + name + " of schedule " + ns_ + "/chatty completed"),
      std::string::npos)
      << j.dump();
}

TEST_F(NotifyE2E, ReceiverDownForTwentySecondsGetsItExactlyOnce) {
  receiver_.down();
  apply_hook_secret();
  const std::string name = run_once("patient", notifications("Completed"));
  ASSERT_FALSE(name.empty());
  ASSERT_TRUE(wait_for_phase(name, "Completed"));
  std::this_thread::sleep_for(seconds(20));
  ASSERT_TRUE(receiver_.up());
  ASSERT_TRUE(receiver_.wait_for(1, seconds(70))) << "no notification within 70 s of coming up";
  EXPECT_EQ(body(0)["backup"], name);
  EXPECT_TRUE(eventually([&] { return mark(name) == "Completed"; }, 10));
  std::this_thread::sleep_for(seconds(3));
  EXPECT_EQ(receiver_.posts().size(), 1u);
  expect_url_nowhere();
}

TEST_F(NotifyE2E, ControllerKilledBeforeDeliveringDeliversOnceAfterRestart) {
  receiver_.down();
  apply_secret_and_claim("not-the-password");
  apply_hook_secret();
  const std::string name = run_once("crashy", notifications("Failed"));
  ASSERT_FALSE(name.empty());
  ASSERT_TRUE(wait_for_phase(name, "Failed"));
  std::this_thread::sleep_for(milliseconds(500));  // the first attempt meets a closed port
  kill_controller(SIGKILL);
  EXPECT_NE(slurp(cluster_->dir() + "/controller-1.log")
                .find("cannot tell the webhook of notification ops"),
            std::string::npos)
      << "the killed controller had not tried (and failed) to deliver";
  ASSERT_TRUE(receiver_.up());
  EXPECT_FALSE(receiver_.wait_for(1, seconds(1)));
  start_controller();
  wait_for_controller_running();
  ASSERT_TRUE(receiver_.wait_for(1, seconds(20))) << "not delivered after the restart";
  EXPECT_EQ(body(0)["event"], "Failed");
  EXPECT_EQ(body(0)["backup"], name);
  EXPECT_TRUE(eventually([&] { return mark(name) == "Failed"; }, 10));
  // A second restart finds the mark and posts nothing.
  restart_controller();
  std::this_thread::sleep_for(seconds(3));
  EXPECT_EQ(receiver_.posts().size(), 1u);
  expect_url_nowhere();
}

TEST_F(NotifyE2E, MissingSecretIsInTheSchedulesStatus) {
  const std::string name = run_once("unwired", notifications("Completed", "json", "absent"));
  ASSERT_FALSE(name.empty());
  ASSERT_TRUE(wait_for_phase(name, "Completed"));
  json condition;
  ASSERT_TRUE(eventually(
      [&] {
        for (const auto& c : get_schedule("unwired")["status"].value("conditions", json::array())) {
          if (c.value("type", "") == "NotificationsReady") condition = c;
        }
        return condition.is_object() && condition.value("status", "") == "False";
      },
      15))
      << get_schedule("unwired").dump(2);
  EXPECT_NE(condition.value("message", "").find("Secret absent"), std::string::npos)
      << condition.dump();
  EXPECT_NE(condition.value("message", "").find("does not exist"), std::string::npos);
  EXPECT_FALSE(events_of("unwired", "NotificationNotReady").empty());
  EXPECT_EQ(receiver_.posts().size(), 0u);
  expect_url_nowhere();
}

TEST_F(NotifyE2E, MissedScheduleIsPosted) {
  kill_controller(SIGTERM);
  apply_hook_secret();
  apply_schedule("newyear", "0 0 1 1 *",
                 "  startingDeadlineSeconds: 300\n" + notifications("MissedSchedule"));
  const auto two_years_ago = Clock::now() - std::chrono::hours(24 * 730);
  patch_schedule_status("newyear", {{"lastScheduleTime", rfc3339(two_years_ago)}});
  start_controller();
  wait_for_controller_running();
  ASSERT_TRUE(receiver_.wait_for(1, seconds(15))) << get_schedule("newyear").dump(2);
  json j = body(0);
  EXPECT_EQ(j["event"], "MissedSchedule");
  EXPECT_EQ(j["schedule"], "newyear");
  EXPECT_EQ(j["namespace"], ns_);
  EXPECT_TRUE(j["backup"].is_null()) << j.dump();
  EXPECT_NE(j.value("message", "").find("missed"), std::string::npos) << j.dump();
  std::this_thread::sleep_for(seconds(2));
  EXPECT_EQ(receiver_.posts().size(), 1u);
}

TEST_F(NotifyE2E, HttpsReceiverIsVerifiedAgainstTheSystemTrustStore) {
  std::string error;
  auto material = testcluster::make_tls_material(&error);
  ASSERT_TRUE(material.has_value()) << error;
  const ReceiverTls tls{material->server_cert_pem, material->server_key_pem};
  WebhookReceiver https(&tls);
  ASSERT_GT(https.port(), 0);
  const std::string ca_file = cluster_->dir() + "/webhook-ca.pem";
  std::ofstream(ca_file) << material->ca_cert_pem;
  apply_hook_secret("https://127.0.0.1:" + std::to_string(https.port()) + "/hook/" + kToken);

  // A certificate the system does not trust: the handshake is broken off, nothing is posted.
  const std::string name = run_once("tls", notifications("Completed"));
  ASSERT_FALSE(name.empty());
  ASSERT_TRUE(wait_for_phase(name, "Completed"));
  ASSERT_TRUE(eventually([&] { return https.failed_handshakes() > 0; }, 15))
      << "the controller never tried the https receiver";
  EXPECT_EQ(https.posts().size(), 0u);
  const std::string log = slurp(cluster_->dir() + "/controller-1.log");
  const size_t said = log.find("cannot tell the webhook of notification ops");
  ASSERT_NE(said, std::string::npos) << log;
  EXPECT_NE(log.find("an authority this system trusts", said), std::string::npos)
      << log.substr(said, log.find('\n', said) - said);

  // SSL_CERT_FILE names the receiver's CA, as an image with its own bundle does: the restarted
  // controller verifies the receiver and posts what was left undelivered.
  controller_env_ = {"SSL_CERT_FILE=" + ca_file};
  restart_controller();
  ASSERT_TRUE(https.wait_for(1, seconds(20))) << "not delivered over https";
  EXPECT_EQ(https.posts()[0].path, std::string("/hook/") + kToken);
  EXPECT_EQ(json::parse(https.posts()[0].body)["backup"], name);
  EXPECT_TRUE(eventually([&] { return mark(name) == "Completed"; }, 10));
  expect_url_nowhere();
}

TEST_F(NotifyE2E, PostGoesThroughTheEnvironmentsProxyWithTheUrlsCredentials) {
  // The receiver plays the proxy: a proxied http request names the whole URL in its request line.
  controller_env_ = {"HTTP_PROXY=http://127.0.0.1:" + std::to_string(receiver_.port()),
                     "NO_PROXY=.cluster.local"};
  restart_controller();
  apply_hook_secret(std::string("http://cellar:s3cret@hooks.example.invalid/hook/") + kToken);
  const std::string name = run_once("proxied", notifications("Completed"));
  ASSERT_FALSE(name.empty());
  ASSERT_TRUE(wait_for_phase(name, "Completed"));
  ASSERT_TRUE(receiver_.wait_for(1, seconds(10))) << "nothing reached the proxy";
  EXPECT_EQ(receiver_.posts()[0].path, std::string("http://hooks.example.invalid/hook/") + kToken);
  EXPECT_EQ(receiver_.posts()[0].authorization, "Basic Y2VsbGFyOnMzY3JldA==");
  EXPECT_EQ(body(0)["backup"], name);
  EXPECT_TRUE(eventually([&] { return mark(name) == "Completed"; }, 10));
  expect_url_nowhere();
}

TEST_F(NotifyE2E, BadNotificationIsRefusedAtApplyNamingTheField) {
  const std::string yaml = R"(apiVersion: cellar.dev/v1alpha1
kind: BackupSchedule
metadata:
  name: wrong
spec:
  schedule: "0 0 1 1 *"
  notifications:
  - name: ops
    events: [Finished]
    webhook:
      urlSecretRef: {name: hooks, key: url}
  backupTemplate:
    database: {host: 127.0.0.1, name: shop, user: app, passwordSecretRef: {name: db, key: password}}
    storage:
      persistentVolumeClaim: {claimName: dumps}
)";
  const std::string file = cluster_->dir() + "/wrong.yaml";
  std::ofstream(file) << yaml;
  CommandResult refused = kubectl_result({"apply", "-f", file});
  EXPECT_NE(refused.exit_code, 0) << refused.describe();
  EXPECT_NE((refused.out + refused.err).find("notifications[0].events[0]"), std::string::npos)
      << refused.describe();
}

}  // namespace
}  // namespace cellar::testing
