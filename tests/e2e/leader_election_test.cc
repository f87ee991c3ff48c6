// Two cellar-controller replicas with --leader-elect: exactly one acts; a killed leader is
// replaced within its lease, a stopped one (SIGTERM) within two seconds; and a leader that cannot
// renew never writes after its lease could have run out, checked against the test cluster's own
// log of every write it received.
#include <signal.h>

#include <thread>

#include "tests/e2e/replicas_fixture.h"

namespace cellar::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using Clock = std::chrono::steady_clock;

// Short durations, so a takeover takes seconds: lease 3 s, renew deadline 2 s, retry 0.5 s.
const std::vector<std::string> kShortLease = {"--leader-elect-lease-duration=3s",
                                              "--leader-elect-renew-deadline=2s",
                                              "--leader-elect-retry-period=500ms"};

class LeaderElectionE2E : public ReplicasE2E {
 protected:
  // Starts two replicas and returns the leader's identity once the Lease names it.
  std::string start_two(const std::vector<std::string>& flags) {
    start_replica(flags);
    start_replica(flags);
    std::string holder = wait_for_holder("", seconds(30));
    EXPECT_FALSE(holder.empty()) << "no replica took the lease";
    return holder;
  }
  // The replica whose log names `identity`.
  size_t replica_of(const std::string& identity) {
    for (size_t i = 0; i < replicas_.size(); ++i) {
      if (read_file(replicas_[i].log_path).find(identity) != std::string::npos) return i;
    }
    ADD_FAILURE() << "no replica logged identity " << identity;
    return 0;
  }
  int jobs() {
    std::string names = kubectl({"get", "jobs", "-o", "name"});
    return static_cast<int>(std::count(names.begin(), names.end(), '\n'));
  }
};

TEST_F(LeaderElectionE2E, ExactlyOneReplicaActs) {
  const std::string leader = start_two(kShortLease);
  ASSERT_FALSE(leader.empty());
  apply_secret_and_claim("s3cret-app-pw");
  // Both replicas have settled (one leads, one waits, past its first try): count from here.
  for (const Replica& r : replicas_) {
    for (int i = 0; i < 300; ++i) {
      if (read_file(r.log_path).find("running as a standby") != std::string::npos) break;
      std::this_thread::sleep_for(milliseconds(100));
    }
    ASSERT_NE(read_file(r.log_path).find("running as a standby"), std::string::npos);
  }
  std::this_thread::sleep_for(seconds(1));
  reset_stats();
  apply_backup("one");
  apply_backup("two");
  ASSERT_TRUE(wait_for_phase("one", "Completed"));
  ASSERT_TRUE(wait_for_phase("two", "Completed"));
  EXPECT_EQ(jobs(), 2);

  auto agents = replica_user_agents();
  ASSERT_EQ(agents.size(), 2u) << "both replicas talk to the API server";
  auto writes = writes_by_user_agent();
  for (const auto& agent : agents) {
    if (agent == user_agent(leader)) {
      EXPECT_GT(writes[agent], 0) << "the leader does the work";
    } else {
      EXPECT_EQ(writes[agent], 0) << agent << " is a standby: no Job, status, Event or Lease write";
    }
  }
  // Events come from the leader alone.
  auto events = nlohmann::json::parse(kubectl({"get", "events", "-o", "json"}));
  for (const auto& e : events["items"]) {
    EXPECT_EQ(e.value("reportingInstance", ""), leader) << e.dump();
  }
}

TEST_F(LeaderElectionE2E, KilledLeaderIsReplacedWithinTheLease) {
  const std::string leader = start_two(kShortLease);
  ASSERT_FALSE(leader.empty());
  apply_secret_and_claim("s3cret-app-pw");
  Replica& old = replicas_[replica_of(leader)];
  const auto killed = Clock::now();
  old.process->signal(SIGKILL);
  old.process->wait(seconds(5));
  const std::string next = wait_for_holder(leader, seconds(10));
  const auto took = Clock::now() - killed;
  ASSERT_FALSE(next.empty()) << "nobody took over";
  // The standby waits one lease (3 s) from the last renewal it saw; it sees each renewal as it
  // happens (it watches the Lease) and tries at least every retry period (0.5 s).
  EXPECT_LT(took, milliseconds(3000 + 500 + 500))
      << std::chrono::duration_cast<milliseconds>(took).count() << " ms";
  auto l = lease();
  EXPECT_EQ(l["spec"].value("leaseTransitions", 0), 1) << l.dump();

  apply_backup("after");
  ASSERT_TRUE(wait_for_phase("after", "Completed"));
  EXPECT_EQ(jobs(), 1);
}

TEST_F(LeaderElectionE2E, StoppedLeaderHandsOverWithinTwoSeconds) {
  // client-go's default durations: lease 15 s, renew 10 s, retry 2 s.
  const std::string leader = start_two({});
  ASSERT_FALSE(leader.empty());
  Replica& old = replicas_[replica_of(leader)];
  const auto stopped = Clock::now();
  old.process->signal(SIGTERM);
  const std::string next = wait_for_holder(leader, seconds(20));
  const auto took = Clock::now() - stopped;
  ASSERT_FALSE(next.empty());
  EXPECT_LT(took, seconds(2)) << std::chrono::duration_cast<milliseconds>(took).count() << " ms";
  EXPECT_EQ(old.process->wait(seconds(10)), 0) << "a SIGTERM is a clean stop";
  EXPECT_NE(read_file(old.log_path).find("released lease default/cellar-controller"),
            std::string::npos);

  apply_secret_and_claim("s3cret-app-pw");
  apply_backup("after");
  ASSERT_TRUE(wait_for_phase("after", "Completed"));
}

