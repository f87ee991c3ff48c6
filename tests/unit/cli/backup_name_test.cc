#include <gtest/gtest.h>

#include <regex>
#include <set>

#include "controller/cli/backup_now.h"

namespace cellar::cli {
namespace {

TEST(BackupNameTest, ScheduleManualAndEightHex) {
  EXPECT_TRUE(
      std::regex_match(fresh_backup_name("nightly"), std::regex("nightly-manual-[0-9a-f]{8}")));
}

TEST(BackupNameTest, RunsInTheSameInstantStillDiffer) {
  // Same process, same schedule, back to back: the clock and the random part keep them apart.
  std::set<std::string> names;
  for (int i = 0; i < 100; ++i) names.insert(fresh_backup_name("nightly"));
  EXPECT_EQ(names.size(), 100u);
}

}  // namespace
}  // namespace cellar::cli
