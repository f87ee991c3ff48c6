#include "controller/schedule/cron_field.h"

#include <algorithm>
#include <array>
#include <cctype>

namespace cellar::schedule {
namespace {

struct Bounds {
  int min;
  int max;       // the largest value the text may name (day-of-week: 7, Sunday again)
  int star_max;  // where `*` and `a/n` end (day-of-week: 6, so `*/2` does not count Sunday twice)
  int hash_min;  // the range a bare `H` picks from
  int hash_max;
};

constexpr Bounds bounds_of(CronField field) {
  switch (field) {
    case CronField::kMinute:
      return {0, 59, 59, 0, 59};
    case CronField::kHour:
      return {0, 23, 23, 0, 23};
    case CronField::kDayOfMonth:
      // A hashed day stops at 28 so that the schedule fires in every month, February included.
      return {1, 31, 31, 1, 28};
    case CronField::kMonth:
      return {1, 12, 12, 1, 12};
    case CronField::kDayOfWeek:
      return {0, 7, 6, 0, 6};
  }
  return {0, 0, 0, 0, 0};
}

constexpr std::array<std::string_view, 12> kMonthNames = {"jan", "feb", "mar", "apr", "may", "jun",
                                                          "jul", "aug", "sep", "oct", "nov", "dec"};
constexpr std::array<std::string_view, 7> kDayNames = {"sun", "mon", "tue", "wed",
                                                       "thu", "fri", "sat"};

bool is_digits(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool is_letters(std::string_view text) {
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; });
}

std::string quoted(std::string_view text) {
  return "\"" + std::string(text) + "\"";
}

// A number, or a name in the month and day-of-week fields. Returns the error, empty on success.
std::string parse_value(CronField field, std::string_view text, int& value) {
  const Bounds b = bounds_of(field);
  if (text.empty()) return "a value is missing";
  if (is_digits(text)) {
    // More than 3 digits is out of every range; stopping here also keeps stoi from overflowing.
    value = text.size() > 3 ? 1000 : std::stoi(std::string(text));
    if (value < b.min || value > b.max) {
      return std::string(text) + " is out of range " + std::to_string(b.min) + "-" +
             std::to_string(b.max);
    }
    return "";
  }
  const bool has_names = field == CronField::kMonth || field == CronField::kDayOfWeek;
  if (has_names && is_letters(text)) {
    std::string lower(text);
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](char c) { return static_cast<char>(std::tolower(c)); });
    if (field == CronField::kMonth) {
      auto it = std::find(kMonthNames.begin(), kMonthNames.end(), lower);
      if (it == kMonthNames.end()) return "unknown month name " + quoted(text);
      value = static_cast<int>(it - kMonthNames.begin()) + 1;
    } else {
      auto it = std::find(kDayNames.begin(), kDayNames.end(), lower);
      if (it == kDayNames.end()) return "unknown day-of-week name " + quoted(text);
      value = static_cast<int>(it - kDayNames.begin());
    }
    return "";
  }
  if (field == CronField::kMonth) return quoted(text) + " is not a number or a month name";
  if (field == CronField::kDayOfWeek) return quoted(text) + " is not a number or a day name";
  return quoted(text) + " is not a number";
}

// `a-b` with a <= b. Returns the error, empty on success.
std::string parse_range(CronField field, std::string_view text, int& low, int& high) {
  const size_t dash = text.find('-');
  if (text.find('-', dash + 1) != std::string_view::npos) {
    return quoted(text) + " is not a value or a range";
  }
  const std::string_view first = text.substr(0, dash);
  const std::string_view last = text.substr(dash + 1);
  if (first.empty() || last.empty()) return "range " + quoted(text) + " is incomplete";
  if (std::string error = parse_value(field, first, low); !error.empty()) return error;
  if (std::string error = parse_value(field, last, high); !error.empty()) return error;
  // `mon-sun` and `fri-sun` mean the days up to Sunday, the last of a week starting Monday.
  if (field == CronField::kDayOfWeek && high == 0 && is_letters(last)) high = 7;
  if (low > high) {
    const Bounds b = bounds_of(field);
    auto span = [](int from, int to) {
      return from == to ? std::to_string(from) : std::to_string(from) + "-" + std::to_string(to);
    };
    return "range " + std::string(text) + " goes backwards (use " +
           span(low, std::max(low, b.star_max)) + "," + span(b.min, high) + " to wrap around)";
  }
  return "";
}

