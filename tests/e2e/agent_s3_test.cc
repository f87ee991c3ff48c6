// cellar-agent to S3 end to end: the real binary dumps a real PostgreSQL (PostgresServer) into a
// real S3-compatible server (s3rver) behind a front that verifies every signature with botocore
// (S3Server); what was stored is read back with Debian's AWS CLI and PostgreSQL's own tools.
#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "tests/support/child_process.h"
#include "tests/support/postgres_server.h"
#include "tests/support/s3_server.h"
#include "tests/support/temp_dir.h"

namespace cellar::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr const char* kAppPassword = "app-secret-2718";
constexpr const char* kBucket = "cellar-backups";
constexpr uint64_t kMiB = 1024 * 1024;

class AgentS3Test : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { start_servers(false); }
  static void start_servers(bool tls) {
    std::string error;
    postgres_ = PostgresServer::start(&error).release();
    ASSERT_NE(postgres_, nullptr) << error;
    s3_ = S3Server::start(&error, tls).release();
    ASSERT_NE(s3_, nullptr) << error;
    s3_->create_bucket(kBucket);
    postgres_->create_role("app", kAppPassword);
    postgres_->create_database("shop");
    postgres_->load_sample_data("shop");
    postgres_->psql("shop",
                    "GRANT SELECT ON ALL TABLES IN SCHEMA public TO app;"
                    "GRANT SELECT ON ALL SEQUENCES IN SCHEMA public TO app");
  }
  static void TearDownTestSuite() {
    delete s3_;
    s3_ = nullptr;
    delete postgres_;
    postgres_ = nullptr;
  }

  void SetUp() override {
    ASSERT_NE(postgres_, nullptr);
    ASSERT_NE(s3_, nullptr);
    name_ = ::testing::UnitTest::GetInstance()->current_test_info()->name();
    dir_ = postgres_->folder() + "/" + name_;
    fs::create_directories(dir_);
    key_ = "dumps/" + name_ + "-1a2b3c4d.dump";
  }

  // The agent's environment: the database, the destination, the credentials.
  std::vector<std::string> agent_env(const std::vector<std::string>& extra) const {
    std::vector<std::string> env = {"PGUSER=app",
                                    "PGPASSWORD=" + std::string(kAppPassword),
                                    "PGDATABASE=shop",
                                    "CELLAR_S3_BUCKET=" + std::string(kBucket),
                                    "CELLAR_S3_KEY=" + key_,
                                    "CELLAR_S3_ENDPOINT=" + s3_->endpoint(),
                                    "CELLAR_S3_FORCE_PATH_STYLE=true",
                                    "CELLAR_TERMINATION_MESSAGE_PATH=" + message_path(),
                                    "AWS_SESSION_TOKEN="};
    std::vector<std::string> credentials = s3_->credentials_env();
    env.insert(env.end(), credentials.begin(), credentials.end());
    env.insert(env.end(), extra.begin(), extra.end());
    return env;
  }
  ClientResult dump(const std::vector<std::string>& extra_env = {},
                    const std::vector<std::string>& flags = {}) const {
    std::vector<std::string> argv = {CELLAR_AGENT_BIN, "dump"};
    argv.insert(argv.end(), flags.begin(), flags.end());
    return postgres_->run_client(argv, agent_env(extra_env));
  }
  std::string message_path() const { return dir_ + "/termination-log"; }
  json message() const { return json::parse(read(message_path())); }
  std::string error() const { return message().value("error", ""); }
  std::string location() const { return "s3://" + std::string(kBucket) + "/" + key_; }

  static std::string read(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }
  // The object as the AWS CLI sees it: head-object's JSON, or null when it does not exist.
  json head() const {
    CommandResult result = s3_->s3api({"head-object", "--bucket", kBucket, "--key", key_});
    if (result.exit_code != 0) {
      EXPECT_THAT(result.err, HasSubstr("Not Found")) << result.describe();
      return nullptr;
    }
    return json::parse(result.out);
  }
  // Downloads the object with the AWS CLI; returns the file's path.
  std::string download() const {
    std::string path = dir_ + "/downloaded.dump";
    CommandResult result = s3_->s3api({"get-object", "--bucket", kBucket, "--key", key_, path});
    EXPECT_EQ(result.exit_code, 0) << result.describe();
    return path;
  }
  std::string sha256_of(const std::string& path) const {
    ClientResult result = postgres_->run_client({"sha256sum", path});
    return result.out.substr(0, result.out.find(' '));
  }
  json incomplete_uploads() const {
    CommandResult result =
        s3_->s3api({"list-multipart-uploads", "--bucket", kBucket, "--prefix", "dumps/"});
    EXPECT_EQ(result.exit_code, 0) << result.describe();
    if (result.out.find_first_not_of(" \n") == std::string::npos) return json::array();
    return json::parse(result.out).value("Uploads", json::array());
  }
  void expect_secret_absent(const ClientResult& run) const {
    const std::string& secret = s3_->secret_access_key();
    EXPECT_THAT(run.out, Not(HasSubstr(secret)));
    EXPECT_THAT(run.err, Not(HasSubstr(secret)));
    EXPECT_THAT(read(message_path()), Not(HasSubstr(secret)));
  }

  // A database of about 40 MB of rows that compress poorly, for dumps of several parts.
  static void make_big_database() {
    if (big_made_) return;
    postgres_->create_database("big");
    postgres_->psql("big",
                    "CREATE TABLE blobs (id int PRIMARY KEY, a text, b text, c text);"
                    "INSERT INTO blobs SELECT g, md5(g::text) || md5((g * 7)::text),"
                    " md5((g * 13)::text) || md5((g * 17)::text), md5((g * 19)::text)"
                    " FROM generate_series(1, 330000) g;"
                    "GRANT SELECT ON blobs TO app");
    big_made_ = true;
  }

  static PostgresServer* postgres_;
  static S3Server* s3_;
  static bool big_made_;
  std::string name_;
  std::string dir_;
  std::string key_;
};

