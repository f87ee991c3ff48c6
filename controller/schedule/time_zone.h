// A schedule's time zone, resolved once from its IANA name against the system's tzdata
// (/usr/share/zoneinfo, read by Howard Hinnant's date/tz; nothing is bundled).
//
// Known limit of date/tz 3.0 on the system tzdata: past the last transition a zone file lists
// (2037 in Debian's files), the zone keeps its last offset instead of following the file's
// daylight-saving rule, so a schedule more than about a decade ahead fires in standard time.
#pragma once

#include <string>
#include <string_view>

namespace date {
class time_zone;
}

namespace cellar::schedule {

struct TimeZoneResult {
  // When found: lives as long as the program (the database is loaded once and never unloaded).
  const date::time_zone* zone = nullptr;
  std::string error;  // when !zone, e.g. `unknown time zone "Europe/Pariss"`
};

// An empty name means UTC, the default of a BackupSchedule's timeZone.
TimeZoneResult find_time_zone(std::string_view name);

}  // namespace cellar::schedule
