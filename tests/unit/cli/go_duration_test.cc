#include "controller/cli/go_duration.h"

#include <gtest/gtest.h>

namespace cellar::cli {
namespace {

using namespace std::chrono_literals;
using std::chrono::nanoseconds;

std::optional<nanoseconds> parse(const std::string& text) {
  std::string error;
  return parse_go_duration(text, &error);
}

std::string parse_error(const std::string& text) {
  std::string error;
  EXPECT_FALSE(parse_go_duration(text, &error).has_value()) << text;
  return error;
}

TEST(GoDurationTest, ReadsWhatKubectlTimeoutsTake) {
  EXPECT_EQ(parse("90s"), nanoseconds{90s});
  EXPECT_EQ(parse("2m"), nanoseconds{2min});
  EXPECT_EQ(parse("1h30m"), nanoseconds{90min});
  EXPECT_EQ(parse("1m30s"), nanoseconds{90s});
  EXPECT_EQ(parse("1h0m5s"), nanoseconds{3605s});
  EXPECT_EQ(parse("500ms"), nanoseconds{500ms});
  EXPECT_EQ(parse("3s"), nanoseconds{3s});
  EXPECT_EQ(parse("0"), nanoseconds{0});
  EXPECT_EQ(parse("0s"), nanoseconds{0});
}

TEST(GoDurationTest, ReadsFractionsSignsAndSmallUnits) {
  EXPECT_EQ(parse("1.5h"), nanoseconds{90min});
  EXPECT_EQ(parse(".5s"), nanoseconds{500ms});
  EXPECT_EQ(parse("1.s"), nanoseconds{1s});
  EXPECT_EQ(parse("2.25m"), nanoseconds{135s});
  EXPECT_EQ(parse("+5s"), nanoseconds{5s});
  EXPECT_EQ(parse("-5s"), nanoseconds{-5s});
  EXPECT_EQ(parse("10us"), nanoseconds{10us});
  EXPECT_EQ(parse("10\xC2\xB5s"), nanoseconds{10us});
  EXPECT_EQ(parse("7ns"), nanoseconds{7});
  EXPECT_EQ(parse("1h1m1s1ms"), nanoseconds{3661001ms});
}

TEST(GoDurationTest, WordsErrorsAsGoDoes) {
  EXPECT_EQ(parse_error("30"), "missing unit in duration \"30\"");
  EXPECT_EQ(parse_error("2x"), "unknown unit \"x\" in duration \"2x\"");
  EXPECT_EQ(parse_error("2 m"), "unknown unit \" m\" in duration \"2 m\"");
  EXPECT_EQ(parse_error(""), "invalid duration \"\"");
  EXPECT_EQ(parse_error("-"), "invalid duration \"-\"");
  EXPECT_EQ(parse_error("s"), "invalid duration \"s\"");
  EXPECT_EQ(parse_error(".s"), "invalid duration \".s\"");
  EXPECT_EQ(parse_error("1m-2s"), "unknown unit \"m-\" in duration \"1m-2s\"");
  EXPECT_EQ(parse_error("2d"), "unknown unit \"d\" in duration \"2d\"");
}

TEST(GoDurationTest, RefusesWhatOverflowsInsteadOfWrapping) {
  EXPECT_EQ(parse("2562047h"), nanoseconds{2562047h});
  EXPECT_EQ(parse_error("2562048h"), "invalid duration \"2562048h\"");
  EXPECT_EQ(parse_error("99999999999999999999s"), "invalid duration \"99999999999999999999s\"");
  EXPECT_EQ(parse_error("2562047h2562047h"), "invalid duration \"2562047h2562047h\"");
}

TEST(GoDurationTest, FormatsLargestUnitsFirstWithoutTrailingZeros) {
  EXPECT_EQ(format_duration(0s), "0s");
  EXPECT_EQ(format_duration(31s), "31s");
  EXPECT_EQ(format_duration(2min), "2m");
  EXPECT_EQ(format_duration(125s), "2m5s");
  EXPECT_EQ(format_duration(90min), "1h30m");
  EXPECT_EQ(format_duration(1h), "1h");
  EXPECT_EQ(format_duration(3605s), "1h0m5s");
  EXPECT_EQ(format_duration(61min), "1h1m");
  EXPECT_EQ(format_duration(1500ms), "1.5s");
  EXPECT_EQ(format_duration(500ms), "500ms");
  EXPECT_EQ(format_duration(nanoseconds{1500000}), "1.5ms");
  EXPECT_EQ(format_duration(nanoseconds{42}), "42ns");
  EXPECT_EQ(format_duration(-90s), "-1m30s");
}

TEST(GoDurationTest, FormatReadsBack) {
  for (nanoseconds d : {nanoseconds{3s}, nanoseconds{2min}, nanoseconds{3605s}, nanoseconds{1500ms},
                        nanoseconds{250ms}, nanoseconds{26h}}) {
    EXPECT_EQ(parse(format_duration(d)), d) << format_duration(d);
  }
}

}  // namespace
}  // namespace cellar::cli