PostgresServer* AgentS3Test::postgres_ = nullptr;
S3Server* AgentS3Test::s3_ = nullptr;
bool AgentS3Test::big_made_ = false;

// Runs a program to its end with wait4, so its peak RSS (and that of the children it waited for)
// comes back with its exit status. Output goes to files.
struct MeasuredRun {
  int exit_code = -1;
  long max_rss_kib = 0;
  std::string out;
  std::string err;
};

MeasuredRun run_measured(const std::vector<std::string>& argv, const std::vector<std::string>& env,
                         const std::string& dir) {
  MeasuredRun run;
  const std::string out = dir + "/measured.out";
  const std::string err = dir + "/measured.err";
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&actions, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  std::vector<char*> args;
  std::vector<char*> envp;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  for (const std::string& e : env) envp.push_back(const_cast<char*>(e.c_str()));
  args.push_back(nullptr);
  envp.push_back(nullptr);
  pid_t pid = -1;
  int rc = posix_spawn(&pid, args[0], &actions, nullptr, args.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) return run;
  int status = 0;
  rusage usage = {};
  wait4(pid, &status, 0, &usage);
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  run.max_rss_kib = usage.ru_maxrss;
  run.out = read_file(out);
  run.err = read_file(err);
  return run;
}

TEST_F(AgentS3Test, ADumpLandsInTheBucketAsTheTerminationMessageSays) {
  ClientResult run = dump();
  ASSERT_EQ(run.exit_code, 0) << run.describe();
  json reported = message();
  EXPECT_EQ(reported["location"], location());
  json object = head();
  ASSERT_FALSE(object.is_null());
  EXPECT_EQ(object["ContentLength"].get<uint64_t>(), reported["bytes"].get<uint64_t>());
  std::string downloaded = download();
  EXPECT_EQ(fs::file_size(downloaded), reported["bytes"].get<uint64_t>());
  EXPECT_EQ(sha256_of(downloaded), reported["sha256"]);
  EXPECT_THAT(reported["serverVersion"].get<std::string>(), ::testing::StartsWith("15"));
  EXPECT_GT(reported["databaseSizeBytes"].get<int64_t>(), 0);

  ClientResult list =
      postgres_->run_client({postgres_->bin_dir() + "/pg_restore", "--list", downloaded});
  ASSERT_EQ(list.exit_code, 0) << list.describe();
  EXPECT_THAT(list.out, HasSubstr("TABLE DATA public customers"));
  EXPECT_THAT(list.out, HasSubstr("TABLE DATA public orders"));
  EXPECT_EQ(incomplete_uploads().size(), 0u);
  expect_secret_absent(run);
}

