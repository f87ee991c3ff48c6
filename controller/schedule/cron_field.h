// One field of a cron expression: its name, its bounds, and its text read into a set of values.
// cron.h states the syntax; this file holds the part of it that lives inside one field.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace cellar::schedule {

enum class CronField { kMinute, kHour, kDayOfMonth, kMonth, kDayOfWeek };

struct CronFieldResult {
  uint64_t values = 0;    // bit v set when value v fires (day-of-week 7 is already folded onto 0)
  bool restricts = true;  // false when an item of the field is `*`, `?` or `*/1`
  // When non-empty the field is invalid and this says why, without saying which field (the caller
  // knows), e.g. `61 is out of range 0-59` or `unknown month name "foo"`.
  std::string error;
};

// Reads one field's text. `hash` is what an `H` in this field picks its value from (see cron.h).
CronFieldResult parse_cron_field(CronField field, std::string_view text, uint64_t hash);

// As error messages name it: "minute", "hour", "day-of-month", "month", "day-of-week".
std::string_view cron_field_name(CronField field);

}  // namespace cellar::schedule