// The leader's renewals fail (500s on leases) while watches are cut and Backups keep arriving.
// It must stop writing by its renew deadline, far inside its lease, exit non-zero, and the other
// replica take over and do the work, with one Job per Backup.
TEST_F(LeaderElectionE2E, LeaderThatCannotRenewNeverWritesPastItsLease) {
  // Longer than kShortLease: the replica that takes over runs every dump at once on a small
  // machine, and must not lose its own lease to that load.
  const std::string leader =
      start_two({"--leader-elect-lease-duration=6s", "--leader-elect-renew-deadline=4s",
                 "--leader-elect-retry-period=1s"});
  ASSERT_FALSE(leader.empty());
  apply_secret_and_claim("s3cret-app-pw");
  const size_t index = replica_of(leader);
  // The write log keeps the leader's renewals from the start: the last good one is the reference.

  auto fault = cluster_->post_hook(
      "faults",
      {{"failNext",
        {{"count", 1000000}, {"code", 500}, {"pathPrefix", "/apis/coordination.k8s.io"}}}});
  ASSERT_TRUE(fault.ok()) << fault.error().to_string();
  ASSERT_TRUE(cluster_->post_hook("faults", {{"closeWatches", true}}).ok());
  // Work for the leader all along: a Backup every 200 ms until it has exited, at most 25 (made by
  // a client in this process: kubectl takes too long to start to keep the leader busy).
  auto client = cluster_->client();
  const kube::Resource backup_resource{"cellar.dev", "v1alpha1", "backups", true};
  int backups = 0;
  std::optional<int> exit_status;
  const auto until = Clock::now() + seconds(15);
  while (Clock::now() < until && !exit_status) {
    if (backups == 25) {
      exit_status = replicas_[index].process->wait(milliseconds(200));
      continue;
    }
    nlohmann::json backup = {
        {"apiVersion", "cellar.dev/v1alpha1"},
        {"kind", "Backup"},
        {"metadata", {{"name", "b" + std::to_string(backups)}}},
        {"spec",
         {{"database",
           {{"host", "127.0.0.1"},
            {"port", pg_->port()},
            {"name", "shop"},
            {"user", "app"},
            {"passwordSecretRef", {{"name", "db"}, {"key", "password"}}}}},
          {"storage",
           {{"persistentVolumeClaim", {{"claimName", "dumps"}, {"subPath", "shop"}}}}}}}};
    auto created = client->create(backup_resource, ns_, backup);
    ASSERT_TRUE(created.ok()) << created.error().to_string();
    ++backups;
    exit_status = replicas_[index].process->wait(milliseconds(200));
  }
  ASSERT_TRUE(exit_status) << "the leader kept running without its lease";
  EXPECT_EQ(*exit_status, 1);
  EXPECT_NE(read_file(replicas_[index].log_path).find("leadership lost"), std::string::npos);

  // From the cluster's own log: the leader's last successful Lease write, and every other write
  // it made after the fault began.
  const std::string agent = user_agent(leader);
  int64_t last_renewal = 0, last_other = 0;
  int others = 0;
  for (const LoggedWrite& w : write_log()) {
    if (w.user_agent != agent) continue;
    if (w.path.starts_with("/apis/coordination.k8s.io/")) {
      if (w.code >= 200 && w.code < 300) last_renewal = std::max(last_renewal, w.micros);
    } else {
      last_other = std::max(last_other, w.micros);
      ++others;
    }
  }
  ASSERT_GT(others, 0) << "the leader had work while its renewals failed";
  RecordProperty("last_write_after_last_renewal_ms",
                 static_cast<int>((last_other - last_renewal) / 1000));
  // The fence closes at the last renewal's start plus the renew deadline (4 s); the lease runs
  // 6 s from when the standby saw that renewal. No write of the leader may arrive after that; in
  // practice none arrives much after the renew deadline (the slack is a loaded machine's delay
  // between the fence and the server).
  EXPECT_LT(last_other, last_renewal + 6000 * 1000)
      << "last write " << (last_other - last_renewal) / 1000 << " ms after the last renewal";
  EXPECT_LT(last_other, last_renewal + 4000 * 1000 + 750 * 1000)
      << "last write " << (last_other - last_renewal) / 1000 << " ms after the last renewal";

  ASSERT_TRUE(cluster_->post_hook("faults", {{"reset", true}}).ok());
  const std::string next = wait_for_holder(leader, seconds(15));
  ASSERT_FALSE(next.empty());
  for (int i = 0; i < backups; ++i) {
    ASSERT_TRUE(wait_for_phase("b" + std::to_string(i), "Completed", 120));
  }
  EXPECT_EQ(jobs(), backups) << "one Job per Backup across the handover";
}

}  // namespace
}  // namespace cellar::testing
