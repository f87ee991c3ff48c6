#include "controller/agent/termination_message.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace cellar::agent {
namespace {

using nlohmann::json;

class TerminationMessageTest : public ::testing::Test {
 protected:
  static json parsed(const std::string& line) { return json::parse(line); }
  static DumpSuccess plain_success() {
    DumpSuccess success;
    success.bytes = 1234;
    success.sha256 = std::string(64, 'a');
    success.location = "/backups/app.dump";
    success.server_version = "15.4";
    success.database_size_bytes = 987654;
    success.duration_seconds = 1.23456;
    return success;
  }
  static DumpFailure failure_with(std::string error) {
    return DumpFailure{std::move(error), "15.4", std::nullopt, std::nullopt};
  }
};

TEST_F(TerminationMessageTest, SuccessCarriesWhatTheStatusNeeds) {
  json message = parsed(success_message(plain_success()));
  EXPECT_EQ(message["bytes"], 1234);
  EXPECT_EQ(message["sha256"], std::string(64, 'a'));
  EXPECT_EQ(message["location"], "/backups/app.dump");
  EXPECT_EQ(message["serverVersion"], "15.4");
  EXPECT_EQ(message["databaseSizeBytes"], 987654);
  EXPECT_DOUBLE_EQ(message["durationSeconds"].get<double>(), 1.235);
  EXPECT_FALSE(message.contains("error"));
  EXPECT_FALSE(message.contains("encrypted"));
  EXPECT_FALSE(message.contains("plaintextBytes"));
}

TEST_F(TerminationMessageTest, EncryptedSuccessSaysSoWithThePlaintextSizeAndFingerprints) {
  DumpSuccess success = plain_success();
  success.encrypted = true;
  success.plaintext_bytes = 1000;
  success.recipient_fingerprints = {"0123456789abcdef", "fedcba9876543210"};
  json message = parsed(success_message(success));
  EXPECT_EQ(message["bytes"], 1234);
  EXPECT_EQ(message["encrypted"], true);
  EXPECT_EQ(message["plaintextBytes"], 1000);
  EXPECT_EQ(message["recipientFingerprints"], json({"0123456789abcdef", "fedcba9876543210"}));
}

TEST_F(TerminationMessageTest, FailureCarriesTheErrorAndWhatWasLearned) {
  DumpFailure failure = failure_with("pg_dump: error: query failed");
  failure.database_size_bytes = 42;
  json message = parsed(failure_message(failure));
  EXPECT_EQ(message["error"], "pg_dump: error: query failed");
  EXPECT_EQ(message["serverVersion"], "15.4");
  EXPECT_EQ(message["databaseSizeBytes"], 42);
  EXPECT_FALSE(message.contains("durationSeconds"));
}

TEST_F(TerminationMessageTest, FailureLeavesOutWhatIsUnknown) {
  json message = parsed(failure_message(DumpFailure{"connection refused", "", {}, {}}));
  EXPECT_EQ(message, json({{"error", "connection refused"}}));
}

TEST_F(TerminationMessageTest, ALongErrorIsCutToFitKubernetesLimit) {
  std::string line = failure_message(failure_with(std::string(10000, 'x')));
  EXPECT_LT(line.size(), kTerminationMessageLimit);
  std::string error = parsed(line)["error"];
  EXPECT_EQ(error.substr(error.size() - 3), "...");
  EXPECT_GT(error.size(), 3500u);
}

TEST_F(TerminationMessageTest, AnErrorThatEscapesLongerStillFits) {
  std::string line = failure_message(failure_with(std::string(5000, '"')));
  EXPECT_LT(line.size(), kTerminationMessageLimit);
  EXPECT_NO_THROW(parsed(line));
}

TEST_F(TerminationMessageTest, CuttingNeverSplitsACharacter) {
  std::string line = failure_message(failure_with(std::string(3000, 'x') + "\xC3\xA9"), 3018);
  EXPECT_LT(line.size(), 3018u);
  EXPECT_NO_THROW(parsed(line));
}

TEST_F(TerminationMessageTest, BytesThatAreNotUtf8StillMakeJson) {
  EXPECT_NO_THROW(parsed(failure_message(failure_with("bad \xFF byte"))));
}

TEST_F(TerminationMessageTest, DeletedNamesTheLocation) {
  EXPECT_EQ(parsed(deleted_message("/b/x.dump")),
            json({{"deleted", true}, {"location", "/b/x.dump"}}));
}

TEST_F(TerminationMessageTest, RestoreSuccessCarriesWhatTheRestoreStatusNeeds) {
  json message = parsed(restore_success_message(
      RestoreSuccess{1234, std::string(64, 'a'), "s3://b/k", "restored", "16.4", true, 1.23456}));
  EXPECT_EQ(message,
            json::parse(R"({"restored":true,"bytes":1234,"sha256":")" + std::string(64, 'a') +
                        R"(","location":"s3://b/k","database":"restored",)"
                        R"("serverVersion":"16.4","createdDatabase":true,)"
                        R"("durationSeconds":1.235})"));
}

TEST_F(TerminationMessageTest, RestoreFailureCarriesWhatWasLearned) {
  RestoreFailure failure;
  failure.error = "relation \"t\" already exists";
  failure.location = "/backups/app.dump";
  EXPECT_EQ(parsed(restore_failure_message(failure)),
            json({{"error", failure.error}, {"location", "/backups/app.dump"}}));
  failure.database = "restored";
  failure.server_version = "15.4";
  failure.created_database = false;
  failure.duration_seconds = 0.5;
  failure.error = std::string(10000, 'e');
  std::string line = restore_failure_message(failure);
  EXPECT_LT(line.size(), kTerminationMessageLimit);
  json message = parsed(line);
  EXPECT_EQ(message["createdDatabase"], false);
  EXPECT_EQ(message["serverVersion"], "15.4");
  EXPECT_EQ(message["database"], "restored");
}

}  // namespace
}  // namespace cellar::agent
