// cellar-agent restore end to end: a seeded database is dumped by the real `cellar-agent dump`
// and restored by the real `cellar-agent restore` into a real PostgreSQL (PostgresServer), from a
// file and from an S3-compatible server (S3Server); what landed is read back with psql.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "tests/e2e/agent_restore_fixture.h"

namespace cellar::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

TEST_F(AgentRestoreTest, ACustomDumpRestoresIntoANewDatabase) {
  Dump shop = dump("shop.dump");
  ClientResult run = restore(shop, "fresh", {"CELLAR_CREATE_DATABASE=true"});
  ASSERT_EQ(run.exit_code, 0) << run.describe();
  EXPECT_EQ(row_counts("fresh"), "2000|5000|3000");
  EXPECT_EQ(tables_and_counts("fresh"), tables_and_counts("shop"));
  json reported = message();
  EXPECT_EQ(reported["restored"], true);
  EXPECT_EQ(reported["bytes"].get<uint64_t>(), fs::file_size(shop.location));
  EXPECT_EQ("sha256:" + reported["sha256"].get<std::string>(), shop.checksum);
  EXPECT_EQ(reported["location"], shop.location);
  EXPECT_EQ(reported["database"], "fresh");
  EXPECT_THAT(reported["serverVersion"].get<std::string>(), StartsWith("15"));
  EXPECT_EQ(reported["createdDatabase"], true);
  EXPECT_GE(reported["durationSeconds"].get<double>(), 0);
  EXPECT_THAT(run.err, HasSubstr("restore complete"));
}

TEST_F(AgentRestoreTest, APlainDumpRestoresIntoAnExistingDatabase) {
  Dump shop = dump("shop.sql", {"CELLAR_FORMAT=plain"});
  server_->create_database("from_plain");
  ClientResult run = restore(shop, "from_plain", {"CELLAR_FORMAT=plain"});
  ASSERT_EQ(run.exit_code, 0) << run.describe();
  EXPECT_EQ(tables_and_counts("from_plain"), tables_and_counts("shop"));
  EXPECT_EQ(message()["createdDatabase"], false);
}

TEST_F(AgentRestoreTest, ACompressedPlainDumpIsInflatedOnTheWay) {
  Dump shop = dump("shop.sql.gz", {"CELLAR_FORMAT=plain", "CELLAR_COMPRESSION=6"});
  ASSERT_EQ(read(shop.location).substr(0, 2), "\x1f\x8b") << "pg_dump did not write gzip";
  ClientResult run =
      restore(shop, "from_gzip", {"CELLAR_FORMAT=plain", "CELLAR_CREATE_DATABASE=true"});
  ASSERT_EQ(run.exit_code, 0) << run.describe();
  EXPECT_EQ(tables_and_counts("from_gzip"), tables_and_counts("shop"));
}

TEST_F(AgentRestoreTest, OneAlteredByteIsACheckumMismatchAndTouchesNothing) {
  Dump shop = dump("shop.dump");
  std::string bytes = read(shop.location);
  bytes[bytes.size() / 2] ^= 0x01;
  std::ofstream(shop.location, std::ios::binary | std::ios::trunc) << bytes;
  make_conflicting_target("altered");
  std::string before = tables_and_counts("altered");

  ClientResult run = restore(shop, "altered", {"CELLAR_CLEAN=true"});
  EXPECT_EQ(run.exit_code, 1) << run.describe();
  EXPECT_THAT(error(), StartsWith("checksum mismatch: the dump is not the one that was backed up "
                                  "(expected " +
                                  shop.checksum + ", found sha256:"));
  EXPECT_EQ(tables_and_counts("altered"), before);

  ClientResult created = restore(shop, "never_made", {"CELLAR_CREATE_DATABASE=true"});
  EXPECT_EQ(created.exit_code, 1) << created.describe();
  EXPECT_THAT(error(), StartsWith("checksum mismatch"));
  EXPECT_FALSE(database_exists("never_made"));
}

TEST_F(AgentRestoreTest, AConflictingTableFailsWithTheServersWordsAndChangesNothing) {
  Dump shop = dump("shop.dump");
  make_conflicting_target("busy");
  std::string before = tables_and_counts("busy");
  ClientResult run = restore(shop, "busy");
  EXPECT_EQ(run.exit_code, 1) << run.describe();
  EXPECT_EQ(error(), "relation \"customers\" already exists");
  EXPECT_EQ(tables_and_counts("busy"), before);
  EXPECT_EQ(message()["database"], "busy");
}

