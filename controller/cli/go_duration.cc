#include "controller/cli/go_duration.h"

#include <cstdint>
#include <limits>
#include <utility>

namespace cellar::cli {

namespace {

using std::chrono::nanoseconds;

constexpr uint64_t kMaxNanos = static_cast<uint64_t>(std::numeric_limits<int64_t>::max());

// Go's units, in nanoseconds. Both spellings of micro (U+00B5 and U+03BC) are Go's too.
std::optional<uint64_t> unit_nanos(const std::string& unit) {
  static const std::pair<const char*, uint64_t> kUnits[] = {
      {"ns", 1},         {"us", 1'000},        {"\xC2\xB5s", 1'000},  {"\xCE\xBCs", 1'000},
      {"ms", 1'000'000}, {"s", 1'000'000'000}, {"m", 60'000'000'000}, {"h", 3'600'000'000'000},
  };
  for (const auto& [name, nanos] : kUnits) {
    if (unit == name) return nanos;
  }
  return std::nullopt;
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

std::string quoted(const std::string& text) {
  return "\"" + text + "\"";
}

// "1.500" with `digits` decimals, trailing zeros (and a bare point) dropped.
std::string decimal(int64_t whole, int64_t fraction, int digits) {
  std::string out = std::to_string(whole);
  if (fraction == 0) return out;
  std::string frac = std::to_string(fraction);
  frac.insert(0, static_cast<size_t>(digits) - frac.size(), '0');
  while (!frac.empty() && frac.back() == '0') frac.pop_back();
  return out + "." + frac;
}

}  // namespace

std::optional<nanoseconds> parse_go_duration(const std::string& text, std::string* error) {
  auto fail = [&](const std::string& why) -> std::optional<nanoseconds> {
    *error = why + " " + quoted(text);
    return std::nullopt;
  };
  size_t i = 0;
  bool negative = false;
  if (i < text.size() && (text[i] == '-' || text[i] == '+')) {
    negative = text[i] == '-';
    ++i;
  }
  if (text.substr(i) == "0") return nanoseconds{0};
  if (i == text.size()) return fail("invalid duration");

  uint64_t total = 0;
  while (i < text.size()) {
    if (!is_digit(text[i]) && text[i] != '.') return fail("invalid duration");
    // The whole part, then an optional fraction; at least one digit between them.
    uint64_t whole = 0;
    size_t start = i;
    for (; i < text.size() && is_digit(text[i]); ++i) {
      if (whole > (kMaxNanos - (text[i] - '0')) / 10) return fail("invalid duration");
      whole = whole * 10 + static_cast<uint64_t>(text[i] - '0');
    }
    bool has_whole = i > start;
    uint64_t fraction = 0;
    uint64_t scale = 1;
    bool has_fraction = false;
    if (i < text.size() && text[i] == '.') {
      ++i;
      start = i;
      for (; i < text.size() && is_digit(text[i]); ++i) {
        // Digits past what 64 bits hold cannot change the result in nanoseconds: skip them.
        if (scale <= kMaxNanos / 10) {
          fraction = fraction * 10 + static_cast<uint64_t>(text[i] - '0');
          scale *= 10;
        }
      }
      has_fraction = i > start;
    }
    if (!has_whole && !has_fraction) return fail("invalid duration");

    start = i;
    while (i < text.size() && text[i] != '.' && !is_digit(text[i])) ++i;
    const std::string unit = text.substr(start, i - start);
    if (unit.empty()) return fail("missing unit in duration");
    auto nanos = unit_nanos(unit);
    if (!nanos) return fail("unknown unit " + quoted(unit) + " in duration");

    if (whole > kMaxNanos / *nanos) return fail("invalid duration");
    uint64_t value = whole * *nanos;
    // fraction < scale, so fraction * (nanos / scale) stays in range; done in long double to
    // keep the sub-unit part exact enough for nanoseconds.
    value +=
        static_cast<uint64_t>(static_cast<long double>(fraction) *
                              static_cast<long double>(*nanos) / static_cast<long double>(scale));
    if (value > kMaxNanos || total > kMaxNanos - value) return fail("invalid duration");
    total += value;
  }
  const auto signed_total = static_cast<int64_t>(total);
  return nanoseconds{negative ? -signed_total : signed_total};
}

std::string format_duration(nanoseconds d) {
  if (d < nanoseconds{0}) return "-" + format_duration(-d);
  const int64_t ns = d.count();
  if (ns == 0) return "0s";
  if (ns < 1'000'000) return std::to_string(ns) + "ns";
  if (ns < 1'000'000'000) return decimal(ns / 1'000'000, ns % 1'000'000, 6) + "ms";

  const int64_t hours = ns / 3'600'000'000'000;
  const int64_t minutes = ns / 60'000'000'000 % 60;
  const int64_t second_nanos = ns % 60'000'000'000;
  std::string out;
  if (hours > 0) out += std::to_string(hours) + "h";
  if (second_nanos == 0) {
    if (minutes > 0) out += std::to_string(minutes) + "m";
    return out;
  }
  if (hours > 0 || minutes > 0) out += std::to_string(minutes) + "m";
  return out + decimal(second_nanos / 1'000'000'000, second_nanos % 1'000'000'000, 9) + "s";
}

}  // namespace cellar::cli
