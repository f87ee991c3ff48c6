// run_restore against small shell scripts standing in for pg_restore and psql: the streaming,
// the second hash, the gzip inflation and the kill-before-close rule, without a database.
#include "controller/agent/restore_runner.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "controller/agent/sha256_stream.h"

namespace cellar::agent {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

// A dump held in memory, handed over in small pieces; each read may hand over other bytes, as a
// file replaced between the checksum and the restore would.
class MemorySource : public DumpSource {
 public:
  explicit MemorySource(std::vector<std::string> reads) : reads_(std::move(reads)) {}
  std::string location() const override { return "/memory/app.dump"; }
  std::string read(const s3::ByteSink& sink) override {
    const std::string& bytes = reads_[std::min(count_++, reads_.size() - 1)];
    for (size_t at = 0; at < bytes.size(); at += 1000) {
      if (!sink(bytes.data() + at, std::min<size_t>(1000, bytes.size() - at))) {
        return kReadStopped;
      }
    }
    return "";
  }

 private:
  std::vector<std::string> reads_;
  size_t count_ = 0;
};

std::string sha256_of(const std::string& text) {
  Sha256Stream stream;
  stream.update(text.data(), text.size());
  return stream.hex_digest();
}

std::string gzip(const std::string& text) {
  z_stream stream = {};
  deflateInit2(&stream, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&stream, text.size()) + 64, '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  stream.avail_in = static_cast<uInt>(text.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  deflate(&stream, Z_FINISH);
  out.resize(stream.total_out);
  deflateEnd(&stream);
  return out;
}

class RestoreRunnerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "cellar-restore-runner-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    request_.environment = {"PATH=/usr/bin:/bin"};
    request_.program = "psql";
  }
  void TearDown() override { fs::remove_all(dir_); }

  // The stand-in: a shell script with `body`, run with the restore's argv after it.
  void fake(const std::string& body) {
    std::string path = dir_ + "/restore";
    std::ofstream(path) << "#!/bin/sh\n" << body << "\n";
    chmod(path.c_str(), 0755);
    request_.argv = {path};
  }
  // Copies stdin to `received`, and only at the end of its input "commits" (as psql
  // --single-transaction does).
  void fake_that_commits_at_end_of_input() {
    fake("cat > " + received() + "\necho committed > " + committed());
  }
  std::string received() const { return dir_ + "/received"; }
  std::string committed() const { return dir_ + "/committed"; }
  static std::string read(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream content;
    content << in.rdbuf();
    return content.str();
  }
  RestoreOutput run(MemorySource source) { return run_restore(request_, source); }

  std::string dir_;
  RestoreRequest request_;
};

TEST_F(RestoreRunnerTest, ArgumentsNameTheDatabaseOnlyAsAQuotedName) {
  EXPECT_EQ(pg_restore_arguments("/pg/pg_restore", "host=x", false),
            (std::vector<std::string>{"/pg/pg_restore", "--single-transaction", "--exit-on-error",
                                      "--no-password", "--dbname=dbname='host=x'"}));
  EXPECT_EQ(
      pg_restore_arguments("pg_restore", "app", true),
      (std::vector<std::string>{"pg_restore", "--single-transaction", "--exit-on-error", "--clean",
                                "--if-exists", "--no-password", "--dbname=dbname='app'"}));
  EXPECT_EQ(
      psql_arguments("psql", "app"),
      (std::vector<std::string>{"psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "--single-transaction",
                                "--no-password", "--dbname=dbname='app'"}));
}

TEST_F(RestoreRunnerTest, StreamsTheDumpIntoTheChild) {
  fake_that_commits_at_end_of_input();
  std::string dump(300000, 'x');
  request_.expected_sha256 = sha256_of(dump);
  RestoreOutput output = run(MemorySource({dump}));
  ASSERT_TRUE(output.ok) << output.error;
  EXPECT_EQ(output.bytes, dump.size());
  EXPECT_EQ(read(received()), dump);
  EXPECT_TRUE(fs::exists(committed()));
}

TEST_F(RestoreRunnerTest, ADumpThatChangedIsKilledBeforeItsInputEnds) {
  fake_that_commits_at_end_of_input();
  std::string verified(300000, 'x');
  std::string replaced = verified;
  replaced[150000] = 'y';
  request_.expected_sha256 = sha256_of(verified);
  RestoreOutput output = run(MemorySource({replaced}));
  EXPECT_FALSE(output.ok);
  EXPECT_EQ(output.error, "the dump changed while it was being restored");
  EXPECT_FALSE(fs::exists(committed())) << "the child saw the end of its input";
}

TEST_F(RestoreRunnerTest, AGzipPlainDumpIsInflated) {
  fake_that_commits_at_end_of_input();
  request_.inflate_gzip = true;
  std::string sql;
  for (int i = 0; i < 50000; ++i) sql += "INSERT INTO t VALUES (" + std::to_string(i) + ");\n";
  std::string stored = gzip(sql);
  request_.expected_sha256 = sha256_of(stored);
  RestoreOutput output = run(MemorySource({stored}));
  ASSERT_TRUE(output.ok) << output.error;
  EXPECT_EQ(output.bytes, stored.size());  // the dump as stored, not as inflated
  EXPECT_EQ(read(received()), sql);
}

