// cellar-agent end to end: the real binary dumps a real PostgreSQL (PostgresServer), and the
// dump is checked with PostgreSQL's own tools.
#include <arpa/inet.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "tests/support/postgres_server.h"

namespace cellar::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr const char* kAppPassword = "app-secret-3141";

class AgentTest : public ::testing::Test {
 protected:
  // One server for the suite: starting PostgreSQL costs seconds; each test has its own folder.
  static void SetUpTestSuite() {
    std::string error;
    server_ = PostgresServer::start(&error).release();
    ASSERT_NE(server_, nullptr) << error;
    server_->create_role("app", kAppPassword);
    server_->create_role("outsider", "outsider-secret");
    server_->create_database("shop");
    server_->load_sample_data("shop");
    server_->psql("shop",
                  "GRANT SELECT ON ALL TABLES IN SCHEMA public TO app;"
                  "GRANT SELECT ON ALL SEQUENCES IN SCHEMA public TO app");
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }

  void SetUp() override {
    ASSERT_NE(server_, nullptr);
    dir_ =
        server_->folder() + "/" + ::testing::UnitTest::GetInstance()->current_test_info()->name();
    fs::create_directories(dir_);
    location_ = dir_ + "/backups/shop.dump";
  }

  std::vector<std::string> agent_env(const std::vector<std::string>& extra) const {
    std::vector<std::string> env = {"PGUSER=app", "PGPASSWORD=" + std::string(kAppPassword),
                                    "PGDATABASE=shop", "CELLAR_OUTPUT=" + location_,
                                    "CELLAR_TERMINATION_MESSAGE_PATH=" + message_path()};
    env.insert(env.end(), extra.begin(), extra.end());
    return env;
  }
  ClientResult dump(const std::vector<std::string>& extra_env = {}) const {
    return server_->run_client({CELLAR_AGENT_BIN, "dump"}, agent_env(extra_env));
  }
  ClientResult remove(const std::string& location) const {
    return server_->run_client({CELLAR_AGENT_BIN, "delete", location}, agent_env({}));
  }
  std::string message_path() const { return dir_ + "/termination-log"; }
  json message() const { return json::parse(read(message_path())); }
  std::string error() const { return message().value("error", ""); }

  static std::string read(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }
  std::string sha256_of(const std::string& path) const {
    ClientResult result = server_->run_client({"sha256sum", path});
    return result.out.substr(0, result.out.find(' '));
  }
  std::string row_counts(const std::string& db) const {
    return server_->psql(db,
                         "SELECT (SELECT count(*) FROM customers), (SELECT count(*) FROM orders),"
                         " (SELECT count(*) FROM events)");
  }
  // A pg_dump stand-in: `--version` prints `version_line`, anything else runs `body`.
  std::string fake_pg_dump(const std::string& version_line, const std::string& body) const {
    std::string path = dir_ + "/fake_pg_dump";
    std::ofstream(path) << "#!/bin/sh\nif [ \"$1\" = --version ]; then echo '" << version_line
                        << "'; exit 0; fi\n"
                        << body << "\n";
    chmod(path.c_str(), 0755);
    return path;
  }
  void expect_no_dump_left() const {
    EXPECT_FALSE(fs::exists(location_)) << location_;
    EXPECT_FALSE(fs::exists(location_ + ".partial")) << location_ << ".partial";
  }

  static PostgresServer* server_;
  std::string dir_;
  std::string location_;
};

PostgresServer* AgentTest::server_ = nullptr;

TEST_F(AgentTest, ACustomDumpMatchesItsTerminationMessage) {
  ClientResult run = dump();
  ASSERT_EQ(run.exit_code, 0) << run.describe();
  json reported = message();
  EXPECT_EQ(reported["location"], location_);
  EXPECT_EQ(reported["bytes"].get<uint64_t>(), fs::file_size(location_));
  EXPECT_EQ(reported["sha256"], sha256_of(location_));
  EXPECT_THAT(reported["serverVersion"].get<std::string>(), ::testing::StartsWith("15"));
  EXPECT_GT(reported["databaseSizeBytes"].get<int64_t>(), 0);
  EXPECT_GE(reported["durationSeconds"].get<double>(), 0);
  EXPECT_FALSE(fs::exists(location_ + ".partial"));
  EXPECT_LT(read(message_path()).size(), 4096u);
}

TEST_F(AgentTest, PgRestoreAcceptsTheDump) {
  ASSERT_EQ(dump().exit_code, 0);
  ClientResult list =
      server_->run_client({server_->bin_dir() + "/pg_restore", "--list", location_});
  ASSERT_EQ(list.exit_code, 0) << list.describe();
  EXPECT_THAT(list.out, HasSubstr("TABLE DATA public customers"));
  EXPECT_THAT(list.out, HasSubstr("TABLE DATA public orders"));
}

TEST_F(AgentTest, TheDumpRestoresWithTheSameRowCounts) {
  ASSERT_EQ(dump({"CELLAR_COMPRESSION=9"}).exit_code, 0);
  server_->create_database("restored");
  ClientResult restore = server_->run_client({server_->bin_dir() + "/pg_restore", "--no-owner",
                                              "--exit-on-error", "-d", "restored", location_});
  ASSERT_EQ(restore.exit_code, 0) << restore.describe();
  EXPECT_EQ(row_counts("restored"), "2000|5000|3000");
  EXPECT_EQ(row_counts("restored"), row_counts("shop"));
}

