#include "controller/agent/agent_options.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace cellar::agent {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class AgentOptionsTest : public ::testing::Test {
 protected:
  Environment env = {{"PGHOST", "db"},         {"PGPORT", "5432"},
                     {"PGDATABASE", "app"},    {"PGUSER", "app"},
                     {"PGPASSWORD", "secret"}, {"CELLAR_OUTPUT", "/backups/app.dump"}};

  ParsedCommand parse(std::vector<std::string> args) {
    args.insert(args.begin(), "cellar-agent");
    return parse_agent_command(args, env);
  }
  static std::string error_of(const ParsedCommand& parsed) {
    const auto* error = std::get_if<OptionsError>(&parsed);
    return error ? error->message : "";
  }
  template <typename Settings>
  Settings settings_for(std::vector<std::string> args) {
    ParsedCommand parsed = parse(args);
    EXPECT_EQ(error_of(parsed), "");
    if (!std::holds_alternative<AgentCommand>(parsed)) return Settings{};
    const auto* settings = std::get_if<Settings>(&std::get<AgentCommand>(parsed));
    EXPECT_NE(settings, nullptr);
    return settings ? *settings : Settings{};
  }
  DumpSettings dump(std::vector<std::string> args = {}) {
    args.insert(args.begin(), "dump");
    return settings_for<DumpSettings>(args);
  }
  std::string dump_error(std::vector<std::string> args = {}) {
    args.insert(args.begin(), "dump");
    return error_of(parse(args));
  }
};

TEST_F(AgentOptionsTest, ReadsTheJobsEnvironment) {
  DumpSettings settings = dump();
  EXPECT_EQ(settings.connection.host, "db");
  EXPECT_EQ(settings.connection.port, "5432");
  EXPECT_EQ(settings.connection.database, "app");
  EXPECT_EQ(settings.connection.user, "app");
  EXPECT_EQ(settings.output, "/backups/app.dump");
  EXPECT_EQ(settings.format, DumpFormat::kCustom);
  EXPECT_FALSE(settings.compression.has_value());
  EXPECT_EQ(settings.connection.connect_timeout_seconds, 10);
  EXPECT_EQ(settings.termination_message_path, "/dev/termination-log");
}

TEST_F(AgentOptionsTest, ReadsCellarsOwnSettings) {
  env["CELLAR_FORMAT"] = "plain";
  env["CELLAR_COMPRESSION"] = "6";
  env["CELLAR_CONNECT_TIMEOUT"] = "3";
  env["CELLAR_TERMINATION_MESSAGE_PATH"] = "/tmp/message";
  env["CELLAR_PG_DUMP"] = "/opt/pg/bin/pg_dump";
  DumpSettings settings = dump();
  EXPECT_EQ(settings.format, DumpFormat::kPlain);
  EXPECT_EQ(settings.compression, 6);
  EXPECT_EQ(settings.connection.connect_timeout_seconds, 3);
  EXPECT_EQ(settings.termination_message_path, "/tmp/message");
  EXPECT_EQ(settings.pg_dump, "/opt/pg/bin/pg_dump");
}

TEST_F(AgentOptionsTest, FlagsOverrideTheEnvironment) {
  DumpSettings settings = dump({"--output", "/other/x.dump", "--format=plain", "--port=6543"});
  EXPECT_EQ(settings.output, "/other/x.dump");
  EXPECT_EQ(settings.format, DumpFormat::kPlain);
  EXPECT_EQ(settings.connection.port, "6543");
}

TEST_F(AgentOptionsTest, RefusesAPasswordFlag) {
  EXPECT_THAT(dump_error({"--password=hunter2"}), HasSubstr("only from the PGPASSWORD"));
}