TEST_F(AgentRestoreTest, CleanReplacesWhatTheDumpRecreates) {
  Dump shop = dump("shop.dump");
  make_conflicting_target("cleaned");
  ClientResult run = restore(shop, "cleaned", {"CELLAR_CLEAN=true"});
  ASSERT_EQ(run.exit_code, 0) << run.describe();
  EXPECT_EQ(row_counts("cleaned"), row_counts("shop"));
  EXPECT_EQ(server_->psql("cleaned", "SELECT count(*) FROM keep"), "2");
}

TEST_F(AgentRestoreTest, APlainDumpThatFailsMidwayCommitsNothing) {
  Dump shop = dump("shop.sql", {"CELLAR_FORMAT=plain"});
  server_->create_database("half");
  // The dump creates customers and orders before it reaches this one.
  server_->psql("half", "CREATE TABLE events (id int)");
  std::string before = tables_and_counts("half");
  ClientResult run = restore(shop, "half", {"CELLAR_FORMAT=plain"});
  EXPECT_EQ(run.exit_code, 1) << run.describe();
  EXPECT_EQ(error(), "relation \"events\" already exists");
  EXPECT_EQ(tables_and_counts("half"), before);
}

TEST_F(AgentRestoreTest, AWrongPasswordFailsWithTheServersWords) {
  Dump shop = dump("shop.dump");
  ClientResult run = restore(shop, "shop", {"PGPASSWORD=not-the-password"});
  EXPECT_EQ(run.exit_code, 1) << run.describe();
  EXPECT_THAT(error(), HasSubstr("password authentication failed for user \"postgres\""));
  EXPECT_THAT(run.err, HasSubstr("restore of " + shop.location + " into database \"shop\""));
  EXPECT_THAT(run.out + run.err + read(message_path()), Not(HasSubstr("not-the-password")));
}

TEST_F(AgentRestoreTest, AMissingFileSaysSoPlainly) {
  Dump gone{dir_ + "/gone.dump", "sha256:" + std::string(64, 'a')};
  ClientResult run = restore(gone, "shop");
  EXPECT_EQ(run.exit_code, 1) << run.describe();
  EXPECT_EQ(error(), "the dump " + gone.location + " does not exist");
  EXPECT_EQ(message()["location"], gone.location);
}

TEST_F(AgentRestoreTest, AMissingTargetNeedsCreateDatabase) {
  Dump shop = dump("shop.dump");
  ClientResult run = restore(shop, "nowhere");
  EXPECT_EQ(run.exit_code, 1) << run.describe();
  EXPECT_EQ(error(), "database \"nowhere\" does not exist on " + server_address() +
                         "; create it or set createDatabase");
}

TEST_F(AgentRestoreTest, CreateDatabaseRefusesAnExistingOne) {
  Dump shop = dump("shop.dump");
  ClientResult run = restore(shop, "shop", {"CELLAR_CREATE_DATABASE=true"});
  EXPECT_EQ(run.exit_code, 1) << run.describe();
  EXPECT_EQ(error(), "database \"shop\" already exists on " + server_address() +
                         "; choose a new name or drop createDatabase");
  EXPECT_EQ(row_counts("shop"), "2000|5000|3000");
}

TEST_F(AgentRestoreTest, AFailedRestoreDropsTheDatabaseItCreated) {
  // SQL given as a custom-format archive: pg_restore refuses it after the database was made.
  Dump sql = dump("shop.sql", {"CELLAR_FORMAT=plain"});
  ClientResult run = restore(sql, "dropped_again", {"CELLAR_CREATE_DATABASE=true"});
  EXPECT_EQ(run.exit_code, 1) << run.describe();
  EXPECT_THAT(error(), HasSubstr("pg_restore: error:"));
  EXPECT_FALSE(database_exists("dropped_again"));
  EXPECT_EQ(message()["createdDatabase"], false);
}

