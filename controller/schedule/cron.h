// A BackupSchedule's `schedule`: 5-field cron, parsed once into one set of allowed values a field.
//
// Syntax (fields: minute 0-59, hour 0-23, day-of-month 1-31, month 1-12, day-of-week 0-7):
//   *          every value
//   a          one value: a number, or in the month and day-of-week fields a name (jan-dec,
//              sun-sat, in any case); 7 is Sunday, as 0 is
//   a-b        a range, a <= b; `sun` ending a range is 7, so `fri-sun` is Friday to Sunday
//   */n        every n-th value from the field's start
//   a-b/n      every n-th value from a to b
//   a/n        every n-th value from a to the field's end (day-of-week: 6)
//   a,b,...    a list of any of these
//   ?          `*`, in the day fields only
//   @yearly @annually @monthly @weekly @daily @midnight @hourly: the usual macros, read in the
//              schedule's time zone like any expression
// and, beyond standard cron, `H`: a value picked from a hash of a seed (the schedule's
// "namespace/name"), stable across restarts, builds and machines, so that a thousand nightly
// schedules written `H 2 * * *` spread over the hour instead of all starting at 02:00:00:
//   H          one value of the field (day-of-month: 1-28, which every month has; day-of-week: 0-6)
//   H(a-b)     one value in a-b
//   H/n        every n-th value, from a hashed start among the field's first n values
//   H(a-b)/n   every n-th value up to b, from a hashed start in a..a+n-1
// The hash is FNV-1a 64-bit (stable_hash.h) of `<seed>/<field name>`, e.g. "prod/nightly/minute",
// taken modulo the number of candidate values; each field hashes its own name, so the minute and
// the hour of `H H * * *` are independent. An empty seed is allowed and picks the same values for
// every schedule: the controller must pass the schedule's namespace/name.
//
// Days: a day field written `*` or `?` (or `*/1`) does not restrict. When both day fields
// restrict, a day fires if EITHER matches (Vixie cron, and Kubernetes CronJob); when only one
// restricts, only that one counts. As in Kubernetes CronJob, `*/2` does restrict (Vixie cron would
// treat any field starting with `*` as unrestricted).
//
// A schedule that can never fire (`0 0 30 2 *`: no February has a 30th) is an error here, so that
// it is reported when the BackupSchedule is read rather than discovered by a search that finds
// nothing.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cellar::schedule {

// Bit v of a mask is set when value v fires.
struct CronSchedule {
  uint64_t minutes = 0;                  // bits 0-59
  uint32_t hours = 0;                    // bits 0-23
  uint32_t days_of_month = 0;            // bits 1-31
  uint16_t months = 0;                   // bits 1-12
  uint8_t days_of_week = 0;              // bits 0-6, 0 = Sunday (a 7 in the text sets bit 0)
  bool day_of_month_restricted = false;  // false when the field was `*` or `?`
  bool day_of_week_restricted = false;

  friend bool operator==(const CronSchedule&, const CronSchedule&) = default;
};

struct CronParseResult {
  std::optional<CronSchedule> schedule;
  // When !schedule: one line that says what is wrong and where, for a condition message, e.g.
  // `minute field "61": 61 is out of range 0-59` or `expected 5 fields, got 6`.
  std::string error;
};

// Parses `expression` (surrounding and repeated blanks are fine). `seed` is hashed for `H`.
CronParseResult parse_cron(std::string_view expression, std::string_view seed = {});

// The schedule as a plain 5-field expression with `H` resolved and steps expanded, e.g.
// "37 2 * * *" or "0,15,30,45 9-17 * * 1-5": what the schedule really does, for status and
// events. parse_cron(format_cron(s)) == s.
std::string format_cron(const CronSchedule& schedule);

}  // namespace cellar::schedule