TEST_F(AgentOptionsTest, NeedsAnAbsoluteOutputLocation) {
  env.erase("CELLAR_OUTPUT");
  EXPECT_THAT(dump_error(), HasSubstr("set CELLAR_OUTPUT or --output"));
  EXPECT_THAT(dump_error({"--output", "relative.dump"}), HasSubstr("must be an absolute path"));
  EXPECT_THAT(dump_error({"--output", "/backups/"}), HasSubstr("must name a file"));
}

TEST_F(AgentOptionsTest, ExplainsBadValues) {
  EXPECT_THAT(dump_error({"--format", "tar"}),
              HasSubstr("must be \"custom\" or \"plain\", got \"tar\""));
  EXPECT_THAT(dump_error({"--compression", "10"}), HasSubstr("from 0 to 9, got \"10\""));
  EXPECT_THAT(dump_error({"--compression", "fast"}), HasSubstr("got \"fast\""));
  EXPECT_THAT(dump_error({"--connect-timeout", "0"}), HasSubstr("connect timeout"));
  EXPECT_THAT(dump_error({"--port", "70000"}), HasSubstr("from 1 to 65535"));
}

TEST_F(AgentOptionsTest, ExplainsBadUsage) {
  EXPECT_THAT(error_of(parse({})), HasSubstr("missing command"));
  EXPECT_THAT(error_of(parse({"verify"})), HasSubstr("unknown command \"verify\""));
  EXPECT_THAT(dump_error({"--colour"}), HasSubstr("unknown flag --colour"));
  EXPECT_THAT(dump_error({"--output"}), HasSubstr("--output needs a value"));
  EXPECT_THAT(dump_error({"extra"}), HasSubstr("unexpected argument \"extra\""));
}

TEST_F(AgentOptionsTest, HelpIsGeneratedFromTheFlags) {
  const ParsedCommand dump_help = parse({"dump", "--help"});
  const auto* help = std::get_if<HelpText>(&dump_help);
  ASSERT_NE(help, nullptr);
  EXPECT_THAT(help->text, HasSubstr("--output VALUE"));
  EXPECT_THAT(help->text, HasSubstr("(CELLAR_OUTPUT)"));
  EXPECT_THAT(help->text, Not(HasSubstr("--checksum")));  // restore's, not dump's
  const ParsedCommand all_help = parse({"-h"});
  const auto* all = std::get_if<HelpText>(&all_help);
  ASSERT_NE(all, nullptr);
  EXPECT_THAT(all->text, HasSubstr("restore"));
  EXPECT_THAT(all->text, HasSubstr("--create-database [=true|false]"));
}

TEST_F(AgentOptionsTest, AFlagGivenTwiceTakesItsLastValue) {
  EXPECT_EQ(dump({"--output", "/a/x.dump", "--output=/b/y.dump"}).output, "/b/y.dump");
}

TEST_F(AgentOptionsTest, AnErrorStillKnowsWhereToReport) {
  env["CELLAR_TERMINATION_MESSAGE_PATH"] = "/tmp/message";
  ParsedCommand parsed = parse({"dump", "--format", "tar"});
  ASSERT_TRUE(std::holds_alternative<OptionsError>(parsed));
  EXPECT_EQ(std::get<OptionsError>(parsed).termination_message_path, "/tmp/message");
}

TEST_F(AgentOptionsTest, DeleteTakesTheLocation) {
  DeleteSettings settings = settings_for<DeleteSettings>({"delete", "/backups/old.dump"});
  EXPECT_EQ(settings.location, "/backups/old.dump");
}

TEST_F(AgentOptionsTest, DeleteRefusesDumpFlagsAndRelativePaths) {
  EXPECT_THAT(error_of(parse({"delete", "/b/x", "--format", "plain"})),
              HasSubstr("does not apply to delete"));
  EXPECT_THAT(error_of(parse({"delete", "x.dump"})), HasSubstr("absolute path"));
}

class AgentS3OptionsTest : public AgentOptionsTest {
 protected:
  void SetUp() override {
    env.erase("CELLAR_OUTPUT");
    env["AWS_ACCESS_KEY_ID"] = "AKIDEXAMPLE";
    env["AWS_SECRET_ACCESS_KEY"] = "s3cr3t-value";
  }
};

