#include "controller/schedule/time_zone.h"

#include <date/tz.h>
#include <gtest/gtest.h>

namespace cellar::schedule {
namespace {

TEST(TimeZoneTest, FindsIanaZonesInTheSystemDatabase) {
  for (const char* name : {"UTC", "Europe/Paris", "America/New_York", "Australia/Lord_Howe"}) {
    const TimeZoneResult found = find_time_zone(name);
    ASSERT_NE(found.zone, nullptr) << found.error;
    EXPECT_EQ(found.zone->name(), name);
    EXPECT_EQ(found.error, "");
  }
}

TEST(TimeZoneTest, EmptyNameIsUtc) {
  const TimeZoneResult found = find_time_zone("");
  ASSERT_NE(found.zone, nullptr) << found.error;
  EXPECT_EQ(found.zone->name(), "UTC");
}

TEST(TimeZoneTest, UnknownZoneIsAnErrorThatNamesIt) {
  const TimeZoneResult found = find_time_zone("Europe/Pariss");
  EXPECT_EQ(found.zone, nullptr);
  EXPECT_EQ(found.error, "unknown time zone \"Europe/Pariss\"");
  EXPECT_EQ(find_time_zone("+02:00").error, "unknown time zone \"+02:00\"");
}

}  // namespace
}  // namespace cellar::schedule
