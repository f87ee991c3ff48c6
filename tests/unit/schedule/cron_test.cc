#include "controller/schedule/cron.h"

#include <gtest/gtest.h>

namespace cellar::schedule {
namespace {

class CronTest : public ::testing::Test {
 protected:
  // What a schedule that must parse really does, as format_cron writes it.
  static std::string normalized(std::string_view text) {
    const CronParseResult result = parse_cron(text, "team/nightly");
    EXPECT_TRUE(result.schedule) << text << ": " << result.error;
    return result.schedule ? format_cron(*result.schedule) : "error: " + result.error;
  }

  static CronSchedule parsed(std::string_view text) {
    const CronParseResult result = parse_cron(text);
    EXPECT_TRUE(result.schedule) << text << ": " << result.error;
    return result.schedule.value_or(CronSchedule{});
  }

  static std::string error_of(std::string_view text) {
    const CronParseResult result = parse_cron(text);
    EXPECT_FALSE(result.schedule) << text << " parsed as " << format_cron(*result.schedule);
    return result.error;
  }
};

TEST_F(CronTest, NumbersListsAndStars) {
  EXPECT_EQ(normalized("* * * * *"), "* * * * *");
  EXPECT_EQ(normalized("5 4 * * *"), "5 4 * * *");
  EXPECT_EQ(normalized("0,30 9,17 1,15 * *"), "0,30 9,17 1,15 * *");
  EXPECT_EQ(normalized("007 02 * * *"), "7 2 * * *");
}

TEST_F(CronTest, BlanksAroundAndBetweenFieldsDoNotMatter) {
  EXPECT_EQ(normalized("  0\t 2  * *   * "), "0 2 * * *");
}

TEST_F(CronTest, Ranges) {
  EXPECT_EQ(normalized("0 9-17 * * 1-5"), "0 9-17 * * 1-5");
  EXPECT_EQ(normalized("0-1 3-3 * * *"), "0,1 3 * * *");
  EXPECT_EQ(normalized("0-59 0-23 * 1-12 *"), "* * * * *");
}

TEST_F(CronTest, Steps) {
  EXPECT_EQ(normalized("*/15 * * * *"), "0,15,30,45 * * * *");
  EXPECT_EQ(normalized("1-10/3 * * * *"), "1,4,7,10 * * * *");
  EXPECT_EQ(normalized("5/20 * * * *"), "5,25,45 * * * *");
  EXPECT_EQ(normalized("0 */6 * * *"), "0 0,6,12,18 * * *");
  EXPECT_EQ(normalized("0 0 */10 * *"), "0 0 1,11,21,31 * *");
  EXPECT_EQ(normalized("0 0 1 */3 *"), "0 0 1 1,4,7,10 *");
  EXPECT_EQ(normalized("*/1 * * * *"), "* * * * *");
  EXPECT_EQ(normalized("*/60 * * * *"), "0 * * * *");
}

TEST_F(CronTest, MonthAndDayNamesInAnyCase) {
  EXPECT_EQ(normalized("0 0 * jan,JUL Mon-fri"), "0 0 * 1,7 1-5");
  EXPECT_EQ(normalized("0 0 1 Dec *"), "0 0 1 12 *");
  EXPECT_EQ(normalized("0 0 * feb-apr SUN"), "0 0 * 2-4 0");
  EXPECT_EQ(normalized("0 0 * jan-dec/2 sun-sat/2"), "0 0 * 1,3,5,7,9,11 0,2,4,6");
}

TEST_F(CronTest, SevenIsSunday) {
  EXPECT_EQ(parsed("0 0 * * 7"), parsed("0 0 * * 0"));
  EXPECT_EQ(normalized("0 0 * * 5-7"), "0 0 * * 0,5,6");
  EXPECT_EQ(normalized("0 0 * * 0-7"), "0 0 * * 0-6");
}

TEST_F(CronTest, SundayEndingARangeIsTheLastDayOfTheWeek) {
  EXPECT_EQ(normalized("0 0 * * fri-sun"), "0 0 * * 0,5,6");
  EXPECT_EQ(normalized("0 0 * * mon-sun"), "0 0 * * 0-6");
  EXPECT_EQ(normalized("0 0 * * sun-tue"), "0 0 * * 0-2");
}

TEST_F(CronTest, QuestionMarkIsAStarInTheDayFields) {
  const CronSchedule schedule = parsed("0 0 ? * mon");
  EXPECT_FALSE(schedule.day_of_month_restricted);
  EXPECT_EQ(schedule, parsed("0 0 * * mon"));
  EXPECT_EQ(parsed("0 0 1 * ?"), parsed("0 0 1 * *"));
}

TEST_F(CronTest, OnlyABareStarLeavesADayFieldUnrestricted) {
  EXPECT_FALSE(parsed("0 0 * * *").day_of_month_restricted);
  EXPECT_FALSE(parsed("0 0 */1 * *").day_of_month_restricted);
  EXPECT_TRUE(parsed("0 0 */2 * *").day_of_month_restricted);
  EXPECT_TRUE(parsed("0 0 1-31 * *").day_of_month_restricted);
  EXPECT_TRUE(parsed("0 0 * * 0-6").day_of_week_restricted);
  EXPECT_FALSE(parsed("0 0 * * *").day_of_week_restricted);
}

TEST_F(CronTest, Macros) {
  EXPECT_EQ(normalized("@yearly"), "0 0 1 1 *");
  EXPECT_EQ(normalized("@annually"), "0 0 1 1 *");
  EXPECT_EQ(normalized("@monthly"), "0 0 1 * *");
  EXPECT_EQ(normalized("@weekly"), "0 0 * * 0");
  EXPECT_EQ(normalized("@daily"), "0 0 * * *");
  EXPECT_EQ(normalized("@midnight"), "0 0 * * *");
  EXPECT_EQ(normalized("@hourly"), "0 * * * *");
  EXPECT_EQ(normalized(" @Daily "), "0 0 * * *");
}

TEST_F(CronTest, FormatParsesBackToTheSameSchedule) {
  for (const char* text : {"* * * * *", "*/7 1-5,9 */3 2-11 1-5", "0 0 1-31 * 0-6", "0 0 ? * 7",
                           "0-58/2 */5 29 2 *", "H H(3-5) H * H"}) {
    const CronSchedule schedule = parsed(text);
    EXPECT_EQ(parsed(format_cron(schedule)), schedule) << text;
  }
}

TEST_F(CronTest, OutOfRangeSaysWhichFieldAndWhatRange) {
  EXPECT_EQ(error_of("61 * * * *"), "minute field \"61\": 61 is out of range 0-59");
  EXPECT_EQ(error_of("0 25 * * *"), "hour field \"25\": 25 is out of range 0-23");
  EXPECT_EQ(error_of("0 0 0 * *"), "day-of-month field \"0\": 0 is out of range 1-31");
  EXPECT_EQ(error_of("0 0 * 13 *"), "month field \"13\": 13 is out of range 1-12");
  EXPECT_EQ(error_of("0 0 * * 8"), "day-of-week field \"8\": 8 is out of range 0-7");
  EXPECT_EQ(error_of("1,99999 * * * *"), "minute field \"1,99999\": 99999 is out of range 0-59");
  EXPECT_EQ(error_of("0 1-24 * * *"), "hour field \"1-24\": 24 is out of range 0-23");
}

TEST_F(CronTest, WrongNumberOfFields) {
  EXPECT_EQ(error_of("* * * * * *"), "expected 5 fields, got 6");
  EXPECT_EQ(error_of("0 2 * *"), "expected 5 fields, got 4");
  EXPECT_EQ(error_of("   "), "the schedule is empty; expected 5 fields or a macro");
}

TEST_F(CronTest, NamesOnlyInTheirFields) {
  EXPECT_EQ(error_of("0 0 * foo *"), "month field \"foo\": unknown month name \"foo\"");
  EXPECT_EQ(error_of("0 0 * jan-foo *"), "month field \"jan-foo\": unknown month name \"foo\"");
  EXPECT_EQ(error_of("0 0 * * funday"),
            "day-of-week field \"funday\": unknown day-of-week name \"funday\"");
  EXPECT_EQ(error_of("mon * * * *"), "minute field \"mon\": \"mon\" is not a number");
  EXPECT_EQ(error_of("0 0 * 1x *"), "month field \"1x\": \"1x\" is not a number or a month name");
  EXPECT_EQ(error_of("0 0 * * 1x"),
            "day-of-week field \"1x\": \"1x\" is not a number or a day name");
}

TEST_F(CronTest, BackwardRangesSuggestTheWrapAround) {
  EXPECT_EQ(error_of("0 22-2 * * *"),
            "hour field \"22-2\": range 22-2 goes backwards (use 22-23,0-2 to wrap around)");
  EXPECT_EQ(error_of("0 0 * * fri-mon"),
            "day-of-week field \"fri-mon\": range fri-mon goes backwards (use 5-6,0-1 to wrap "
            "around)");
  EXPECT_EQ(error_of("0 0 * * sat-mon"),
            "day-of-week field \"sat-mon\": range sat-mon goes backwards (use 6,0-1 to wrap "
            "around)");
  EXPECT_EQ(error_of("0 0 * * 5-0"),
            "day-of-week field \"5-0\": range 5-0 goes backwards (use 5-6,0 to wrap around)");
}

TEST_F(CronTest, MalformedRangesAndSteps) {
  EXPECT_EQ(error_of("*/0 * * * *"), "minute field \"*/0\": step 0 must be at least 1");
  EXPECT_EQ(error_of("*/x * * * *"), "minute field \"*/x\": step \"x\" is not a number");
  EXPECT_EQ(error_of("*/ * * * *"), "minute field \"*/\": a step is missing after \"/\"");
  EXPECT_EQ(error_of("*/61 * * * *"),
            "minute field \"*/61\": step 61 is larger than the field's 60 values");
  EXPECT_EQ(error_of("1/2/3 * * * *"), "minute field \"1/2/3\": \"1/2/3\" has more than one \"/\"");
  EXPECT_EQ(error_of("/5 * * * *"), "minute field \"/5\": a value is missing before \"/\"");
  EXPECT_EQ(error_of("5- * * * *"), "minute field \"5-\": range \"5-\" is incomplete");
  EXPECT_EQ(error_of("-5 * * * *"), "minute field \"-5\": range \"-5\" is incomplete");
  EXPECT_EQ(error_of("1-2-3 * * * *"),
            "minute field \"1-2-3\": \"1-2-3\" is not a value or a range");
}

TEST_F(CronTest, EmptyListItems) {
  EXPECT_EQ(error_of("1,,2 * * * *"), "minute field \"1,,2\": an item of the list is empty");
  EXPECT_EQ(error_of("0 1, * * *"), "hour field \"1,\": an item of the list is empty");
}

TEST_F(CronTest, QuestionMarkOutsideTheDayFields) {
  EXPECT_EQ(error_of("? * * * *"),
            "minute field \"?\": \"?\" is only allowed in the day-of-month and day-of-week fields");
}

TEST_F(CronTest, MacroMistakes) {
  EXPECT_EQ(error_of("@every 5m"),
            "unknown macro \"@every\"; use @yearly, @annually, @monthly, @weekly, @daily, "
            "@midnight or @hourly");
  EXPECT_EQ(error_of("@daily 5"), "unexpected \"5\" after @daily");
}

TEST_F(CronTest, TimeZonePrefixPointsToTheTimeZoneSetting) {
  EXPECT_EQ(error_of("CRON_TZ=Europe/Paris 0 2 * * *"),
            "a time zone in the schedule (\"CRON_TZ=Europe/Paris\") is not supported; set the "
            "schedule's time zone instead");
  EXPECT_EQ(error_of("TZ=UTC 0 2 * * *"),
            "a time zone in the schedule (\"TZ=UTC\") is not supported; set the schedule's time "
            "zone instead");
}

TEST_F(CronTest, AScheduleThatNeverFiresIsAnError) {
  EXPECT_EQ(error_of("0 0 30 2 *"), "never fires: day-of-month 30 does not exist in February");
  EXPECT_EQ(error_of("0 0 30,31 feb *"),
            "never fires: day-of-month 30,31 does not exist in February");
  EXPECT_EQ(error_of("0 0 31 2,4,6 *"),
            "never fires: day-of-month 31 does not exist in February, April or June");
}

TEST_F(CronTest, RareButPossibleDaysParse) {
  EXPECT_EQ(normalized("0 0 29 2 *"), "0 0 29 2 *");
  EXPECT_EQ(normalized("0 0 31 2,3 *"), "0 0 31 2,3 *");
  // With a day of the week as well, either day counts, so February's Mondays fire.
  EXPECT_EQ(normalized("0 0 30 2 mon"), "0 0 30 2 1");
}

TEST_F(CronTest, MalformedHashForms) {
  EXPECT_EQ(error_of("Hx * * * *"),
            "minute field \"Hx\": expected H, H(a-b), H/n or H(a-b)/n, got \"Hx\"");
  EXPECT_EQ(error_of("H(5) * * * *"),
            "minute field \"H(5)\": expected a range inside \"H(5)\", e.g. H(0-29)");
  EXPECT_EQ(error_of("H(0-60) * * * *"), "minute field \"H(0-60)\": 60 is out of range 0-59");
  EXPECT_EQ(error_of("H(30-10) * * * *"),
            "minute field \"H(30-10)\": range 30-10 goes backwards (use 30-59,0-10 to wrap "
            "around)");
  EXPECT_EQ(error_of("H/0 * * * *"), "minute field \"H/0\": step 0 must be at least 1");
}

}  // namespace
}  // namespace cellar::schedule