TEST_F(AgentS3Test, ADumpOfManyPartsStaysWithinItsMemoryBound) {
  make_big_database();
  std::vector<std::string> env =
      agent_env({"PGDATABASE=big", "CELLAR_COMPRESSION=0", "CELLAR_S3_PART_SIZE=5Mi"});
  std::vector<std::string> client_env = postgres_->superuser_env();
  client_env.insert(client_env.end(), env.begin(), env.end());
  MeasuredRun run = run_measured({CELLAR_AGENT_BIN, "dump"}, merged_environment(client_env), dir_);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  json reported = message();
  const uint64_t bytes = reported["bytes"].get<uint64_t>();
  const int parts = static_cast<int>((bytes + 5 * kMiB - 1) / (5 * kMiB));
  std::printf("dump of %.1f MiB in %d parts of 5 MiB: peak RSS of the agent (or pg_dump) %ld KiB\n",
              static_cast<double>(bytes) / kMiB, parts, run.max_rss_kib);
  EXPECT_GE(parts, 6) << "the dump should span several parts";
  // One 5 MiB part buffer, a 256 KiB read buffer, curl, OpenSSL and the program itself: far
  // below the dump's size, and bounded whatever that is.
  EXPECT_LT(run.max_rss_kib, 40 * 1024);
  EXPECT_LT(static_cast<uint64_t>(run.max_rss_kib) * 1024, bytes / 2);
  EXPECT_EQ(head()["ContentLength"].get<uint64_t>(), bytes);
  EXPECT_EQ(sha256_of(download()), reported["sha256"]);
  EXPECT_THAT(s3_->front_log(), HasSubstr("partNumber=" + std::to_string(parts)));
  EXPECT_EQ(incomplete_uploads().size(), 0u);
}

TEST_F(AgentS3Test, AWrongSecretFailsWithSignatureDoesNotMatchBeforePgDumpRuns) {
  ClientResult run = dump({"AWS_SECRET_ACCESS_KEY=not-the-secret-key"});
  EXPECT_EQ(run.exit_code, 1) << run.describe();
  EXPECT_THAT(error(), HasSubstr("S3 SignatureDoesNotMatch: The request signature we calculated"));
  EXPECT_THAT(error(), HasSubstr("bucket \"cellar-backups\""));
  EXPECT_THAT(run.out + run.err + read(message_path()), Not(HasSubstr("not-the-secret-key")));
  EXPECT_TRUE(head().is_null());
}

TEST_F(AgentS3Test, AnUnknownAccessKeyIsNamed) {
  ClientResult run = dump({"AWS_ACCESS_KEY_ID=AKIDNOBODY"});
  EXPECT_EQ(run.exit_code, 1) << run.describe();
  EXPECT_THAT(error(), HasSubstr("S3 InvalidAccessKeyId"));
  expect_secret_absent(run);
}

TEST_F(AgentS3Test, AMissingBucketIsNoSuchBucket) {
  ClientResult run = dump({"CELLAR_S3_BUCKET=no-such-bucket"});
  EXPECT_EQ(run.exit_code, 1) << run.describe();
  EXPECT_THAT(error(), HasSubstr("S3 NoSuchBucket: The specified bucket does not exist"));
  EXPECT_THAT(error(), HasSubstr("bucket \"no-such-bucket\""));
}

TEST_F(AgentS3Test, AnUnreachableEndpointKeepsCurlsWords) {
  ClientResult run = dump({"CELLAR_S3_ENDPOINT=http://127.0.0.1:1"});
  EXPECT_EQ(run.exit_code, 1) << run.describe();
  EXPECT_THAT(error(), HasSubstr("S3 request failed: "));
  EXPECT_THAT(error(), HasSubstr("127.0.0.1"));
}

