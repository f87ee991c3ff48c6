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

// Real stderr of pg_restore 15 --single-transaction --exit-on-error into a database that
// already holds the table.
TEST_F(ErrorLinesTest, PicksTheServersWordsFromPgRestore) {
  EXPECT_EQ(restore_error_line("pg_restore: error: could not execute query: ERROR:  relation "
                               "\"customers\" already exists\n"
                               "Command was: CREATE TABLE public.customers (\n"
                               "    id integer NOT NULL,\n"
                               "    n text\n"
                               ");\n\n\n",
                               "pg_restore"),
            "relation \"customers\" already exists");
}

// Real stderr of psql -X -q -v ON_ERROR_STOP=1 --single-transaction with SQL on stdin.
TEST_F(ErrorLinesTest, PicksTheServersWordsFromPsql) {
  EXPECT_EQ(restore_error_line("ERROR:  relation \"customers\" already exists\n", "psql"),
            "relation \"customers\" already exists");
  EXPECT_EQ(restore_error_line("ERROR:  syntax error at or near \"SELEC\"\n"
                               "LINE 1: SELEC 1;\n"
                               "        ^\n",
                               "psql"),
            "syntax error at or near \"SELEC\"");
  EXPECT_EQ(restore_error_line("psql:/backups/x.sql:12: ERROR:  permission denied for schema "
                               "public\n",
                               "psql"),
            "permission denied for schema public");
}

TEST_F(ErrorLinesTest, TheFirstServerErrorIsTheCause) {
  EXPECT_EQ(restore_error_line("NOTICE:  table \"t\" does not exist, skipping\n"
                               "ERROR:  division by zero\n"
                               "ERROR:  current transaction is aborted\n",
                               "psql"),
            "division by zero");
}

TEST_F(ErrorLinesTest, KeepsAClientErrorWhole) {
  EXPECT_EQ(restore_error_line("pg_restore: error: input file appears to be a text format dump. "
                               "Please use psql.\n",
                               "pg_restore"),
            "pg_restore: error: input file appears to be a text format dump. Please use psql.");
  EXPECT_EQ(restore_error_line("pg_restore: error: connection to server at \"127.0.0.1\", port "
                               "54329 failed: Connection refused\n\tIs the server running on that "
                               "host and accepting TCP/IP connections?\n",
                               "pg_restore"),
            "pg_restore: error: connection to server at \"127.0.0.1\", port 54329 failed: "
            "Connection refused");
}

TEST_F(ErrorLinesTest, AConnectionFailureKeepsTheServersWords) {
  EXPECT_EQ(restore_error_line("psql: error: connection to server at \"db\" (10.0.0.5), port "
                               "5432 failed: FATAL:  password authentication failed for user "
                               "\"app\"\n",
                               "psql"),
            "password authentication failed for user \"app\"");
}

TEST_F(ErrorLinesTest, SaysNothingWhenNothingWasSaid) {
  EXPECT_EQ(restore_error_line("", "pg_restore"), "");
}

TEST_F(ErrorLinesTest, AgesErrorLineIsKeptWithoutItsBoilerplate) {
  EXPECT_EQ(age_error_line(
                "age: error: no identity matched any of the recipients\n"
                "age: report unexpected or unhelpful errors at https://filippo.io/age/report\n"),
            "age: no identity matched any of the recipients");
  EXPECT_EQ(age_error_line("something else\n"), "");
}

}  // namespace
}  // namespace cellar::agent
