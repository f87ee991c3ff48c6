// `cellar-agent restore`'s settings: the Job's environment, flags over it, and the refusals the
// Restore controller relies on (no checksum, clean with plain SQL, no target database).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "controller/agent/agent_options.h"

namespace cellar::agent {
namespace {

using ::testing::HasSubstr;

const std::string kChecksum = "sha256:" + std::string(64, 'a');

class RestoreOptionsTest : public ::testing::Test {
 protected:
  Environment env = {{"PGHOST", "db"},
                     {"PGPORT", "5432"},
                     {"PGDATABASE", "restored"},
                     {"PGUSER", "app"},
                     {"PGPASSWORD", "secret"},
                     {"CELLAR_INPUT", "/backups/app.dump"},
                     {"CELLAR_CHECKSUM", kChecksum}};

  ParsedCommand parse(std::vector<std::string> args) {
    args.insert(args.begin(), {"cellar-agent", "restore"});
    return parse_agent_command(args, env);
  }
  std::string error(std::vector<std::string> args = {}) {
    ParsedCommand parsed = parse(args);
    const auto* found = std::get_if<OptionsError>(&parsed);
    return found ? found->message : "";
  }
  RestoreSettings restore(std::vector<std::string> args = {}) {
    ParsedCommand parsed = parse(args);
    EXPECT_EQ(error(args), "");
    if (!std::holds_alternative<AgentCommand>(parsed)) return RestoreSettings{};
    const auto* settings = std::get_if<RestoreSettings>(&std::get<AgentCommand>(parsed));
    EXPECT_NE(settings, nullptr);
    return settings ? *settings : RestoreSettings{};
  }
};

TEST_F(RestoreOptionsTest, ReadsTheJobsEnvironment) {
  RestoreSettings settings = restore();
  EXPECT_EQ(settings.input, "/backups/app.dump");
  EXPECT_FALSE(settings.s3.has_value());
  EXPECT_EQ(settings.sha256, std::string(64, 'a'));
  EXPECT_EQ(settings.format, DumpFormat::kCustom);
  EXPECT_FALSE(settings.create_database);
  EXPECT_FALSE(settings.clean);
  EXPECT_EQ(settings.connection.host, "db");
  EXPECT_EQ(settings.connection.database, "restored");
  EXPECT_EQ(settings.connection.user, "app");
  EXPECT_EQ(settings.termination_message_path, "/dev/termination-log");
}

TEST_F(RestoreOptionsTest, ReadsCellarsOwnSettings) {
  env["CELLAR_FORMAT"] = "plain";
  env["CELLAR_CREATE_DATABASE"] = "true";
  env["CELLAR_PG_RESTORE"] = "/opt/pg/pg_restore";
  env["CELLAR_PSQL"] = "/opt/pg/psql";
  env["CELLAR_CONNECT_TIMEOUT"] = "5";
  env["CELLAR_TERMINATION_MESSAGE_PATH"] = "/tmp/message";
  RestoreSettings settings = restore();
  EXPECT_EQ(settings.format, DumpFormat::kPlain);
  EXPECT_TRUE(settings.create_database);
  EXPECT_EQ(settings.pg_restore, "/opt/pg/pg_restore");
  EXPECT_EQ(settings.psql, "/opt/pg/psql");
  EXPECT_EQ(settings.connection.connect_timeout_seconds, 5);
  EXPECT_EQ(settings.termination_message_path, "/tmp/message");
}

TEST_F(RestoreOptionsTest, FlagsWinOverTheEnvironment) {
  env["CELLAR_CLEAN"] = "false";
  RestoreSettings settings =
      restore({"--input", "/elsewhere/x.dump", "--checksum", "sha256:" + std::string(64, 'B'),
               "--database=other", "--clean", "--create-database=false"});
  EXPECT_EQ(settings.input, "/elsewhere/x.dump");
  EXPECT_EQ(settings.sha256, std::string(64, 'b'));  // kept in lower case, as dump reports it
  EXPECT_EQ(settings.connection.database, "other");
  EXPECT_TRUE(settings.clean);
  EXPECT_FALSE(settings.create_database);
}

TEST_F(RestoreOptionsTest, ReadsAnS3Source) {
  env.erase("CELLAR_INPUT");
  env["CELLAR_S3_BUCKET"] = "backups";
  env["CELLAR_S3_KEY"] = "prod/app.dump";
  env["CELLAR_S3_ENDPOINT"] = "http://minio:9000";
  env["CELLAR_S3_FORCE_PATH_STYLE"] = "true";
  env["AWS_ACCESS_KEY_ID"] = "AKID";
  env["AWS_SECRET_ACCESS_KEY"] = "shh";
  RestoreSettings settings = restore();
  ASSERT_TRUE(settings.s3.has_value());
  EXPECT_EQ(settings.s3->bucket, "backups");
  EXPECT_EQ(settings.s3->key, "prod/app.dump");
  EXPECT_EQ(settings.s3->connection.endpoint, "http://minio:9000");
  EXPECT_TRUE(settings.s3->connection.force_path_style);

  env["CELLAR_INPUT"] = "/backups/app.dump";
  EXPECT_THAT(error(), HasSubstr("give one source"));
  env.erase("CELLAR_INPUT");
  env.erase("AWS_SECRET_ACCESS_KEY");
  EXPECT_THAT(error(), HasSubstr("AWS_SECRET_ACCESS_KEY"));
}

TEST_F(RestoreOptionsTest, TheChecksumIsRequiredAndChecked) {
  env.erase("CELLAR_CHECKSUM");
  EXPECT_THAT(error(), HasSubstr("set CELLAR_CHECKSUM or --checksum sha256:HEX"));
  EXPECT_THAT(error({"--checksum", std::string(64, 'a')}), HasSubstr("\"sha256:\" and 64 hex"));
  EXPECT_THAT(error({"--checksum", "sha256:abc"}), HasSubstr("got \"sha256:abc\""));
  EXPECT_THAT(error({"--checksum", "sha256:" + std::string(64, 'g')}), HasSubstr("64 hex"));
}

TEST_F(RestoreOptionsTest, RefusesWhatCannotWork) {
  EXPECT_EQ(error({"--format", "plain", "--clean"}), "clean needs a custom-format dump");
  EXPECT_EQ(restore({"--format", "plain", "--clean=false"}).clean, false);
  env.erase("PGDATABASE");
  EXPECT_THAT(error(), HasSubstr("set PGDATABASE or --database"));
  env["PGDATABASE"] = "x";
  env.erase("CELLAR_INPUT");
  EXPECT_THAT(error(), HasSubstr("no input location: set CELLAR_INPUT or --input"));
  EXPECT_THAT(error({"--input", "relative.dump"}), HasSubstr("must be an absolute path"));
}

TEST_F(RestoreOptionsTest, ExplainsBadValues) {
  EXPECT_THAT(error({"--create-database=maybe"}), HasSubstr("takes true or false, got \"maybe\""));
  EXPECT_THAT(error({"--clean=2"}), HasSubstr("--clean takes true or false"));
  EXPECT_THAT(error({"--format", "tar"}), HasSubstr("\"custom\" or \"plain\""));
  EXPECT_THAT(error({"--port", "0"}), HasSubstr("from 1 to 65535"));
}

TEST_F(RestoreOptionsTest, FlagsOfOtherCommandsAreRefused) {
  EXPECT_EQ(error({"--output", "/x"}), "flag --output does not apply to restore");
  EXPECT_EQ(error({"--compression", "6"}), "flag --compression does not apply to restore");
  EXPECT_EQ(error({"--password", "x"}),
            "the password is read only from the PGPASSWORD environment variable, never from a "
            "flag");
  ParsedCommand dump = parse_agent_command({"cellar-agent", "dump", "--clean"}, env);
  ASSERT_TRUE(std::holds_alternative<OptionsError>(dump));
  EXPECT_EQ(std::get<OptionsError>(dump).message, "flag --clean does not apply to dump");
}

TEST_F(RestoreOptionsTest, TheUsageNamesRestore) {
  EXPECT_THAT(usage_text(), HasSubstr("cellar-agent restore (--input PATH"));
  EXPECT_THAT(usage_text(), HasSubstr("CELLAR_CHECKSUM"));
}

constexpr const char* kAlice = "age1skw63p73ka385eejnar9f5u8vhej6nndgwk2hpr60t4s5g8l4d8qkaxs08";

TEST_F(RestoreOptionsTest, AnEncryptedDumpNeedsAnIdentityFile) {
  env["CELLAR_AGE_RECIPIENTS"] = kAlice;
  EXPECT_THAT(error(), HasSubstr(std::string("the dump is age-encrypted (to ") + kAlice +
                                 "): the restore needs the identity of one of those recipients"));
  env["CELLAR_AGE_IDENTITY_FILE"] = "/etc/cellar/age/identity";
  RestoreSettings settings = restore();
  EXPECT_EQ(settings.age_recipients, std::vector<std::string>{kAlice});
  EXPECT_EQ(settings.age_identity_file, "/etc/cellar/age/identity");
  EXPECT_THAT(error({"--age-identity-file", "identity"}), HasSubstr("must be an absolute path"));
}

TEST_F(RestoreOptionsTest, AnIdentityWithoutRecipientsIsLeftToAge) {
  env["CELLAR_AGE_IDENTITY_FILE"] = "/k/identity";
  RestoreSettings settings = restore();
  EXPECT_TRUE(settings.age_recipients.empty());
  EXPECT_EQ(settings.age_identity_file, "/k/identity");
}

}  // namespace
}  // namespace cellar::agent
