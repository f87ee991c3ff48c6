// `kubectl cellar` end to end: the real kubectl finds kubectl-cellar on its PATH, as it would on a
// user's machine, and runs it against cellar-test-cluster; the real cellar-controller and
// cellar-agent make the Backup from a real PostgreSQL. The schedules use a cron that never comes
// round during a test (`0 3 1 1 *`), so every Backup here is one the plugin made.
#include <algorithm>
#include <regex>
#include <thread>

#include "tests/e2e/cli_fixture.h"
#include "tests/support/temp_dir.h"

namespace cellar::testing {
namespace {

using Clock = std::chrono::steady_clock;

// A cron that does not fire while a test runs: the Backups here are the plugin's alone.
constexpr const char* kNeverDuringTheTest = "0 3 1 1 *";

// The generated name from "backup.cellar.dev/<name> created".
std::string created_name(const std::string& out) {
  std::smatch m;
  static const std::regex created("backup\\.cellar\\.dev/(nightly-manual-[0-9a-f]{8}) created");
  return std::regex_search(out, m, created) ? m[1].str() : "";
}

TEST_F(CliE2E, BackupNowWaitFollowsTheBackupToCompleted) {
  apply_secret_and_claim("s3cret-app-pw");
  apply_schedule("nightly", kNeverDuringTheTest);

  CommandResult r = cellar({"backup", "now", "--from-schedule", "nightly", "--wait"});
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  const std::vector<std::string> lines = lines_of(r.out);
  ASSERT_GE(lines.size(), 3u) << r.describe();
  const std::string name = created_name(lines.front());
  ASSERT_FALSE(name.empty()) << r.describe();
  EXPECT_EQ(lines.front(), "backup.cellar.dev/" + name + " created");
  // Phase lines in between: the phase and whole seconds since the create.
  const std::regex phase_line("(Pending|InProgress) \\([0-9]+s\\)");
  bool in_progress = false;
  for (size_t i = 1; i + 1 < lines.size(); ++i) {
    EXPECT_TRUE(std::regex_match(lines[i], phase_line)) << lines[i];
    in_progress = in_progress || lines[i].starts_with("InProgress (");
  }
  EXPECT_TRUE(in_progress) << r.out;
  std::smatch done;
  ASSERT_TRUE(std::regex_match(lines.back(), done, std::regex("Completed \\((.+) in ([0-9]+)s\\)")))
      << r.out;
  EXPECT_EQ(r.err, "");

  // The Backup is the schedule's: its label (no ownerReference: backupOwnerReference defaults to
  // none, so it outlives the schedule), and what was printed.
  nlohmann::json backup = get_backup(name);
  ASSERT_TRUE(backup.is_object());
  EXPECT_EQ(backup["metadata"]["labels"]["cellar.dev/schedule"], "nightly");
  EXPECT_FALSE(backup["metadata"].contains("ownerReferences")) << backup.dump(2);
  EXPECT_EQ(backup["status"]["phase"], "Completed");
  EXPECT_EQ(backup["status"]["size"], done[1].str());
  EXPECT_EQ(std::to_string(backup["status"]["durationSeconds"].get<int64_t>()), done[2].str());
  EXPECT_EQ(backup["spec"]["database"]["name"], "shop");
}

TEST_F(CliE2E, WrongPasswordEndsFailedWithTheControllersMessage) {
  apply_secret_and_claim("not-the-password");
  apply_schedule("nightly", kNeverDuringTheTest);

  CommandResult r = cellar({"backup", "now", "--from-schedule", "nightly", "--wait"});
  EXPECT_EQ(r.exit_code, 1) << r.describe();
  const std::string name = created_name(r.out);
  ASSERT_FALSE(name.empty()) << r.describe();
  const std::string message = status_field(name, ".status.message");
  EXPECT_NE(message.find("password authentication failed for user"), std::string::npos) << message;
  EXPECT_EQ(r.err, "Failed: " + message + "\n") << r.describe();
  EXPECT_EQ(status_field(name, ".status.phase"), "Failed");
}

TEST_F(CliE2E, TimeoutExitsTwoAndTheBackupGoesOn) {
  apply_secret_and_claim("s3cret-app-pw");
  apply_schedule("nightly", kNeverDuringTheTest);
  lock_orders();  // pg_dump waits for the lock, so the Backup stays InProgress

  const auto start = Clock::now();
  CommandResult r = cellar({"backup", "now", "--from-schedule", "nightly", "--timeout", "3s"});
  const auto took = Clock::now() - start;
  EXPECT_EQ(r.exit_code, 2) << r.describe();
  const std::string name = created_name(r.out);
  ASSERT_FALSE(name.empty()) << r.describe();
  EXPECT_TRUE(std::regex_match(r.err, std::regex("timed out after 3s waiting for backup " + name +
                                                 " \\(phase (Pending|InProgress)\\)\n")))
      << r.describe();
  // The deadline holds, however quiet the watch: 3 s plus kubectl's and the plugin's start.
  EXPECT_GE(took, std::chrono::seconds{3});
  EXPECT_LT(took, std::chrono::seconds{15});

  // Giving up waiting does not stop the backup.
  unlock_orders();
  EXPECT_TRUE(wait_for_phase(name, "Completed"));
}

TEST_F(CliE2E, MissingScheduleIsAnErrorNamingIt) {
  CommandResult r = cellar({"backup", "now", "--from-schedule", "absent", "--wait"});
  EXPECT_EQ(r.exit_code, 1) << r.describe();
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, "error: backupschedule \"absent\" not found in namespace \"backups\"\n");
  EXPECT_EQ(kubectl({"get", "backups", "-o", "name"}), "");
}

TEST_F(CliE2E, WithoutWaitItReturnsOnceCreated) {
  apply_secret_and_claim("s3cret-app-pw");
  apply_schedule("nightly", kNeverDuringTheTest);

  CommandResult chosen =
      cellar({"backup", "now", "--from-schedule", "nightly", "--name", "by-hand"});
  EXPECT_EQ(chosen.exit_code, 0) << chosen.describe();
  EXPECT_EQ(chosen.out, "backup.cellar.dev/by-hand created\n");
  EXPECT_EQ(chosen.err, "");

  CommandResult generated = cellar({"backup", "now", "--from-schedule", "nightly"});
  EXPECT_EQ(generated.exit_code, 0) << generated.describe();
  const std::string name = created_name(generated.out);
  ASSERT_FALSE(name.empty()) << generated.describe();
  EXPECT_EQ(generated.out, "backup.cellar.dev/" + name + " created\n");

  // The name chosen a second time is refused, not reused.
  CommandResult again =
      cellar({"backup", "now", "--from-schedule", "nightly", "--name", "by-hand"});
  EXPECT_EQ(again.exit_code, 1) << again.describe();
  EXPECT_EQ(again.err,
            "error: backups.cellar.dev \"by-hand\" already exists in namespace \"backups\"\n");

  EXPECT_EQ(kubectl({"get", "backups", "-l", "cellar.dev/schedule=nightly", "-o", "name"}),
            "backup.cellar.dev/by-hand\nbackup.cellar.dev/" + name + "\n");
  // Both run: the Backup controller takes Backups from anyone.
  EXPECT_TRUE(wait_for_phase("by-hand", "Completed"));
  EXPECT_TRUE(wait_for_phase(name, "Completed"));
}

TEST_F(CliE2E, AWatchCutMidWaitIsResumed) {
  apply_secret_and_claim("s3cret-app-pw");
  apply_schedule("nightly", kNeverDuringTheTest);
  lock_orders();

  const std::string err_path = cluster_->dir() + "/cellar-wait.err";
  auto child =
      cellar_background({"backup", "now", "--from-schedule", "nightly", "--wait"}, err_path);
  ASSERT_NE(child, nullptr);
  std::string out;
  ASSERT_TRUE(read_until(*child, "InProgress (", out, std::chrono::seconds{60}))
      << out << read_file(err_path);
  // The plugin is now reading its watch: cut every stream, and forget the history it would
  // resume from, so it must both re-open and (its version being gone) list the Backup again.
  reset_stats();
  auto cut = cluster_->post_hook("faults", {{"closeWatches", true}});
  ASSERT_TRUE(cut.ok()) << cut.error().to_string();
  auto compact = cluster_->post_hook("compact");
  ASSERT_TRUE(compact.ok()) << compact.error().to_string();
  unlock_orders();

  auto status = child->wait(std::chrono::seconds{90});
  ASSERT_TRUE(status.has_value()) << "still waiting after 90 s: " << out;
  out += read_rest(*child);
  EXPECT_EQ(*status, 0) << out << read_file(err_path);
  const std::vector<std::string> lines = lines_of(out);
  ASSERT_FALSE(lines.empty());
  EXPECT_TRUE(lines.back().starts_with("Completed (")) << out;
  EXPECT_EQ(read_file(err_path), "");
  // Resumed, not polled: a few requests of the plugin's and the controller's own re-lists and
  // status writes, where a loop of GETs or re-opened watches would make hundreds.
  auto stats = cluster_->get_hook("stats");
  ASSERT_TRUE(stats.ok());
  EXPECT_LT((*stats)["requests"].get<int>(), 100) << stats->dump();
  // One line a phase: the resumed watch did not print InProgress again.
  EXPECT_EQ(std::count_if(lines.begin(), lines.end(),
                          [](const std::string& l) { return l.starts_with("InProgress ("); }),
            1)
      << out;
}

// The same cluster with watch windows of 1 s: a resourceVersion leaves the window by time and
// writes, as on a busy kube-apiserver, not by the compact hook.
class CliShortWindowE2E : public CliE2E {
 protected:
  CliShortWindowE2E() { cluster_args_ = {"--watch-window", "1s"}; }
};

TEST_F(CliShortWindowE2E, AWaitWhoseVersionLeftTheWindowReadsTheBackupAgain) {
  apply_secret_and_claim("s3cret-app-pw");
  apply_schedule("nightly", kNeverDuringTheTest);
  lock_orders();

  const std::string err_path = cluster_->dir() + "/cellar-wait.err";
  auto child =
      cellar_background({"backup", "now", "--from-schedule", "nightly", "--wait"}, err_path);
  ASSERT_NE(child, nullptr);
  std::string out;
  ASSERT_TRUE(read_until(*child, "InProgress (", out, std::chrono::seconds{60}))
      << out << read_file(err_path);
  const std::string name = created_name(out);
  ASSERT_FALSE(name.empty()) << out;
  const std::string seen_rv = status_field(name, ".metadata.resourceVersion");

  // Keep the plugin from resuming its cut watch until the window has moved past its version:
  // the window's events grow stale, then more Backup writes than it keeps at least (100).
  const std::string backups_path = "/apis/cellar.dev/v1alpha1/namespaces/" + ns_ + "/backups";
  auto blocked = cluster_->post_hook(
      "faults",
      {{"failNext",
        {{"count", 1000000}, {"code", 500}, {"pathPrefix", backups_path}, {"method", "GET"}}}});
  ASSERT_TRUE(blocked.ok()) << blocked.error().to_string();
  auto cut = cluster_->post_hook("faults", {{"closeWatches", true}});
  ASSERT_TRUE(cut.ok()) << cut.error().to_string();
  // One more write that grows stale with the rest: the stale events leave the window up to it
  // (then the window, full of fresh events, grows instead), so the plugin's version is gone.
  auto client = cluster_->client();
  const kube::Resource backups{"cellar.dev", "v1alpha1", "backups", true};
  auto stale = client->merge_patch(backups, ns_, name,
                                   {{"metadata", {{"annotations", {{"filler", "stale"}}}}}});
  ASSERT_TRUE(stale.ok()) << stale.error().to_string();
  std::this_thread::sleep_for(std::chrono::milliseconds{1500});
  for (int i = 0; i < 120; ++i) {
    auto patched = client->merge_patch(
        backups, ns_, name, {{"metadata", {{"annotations", {{"filler", std::to_string(i)}}}}}});
    ASSERT_TRUE(patched.ok()) << patched.error().to_string();
  }
  auto reset = cluster_->post_hook("faults", {{"reset", true}});
  ASSERT_TRUE(reset.ok()) << reset.error().to_string();

  // Real kubectl watching from where the plugin was gets the window's 410 as an ERROR event.
  CommandResult old =
      cluster_->kubectl({"get", "--raw", backups_path + "?watch=1&resourceVersion=" + seen_rv});
  EXPECT_EQ(old.exit_code, 0) << old.describe();
  EXPECT_NE(old.out.find(R"("type":"ERROR")"), std::string::npos) << old.out;
  EXPECT_NE(old.out.find("too old resource version: " + seen_rv + " ("), std::string::npos)
      << old.out;

  unlock_orders();
  auto status = child->wait(std::chrono::seconds{90});
  ASSERT_TRUE(status.has_value()) << "still waiting after 90 s: " << out;
  out += read_rest(*child);
  EXPECT_EQ(*status, 0) << out << read_file(err_path);
  const std::vector<std::string> lines = lines_of(out);
  ASSERT_FALSE(lines.empty());
  EXPECT_TRUE(lines.back().starts_with("Completed (")) << out;
  EXPECT_EQ(read_file(err_path), "");
  EXPECT_EQ(std::count_if(lines.begin(), lines.end(),
                          [](const std::string& l) { return l.starts_with("InProgress ("); }),
            1)
      << out;
}

TEST_F(CliE2E, UsageErrorsAndHelpThroughKubectl) {
  CommandResult usage = cellar({"backup", "now"});
  EXPECT_EQ(usage.exit_code, 1) << usage.describe();
  EXPECT_TRUE(usage.err.starts_with("error: required flag --from-schedule not set\n"))
      << usage.describe();
  EXPECT_NE(usage.err.find("Usage:"), std::string::npos);

  CommandResult help = cellar({"backup", "now", "--help"});
  EXPECT_EQ(help.exit_code, 0) << help.describe();
  EXPECT_NE(help.out.find("Exit codes:"), std::string::npos);
  EXPECT_EQ(help.err, "");

  CommandResult restore = cellar({"restore", "shop-now"});
  EXPECT_EQ(restore.exit_code, 1) << restore.describe();
  EXPECT_TRUE(restore.err.starts_with("error: required flag --to-database not set\n"))
      << restore.describe();

  CommandResult restore_help = cellar({"restore", "--help"});
  EXPECT_EQ(restore_help.exit_code, 0) << restore_help.describe();
  EXPECT_NE(restore_help.out.find("kubectl cellar restore BACKUP --to-database NAME"),
            std::string::npos);
}

}  // namespace
}  // namespace cellar::testing
