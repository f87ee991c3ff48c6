#include "controller/cli/wait_report.h"

#include <gtest/gtest.h>

#include "controller/cli/exit_codes.h"

namespace cellar::cli {
namespace {

using namespace std::chrono_literals;
using api::Phase;

TEST(WaitReportTest, PhaseLinesOnChangesOnly) {
  EXPECT_EQ(phase_change_line(Phase::kNone, Phase::kPending, 0s), "Pending (0s)");
  EXPECT_EQ(phase_change_line(Phase::kPending, Phase::kInProgress, 2400ms), "InProgress (2s)");
  EXPECT_EQ(phase_change_line(Phase::kNone, Phase::kInProgress, 125s), "InProgress (2m5s)");
  EXPECT_EQ(phase_change_line(Phase::kInProgress, Phase::kInProgress, 5s), std::nullopt);
  EXPECT_EQ(phase_change_line(Phase::kNone, Phase::kNone, 5s), std::nullopt);
  // A terminal phase gets the final line instead.
  EXPECT_EQ(phase_change_line(Phase::kInProgress, Phase::kCompleted, 5s), std::nullopt);
  EXPECT_EQ(phase_change_line(Phase::kInProgress, Phase::kFailed, 5s), std::nullopt);
}

TEST(WaitReportTest, CompletedShowsSizeAndTheControllersDuration) {
  api::BackupStatus s;
  s.phase = Phase::kCompleted;
  s.size = "1.55 MiB";
  s.size_bytes = 1625292;
  s.duration_seconds = 31;
  Outcome o = terminal_outcome(summarize(s), 40s);
  EXPECT_EQ(o.line, "Completed (1.55 MiB in 31s)");
  EXPECT_EQ(o.exit_code, kExitOk);
  EXPECT_FALSE(o.to_stderr);

  s.duration_seconds = 125;
  EXPECT_EQ(terminal_outcome(summarize(s), 0s).line, "Completed (1.55 MiB in 2m5s)");
  s.duration_seconds = 0;
  EXPECT_EQ(terminal_outcome(summarize(s), 0s).line, "Completed (1.55 MiB in 0s)");
}

TEST(WaitReportTest, CompletedWithoutSomeFieldsStillReads) {
  api::BackupStatus s;
  s.phase = Phase::kCompleted;
  s.size_bytes = 512;
  EXPECT_EQ(terminal_outcome(summarize(s), 3900ms).line, "Completed (512 B in 3s)");
  s.size_bytes.reset();
  EXPECT_EQ(terminal_outcome(summarize(s), 3s).line, "Completed (in 3s)");
}

TEST(WaitReportTest, FailedAndCancelledCarryTheMessageOnStderr) {
  api::BackupStatus s;
  s.phase = Phase::kFailed;
  s.message = "could not connect: password authentication failed for user \"app\"";
  Outcome o = terminal_outcome(summarize(s), 5s);
  EXPECT_EQ(o.line, "Failed: could not connect: password authentication failed for user \"app\"");
  EXPECT_EQ(o.exit_code, kExitFailure);
  EXPECT_TRUE(o.to_stderr);

  s.phase = Phase::kCancelled;
  s.message = "cancelled by spec.cancel";
  o = terminal_outcome(summarize(s), 5s);
  EXPECT_EQ(o.line, "Cancelled: cancelled by spec.cancel");
  EXPECT_EQ(o.exit_code, kExitFailure);

  s.message.clear();
  EXPECT_EQ(terminal_outcome(summarize(s), 5s).line, "Cancelled (the controller gave no reason)");
}

TEST(WaitReportTest, ARestoresCompletedLineNamesWhatItShows) {
  StatusSummary s{Phase::kCompleted, "", 4, "into shop_check"};
  EXPECT_EQ(terminal_outcome(s, 9s).line, "Completed (into shop_check in 4s)");
  s.duration_seconds.reset();
  EXPECT_EQ(terminal_outcome(s, 9s).line, "Completed (into shop_check in 9s)");
  s.phase = Phase::kFailed;
  s.message = "checksum mismatch";
  EXPECT_EQ(terminal_outcome(s, 9s).line, "Failed: checksum mismatch");
}

TEST(WaitReportTest, TimeoutAndDeletion) {
  EXPECT_EQ(timeout_line(2min, "backup", "nightly-manual-0badcafe", Phase::kInProgress),
            "timed out after 2m waiting for backup nightly-manual-0badcafe (phase InProgress)");
  EXPECT_EQ(timeout_line(3s, "backup", "b", Phase::kNone),
            "timed out after 3s waiting for backup b (no phase yet)");
  EXPECT_EQ(timeout_line(61min, "restore", "b-restore-x7k2p", Phase::kPending),
            "timed out after 1h1m waiting for restore b-restore-x7k2p (phase Pending)");
  EXPECT_EQ(deleted_line("backup", "b", Phase::kPending),
            "error: backup b was deleted while waiting for it (phase Pending)");
  EXPECT_EQ(deleted_line("restore", "r", Phase::kInProgress),
            "error: restore r was deleted while waiting for it (phase InProgress)");
}

}  // namespace
}  // namespace cellar::cli
