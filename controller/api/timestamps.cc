#include "controller/api/timestamps.h"

#include <date/date.h>

#include <cctype>
#include <charconv>

namespace cellar::api {

namespace {

// Reads `width` digits at `pos`; false when they are not all digits.
bool digits(const std::string& s, size_t pos, size_t width, int& out) {
  if (pos + width > s.size()) return false;
  const char* begin = s.data() + pos;
  auto [end, ec] = std::from_chars(begin, begin + width, out);
  return ec == std::errc() && end == begin + width;
}

}  // namespace

std::string format_rfc3339(Clock::time_point t) {
  return date::format("%Y-%m-%dT%H:%M:%SZ", std::chrono::floor<std::chrono::seconds>(t));
}

std::string format_rfc3339_millis(Clock::time_point t) {
  return date::format("%Y-%m-%dT%H:%M:%SZ", std::chrono::floor<std::chrono::milliseconds>(t));
}

// "YYYY-MM-DDTHH:MM:SS", then optional ".fraction", then "Z" or "±HH:MM". Hand-read rather than
// through date::parse, which is more general than this needs.
std::optional<Clock::time_point> parse_rfc3339(const std::string& s) {
  int year, month, day, hour, minute, second;
  if (!digits(s, 0, 4, year) || s.size() < 19 || s[4] != '-' || !digits(s, 5, 2, month) ||
      s[7] != '-' || !digits(s, 8, 2, day) || (s[10] != 'T' && s[10] != 't') ||
      !digits(s, 11, 2, hour) || s[13] != ':' || !digits(s, 14, 2, minute) || s[16] != ':' ||
      !digits(s, 17, 2, second)) {
    return std::nullopt;
  }
  const date::year_month_day ymd{date::year{year}, date::month{static_cast<unsigned>(month)},
                                 date::day{static_cast<unsigned>(day)}};
  if (!ymd.ok() || hour > 23 || minute > 59 || second > 60) return std::nullopt;
  size_t pos = 19;
  std::chrono::microseconds fraction{0};
  if (pos < s.size() && s[pos] == '.') {
    long scale = 100000;
    for (++pos; pos < s.size() && std::isdigit(static_cast<unsigned char>(s[pos])); ++pos) {
      fraction += std::chrono::microseconds((s[pos] - '0') * scale);
      scale /= 10;
    }
  }
  std::chrono::minutes offset{0};
  if (pos < s.size() && (s[pos] == 'Z' || s[pos] == 'z')) {
    ++pos;
  } else if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
    int oh, om;
    if (!digits(s, pos + 1, 2, oh) || pos + 3 >= s.size() || s[pos + 3] != ':' ||
        !digits(s, pos + 4, 2, om)) {
      return std::nullopt;
    }
    offset = std::chrono::hours(oh) + std::chrono::minutes(om);
    if (s[pos] == '-') offset = -offset;
    pos += 6;
  } else {
    return std::nullopt;
  }
  if (pos != s.size()) return std::nullopt;
  const auto local = date::sys_days(ymd) + std::chrono::hours(hour) + std::chrono::minutes(minute) +
                     std::chrono::seconds(second) + fraction;
  return std::chrono::time_point_cast<Clock::duration>(local - offset);
}

std::optional<int64_t> seconds_between(const std::string& from, const std::string& to) {
  auto a = parse_rfc3339(from);
  auto b = parse_rfc3339(to);
  if (!a || !b) return std::nullopt;
  return std::chrono::duration_cast<std::chrono::seconds>(*b - *a).count();
}

}  // namespace cellar::api