TEST_F(AgentS3Test, SigtermMidUploadLeavesNoIncompleteUpload) {
  make_big_database();
  ChildProcessOptions options;
  options.argv = {CELLAR_AGENT_BIN, "dump"};
  options.env = postgres_->superuser_env();
  for (const std::string& entry :
       agent_env({"PGDATABASE=big", "CELLAR_COMPRESSION=0", "CELLAR_S3_PART_SIZE=5Mi"})) {
    options.env.push_back(entry);
  }
  options.stderr_path = dir_ + "/agent.err";
  std::string spawn_error;
  std::unique_ptr<ChildProcess> agent = ChildProcess::spawn(options, &spawn_error);
  ASSERT_NE(agent, nullptr) << spawn_error;
  // Wait until the upload is under way: its second part has been sent.
  const std::string marker = key_ + "?partNumber=2";
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds{60};
  while (s3_->front_log().find(marker) == std::string::npos &&
         std::chrono::steady_clock::now() < deadline && agent->running()) {
    std::this_thread::sleep_for(std::chrono::milliseconds{20});
  }
  ASSERT_THAT(s3_->front_log(), HasSubstr(marker));
  agent->signal(SIGTERM);
  std::optional<int> status = agent->wait(std::chrono::seconds{30});
  ASSERT_TRUE(status) << "the agent did not stop";
  EXPECT_EQ(*status, 1);
  EXPECT_THAT(error(), HasSubstr("SIGTERM"));
  EXPECT_EQ(incomplete_uploads(), json::array());
  EXPECT_THAT(s3_->front_log(), HasSubstr("DELETE /cellar-backups/" + key_ + "?uploadId="));
  EXPECT_TRUE(head().is_null());
}

TEST_F(AgentS3Test, DeleteRemovesTheObjectAndIsIdempotent) {
  ASSERT_EQ(dump().exit_code, 0);
  ASSERT_FALSE(head().is_null());
  std::vector<std::string> flags = {"--s3-endpoint", s3_->endpoint(), "--s3-force-path-style"};
  std::vector<std::string> argv = {CELLAR_AGENT_BIN, "delete", location()};
  argv.insert(argv.end(), flags.begin(), flags.end());
  ClientResult first = postgres_->run_client(argv, agent_env({}));
  ASSERT_EQ(first.exit_code, 0) << first.describe();
  EXPECT_EQ(message(), json({{"deleted", true}, {"location", location()}}));
  EXPECT_TRUE(head().is_null());
  ClientResult again = postgres_->run_client(argv, agent_env({}));
  EXPECT_EQ(again.exit_code, 0) << again.describe();
  expect_secret_absent(again);
}

TEST_F(AgentS3Test, DeleteWithAWrongSecretFailsInS3sWords) {
  std::vector<std::string> argv = {CELLAR_AGENT_BIN, "delete",        location(),
                                   "--s3-endpoint",  s3_->endpoint(), "--s3-force-path-style"};
  ClientResult run = postgres_->run_client(argv, agent_env({"AWS_SECRET_ACCESS_KEY=wrong-one"}));
  EXPECT_EQ(run.exit_code, 1) << run.describe();
  EXPECT_THAT(error(), HasSubstr("S3 SignatureDoesNotMatch"));
}

// The same front serving HTTPS with a self-signed certificate, as a private MinIO or Ceph would.
class AgentS3TlsTest : public AgentS3Test {
 protected:
  static void SetUpTestSuite() { start_servers(true); }
};

TEST_F(AgentS3TlsTest, TheCaFileVerifiesAPrivateEndpoint) {
  ASSERT_THAT(s3_->endpoint(), ::testing::StartsWith("https://"));
  ClientResult run = dump({"CELLAR_S3_CA_FILE=" + s3_->ca_file()});
  ASSERT_EQ(run.exit_code, 0) << run.describe();
  EXPECT_EQ(sha256_of(download()), message()["sha256"]);
}

TEST_F(AgentS3TlsTest, AnUntrustedCertificateFailsWithCurlsWordsAtOnce) {
  auto start = std::chrono::steady_clock::now();
  ClientResult run = dump();
  EXPECT_EQ(run.exit_code, 1) << run.describe();
  EXPECT_THAT(error(), HasSubstr("S3 request failed: SSL certificate problem"));
  // A certificate that does not verify is not retried.
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds{5});
  EXPECT_TRUE(head().is_null());
}

}  // namespace
}  // namespace cellar::testing