TEST_F(AgentS3OptionsTest, ReadsTheS3DestinationFromFlags) {
  DumpSettings settings =
      dump({"--s3-bucket", "backups", "--s3-key", "shop/x.dump", "--s3-endpoint",
            "http://127.0.0.1:9000", "--s3-region=eu-west-1", "--s3-force-path-style",
            "--s3-ca-file", "/etc/ca.pem", "--s3-part-size", "5Mi"});
  ASSERT_TRUE(settings.s3);
  EXPECT_EQ(settings.s3->bucket, "backups");
  EXPECT_EQ(settings.s3->key, "shop/x.dump");
  EXPECT_EQ(settings.s3->connection.endpoint, "http://127.0.0.1:9000");
  EXPECT_EQ(settings.s3->connection.region, "eu-west-1");
  EXPECT_TRUE(settings.s3->connection.force_path_style);
  EXPECT_EQ(settings.s3->connection.ca_file, "/etc/ca.pem");
  EXPECT_EQ(settings.s3->part_size, 5u * 1024 * 1024);
  EXPECT_EQ(settings.output, "");
}

TEST_F(AgentS3OptionsTest, ReadsTheS3DestinationFromTheEnvironmentWithDefaults) {
  env["CELLAR_S3_BUCKET"] = "backups";
  env["CELLAR_S3_KEY"] = "x.dump";
  env["CELLAR_S3_FORCE_PATH_STYLE"] = "false";
  DumpSettings settings = dump();
  ASSERT_TRUE(settings.s3);
  EXPECT_EQ(settings.s3->connection.region, "us-east-1");
  EXPECT_FALSE(settings.s3->connection.force_path_style);
  EXPECT_EQ(settings.s3->part_size, 16u * 1024 * 1024);
}

TEST_F(AgentS3OptionsTest, CredentialsComeOnlyFromTheEnvironment) {
  EXPECT_THAT(dump_error({"--s3-bucket=b", "--s3-key=k", "--aws-secret-access-key=x"}),
              HasSubstr("only from the AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY"));
  EXPECT_THAT(dump_error({"--s3-bucket=b", "--s3-key=k", "--s3-secret=x"}),
              HasSubstr("never from a flag"));
  env.erase("AWS_SECRET_ACCESS_KEY");
  EXPECT_THAT(dump_error({"--s3-bucket=b", "--s3-key=k"}),
              HasSubstr("no S3 credentials: set AWS_SECRET_ACCESS_KEY"));
}

TEST_F(AgentS3OptionsTest, TheSettingsAndTheirErrorsNeverHoldTheSecret) {
  DumpSettings settings = dump({"--s3-bucket=b", "--s3-key=k"});
  ASSERT_TRUE(settings.s3);
  const S3Destination& s3 = *settings.s3;
  for (const std::string& field :
       {s3.bucket, s3.key, s3.connection.endpoint, s3.connection.region, s3.connection.ca_file}) {
    EXPECT_THAT(field, Not(HasSubstr("s3cr3t")));
  }
  EXPECT_THAT(dump_error({"--s3-bucket=b", "--s3-key=k", "--s3-part-size=1"}),
              Not(HasSubstr("s3cr3t")));
  EXPECT_THAT(usage_text(), Not(HasSubstr("s3cr3t")));
}

