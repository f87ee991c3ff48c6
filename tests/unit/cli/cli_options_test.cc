#include "controller/cli/cli_options.h"

#include <gtest/gtest.h>

namespace cellar::cli {
namespace {

using namespace std::chrono_literals;
using Args = std::vector<std::string>;

BackupNowCommand backup_now(const Args& args) {
  ParsedCommandLine parsed = parse_command_line(args);
  if (const auto* error = std::get_if<UsageError>(&parsed)) {
    ADD_FAILURE() << "usage error: " << error->message;
    return {};
  }
  EXPECT_TRUE(std::holds_alternative<BackupNowCommand>(parsed));
  return std::holds_alternative<BackupNowCommand>(parsed) ? std::get<BackupNowCommand>(parsed)
                                                          : BackupNowCommand{};
}

std::string usage_error(const Args& args) {
  ParsedCommandLine parsed = parse_command_line(args);
  const auto* error = std::get_if<UsageError>(&parsed);
  EXPECT_NE(error, nullptr) << "no usage error";
  return error ? error->message : "";
}

bool is_help(const Args& args) {
  return std::holds_alternative<HelpRequest>(parse_command_line(args));
}

TEST(CliOptionsTest, BackupNowWithDefaults) {
  auto c = backup_now({"backup", "now", "--from-schedule", "nightly"});
  EXPECT_EQ(c.options.schedule, "nightly");
  EXPECT_EQ(c.options.name, "");
  EXPECT_FALSE(c.options.wait);
  EXPECT_FALSE(c.options.timeout.has_value());
  EXPECT_EQ(c.cluster.ns, "");
  EXPECT_EQ(c.cluster.kubeconfig, "");
  EXPECT_EQ(c.cluster.context, "");
}

TEST(CliOptionsTest, EveryFlagInBothSpellings) {
  auto c =
      backup_now({"backup", "now", "--from-schedule=nightly", "--name", "now-1", "--wait",
                  "--timeout", "2m", "-n", "shop", "--kubeconfig", "/k/config", "--context=prod"});
  EXPECT_EQ(c.options.schedule, "nightly");
  EXPECT_EQ(c.options.name, "now-1");
  EXPECT_TRUE(c.options.wait);
  EXPECT_EQ(c.options.timeout, std::chrono::nanoseconds{2min});
  EXPECT_EQ(c.cluster.ns, "shop");
  EXPECT_EQ(c.cluster.kubeconfig, "/k/config");
  EXPECT_EQ(c.cluster.context, "prod");

  EXPECT_EQ(backup_now({"backup", "now", "--from-schedule", "s", "--namespace=a"}).cluster.ns, "a");
  EXPECT_EQ(backup_now({"backup", "now", "--from-schedule", "s", "--namespace", "b"}).cluster.ns,
            "b");
  EXPECT_EQ(backup_now({"backup", "now", "--from-schedule", "s", "-n=c"}).cluster.ns, "c");
  EXPECT_EQ(backup_now({"backup", "now", "--from-schedule", "s", "-nd"}).cluster.ns, "d");
  EXPECT_EQ(backup_now({"backup", "now", "--from-schedule", "s", "--timeout=90s"}).options.timeout,
            std::chrono::nanoseconds{90s});
}

TEST(CliOptionsTest, FlagsAndWordsInAnyOrder) {
  auto c = backup_now({"-n", "shop", "--wait", "backup", "--from-schedule", "nightly", "now"});
  EXPECT_EQ(c.options.schedule, "nightly");
  EXPECT_EQ(c.cluster.ns, "shop");
  EXPECT_TRUE(c.options.wait);
}

TEST(CliOptionsTest, AValueMayLookLikeAFlag) {
  // As pflag does: the word after a flag that takes a value is that value.
  EXPECT_EQ(backup_now({"backup", "now", "--from-schedule", "s", "--name", "-odd"}).options.name,
            "-odd");
}

TEST(CliOptionsTest, WaitTakesPflagBooleans) {
  EXPECT_TRUE(backup_now({"backup", "now", "--from-schedule", "s", "--wait=true"}).options.wait);
  EXPECT_FALSE(backup_now({"backup", "now", "--from-schedule", "s", "--wait=false"}).options.wait);
  EXPECT_EQ(usage_error({"backup", "now", "--from-schedule", "s", "--wait=maybe"}),
            "invalid argument \"maybe\" for \"--wait\" flag: not true or false");
}

TEST(CliOptionsTest, TimeoutImpliesWait) {
  auto c = backup_now({"backup", "now", "--from-schedule", "s", "--timeout", "1h30m"});
  EXPECT_TRUE(c.options.wait);
  EXPECT_EQ(c.options.timeout, std::chrono::nanoseconds{90min});
  EXPECT_EQ(usage_error({"backup", "now", "--from-schedule", "s", "--wait=false", "--timeout=1m"}),
            "--timeout waits for the backup; drop --wait=false");
}

TEST(CliOptionsTest, BadTimeoutsAreUsageErrors) {
  EXPECT_EQ(usage_error({"backup", "now", "--from-schedule", "s", "--timeout", "30"}),
            "invalid argument \"30\" for \"--timeout\" flag: missing unit in duration \"30\"");
  EXPECT_EQ(
      usage_error({"backup", "now", "--from-schedule", "s", "--timeout", "2x"}),
      "invalid argument \"2x\" for \"--timeout\" flag: unknown unit \"x\" in duration \"2x\"");
  EXPECT_EQ(usage_error({"backup", "now", "--from-schedule", "s", "--timeout", "0s"}),
            "invalid argument \"0s\" for \"--timeout\" flag: must be more than 0");
  EXPECT_EQ(usage_error({"backup", "now", "--from-schedule", "s", "--timeout=-1m"}),
            "invalid argument \"-1m\" for \"--timeout\" flag: must be more than 0");
}

TEST(CliOptionsTest, HelpAnywhere) {
  EXPECT_TRUE(is_help({"--help"}));
  EXPECT_TRUE(is_help({"-h"}));
  EXPECT_TRUE(is_help({"help"}));
  EXPECT_TRUE(is_help({"backup", "--help"}));
  EXPECT_TRUE(is_help({"backup", "now", "-h"}));
  // Help wins over a missing required flag, so `backup now --help` always shows the usage.
  EXPECT_TRUE(is_help({"backup", "now", "--help"}));
}

TEST(CliOptionsTest, UsageErrorsNameWhatIsWrong) {
  EXPECT_EQ(usage_error({}), "no command given; try \"backup now\"");
  EXPECT_EQ(usage_error({"restore"}), "unknown command \"restore\" for \"kubectl cellar\"");
  EXPECT_EQ(usage_error({"backup"}), "\"backup\" needs a subcommand: now");
  EXPECT_EQ(usage_error({"backup", "later"}),
            "unknown command \"later\" for \"kubectl cellar backup\"");
  EXPECT_EQ(usage_error({"backup", "now", "--from-schedule", "s", "extra"}),
            "unexpected argument \"extra\" for \"backup now\"");
  EXPECT_EQ(usage_error({"backup", "now"}), "required flag --from-schedule not set");
  EXPECT_EQ(usage_error({"backup", "now", "--from-schedule"}),
            "flag needs an argument: --from-schedule");
  EXPECT_EQ(usage_error({"backup", "now", "--from-schedule", "s", "-n"}),
            "flag needs an argument: 'n' in -n");
  EXPECT_EQ(usage_error({"backup", "now", "--from-schedule", "s", "--watch"}),
            "unknown flag: --watch");
  EXPECT_EQ(usage_error({"backup", "now", "--from-schedule", "s", "-w"}),
            "unknown shorthand flag: 'w' in -w");
  EXPECT_EQ(usage_error({"backup", "now", "--from-schedule", "s", "-hx"}),
            "unknown shorthand flag: 'x' in -hx");
}

TEST(CliOptionsTest, EmptyValuesAreMistakesNotDefaults) {
  EXPECT_EQ(usage_error({"backup", "now", "--from-schedule="}),
            "flag --from-schedule needs a non-empty value");
  EXPECT_EQ(usage_error({"backup", "now", "--from-schedule", "s", "--name="}),
            "flag --name needs a non-empty value");
  EXPECT_EQ(usage_error({"backup", "now", "--from-schedule", "s", "-n", ""}),
            "flag --namespace needs a non-empty value");
  EXPECT_EQ(usage_error({"backup", "now", "--from-schedule", "s", "--kubeconfig="}),
            "flag --kubeconfig needs a non-empty value");
  EXPECT_EQ(usage_error({"backup", "now", "--from-schedule", "s", "--context="}),
            "flag --context needs a non-empty value");
}

TEST(CliOptionsTest, DoubleDashEndsTheFlags) {
  EXPECT_EQ(usage_error({"backup", "now", "--from-schedule", "s", "--", "--wait"}),
            "unexpected argument \"--wait\" for \"backup now\"");
  auto c = backup_now({"--from-schedule", "s", "--", "backup", "now"});
  EXPECT_EQ(c.options.schedule, "s");
}

TEST(CliOptionsTest, UsageStatesTheExitCodes) {
  const std::string usage = usage_text();
  EXPECT_NE(usage.find("kubectl cellar backup now --from-schedule NAME"), std::string::npos);
  EXPECT_NE(usage.find("Exit codes:"), std::string::npos);
  EXPECT_NE(usage.find("  2  --timeout passed first"), std::string::npos);
}

}  // namespace
}  // namespace cellar::cli
