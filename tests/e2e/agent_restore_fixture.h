// What the cellar-agent restore tests start from: one real PostgreSQL for the suite (with the
// sample database "shop"), a folder a test, the real `cellar-agent dump` to make a dump and the
// real `cellar-agent restore` to restore it; and the same with an S3-compatible server (S3Server)
// holding the dump.
#pragma once

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "tests/support/child_process.h"
#include "tests/support/postgres_server.h"
#include "tests/support/s3_server.h"

namespace cellar::testing {

inline constexpr const char* kBucket = "cellar-backups";

struct Dump {
  std::string location;
  std::string checksum;               // sha256:HEX, as the Backup's status records it
  nlohmann::json reported = nullptr;  // the agent's termination message
};

class AgentRestoreTest : public ::testing::Test {
 protected:
  using json = nlohmann::json;

  // One server for the suite: starting PostgreSQL costs seconds; each test has its own folder and
  // its own target databases.
  static void SetUpTestSuite() {
    std::string error;
    server_ = PostgresServer::start(&error).release();
    ASSERT_NE(server_, nullptr) << error;
    server_->create_database("shop");
    server_->load_sample_data("shop");
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }

  void SetUp() override {
    ASSERT_NE(server_, nullptr);
    dir_ =
        server_->folder() + "/" + ::testing::UnitTest::GetInstance()->current_test_info()->name();
    std::filesystem::create_directories(dir_);
  }

  // Dumps "shop" with the real agent (as the superuser, PostgresServer's default environment).
  Dump dump(const std::string& file, const std::vector<std::string>& extra = {}) const {
    std::string location = dir_ + "/" + file;
    std::vector<std::string> env = {"PGDATABASE=shop", "CELLAR_OUTPUT=" + location,
                                    "CELLAR_TERMINATION_MESSAGE_PATH=" + dir_ + "/dump-log"};
    env.insert(env.end(), extra.begin(), extra.end());
    ClientResult run = server_->run_client({CELLAR_AGENT_BIN, "dump"}, env);
    EXPECT_EQ(run.exit_code, 0) << run.describe();
    json reported = json::parse(read(dir_ + "/dump-log"));
    return Dump{location, "sha256:" + reported.value("sha256", ""), reported};
  }
  ClientResult restore(const Dump& dump, const std::string& database,
                       const std::vector<std::string>& extra = {}) const {
    std::vector<std::string> env = {"PGDATABASE=" + database, "CELLAR_INPUT=" + dump.location,
                                    "CELLAR_CHECKSUM=" + dump.checksum,
                                    "CELLAR_TERMINATION_MESSAGE_PATH=" + message_path()};
    env.insert(env.end(), extra.begin(), extra.end());
    return server_->run_client({CELLAR_AGENT_BIN, "restore"}, env);
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
  static std::string row_counts(const std::string& db) {
    return server_->psql(db,
                         "SELECT (SELECT count(*) FROM customers), (SELECT count(*) FROM orders),"
                         " (SELECT count(*) FROM events)");
  }
  // Every table of the public schema with its row count, one a line: what a failed restore
  // must leave exactly as it found it.
  static std::string tables_and_counts(const std::string& db) {
    return server_->psql(
        db,
        "SELECT table_name, (xpath('/row/n/text()', query_to_xml("
        "format('SELECT count(*) AS n FROM public.%I', table_name), false, true, '')))[1]::text"
        " FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1");
  }
  static bool database_exists(const std::string& name) {
    return server_->psql("postgres",
                         "SELECT count(*) FROM pg_database WHERE datname = '" + name + "'") == "1";
  }
  // A target that already holds a table the dump also creates, and one of its own.
  static void make_conflicting_target(const std::string& db) {
    server_->create_database(db);
    server_->psql(db,
                  "CREATE TABLE customers (id int PRIMARY KEY, note text);"
                  "INSERT INTO customers VALUES (1, 'kept'), (2, 'kept'), (3, 'kept');"
                  "CREATE TABLE keep (id int); INSERT INTO keep VALUES (1), (2)");
  }
  std::string server_address() const {
    return server_->host() + ":" + std::to_string(server_->port());
  }
  // A pg_restore stand-in: `--version` prints `version_line`, anything else runs `body`.
  std::string fake_pg_restore(const std::string& version_line, const std::string& body) const {
    std::string path = dir_ + "/fake_pg_restore";
    std::ofstream(path) << "#!/bin/sh\nif [ \"$1\" = --version ]; then echo '" << version_line
                        << "'; exit 0; fi\n"
                        << body << "\n";
    chmod(path.c_str(), 0755);
    return path;
  }

  inline static PostgresServer* server_ = nullptr;
  std::string dir_;
};

// Restoring from S3: the dump is streamed there by `cellar-agent dump`, then read back twice
// (checksum, restore) by `cellar-agent restore`.
class AgentRestoreS3Test : public AgentRestoreTest {
 protected:
  static void SetUpTestSuite() {
    AgentRestoreTest::SetUpTestSuite();
    std::string error;
    s3_ = S3Server::start(&error).release();
    ASSERT_NE(s3_, nullptr) << error;
    s3_->create_bucket(kBucket);
  }
  static void TearDownTestSuite() {
    delete s3_;
    s3_ = nullptr;
    AgentRestoreTest::TearDownTestSuite();
  }
  std::vector<std::string> s3_env(const std::string& key) const {
    std::vector<std::string> env = {"CELLAR_S3_BUCKET=" + std::string(kBucket),
                                    "CELLAR_S3_KEY=" + key, "CELLAR_S3_ENDPOINT=" + s3_->endpoint(),
                                    "CELLAR_S3_FORCE_PATH_STYLE=true", "AWS_SESSION_TOKEN="};
    std::vector<std::string> credentials = s3_->credentials_env();
    env.insert(env.end(), credentials.begin(), credentials.end());
    return env;
  }
  Dump dump_to_s3(const std::string& key, const std::vector<std::string>& extra = {}) const {
    std::vector<std::string> env = s3_env(key);
    env.insert(env.end(), extra.begin(), extra.end());
    env.push_back("PGDATABASE=shop");
    env.push_back("CELLAR_TERMINATION_MESSAGE_PATH=" + dir_ + "/dump-log");
    ClientResult run = server_->run_client({CELLAR_AGENT_BIN, "dump"}, env);
    EXPECT_EQ(run.exit_code, 0) << run.describe();
    json reported = json::parse(read(dir_ + "/dump-log"));
    return Dump{reported.value("location", ""), "sha256:" + reported.value("sha256", ""), reported};
  }
  ClientResult restore_from_s3(const std::string& key, const std::string& checksum,
                               const std::string& database,
                               const std::vector<std::string>& extra = {}) const {
    std::vector<std::string> env = s3_env(key);
    env.insert(env.end(), {"PGDATABASE=" + database, "CELLAR_CHECKSUM=" + checksum,
                           "CELLAR_TERMINATION_MESSAGE_PATH=" + message_path()});
    env.insert(env.end(), extra.begin(), extra.end());
    return server_->run_client({CELLAR_AGENT_BIN, "restore"}, env);
  }

  inline static S3Server* s3_ = nullptr;
};

}  // namespace cellar::testing
