#include "controller/schedule/cron.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cctype>
#include <utility>
#include <vector>

#include "controller/schedule/cron_field.h"
#include "controller/schedule/stable_hash.h"

namespace cellar::schedule {
namespace {

constexpr std::array<std::pair<std::string_view, std::string_view>, 7> kMacros = {{
    {"@yearly", "0 0 1 1 *"},
    {"@annually", "0 0 1 1 *"},
    {"@monthly", "0 0 1 * *"},
    {"@weekly", "0 0 * * 0"},
    {"@daily", "0 0 * * *"},
    {"@midnight", "0 0 * * *"},
    {"@hourly", "0 * * * *"},
}};

constexpr std::array<std::string_view, 12> kMonthNames = {
    "January", "February", "March",     "April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December"};

constexpr std::array<CronField, 5> kFields = {CronField::kMinute, CronField::kHour,
                                              CronField::kDayOfMonth, CronField::kMonth,
                                              CronField::kDayOfWeek};

std::vector<std::string_view> split_on_blanks(std::string_view text) {
  std::vector<std::string_view> words;
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
    const size_t start = i;
    while (i < text.size() && !std::isspace(static_cast<unsigned char>(text[i]))) ++i;
    if (i > start) words.push_back(text.substr(start, i - start));
  }
  return words;
}

bool equals_ignoring_case(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

CronParseResult failure(std::string error) {
  return {std::nullopt, std::move(error)};
}

// Values min..max of `mask` as cron text: runs of three or more as ranges, e.g. "0,15,30-45".
std::string format_values(uint64_t mask, int min, int max) {
  std::string text;
  for (int v = min; v <= max;) {
    if (!(mask >> v & 1)) {
      ++v;
      continue;
    }
    int end = v;
    while (end + 1 <= max && (mask >> (end + 1) & 1)) ++end;
    if (!text.empty()) text += ',';
    if (end - v >= 2) {
      text += std::to_string(v) + "-" + std::to_string(end);
    } else {
      text += std::to_string(v);
      if (end > v) text += "," + std::to_string(end);
    }
    v = end + 1;
  }
  return text;
}

std::string format_field(uint64_t mask, int min, int max) {
  const uint64_t all = ((uint64_t{1} << (max - min + 1)) - 1) << min;
  return mask == all ? "*" : format_values(mask, min, max);
}

// Days in `month` (1-12) in a leap year: the most that month ever has.
int longest_month(int month) {
  if (month == 2) return 29;
  if (month == 4 || month == 6 || month == 9 || month == 11) return 30;
  return 31;
}

// Why `schedule` can never fire, or "" when it can. Only day-of-month alone can rule out every
// day: a restricted day-of-week always fires on its weekday somewhere, and every hour and minute
// exists (a local time skipped by daylight saving still fires, just after the gap).
std::string why_never_fires(const CronSchedule& schedule) {
  if (!schedule.day_of_month_restricted || schedule.day_of_week_restricted) return "";
  const int first_day = std::countr_zero(schedule.days_of_month);
  std::vector<std::string_view> months;
  for (int month = 1; month <= 12; ++month) {
    if (!(schedule.months >> month & 1)) continue;
    if (first_day <= longest_month(month)) return "";
    months.push_back(kMonthNames[month - 1]);
  }
  std::string listed;
  for (size_t i = 0; i < months.size(); ++i) {
    if (i > 0) listed += i + 1 == months.size() ? " or " : ", ";
    listed += months[i];
  }
  return "never fires: day-of-month " + format_values(schedule.days_of_month, 1, 31) +
         " does not exist in " + listed;
}

CronParseResult parse_macro(const std::vector<std::string_view>& words) {
  for (const auto& [name, expansion] : kMacros) {
    if (!equals_ignoring_case(words[0], name)) continue;
    if (words.size() > 1) {
      return failure("unexpected \"" + std::string(words[1]) + "\" after " + std::string(name));
    }
    return parse_cron(expansion);
  }
  return failure("unknown macro \"" + std::string(words[0]) +
                 "\"; use @yearly, @annually, @monthly, @weekly, @daily, @midnight or @hourly");
}

}  // namespace

CronParseResult parse_cron(std::string_view expression, std::string_view seed) {
  const std::vector<std::string_view> words = split_on_blanks(expression);
  if (words.empty()) return failure("the schedule is empty; expected 5 fields or a macro");
  if (words[0].starts_with("TZ=") || words[0].starts_with("CRON_TZ=")) {
    return failure("a time zone in the schedule (\"" + std::string(words[0]) +
                   "\") is not supported; set the schedule's time zone instead");
  }
  if (words[0].starts_with('@')) return parse_macro(words);
  if (words.size() != kFields.size()) {
    return failure("expected 5 fields, got " + std::to_string(words.size()));
  }

  std::array<CronFieldResult, kFields.size()> fields;
  for (size_t i = 0; i < kFields.size(); ++i) {
    const std::string_view name = cron_field_name(kFields[i]);
    const uint64_t hash = fnv1a64(std::string(seed) + "/" + std::string(name));
    fields[i] = parse_cron_field(kFields[i], words[i], hash);
    if (!fields[i].error.empty()) {
      return failure(std::string(name) + " field \"" + std::string(words[i]) +
                     "\": " + fields[i].error);
    }
  }
  CronSchedule schedule;
  schedule.minutes = fields[0].values;
  schedule.hours = static_cast<uint32_t>(fields[1].values);
  schedule.days_of_month = static_cast<uint32_t>(fields[2].values);
  schedule.months = static_cast<uint16_t>(fields[3].values);
  schedule.days_of_week = static_cast<uint8_t>(fields[4].values);
  schedule.day_of_month_restricted = fields[2].restricts;
  schedule.day_of_week_restricted = fields[4].restricts;
  if (std::string reason = why_never_fires(schedule); !reason.empty()) return failure(reason);
  return {schedule, ""};
}

std::string format_cron(const CronSchedule& schedule) {
  // A restricted day field keeps its list even when it names every day: `1-31` and `*` differ
  // once the other day field restricts too (either-or against only-the-other).
  const std::string days_of_month = schedule.day_of_month_restricted
                                        ? format_values(schedule.days_of_month, 1, 31)
                                        : std::string("*");
  const std::string days_of_week = schedule.day_of_week_restricted
                                       ? format_values(schedule.days_of_week, 0, 6)
                                       : std::string("*");
  return format_field(schedule.minutes, 0, 59) + " " + format_field(schedule.hours, 0, 23) + " " +
         days_of_month + " " + format_field(schedule.months, 1, 12) + " " + days_of_week;
}

}  // namespace cellar::schedule
