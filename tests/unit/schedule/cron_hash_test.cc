#include <gtest/gtest.h>

#include <bit>
#include <map>
#include <set>

#include "controller/schedule/cron.h"
#include "controller/schedule/stable_hash.h"

namespace cellar::schedule {
namespace {

// The published FNV-1a test vectors: the hash is a contract, not an implementation detail.
static_assert(fnv1a64("") == 0xcbf29ce484222325ull);
static_assert(fnv1a64("a") == 0xaf63dc4c8601ec8cull);
static_assert(fnv1a64("foobar") == 0x85944171f73967e8ull);

class CronHashTest : public ::testing::Test {
 protected:
  static CronSchedule parsed(std::string_view text, std::string_view seed) {
    const CronParseResult result = parse_cron(text, seed);
    EXPECT_TRUE(result.schedule) << text << ": " << result.error;
    return result.schedule.value_or(CronSchedule{});
  }

  // The one value of a mask that has exactly one.
  static uint64_t only_value(uint64_t mask) {
    EXPECT_EQ(std::popcount(mask), 1);
    return static_cast<uint64_t>(std::countr_zero(mask));
  }

  static uint64_t hash_of(std::string_view seed, std::string_view field) {
    return fnv1a64(std::string(seed) + "/" + std::string(field));
  }
};

TEST_F(CronHashTest, SameSeedSameSchedule) {
  EXPECT_EQ(parsed("H H * * *", "prod/nightly"), parsed("H H * * *", "prod/nightly"));
}

TEST_F(CronHashTest, ValueIsTheDocumentedHashOfSeedAndField) {
  const CronSchedule schedule = parsed("H H H H H", "prod/nightly");
  EXPECT_EQ(only_value(schedule.minutes), hash_of("prod/nightly", "minute") % 60);
  EXPECT_EQ(only_value(schedule.hours), hash_of("prod/nightly", "hour") % 24);
  EXPECT_EQ(only_value(schedule.days_of_month), 1 + hash_of("prod/nightly", "day-of-month") % 28);
  EXPECT_EQ(only_value(schedule.months), 1 + hash_of("prod/nightly", "month") % 12);
  EXPECT_EQ(only_value(schedule.days_of_week), hash_of("prod/nightly", "day-of-week") % 7);
  EXPECT_TRUE(schedule.day_of_month_restricted);
}

TEST_F(CronHashTest, DifferentSeedsSpreadOverTheHour) {
  std::map<uint64_t, int> schedules_per_minute;
  for (int i = 0; i < 1000; ++i) {
    const std::string seed = "ns-" + std::to_string(i % 7) + "/db-" + std::to_string(i);
    ++schedules_per_minute[only_value(parsed("H 2 * * *", seed).minutes)];
  }
  // 1000 schedules over 60 minutes: about 17 each; a fair hash leaves no minute empty or crowded.
  EXPECT_EQ(schedules_per_minute.size(), 60u);
  for (const auto& [minute, count] : schedules_per_minute) EXPECT_LE(count, 40) << minute;
}

TEST_F(CronHashTest, HashedDayOfMonthExistsInEveryMonth) {
  std::set<uint64_t> days;
  for (int i = 0; i < 500; ++i) {
    days.insert(only_value(parsed("0 0 H * *", "s/" + std::to_string(i)).days_of_month));
  }
  EXPECT_EQ(*days.begin(), 1u);
  EXPECT_EQ(*days.rbegin(), 28u);
}

TEST_F(CronHashTest, HashedRange) {
  for (int i = 0; i < 200; ++i) {
    const std::string seed = "s/" + std::to_string(i);
    const uint64_t minute = only_value(parsed("H(0-29) * * * *", seed).minutes);
    EXPECT_EQ(minute, hash_of(seed, "minute") % 30);
    const uint64_t day = only_value(parsed("0 0 * * H(mon-fri)", seed).days_of_week);
    EXPECT_EQ(day, 1 + hash_of(seed, "day-of-week") % 5);
  }
}

TEST_F(CronHashTest, HashedStepKeepsTheSpacingAndShiftsTheStart) {
  const std::string seed = "prod/orders";
  const uint64_t minutes = parsed("H/15 * * * *", seed).minutes;
  const uint64_t first = hash_of(seed, "minute") % 15;
  EXPECT_EQ(minutes, (uint64_t{1} << first) | (uint64_t{1} << (first + 15)) |
                         (uint64_t{1} << (first + 30)) | (uint64_t{1} << (first + 45)));
  const uint64_t in_range = parsed("H(0-29)/10 * * * *", seed).minutes;
  const uint64_t start = hash_of(seed, "minute") % 10;
  EXPECT_EQ(in_range,
            (uint64_t{1} << start) | (uint64_t{1} << (start + 10)) | (uint64_t{1} << (start + 20)));
}

TEST_F(CronHashTest, EachFieldHashesItsOwnName) {
  // Were one hash shared, minute and hour would move together (minute % 24 == hour) for every seed.
  int agreeing = 0;
  for (int i = 0; i < 100; ++i) {
    const CronSchedule schedule = parsed("H H * * *", "s/" + std::to_string(i));
    agreeing += only_value(schedule.minutes) % 24 == only_value(schedule.hours);
  }
  EXPECT_LT(agreeing, 20);
}

TEST_F(CronHashTest, LowercaseHAndAnEmptySeedAreAccepted) {
  EXPECT_EQ(parsed("h 2 * * *", "a/b"), parsed("H 2 * * *", "a/b"));
  EXPECT_EQ(only_value(parsed("H 2 * * *", "").minutes), hash_of("", "minute") % 60);
}

}  // namespace
}  // namespace cellar::schedule