TEST_F(AgentRestoreTest, ADatabaseNameIsNeverAConnectionString) {
  Dump shop = dump("shop.dump");
  const std::string odd = "host=192.0.2.1 port=1 dbname=shop";
  ClientResult run = restore(shop, odd, {"CELLAR_CREATE_DATABASE=true"});
  ASSERT_EQ(run.exit_code, 0) << run.describe();
  EXPECT_EQ(message()["database"], odd);
  // psql here would read the bare name as a connection string too; quoted, it is a name.
  EXPECT_EQ(row_counts("dbname='" + odd + "'"), "2000|5000|3000");
  ClientResult url = restore(shop, "postgresql://192.0.2.1/shop", {"CELLAR_CREATE_DATABASE=true"});
  ASSERT_EQ(url.exit_code, 0) << url.describe();
  EXPECT_EQ(row_counts("dbname='postgresql://192.0.2.1/shop'"), "2000|5000|3000");
}

TEST_F(AgentRestoreTest, SigtermStopsTheRestoreAndDropsTheNewDatabase) {
  Dump shop = dump("shop.dump");
  std::string pid_file = dir_ + "/pg_restore.pid";
  std::string stubborn =
      fake_pg_restore("pg_restore (PostgreSQL) 15.4",
                      "echo $$ > " + pid_file + "\nkill -TERM $PPID\nexec sleep 60");
  ClientResult run =
      restore(shop, "stopped", {"CELLAR_CREATE_DATABASE=true", "CELLAR_PG_RESTORE=" + stubborn});
  EXPECT_EQ(run.exit_code, 1) << run.describe();
  EXPECT_FALSE(run.timed_out);
  EXPECT_THAT(error(), HasSubstr("SIGTERM"));
  EXPECT_FALSE(database_exists("stopped"));
  pid_t pid = std::stoi(read(pid_file));
  EXPECT_NE(kill(pid, 0), 0) << "pg_restore still runs";
}

TEST_F(AgentRestoreTest, ARoleThatOwnsItsDataRestoresWithoutASuperuser) {
  // As a Restore usually runs: the application's own role, allowed to create databases.
  server_->psql("postgres", "CREATE ROLE owner LOGIN CREATEDB PASSWORD 'owner-secret'");
  server_->psql("postgres", "CREATE DATABASE owned OWNER owner");
  const std::vector<std::string> as_owner = {"PGUSER=owner", "PGPASSWORD=owner-secret"};
  ClientResult seeded = server_->run_client(
      {server_->bin_dir() + "/psql", "-X", "-v", "ON_ERROR_STOP=1", "-d", "owned", "-c",
       "CREATE TABLE notes (id int PRIMARY KEY, body text);"
       "INSERT INTO notes SELECT g, 'note ' || g FROM generate_series(1, 500) g"},
      as_owner);
  ASSERT_EQ(seeded.exit_code, 0) << seeded.describe();
  std::vector<std::string> env = as_owner;
  env.push_back("PGDATABASE=owned");
  env.push_back("CELLAR_OUTPUT=" + dir_ + "/owned.dump");
  env.push_back("CELLAR_TERMINATION_MESSAGE_PATH=" + dir_ + "/dump-log");
  ASSERT_EQ(server_->run_client({CELLAR_AGENT_BIN, "dump"}, env).exit_code, 0);
  Dump owned{dir_ + "/owned.dump",
             "sha256:" + json::parse(read(dir_ + "/dump-log")).value("sha256", "")};

  std::vector<std::string> extra = as_owner;
  extra.push_back("CELLAR_CREATE_DATABASE=true");
  ClientResult run = restore(owned, "owned_copy", extra);
  ASSERT_EQ(run.exit_code, 0) << run.describe();
  EXPECT_EQ(server_->psql("owned_copy", "SELECT count(*) FROM notes"), "500");
  EXPECT_EQ(server_->psql("postgres",
                          "SELECT pg_get_userbyid(datdba) FROM pg_database"
                          " WHERE datname = 'owned_copy'"),
            "owner");
}

TEST_F(AgentRestoreTest, AServerNewerThanPgRestoreIsRefused) {
  Dump shop = dump("shop.dump");
  std::string old = fake_pg_restore("pg_restore (PostgreSQL) 14.11", "exit 1");
  ClientResult run =
      restore(shop, "too_new", {"CELLAR_CREATE_DATABASE=true", "CELLAR_PG_RESTORE=" + old});
  EXPECT_EQ(run.exit_code, 1) << run.describe();
  EXPECT_THAT(error(), HasSubstr("a pg_restore of version 15 or newer is needed"));
  EXPECT_THAT(error(), HasSubstr("CELLAR_PG_RESTORE"));
  EXPECT_FALSE(database_exists("too_new"));
}