TEST_F(AgentTest, APlainDumpIsSql) {
  ClientResult run = dump({"CELLAR_FORMAT=plain"});
  ASSERT_EQ(run.exit_code, 0) << run.describe();
  std::string sql = read(location_);
  EXPECT_THAT(sql, HasSubstr("CREATE TABLE public.customers"));
  EXPECT_THAT(sql, HasSubstr("COPY public.orders"));
  EXPECT_EQ(message()["bytes"].get<uint64_t>(), sql.size());
}

TEST_F(AgentTest, FlagsOverrideTheEnvironment) {
  std::string elsewhere = dir_ + "/by-hand/shop.sql";
  ClientResult run = server_->run_client(
      {CELLAR_AGENT_BIN, "dump", "--output", elsewhere, "--format=plain"}, agent_env({}));
  ASSERT_EQ(run.exit_code, 0) << run.describe();
  EXPECT_THAT(read(elsewhere), HasSubstr("CREATE TABLE"));
  EXPECT_FALSE(fs::exists(location_));
}

TEST_F(AgentTest, AWrongPasswordFailsWithTheServersWords) {
  ClientResult run = dump({"PGPASSWORD=not-the-password"});
  EXPECT_EQ(run.exit_code, 1) << run.describe();
  EXPECT_THAT(error(), HasSubstr("password authentication failed for user \"app\""));
  EXPECT_THAT(run.out + run.err + read(message_path()), Not(HasSubstr("not-the-password")));
  expect_no_dump_left();
}

TEST_F(AgentTest, AMissingDatabaseSaysItDoesNotExist) {
  ClientResult run = dump({"PGDATABASE=nowhere"});
  EXPECT_EQ(run.exit_code, 1) << run.describe();
  EXPECT_THAT(error(), HasSubstr("database \"nowhere\" does not exist"));
  expect_no_dump_left();
}

TEST_F(AgentTest, AClosedPortIsARefusedConnection) {
  // A socket bound but not listening: its port refuses connections for as long as it is held.
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address = {};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t size = sizeof address;
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&address), size), 0);
  ASSERT_EQ(getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size), 0);
  ClientResult run = dump({"PGPORT=" + std::to_string(ntohs(address.sin_port))});
  close(fd);
  EXPECT_EQ(run.exit_code, 1) << run.describe();
  EXPECT_THAT(error(), HasSubstr("Connection refused"));
  EXPECT_THAT(error(), Not(HasSubstr("\n")));
  expect_no_dump_left();
}

TEST_F(AgentTest, APgDumpFailureReportsItsErrorAndLeavesNoPartial) {
  ClientResult run = dump({"PGUSER=outsider", "PGPASSWORD=outsider-secret"});
  EXPECT_EQ(run.exit_code, 1) << run.describe();
  EXPECT_THAT(error(), HasSubstr("pg_dump: error:"));
  EXPECT_THAT(error(), HasSubstr("permission denied"));
  EXPECT_THAT(error(), Not(HasSubstr("detail")));
  EXPECT_THAT(message()["serverVersion"].get<std::string>(), ::testing::StartsWith("15"));
  expect_no_dump_left();
}

TEST_F(AgentTest, AServerNewerThanPgDumpIsRefusedUpFront) {
  std::string old = fake_pg_dump("pg_dump (PostgreSQL) 14.11", "exit 1");
  ClientResult run = dump({"CELLAR_PG_DUMP=" + old});
  EXPECT_EQ(run.exit_code, 1) << run.describe();
  EXPECT_THAT(error(), HasSubstr("a pg_dump of version 15 or newer is needed"));
  expect_no_dump_left();
}

TEST_F(AgentTest, SigtermStopsPgDumpAndRemovesThePartialFile) {
  // The stand-in writes a little, then has the agent told to stop, as Kubernetes would.
  std::string pid_file = dir_ + "/pg_dump.pid";
  std::string stubborn = fake_pg_dump(
      "pg_dump (PostgreSQL) 15.4",
      "echo $$ > " + pid_file + "\nprintf 'partial data'\nkill -TERM $PPID\nexec sleep 60");
  ClientResult run = dump({"CELLAR_PG_DUMP=" + stubborn});
  EXPECT_EQ(run.exit_code, 1) << run.describe();
  EXPECT_FALSE(run.timed_out);
  EXPECT_THAT(error(), HasSubstr("SIGTERM"));
  expect_no_dump_left();
  pid_t pid = std::stoi(read(pid_file));
  EXPECT_NE(kill(pid, 0), 0) << "pg_dump still runs";
}

TEST_F(AgentTest, DeleteRemovesTheDumpAndIsIdempotent) {
  ASSERT_EQ(dump().exit_code, 0);
  std::ofstream(location_ + ".partial") << "leftover";
  ClientResult first = remove(location_);
  ASSERT_EQ(first.exit_code, 0) << first.describe();
  expect_no_dump_left();
  EXPECT_EQ(message(), json({{"deleted", true}, {"location", location_}}));
  ClientResult again = remove(location_);
  EXPECT_EQ(again.exit_code, 0) << again.describe();
  EXPECT_EQ(message()["deleted"], true);
}

TEST_F(AgentTest, ABadSettingIsReportedInTheTerminationMessage) {
  ClientResult run = dump({"CELLAR_FORMAT=tar"});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_THAT(error(), HasSubstr("\"custom\" or \"plain\""));
}

}  // namespace
}  // namespace cellar::testing