// The `H` forms before any step: `H` or `H(a-b)`, as the range the hash picks from.
std::string parse_hashed_range(CronField field, std::string_view text, int& low, int& high) {
  const Bounds b = bounds_of(field);
  if (text.size() == 1) {
    low = b.hash_min;
    high = b.hash_max;
    return "";
  }
  if (text.size() < 3 || text[1] != '(' || text.back() != ')') {
    return "expected H, H(a-b), H/n or H(a-b)/n, got " + quoted(text);
  }
  const std::string_view inner = text.substr(2, text.size() - 3);
  if (inner.find('-') == std::string_view::npos) {
    return "expected a range inside " + quoted(text) + ", e.g. H(0-29)";
  }
  return parse_range(field, inner, low, high);
}

std::string parse_step(CronField field, std::string_view text, int& step) {
  const Bounds b = bounds_of(field);
  const int values = b.star_max - b.min + 1;
  if (text.empty()) return "a step is missing after \"/\"";
  if (!is_digits(text)) return "step " + quoted(text) + " is not a number";
  step = text.size() > 3 ? 1000 : std::stoi(std::string(text));
  if (step == 0) return "step 0 must be at least 1";
  if (step > values) {
    return "step " + std::string(text) + " is larger than the field's " + std::to_string(values) +
           " values";
  }
  return "";
}

// One item of the field's list, added to `result`. Returns the error, empty on success.
std::string add_item(CronField field, std::string_view item, uint64_t hash,
                     CronFieldResult& result) {
  const Bounds b = bounds_of(field);
  if (item.empty()) return "an item of the list is empty";
  const size_t slash = item.find('/');
  const std::string_view base = item.substr(0, slash);
  int step = 1;
  if (slash != std::string_view::npos) {
    const std::string_view step_text = item.substr(slash + 1);
    if (step_text.find('/') != std::string_view::npos) {
      return quoted(item) + " has more than one \"/\"";
    }
    if (std::string error = parse_step(field, step_text, step); !error.empty()) return error;
  }

  if (base.empty()) return "a value is missing before \"/\"";

  int low = 0;
  int high = 0;
  if (base == "*" || base == "?") {
    if (base == "?" && field != CronField::kDayOfMonth && field != CronField::kDayOfWeek) {
      return "\"?\" is only allowed in the day-of-month and day-of-week fields";
    }
    low = b.min;
    high = b.star_max;
    if (step == 1) result.restricts = false;
  } else if (base.front() == 'H' || base.front() == 'h') {
    if (std::string error = parse_hashed_range(field, base, low, high); !error.empty()) {
      return error;
    }
    const uint64_t span = static_cast<uint64_t>(high - low + 1);
    if (slash == std::string_view::npos) {
      low += static_cast<int>(hash % span);
      high = low;
    } else {
      // The first firing falls in [low, low + step) so that the step still divides the range
      // as `*/n` would, only shifted.
      low += static_cast<int>(hash % std::min<uint64_t>(span, static_cast<uint64_t>(step)));
    }
  } else if (base.find('-') != std::string_view::npos) {
    if (std::string error = parse_range(field, base, low, high); !error.empty()) return error;
  } else {
    if (std::string error = parse_value(field, base, low); !error.empty()) return error;
    high = slash == std::string_view::npos ? low : std::max(low, b.star_max);
  }

  for (int v = low; v <= high; v += step) {
    const int bit = field == CronField::kDayOfWeek && v == 7 ? 0 : v;
    result.values |= uint64_t{1} << bit;
  }
  return "";
}

}  // namespace

CronFieldResult parse_cron_field(CronField field, std::string_view text, uint64_t hash) {
  CronFieldResult result;
  size_t start = 0;
  while (true) {
    const size_t comma = text.find(',', start);
    const std::string_view item = text.substr(start, comma - start);
    if (std::string error = add_item(field, item, hash, result); !error.empty()) {
      return {0, true, std::move(error)};
    }
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return result;
}

std::string_view cron_field_name(CronField field) {
  switch (field) {
    case CronField::kMinute:
      return "minute";
    case CronField::kHour:
      return "hour";
    case CronField::kDayOfMonth:
      return "day-of-month";
    case CronField::kMonth:
      return "month";
    case CronField::kDayOfWeek:
      return "day-of-week";
  }
  return "field";
}

}  // namespace cellar::schedule
