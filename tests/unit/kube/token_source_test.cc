#include "controller/kube/token_source.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace cellar::kube {
namespace {

namespace fs = std::filesystem;

class TokenSourceTest : public ::testing::Test {
 protected:
  TokenSourceTest() {
    char dir[] = "/tmp/cellar-token-XXXXXX";
    dir_ = mkdtemp(dir);
    file_ = dir_ + "/token";
  }
  ~TokenSourceTest() override { fs::remove_all(dir_); }

  // Writes the file with a modification time `age` in the past, so two writes differ.
  void write(const std::string& text, std::chrono::seconds age) {
    std::ofstream(file_) << text;
    fs::last_write_time(file_, fs::file_time_type::clock::now() - age);
  }

  std::string dir_;
  std::string file_;
};

TEST_F(TokenSourceTest, InlineTokenWins) {
  write("from-file", std::chrono::seconds(0));
  EXPECT_EQ(*TokenSource("inline", file_).token(), "inline");
}

TEST_F(TokenSourceTest, NoTokenAtAllIsEmpty) {
  EXPECT_EQ(*TokenSource("", "").token(), "");
}

TEST_F(TokenSourceTest, FileIsTrimmedAndReadAgainWhenItChanges) {
  write("first\n", std::chrono::seconds(60));
  TokenSource source("", file_);
  EXPECT_EQ(*source.token(), "first");
  write("  second \n", std::chrono::seconds(0));  // the kubelet rotated it
  EXPECT_EQ(*source.token(), "second");
}

TEST_F(TokenSourceTest, LastTokenServesWhileARotationLeavesTheFileEmpty) {
  write("first", std::chrono::seconds(60));
  TokenSource source("", file_);
  EXPECT_EQ(*source.token(), "first");
  write("", std::chrono::seconds(0));
  EXPECT_EQ(*source.token(), "first");
}

TEST_F(TokenSourceTest, MissingFileIsAClearError) {
  TokenSource source("", dir_ + "/absent");
  auto token = source.token();
  ASSERT_FALSE(token.ok());
  EXPECT_NE(token.error().message.find("cannot read the bearer token file"), std::string::npos);
}

}  // namespace
}  // namespace cellar::kube
