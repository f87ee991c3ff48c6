#include "controller/agent/pg_version.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace cellar::agent {
namespace {

using ::testing::HasSubstr;

class PgVersionTest : public ::testing::Test {
 protected:
  static int server(const std::string& text) {
    auto version = parse_server_version(text);
    return version ? version->number : -1;
  }
  static PgVersion v(int number) { return PgVersion{number}; }
};

TEST_F(PgVersionTest, ReadsServerVersions) {
  EXPECT_EQ(server("15.4 (Debian 15.4-1.pgdg120+1)"), 150004);
  EXPECT_EQ(server("16.0"), 160000);
  EXPECT_EQ(server("17beta2"), 170000);
  EXPECT_EQ(server("9.6.24"), 90624);
  EXPECT_EQ(server("10.23"), 100023);
}

TEST_F(PgVersionTest, RefusesTextThatIsNoVersion) {
  EXPECT_EQ(server(""), -1);
  EXPECT_EQ(server("devel"), -1);
}

TEST_F(PgVersionTest, ReadsPgDumpVersionOutput) {
  auto version = parse_pg_dump_version("pg_dump (PostgreSQL) 15.20 (Debian 15.20-0+deb12u1)\n");
  ASSERT_TRUE(version);
  EXPECT_EQ(version->number, 150020);
  EXPECT_FALSE(parse_pg_dump_version("bash: pg_dump: command not found"));
}

TEST_F(PgVersionTest, NamesMajorVersions) {
  EXPECT_EQ(v(150004).major_name(), "15");
  EXPECT_EQ(v(90624).major_name(), "9.6");
}

TEST_F(PgVersionTest, PgDumpHandlesItsOwnMajorAndOlder) {
  EXPECT_TRUE(pg_dump_can_dump(v(150020), v(150004)));
  EXPECT_TRUE(pg_dump_can_dump(v(150000), v(150020)));  // minor releases do not matter
  EXPECT_TRUE(pg_dump_can_dump(v(150000), v(90624)));
  EXPECT_TRUE(pg_dump_can_dump(v(100000), v(90624)));
}

TEST_F(PgVersionTest, PgDumpRefusesANewerMajor) {
  EXPECT_FALSE(pg_dump_can_dump(v(150020), v(160001)));
  EXPECT_FALSE(pg_dump_can_dump(v(90624), v(100000)));
  EXPECT_FALSE(pg_dump_can_dump(v(90500), v(90600)));
}

TEST_F(PgVersionTest, SaysWhichPgDumpIsNeeded) {
  std::string message = pg_dump_too_old_message(v(150020), v(170002));
  EXPECT_THAT(message, HasSubstr("PostgreSQL 17"));
  EXPECT_THAT(message, HasSubstr("pg_dump is 15"));
  EXPECT_THAT(message, HasSubstr("version 17 or newer is needed"));
}

}  // namespace
}  // namespace cellar::agent
