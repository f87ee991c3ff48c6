#include "controller/schedule/time_zone.h"

#include <date/tz.h>

#include <exception>

namespace cellar::schedule {

TimeZoneResult find_time_zone(std::string_view name) {
  const std::string wanted = name.empty() ? std::string("UTC") : std::string(name);
  // date/tz reports an unreadable database and an unknown name by throwing: caught here, apart,
  // so that each becomes a status message that says which it is, and never a controller crash.
  try {
    date::get_tzdb();
  } catch (const std::exception& e) {
    return {nullptr, "cannot read the time zone database: " + std::string(e.what())};
  }
  try {
    return {date::locate_zone(wanted), ""};
  } catch (const std::exception&) {
    return {nullptr, "unknown time zone \"" + wanted + "\""};
  }
}

}  // namespace cellar::schedule
