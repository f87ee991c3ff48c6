#include "controller/agent/pg_dump_program.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace cellar::agent {
namespace {

namespace fs = std::filesystem;

class PgDumpProgramTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "cellar-pg-dump-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    root_ = pattern;
  }
  void TearDown() override { fs::remove_all(root_); }

  // An executable at <root>/<major>/bin/pg_dump that prints `version_line`.
  std::string install(const std::string& major, const std::string& version_line) {
    fs::create_directories(root_ + "/" + major + "/bin");
    std::string path = root_ + "/" + major + "/bin/pg_dump";
    std::ofstream(path) << "#!/bin/sh\necho '" << version_line << "'\n";
    chmod(path.c_str(), 0755);
    return path;
  }

  std::string root_;
};

TEST_F(PgDumpProgramTest, AConfiguredProgramWins) {
  install("15", "pg_dump (PostgreSQL) 15.4");
  EXPECT_EQ(find_pg_dump("/opt/pg_dump", root_), "/opt/pg_dump");
}

TEST_F(PgDumpProgramTest, PicksTheNewestInstalledMajor) {
  install("9.6", "pg_dump (PostgreSQL) 9.6.24");
  install("15", "pg_dump (PostgreSQL) 15.4");
  std::string newest = install("16", "pg_dump (PostgreSQL) 16.1");
  fs::create_directories(root_ + "/17/bin");  // a folder without pg_dump does not count
  EXPECT_EQ(find_pg_dump("", root_), newest);
}

TEST_F(PgDumpProgramTest, FallsBackToThePath) {
  EXPECT_EQ(find_pg_dump("", root_ + "/nothing-here"), "pg_dump");
}

TEST_F(PgDumpProgramTest, ReadsTheVersionItPrints) {
  PgDumpVersion found = pg_dump_version(install("16", "pg_dump (PostgreSQL) 16.1"));
  ASSERT_TRUE(found.version) << found.error;
  EXPECT_EQ(found.version->number, 160001);
}

TEST_F(PgDumpProgramTest, SaysWhenTheVersionCannotBeRead) {
  PgDumpVersion found = pg_dump_version(install("16", "something else"));
  EXPECT_FALSE(found.version);
  EXPECT_NE(found.error.find("something else"), std::string::npos);
  EXPECT_FALSE(pg_dump_version(root_ + "/missing").error.empty());
}

TEST_F(PgDumpProgramTest, RestoreToolsPreferTheServersMajor) {
  for (const char* major : {"15", "16", "17"}) {
    fs::create_directories(root_ + "/" + major + "/bin");
    std::string path = root_ + "/" + major + "/bin/pg_restore";
    std::ofstream(path) << "#!/bin/sh\n";
    chmod(path.c_str(), 0755);
  }
  EXPECT_EQ(find_pg_program("pg_restore", "", PgVersion{160004}, root_),
            root_ + "/16/bin/pg_restore");
  EXPECT_EQ(find_pg_program("pg_restore", "", PgVersion{140010}, root_),
            root_ + "/17/bin/pg_restore");
  EXPECT_EQ(find_pg_program("pg_restore", "/opt/pg_restore", PgVersion{160004}, root_),
            "/opt/pg_restore");
  EXPECT_EQ(find_pg_program("psql", "", PgVersion{160004}, root_), "psql");
}

}  // namespace
}  // namespace cellar::agent
