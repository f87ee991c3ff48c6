#include "controller/agent/error_lines.h"

#include <gtest/gtest.h>

namespace cellar::agent {
namespace {

class ErrorLinesTest : public ::testing::Test {};

TEST_F(ErrorLinesTest, KeepsTheServersWordsForAWrongPassword) {
  EXPECT_EQ(libpq_error_line("connection to server at \"127.0.0.1\", port 5432 failed: FATAL:  "
                             "password authentication failed for user \"app\"\n"),
            "password authentication failed for user \"app\"");
}

TEST_F(ErrorLinesTest, KeepsTheServersWordsForAMissingDatabase) {
  EXPECT_EQ(libpq_error_line("connection to server at \"db\" (10.0.0.5), port 5432 failed: "
                             "FATAL:  database \"x\" does not exist\n"),
            "database \"x\" does not exist");
}

TEST_F(ErrorLinesTest, DropsTheHintAfterARefusedConnection) {
  EXPECT_EQ(libpq_error_line("connection to server at \"127.0.0.1\", port 1 failed: Connection "
                             "refused\n\tIs the server running on that host and accepting TCP/IP "
                             "connections?\n"),
            "Connection refused");
}

TEST_F(ErrorLinesTest, PrefersTheServerOverAnAddressThatRefused) {
  EXPECT_EQ(libpq_error_line("connection to server at \"localhost\" (::1), port 5432 failed: "
                             "Connection refused\n\tIs the server running?\n"
                             "connection to server at \"localhost\" (127.0.0.1), port 5432 "
                             "failed: FATAL:  role \"x\" does not exist\n"),
            "role \"x\" does not exist");
}

TEST_F(ErrorLinesTest, NeverReturnsNothing) {
  EXPECT_FALSE(libpq_error_line("").empty());
  EXPECT_EQ(libpq_error_line("timeout expired\n"), "timeout expired");
}

TEST_F(ErrorLinesTest, PicksPgDumpsLastErrorOverItsDetails) {
  EXPECT_EQ(pg_dump_error_line("pg_dump: error: query failed: ERROR:  permission denied for "
                               "table secrets\npg_dump: detail: Query was: LOCK TABLE "
                               "public.secrets IN ACCESS SHARE MODE\n"),
            "pg_dump: error: query failed: ERROR:  permission denied for table secrets");
}

TEST_F(ErrorLinesTest, FallsBackToTheLastLineThatIsNotNoise) {
  EXPECT_EQ(pg_dump_error_line("something odd happened\npg_dump: hint: try again\n\n"),
            "something odd happened");
  EXPECT_EQ(pg_dump_error_line("pg_dump: detail: only detail\n"), "");
}

}  // namespace
}  // namespace cellar::agent
