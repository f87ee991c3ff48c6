// RFC 3339 timestamps as Kubernetes writes them ("2026-11-21T14:30:00Z", whole seconds, UTC).
#pragma once

#include <chrono>
#include <optional>
#include <string>

namespace cellar::api {

using Clock = std::chrono::system_clock;

std::string format_rfc3339(Clock::time_point t);
// With milliseconds ("2026-11-28T14:34:02.143Z"), for times that must order events within a
// second.
std::string format_rfc3339_millis(Clock::time_point t);
// Accepts fractional seconds and numeric offsets too, as other writers may use them.
std::optional<Clock::time_point> parse_rfc3339(const std::string& text);
// Whole seconds from `from` to `to`; nullopt when either does not parse.
std::optional<int64_t> seconds_between(const std::string& from, const std::string& to);

}  // namespace cellar::api