// A real pg_restore, stopped halfway through a restore big enough to take a while, as Kubernetes
// stops a Job past its deadline: the transaction dies with the connection.
TEST_F(AgentRestoreTest, SigtermHalfwayLeavesTheTargetAsItWas) {
  server_->create_database("big");
  server_->psql("big",
                "CREATE TABLE blobs (id int PRIMARY KEY, a text, b text);"
                "INSERT INTO blobs SELECT g, md5(g::text) || md5((g * 7)::text),"
                " md5((g * 13)::text) FROM generate_series(1, 400000) g");
  Dump big = dump("big.dump", {"PGDATABASE=big", "CELLAR_COMPRESSION=0"});
  make_conflicting_target("interrupted");
  server_->psql("interrupted", "DROP TABLE customers");
  const std::string before = tables_and_counts("interrupted");

  for (const std::string& target : {std::string("interrupted"), std::string("interrupted_new")}) {
    std::vector<std::string> env = server_->superuser_env();
    env.insert(env.end(), {"PGDATABASE=" + target, "CELLAR_INPUT=" + big.location,
                           "CELLAR_CHECKSUM=" + big.checksum,
                           "CELLAR_TERMINATION_MESSAGE_PATH=" + message_path()});
    if (target == "interrupted_new") env.push_back("CELLAR_CREATE_DATABASE=true");
    std::string spawn_error;
    std::unique_ptr<ChildProcess> agent = ChildProcess::spawn(
        {{CELLAR_AGENT_BIN, "restore"}, env, "", "", false, dir_ + "/agent.err"}, &spawn_error);
    ASSERT_NE(agent, nullptr) << spawn_error;
    // Wait (at most 60 s) until pg_restore is busy copying rows in.
    bool copying = false;
    for (int i = 0; i < 600 && !copying && agent->running(); ++i) {
      copying = server_->psql("postgres",
                              "SELECT count(*) FROM pg_stat_activity WHERE application_name ="
                              " 'pg_restore' AND query LIKE 'COPY%'") != "0";
      if (!copying) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    ASSERT_TRUE(copying) << "the restore never reached its COPY: " << read(dir_ + "/agent.err");
    agent->signal(SIGTERM);
    std::optional<int> status = agent->wait(std::chrono::seconds(30));
    ASSERT_TRUE(status.has_value()) << "the agent did not stop";
    EXPECT_EQ(*status, 1);
    EXPECT_THAT(error(), HasSubstr("SIGTERM")) << target;
  }
  EXPECT_EQ(tables_and_counts("interrupted"), before);
  EXPECT_FALSE(database_exists("interrupted_new"));
}

TEST_F(AgentRestoreTest, NoChecksumIsAUsageError) {
  Dump shop = dump("shop.dump");
  ClientResult run = restore(Dump{shop.location, ""}, "shop");
  EXPECT_EQ(run.exit_code, 1) << run.describe();
  EXPECT_THAT(error(), HasSubstr("CELLAR_CHECKSUM"));
  EXPECT_THAT(run.err, HasSubstr("usage: cellar-agent"));
}

TEST_F(AgentRestoreS3Test, ADumpInS3RestoresIntoANewDatabase) {
  Dump shop = dump_to_s3("dumps/shop-restore.dump");
  ASSERT_EQ(shop.location, std::string("s3://") + kBucket + "/dumps/shop-restore.dump");
  ClientResult run = restore_from_s3("dumps/shop-restore.dump", shop.checksum, "from_s3",
                                     {"CELLAR_CREATE_DATABASE=true"});
  ASSERT_EQ(run.exit_code, 0) << run.describe();
  EXPECT_EQ(tables_and_counts("from_s3"), tables_and_counts("shop"));
  EXPECT_EQ(message()["location"], shop.location);
  EXPECT_EQ(message()["createdDatabase"], true);
  EXPECT_THAT(run.err + read(message_path()), Not(HasSubstr(s3_->secret_access_key())));
}

TEST_F(AgentRestoreS3Test, AMissingObjectSaysSoPlainly) {
  ClientResult run = restore_from_s3("dumps/never-written.dump", "sha256:" + std::string(64, 'b'),
                                     "nothing_here", {"CELLAR_CREATE_DATABASE=true"});
  EXPECT_EQ(run.exit_code, 1) << run.describe();
  EXPECT_EQ(error(),
            std::string("the dump s3://") + kBucket + "/dumps/never-written.dump does not exist");
  EXPECT_FALSE(database_exists("nothing_here"));
}

}  // namespace
}  // namespace cellar::testing
