#include "controller/agent/delete_command.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "controller/agent/exit_codes.h"

namespace cellar::agent {
namespace {

namespace fs = std::filesystem;

class DeleteCommandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "cellar-delete-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    settings_.location = dir_ + "/app.dump";
    settings_.termination_message_path = dir_ + "/termination-log";
  }
  void TearDown() override { fs::remove_all(dir_); }

  void touch(const std::string& path) { std::ofstream(path) << "dump"; }
  nlohmann::json message() const {
    std::ifstream in(settings_.termination_message_path);
    std::stringstream text;
    text << in.rdbuf();
    return nlohmann::json::parse(text.str());
  }

  std::string dir_;
  DeleteSettings settings_;
};

TEST_F(DeleteCommandTest, RemovesTheDumpAndALeftoverPartial) {
  touch(settings_.location);
  touch(settings_.location + ".partial");
  EXPECT_EQ(run_delete_command(settings_, {}), kExitSuccess);
  EXPECT_FALSE(fs::exists(settings_.location));
  EXPECT_FALSE(fs::exists(settings_.location + ".partial"));
  EXPECT_EQ(message(), nlohmann::json({{"deleted", true}, {"location", settings_.location}}));
}

TEST_F(DeleteCommandTest, AFileAlreadyGoneIsSuccess) {
  EXPECT_EQ(run_delete_command(settings_, {}), kExitSuccess);
  EXPECT_EQ(message()["deleted"], true);
}

TEST_F(DeleteCommandTest, AFileThatCannotBeRemovedIsAnError) {
  // A non-empty folder at the location cannot be unlinked, even by root.
  fs::create_directories(settings_.location + "/inside");
  EXPECT_EQ(run_delete_command(settings_, {}), kExitFailure);
  EXPECT_NE(message()["error"].get<std::string>().find("cannot remove " + settings_.location),
            std::string::npos);
}

}  // namespace
}  // namespace cellar::agent
