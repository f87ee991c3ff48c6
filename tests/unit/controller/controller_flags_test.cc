#include "controller/cmd/controller_flags.h"

#include <gtest/gtest.h>

namespace cellar::cmd {
namespace {

using Kind = ParsedFlags::Kind;
using std::chrono::milliseconds;

ParsedFlags parse(std::vector<std::string> args) {
  return parse_flags(args);
}

TEST(ControllerFlags, DefaultsAreTodays) {
  auto p = parse({});
  ASSERT_EQ(p.kind, Kind::kRun) << p.text;
  EXPECT_EQ(p.flags.agent_image, "cellar-agent:0.1.0");
  EXPECT_EQ(p.flags.workers, 4);
  EXPECT_EQ(p.flags.qps, 0);
  EXPECT_EQ(p.flags.burst, 400);
  EXPECT_EQ(p.flags.log_format, "text");
  EXPECT_EQ(p.flags.log_level, "info");
  EXPECT_EQ(p.flags.metrics_addr, "");
  EXPECT_EQ(p.flags.health_addr, "");
  EXPECT_FALSE(p.flags.leader_election.enabled);
  EXPECT_EQ(p.flags.leader_election.lease_duration, milliseconds(15000));
  EXPECT_EQ(p.flags.leader_election.renew_deadline, milliseconds(10000));
  EXPECT_EQ(p.flags.leader_election.retry_period, milliseconds(2000));
}

TEST(ControllerFlags, TakesBothSpellings) {
  auto p =
      parse({"--kubeconfig", "/k", "--namespace=shop", "--agent-image=img:1", "--workers", "8",
             "--kube-api-qps=50.5", "--kube-api-burst", "99", "--log-format=json", "--log-level",
             "debug", "--metrics-addr=:8080", "--health-addr", "127.0.0.1:8081"});
  ASSERT_EQ(p.kind, Kind::kRun) << p.text;
  EXPECT_EQ(p.flags.kubeconfig, "/k");
  EXPECT_EQ(p.flags.ns, "shop");
  EXPECT_EQ(p.flags.agent_image, "img:1");
  EXPECT_EQ(p.flags.workers, 8);
  EXPECT_EQ(p.flags.qps, 50.5);
  EXPECT_EQ(p.flags.burst, 99);
  EXPECT_EQ(p.flags.log_format, "json");
  EXPECT_EQ(p.flags.log_level, "debug");
  EXPECT_EQ(p.flags.metrics_addr, ":8080");
  EXPECT_EQ(p.flags.health_addr, "127.0.0.1:8081");
}

TEST(ControllerFlags, LeaderElectionFlags) {
  auto p = parse({"--leader-elect", "--leader-elect-namespace", "cellar-system",
                  "--leader-elect-lease-duration=3s", "--leader-elect-renew-deadline", "2s",
                  "--leader-elect-retry-period=500ms"});
  ASSERT_EQ(p.kind, Kind::kRun) << p.text;
  EXPECT_TRUE(p.flags.leader_election.enabled);
  EXPECT_EQ(p.flags.leader_election.ns, "cellar-system");
  EXPECT_EQ(p.flags.leader_election.lease_duration, milliseconds(3000));
  EXPECT_EQ(p.flags.leader_election.renew_deadline, milliseconds(2000));
  EXPECT_EQ(p.flags.leader_election.retry_period, milliseconds(500));
}

TEST(ControllerFlags, HelpExitsZero) {
  auto p = parse({"--help"});
  EXPECT_EQ(p.kind, Kind::kHelp);
  EXPECT_EQ(exit_code(p), 0);
  EXPECT_NE(p.text.find("--leader-elect-lease-duration"), std::string::npos) << p.text;
  EXPECT_NE(p.text.find("--metrics-addr"), std::string::npos);
}

TEST(ControllerFlags, UsageErrorsExitTwo) {
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"--bogus"},
           {"--workers"},
           {"--workers", "0"},
           {"--workers", "many"},
           {"--log-format", "xml"},
           {"--metrics-addr", "8080"},
           {"--health-addr", "host:http"},
           {"--leader-elect-lease-duration", "15"},
           {"--leader-elect-retry-period", "-1s"},
           {"--leader-elect-lease-duration=10s", "--leader-elect-renew-deadline=10s"},
           {"--leader-elect-renew-deadline=2s", "--leader-elect-retry-period=2s"},
           {"--leader-elect-namespace", "Not_A_Namespace"},
           {"stray"}}) {
    auto p = parse(args);
    EXPECT_EQ(p.kind, Kind::kError) << args.front();
    EXPECT_EQ(exit_code(p), 2);
    EXPECT_FALSE(p.text.empty());
  }
}

TEST(ControllerFlags, DurationErrorsNameTheFlag) {
  auto p = parse({"--leader-elect-lease-duration", "15"});
  EXPECT_NE(p.text.find("--leader-elect-lease-duration"), std::string::npos) << p.text;
  EXPECT_NE(p.text.find("missing unit"), std::string::npos) << p.text;
}

TEST(ControllerFlags, ZeroOrEmptyAddressTurnsAServerOff) {
  auto p = parse({"--metrics-addr=0", "--health-addr="});
  ASSERT_EQ(p.kind, Kind::kRun) << p.text;
  EXPECT_EQ(p.flags.metrics_addr, "0");
}

TEST(LeaseNamespace, FlagThenPodThenKubeconfigThenDefault) {
  EXPECT_EQ(lease_namespace("ops", "cellar-system\n", "dev"), "ops");
  EXPECT_EQ(lease_namespace("", "cellar-system\n", "dev"), "cellar-system");
  EXPECT_EQ(lease_namespace("", std::nullopt, "dev"), "dev");
  EXPECT_EQ(lease_namespace("", std::string("not a name"), "dev"), "dev");
  EXPECT_EQ(lease_namespace("", std::nullopt, ""), "default");
}

}  // namespace
}  // namespace cellar::cmd