TEST_F(RestoreRunnerTest, AGzipDumpThatChangedSaysSoRatherThanDamaged) {
  fake_that_commits_at_end_of_input();
  request_.inflate_gzip = true;
  std::string sql;
  for (int i = 0; i < 50000; ++i) sql += "INSERT INTO t VALUES (" + std::to_string(i) + ");\n";
  std::string verified = gzip(sql);
  std::string replaced = verified;
  for (size_t i = 100; i < 200; ++i) replaced[i] = static_cast<char>(~replaced[i]);
  request_.expected_sha256 = sha256_of(verified);
  RestoreOutput output = run(MemorySource({replaced}));
  EXPECT_EQ(output.error, "the dump changed while it was being restored");
  EXPECT_FALSE(fs::exists(committed()));
}

TEST_F(RestoreRunnerTest, AGzipDumpDamagedWhenItWasWrittenIsKilledToo) {
  fake_that_commits_at_end_of_input();
  request_.inflate_gzip = true;
  std::string damaged = gzip("SELECT 1;\n");
  damaged.resize(damaged.size() - 6);  // the checksum recorded these bytes, cut as they are
  request_.expected_sha256 = sha256_of(damaged);
  RestoreOutput output = run(MemorySource({damaged}));
  EXPECT_THAT(output.error, HasSubstr("gzip"));
  EXPECT_FALSE(fs::exists(committed()));
}

TEST_F(RestoreRunnerTest, PlainSqlPassesAsItIs) {
  fake_that_commits_at_end_of_input();
  request_.inflate_gzip = true;
  std::string sql = "SELECT 1;\n";
  request_.expected_sha256 = sha256_of(sql);
  ASSERT_TRUE(run(MemorySource({sql})).ok);
  EXPECT_EQ(read(received()), sql);
}

TEST_F(RestoreRunnerTest, AFailingChildReportsItsErrorLine) {
  fake(
      "head -c 10 > /dev/null\necho 'ERROR:  relation \"t\" already exists' >&2\n"
      "echo 'LINE 1: CREATE TABLE t' >&2\nexit 3");
  std::string dump(2 * 1024 * 1024, 'x');  // more than the pipe holds: the child stops reading
  request_.expected_sha256 = sha256_of(dump);
  RestoreOutput output = run(MemorySource({dump}));
  EXPECT_FALSE(output.ok);
  EXPECT_EQ(output.error, "relation \"t\" already exists");
}

TEST_F(RestoreRunnerTest, ASilentFailureSaysHowTheChildEnded) {
  fake("cat > /dev/null\nexit 4");
  request_.expected_sha256 = sha256_of("x");
  RestoreOutput output = run(MemorySource({"x"}));
  EXPECT_FALSE(output.ok);
  EXPECT_EQ(output.error, "psql exited with code 4");
}

TEST_F(RestoreRunnerTest, ChattyOutputNeverStallsTheChild) {
  // psql prints query results on stdout and notices on stderr while it reads: here more than
  // either pipe holds.
  fake(
      "while read line; do echo \"$line\"; echo \"NOTICE:  $line\" >&2; done\n"
      "echo committed > " +
      committed());
  std::string dump;
  for (int i = 0; i < 10000; ++i) dump += "line " + std::to_string(i) + "\n";
  request_.expected_sha256 = sha256_of(dump);
  RestoreOutput output = run(MemorySource({dump}));
  ASSERT_TRUE(output.ok) << output.error;
  EXPECT_TRUE(fs::exists(committed()));
}

TEST_F(RestoreRunnerTest, CancellingKillsTheChildAndNothingCommits) {
  fake_that_commits_at_end_of_input();
  int pipe_fds[2];
  ASSERT_EQ(pipe(pipe_fds), 0);
  ASSERT_EQ(write(pipe_fds[1], "x", 1), 1);
  request_.cancel_fd = pipe_fds[0];
  std::string dump(300000, 'x');
  request_.expected_sha256 = sha256_of(dump);
  RestoreOutput output = run(MemorySource({dump}));
  close(pipe_fds[0]);
  close(pipe_fds[1]);
  EXPECT_FALSE(output.ok);
  EXPECT_THAT(output.error, HasSubstr("SIGTERM"));
  EXPECT_FALSE(fs::exists(committed()));
}

TEST_F(RestoreRunnerTest, AMissingProgramIsAClearError) {
  request_.argv = {dir_ + "/no-such-psql"};
  RestoreOutput output = run(MemorySource({"x"}));
  EXPECT_FALSE(output.ok);
  EXPECT_THAT(output.error, HasSubstr("no-such-psql"));
}

}  // namespace
}  // namespace cellar::agent
