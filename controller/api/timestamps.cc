#include "controller/api/timestamps.h"

#include <date/date.h>

#include <sstream>

namespace cellar::api {

std::string format_rfc3339(Clock::time_point t) {
  return date::format("%Y-%m-%dT%H:%M:%SZ", std::chrono::floor<std::chrono::seconds>(t));
}

std::optional<Clock::time_point> parse_rfc3339(const std::string& text) {
  // %FT%T%Ez reads fractional seconds and an offset such as +02:00; "Z" needs its own pattern.
  for (const char* pattern : {"%FT%TZ", "%FT%T%Ez"}) {
    std::istringstream in(text);
    date::sys_time<std::chrono::microseconds> t;
    in >> date::parse(pattern, t);
    if (!in.fail()) return std::chrono::time_point_cast<Clock::duration>(t);
  }
  return std::nullopt;
}

std::optional<int64_t> seconds_between(const std::string& from, const std::string& to) {
  auto a = parse_rfc3339(from);
  auto b = parse_rfc3339(to);
  if (!a || !b) return std::nullopt;
  return std::chrono::duration_cast<std::chrono::seconds>(*b - *a).count();
}

}  // namespace cellar::api
