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

RestoreCommand restore(const Args& args) {
  ParsedCommandLine parsed = parse_command_line(args);
  if (const auto* error = std::get_if<UsageError>(&parsed)) {
    ADD_FAILURE() << "usage error: " << error->message;
    return {};
  }
  EXPECT_TRUE(std::holds_alternative<RestoreCommand>(parsed));
  return std::holds_alternative<RestoreCommand>(parsed) ? std::get<RestoreCommand>(parsed)
                                                        : RestoreCommand{};
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
  EXPECT_EQ(usage_error({}), "no command given; try \"backup now\" or \"restore\"");
  EXPECT_EQ(usage_error({"rollback"}), "unknown command \"rollback\" for \"kubectl cellar\"");
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

TEST(CliOptionsTest, RestoreWithDefaults) {
  auto c = restore({"restore", "shop-nightly-202611280200", "--to-database", "shop_check"});
  EXPECT_EQ(c.options.backup, "shop-nightly-202611280200");
  EXPECT_EQ(c.options.database, "shop_check");
  // Unset: the Backup's own spec.database values stand.
  EXPECT_FALSE(c.options.host.has_value());
  EXPECT_FALSE(c.options.port.has_value());
  EXPECT_FALSE(c.options.user.has_value());
  EXPECT_FALSE(c.options.password_secret.has_value());
  EXPECT_FALSE(c.options.create_database);
  EXPECT_FALSE(c.options.clean);
  EXPECT_EQ(c.options.name, "");
  EXPECT_FALSE(c.options.wait);
  EXPECT_FALSE(c.options.timeout.has_value());
  EXPECT_EQ(c.cluster.ns, "");
}

TEST(CliOptionsTest, RestoreEveryFlag) {
  auto c = restore({"restore",
                    "b",
                    "--to-database=x",
                    "--host",
                    "pg.other.svc",
                    "--port=6432",
                    "--user",
                    "restorer",
                    "--password-secret",
                    "other-db:pw",
                    "--create",
                    "--clean",
                    "--name",
                    "r1",
                    "--timeout",
                    "10m",
                    "-n",
                    "shop",
                    "--kubeconfig",
                    "/k",
                    "--context",
                    "prod"});
  EXPECT_EQ(c.options.database, "x");
  EXPECT_EQ(c.options.host, "pg.other.svc");
  EXPECT_EQ(c.options.port, 6432);
  EXPECT_EQ(c.options.user, "restorer");
  EXPECT_EQ(c.options.password_secret, (api::SecretKeyRef{"other-db", "pw"}));
  EXPECT_TRUE(c.options.create_database);
  EXPECT_TRUE(c.options.clean);
  EXPECT_EQ(c.options.name, "r1");
  EXPECT_TRUE(c.options.wait);  // implied by --timeout
  EXPECT_EQ(c.options.timeout, std::chrono::nanoseconds{10min});
  EXPECT_EQ(c.cluster.ns, "shop");
  EXPECT_EQ(c.cluster.kubeconfig, "/k");
  EXPECT_EQ(c.cluster.context, "prod");

  // Flags and words in any order; booleans take pflag's values.
  auto d =
      restore({"--wait", "-n", "shop", "restore", "--create=false", "--to-database", "x", "b"});
  EXPECT_EQ(d.options.backup, "b");
  EXPECT_TRUE(d.options.wait);
  EXPECT_FALSE(d.options.create_database);
}

TEST(CliOptionsTest, RestorePasswordSecretKeyDefaultsToPassword) {
  EXPECT_EQ(restore({"restore", "b", "--to-database", "x", "--password-secret", "s"})
                .options.password_secret,
            (api::SecretKeyRef{"s", "password"}));
  EXPECT_EQ(restore({"restore", "b", "--to-database", "x", "--password-secret=s:token"})
                .options.password_secret,
            (api::SecretKeyRef{"s", "token"}));
  for (const char* bad : {"s:", ":key", ":"}) {
    EXPECT_EQ(usage_error({"restore", "b", "--to-database", "x", "--password-secret", bad}),
              std::string("invalid argument \"") + bad +
                  "\" for \"--password-secret\" flag: want SECRET or SECRET:KEY");
  }
}

TEST(CliOptionsTest, RestoreIdentitySecretKeyDefaultsToIdentity) {
  EXPECT_EQ(restore({"restore", "b", "--to-database", "x"}).options.identity_secret, std::nullopt);
  EXPECT_EQ(restore({"restore", "b", "--to-database", "x", "--identity-secret", "k"})
                .options.identity_secret,
            (api::SecretKeyRef{"k", "identity"}));
  EXPECT_EQ(restore({"restore", "b", "--to-database", "x", "--identity-secret=k:age.key"})
                .options.identity_secret,
            (api::SecretKeyRef{"k", "age.key"}));
  EXPECT_EQ(usage_error({"restore", "b", "--to-database", "x", "--identity-secret", ":key"}),
            "invalid argument \":key\" for \"--identity-secret\" flag: want SECRET or "
            "SECRET:KEY");
  EXPECT_NE(usage_error({"backup", "now", "--from-schedule", "s", "--identity-secret", "k"}), "");
}

TEST(CliOptionsTest, RestorePortIsAPortNumber) {
  EXPECT_EQ(restore({"restore", "b", "--to-database", "x", "--port", "1"}).options.port, 1);
  EXPECT_EQ(restore({"restore", "b", "--to-database", "x", "--port", "65535"}).options.port, 65535);
  for (const char* bad : {"0", "65536", "5432x", "-1", "+5", "99999999999", "0x10"}) {
    EXPECT_EQ(usage_error({"restore", "b", "--to-database", "x", "--port=" + std::string(bad)}),
              std::string("invalid argument \"") + bad +
                  "\" for \"--port\" flag: not a port number (1-65535)");
  }
}

TEST(CliOptionsTest, RestoreUsageErrors) {
  EXPECT_EQ(usage_error({"restore"}),
            "\"restore\" needs the Backup to restore: kubectl cellar restore BACKUP "
            "--to-database NAME");
  EXPECT_EQ(usage_error({"restore", "b"}), "required flag --to-database not set");
  EXPECT_EQ(usage_error({"restore", "b", "c", "--to-database", "x"}),
            "unexpected argument \"c\" for \"restore\"");
  EXPECT_EQ(usage_error({"restore", "", "--to-database", "x"}),
            "\"restore\" needs a non-empty Backup name");
  EXPECT_EQ(usage_error({"restore", "b", "--to-database="}),
            "flag --to-database needs a non-empty value");
  EXPECT_EQ(usage_error({"restore", "b", "--to-database", "x", "--host="}),
            "flag --host needs a non-empty value");
  EXPECT_EQ(usage_error({"restore", "b", "--to-database", "x", "--user="}),
            "flag --user needs a non-empty value");
  EXPECT_EQ(usage_error({"restore", "b", "--to-database", "x", "--name="}),
            "flag --name needs a non-empty value");
  EXPECT_EQ(usage_error({"restore", "b", "--to-database", "x", "--create=maybe"}),
            "invalid argument \"maybe\" for \"--create\" flag: not true or false");
  EXPECT_EQ(usage_error({"restore", "b", "--to-database", "x", "--wait=false", "--timeout=1m"}),
            "--timeout waits for the restore; drop --wait=false");
  EXPECT_EQ(usage_error({"restore", "b", "--to-database", "x", "--timeout=0s"}),
            "invalid argument \"0s\" for \"--timeout\" flag: must be more than 0");
}

TEST(CliOptionsTest, EachCommandTakesOnlyItsOwnFlags) {
  EXPECT_EQ(usage_error({"restore", "b", "--to-database", "x", "--from-schedule", "s"}),
            "unknown flag: --from-schedule");
  EXPECT_EQ(usage_error({"backup", "now", "--from-schedule", "s", "--to-database", "x"}),
            "unknown flag: --to-database");
  EXPECT_EQ(usage_error({"backup", "now", "--from-schedule", "s", "--create"}),
            "unknown flag: --create");
  // A flag's value is never taken for a command word, nor a word for a flag's value.
  EXPECT_EQ(restore({"restore", "--to-database", "restore", "backup"}).options.backup, "backup");
  // Help still wins, whatever the command.
  EXPECT_TRUE(is_help({"restore", "--help"}));
  EXPECT_TRUE(is_help({"restore", "b", "--from-schedule", "s", "-h"}));
}

TEST(CliOptionsTest, UsageStatesTheExitCodes) {
  const std::string usage = usage_text();
  EXPECT_NE(usage.find("kubectl cellar backup now --from-schedule NAME"), std::string::npos);
  EXPECT_NE(usage.find("kubectl cellar restore BACKUP --to-database NAME"), std::string::npos);
  EXPECT_NE(usage.find("Exit codes:"), std::string::npos);
  EXPECT_NE(usage.find("  2  --timeout passed first"), std::string::npos);
}

}  // namespace
}  // namespace cellar::cli
