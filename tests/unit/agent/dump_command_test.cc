#include "controller/agent/dump_command.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace cellar::agent {
namespace {

using ::testing::Contains;
using ::testing::Not;

class DumpCommandTest : public ::testing::Test {
 protected:
  Environment env = {{"PATH", "/usr/bin"}, {"PGHOST", "db"}, {"PGPASSWORD", "secret"}};
  ConnectionSettings connection;
};

TEST_F(DumpCommandTest, FlagsReachPgDumpThroughItsEnvironment) {
  connection.host = "other";
  connection.port = "6543";
  connection.database = "app";
  connection.connect_timeout_seconds = 7;
  std::vector<std::string> child = pg_dump_environment(env, connection);
  EXPECT_THAT(child, Contains("PGHOST=other"));
  EXPECT_THAT(child, Contains("PGPORT=6543"));
  EXPECT_THAT(child, Contains("PGDATABASE=app"));
  EXPECT_THAT(child, Contains("PGCONNECT_TIMEOUT=7"));
  EXPECT_THAT(child, Not(Contains("PGHOST=db")));
}

TEST_F(DumpCommandTest, ThePasswordPassesThroughUntouched) {
  std::vector<std::string> child = pg_dump_environment(env, connection);
  EXPECT_THAT(child, Contains("PGPASSWORD=secret"));
  EXPECT_THAT(child, Contains("PGHOST=db"));
  EXPECT_THAT(child, Contains("PATH=/usr/bin"));
}

}  // namespace
}  // namespace cellar::agent
