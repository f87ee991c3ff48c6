// run_dump against small shell scripts standing in for pg_dump: the streaming, hashing, cleanup
// and cancellation, without a database.
#include "controller/agent/dump_runner.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "controller/agent/sha256_stream.h"

namespace cellar::agent {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

class DumpRunnerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "cellar-dump-runner-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    request_.location = dir_ + "/out/app.dump";
    request_.environment = {"PATH=/usr/bin:/bin", "PGDATABASE=app"};
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Makes the stand-in pg_dump: a shell script with `body`.
  void fake_pg_dump(const std::string& body) {
    request_.pg_dump = dir_ + "/pg_dump";
    std::ofstream(request_.pg_dump) << "#!/bin/sh\n" << body << "\n";
    chmod(request_.pg_dump.c_str(), 0755);
  }
  DumpOutput run() { return run_dump(request_); }
  std::string dumped() const {
    std::ifstream in(request_.location, std::ios::binary);
    std::stringstream content;
    content << in.rdbuf();
    return content.str();
  }
  static std::string sha256_of(const std::string& text) {
    Sha256Stream stream;
    stream.update(text.data(), text.size());
    return stream.hex_digest();
  }
  bool partial_left() const { return fs::exists(partial_path(request_.location)); }

  std::string dir_;
  DumpRequest request_;
};

TEST_F(DumpRunnerTest, ArgumentsNameTheFormatAndNeverAPassword) {
  request_.pg_dump = "/usr/bin/pg_dump";
  request_.compression = 6;
  EXPECT_EQ(pg_dump_arguments(request_),
            (std::vector<std::string>{"/usr/bin/pg_dump", "--format=custom", "--compress=6",
                                      "--no-password"}));
  request_.format = DumpFormat::kPlain;
  request_.compression.reset();
  EXPECT_EQ(pg_dump_arguments(request_),
            (std::vector<std::string>{"/usr/bin/pg_dump", "--format=plain", "--no-password"}));
}

TEST_F(DumpRunnerTest, StreamsStdoutIntoTheLocation) {
  fake_pg_dump("printf 'dump of %s' \"$PGDATABASE\"");
  DumpOutput output = run();
  ASSERT_TRUE(output.ok) << output.error;
  EXPECT_EQ(dumped(), "dump of app");
  EXPECT_EQ(output.bytes, 11u);
  EXPECT_EQ(output.sha256, sha256_of("dump of app"));
  EXPECT_FALSE(partial_left());
}

TEST_F(DumpRunnerTest, CountsAndHashesALargeDump) {
  fake_pg_dump("head -c 3000000 /dev/zero");
  DumpOutput output = run();
  ASSERT_TRUE(output.ok) << output.error;
  EXPECT_EQ(output.bytes, 3000000u);
  EXPECT_EQ(output.sha256, sha256_of(std::string(3000000, '\0')));
}

TEST_F(DumpRunnerTest, AFailureReportsPgDumpsErrorAndLeavesNoFile) {
  fake_pg_dump(
      "printf 'half a dump'\n"
      "echo 'pg_dump: error: query failed: ERROR:  permission denied for table t' >&2\n"
      "echo 'pg_dump: detail: Query was: LOCK TABLE public.t' >&2\n"
      "exit 1");
  DumpOutput output = run();
  EXPECT_FALSE(output.ok);
  EXPECT_EQ(output.error, "pg_dump: error: query failed: ERROR:  permission denied for table t");
  EXPECT_FALSE(fs::exists(request_.location));
  EXPECT_FALSE(partial_left());
}

TEST_F(DumpRunnerTest, ASilentFailureSaysHowPgDumpEnded) {
  fake_pg_dump("exit 3");
  DumpOutput output = run();
  EXPECT_FALSE(output.ok);
  EXPECT_EQ(output.error, "pg_dump exited with code 3");
}

TEST_F(DumpRunnerTest, AMissingProgramIsAClearError) {
  request_.pg_dump = dir_ + "/no-such-pg_dump";
  DumpOutput output = run();
  EXPECT_FALSE(output.ok);
  EXPECT_THAT(output.error, HasSubstr("cannot run " + request_.pg_dump));
  EXPECT_FALSE(partial_left());
}

TEST_F(DumpRunnerTest, CancellingStopsPgDumpAndRemovesThePartialFile) {
  fake_pg_dump("printf 'started'\nexec sleep 30");
  int cancel[2];
  ASSERT_EQ(pipe(cancel), 0);
  ASSERT_EQ(write(cancel[1], "x", 1), 1);
  request_.cancel_fd = cancel[0];
  DumpOutput output = run();
  close(cancel[0]);
  close(cancel[1]);
  EXPECT_FALSE(output.ok);
  EXPECT_THAT(output.error, HasSubstr("cancelled"));
  EXPECT_FALSE(partial_left());
  EXPECT_FALSE(fs::exists(request_.location));
}

TEST_F(DumpRunnerTest, AnUnwritableFolderIsAClearError) {
  std::ofstream(dir_ + "/file") << "not a folder";
  request_.location = dir_ + "/file/app.dump";
  fake_pg_dump("printf x");
  DumpOutput output = run();
  EXPECT_FALSE(output.ok);
  EXPECT_THAT(output.error, HasSubstr(dir_ + "/file"));
}

}  // namespace
}  // namespace cellar::agent