TEST_F(AgentS3OptionsTest, ExplainsBadS3Settings) {
  EXPECT_THAT(dump_error({"--s3-bucket=b"}), HasSubstr("needs --s3-key"));
  EXPECT_THAT(dump_error({"--s3-key=k"}), HasSubstr("needs --s3-bucket"));
  EXPECT_THAT(dump_error({"--s3-bucket=b", "--s3-key=k", "--output=/x.dump"}),
              HasSubstr("not both"));
  EXPECT_THAT(dump_error({"--s3-bucket=b", "--s3-key=k", "--s3-part-size=4Mi"}),
              HasSubstr("from 5Mi to 5Gi"));
  EXPECT_THAT(dump_error({"--s3-bucket=b", "--s3-key=k", "--s3-force-path-style=maybe"}),
              HasSubstr("true or false"));
  EXPECT_THAT(dump_error({"--s3-bucket=b/c", "--s3-key=k"}), HasSubstr("not a path"));
  EXPECT_THAT(dump_error({"--s3-bucket=b", "--s3-key=/k"}), HasSubstr("must not start with"));
  EXPECT_THAT(dump_error(), HasSubstr("set CELLAR_OUTPUT or --output"));
}

TEST_F(AgentS3OptionsTest, DeleteTakesAnS3LocationAndItsEndpoint) {
  DeleteSettings settings =
      settings_for<DeleteSettings>({"delete", "s3://backups/shop/x.dump",
                                    "--s3-endpoint=http://127.0.0.1:1", "--s3-force-path-style"});
  EXPECT_EQ(settings.location, "s3://backups/shop/x.dump");
  EXPECT_EQ(settings.s3.endpoint, "http://127.0.0.1:1");
  EXPECT_TRUE(settings.s3.force_path_style);
  EXPECT_THAT(error_of(parse({"delete", "s3://backups"})), HasSubstr("s3://bucket/key"));
  EXPECT_THAT(error_of(parse({"delete", "s3://b/k", "--s3-part-size=5Mi"})),
              HasSubstr("does not apply to delete"));
}

TEST_F(AgentOptionsTest, ReadsTheProcessEnvironment) {
  char first[] = "PGHOST=db";
  char second[] = "EMPTY=";
  char broken[] = "NOEQUALS";
  char* envp[] = {first, second, broken, nullptr};
  Environment read = environment_from(envp);
  EXPECT_EQ(read, (Environment{{"PGHOST", "db"}, {"EMPTY", ""}}));
}

constexpr const char* kAlice = "age1skw63p73ka385eejnar9f5u8vhej6nndgwk2hpr60t4s5g8l4d8qkaxs08";
constexpr const char* kBob = "age19mnah5838vq6sftsdm26tn64x0smt4ajt8x4yhqt6p3t9tgxxgfs7j9uyl";

TEST_F(AgentOptionsTest, AgeRecipientsComeCommaSeparatedAndAreChecked) {
  env["CELLAR_AGE_RECIPIENTS"] = std::string(kAlice) + ", " + kBob;
  DumpSettings settings = dump();
  EXPECT_EQ(settings.age_recipients, (std::vector<std::string>{kAlice, kBob}));
  EXPECT_EQ(settings.age, "age");
  EXPECT_EQ(dump({"--age", "/opt/age/bin/age"}).age, "/opt/age/bin/age");

  env["CELLAR_AGE_RECIPIENTS"] = "age1notakey";
  EXPECT_THAT(dump_error(), HasSubstr("--age-recipients (CELLAR_AGE_RECIPIENTS): \"age1notakey\" "
                                      "is not an age public key"));
  env.erase("CELLAR_AGE_RECIPIENTS");
  EXPECT_TRUE(dump().age_recipients.empty());
}

TEST_F(AgentOptionsTest, AnIdentityIsNeverAFlagAndNeverForADump) {
  EXPECT_THAT(dump_error({"--age-identity=AGE-SECRET-KEY-1XYZ"}),
              HasSubstr("an age identity is read only from a file"));
  EXPECT_THAT(dump_error({"--age-identity=AGE-SECRET-KEY-1XYZ"}), Not(HasSubstr("1XYZ")));
  EXPECT_THAT(dump_error({"--age-identity-file", "/k"}),
              HasSubstr("--age-identity-file does not apply to dump"));
}

}  // namespace
}  // namespace cellar::agent
