#include "controller/metrics/process_metrics.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace cellar::metrics {
namespace {

// A real /proc/self/stat line, with a command holding a space and a parenthesis.
const char* kStat =
    "4242 (cellar (ctl) x) S 1 4242 4242 0 -1 4194560 1200 0 0 0 250 50 0 0 20 0 9 0 "
    "1000 73400320 2048 18446744073709551615 1 1 0 0 0 0 0 4096 0 0 0 0 17 1 0 0 0 0 0";

TEST(ProcessMetrics, ParsesStat) {
  auto s = parse_proc_stat(kStat, 1700000000, 100, 4096);
  ASSERT_TRUE(s);
  EXPECT_DOUBLE_EQ(s->cpu_seconds, 3.0);  // (250 + 50) ticks at 100 a second
  EXPECT_DOUBLE_EQ(s->resident_bytes, 2048.0 * 4096);
  EXPECT_DOUBLE_EQ(s->virtual_bytes, 73400320);
  EXPECT_DOUBLE_EQ(s->start_time_seconds, 1700000010);  // 1000 ticks after boot
}

TEST(ProcessMetrics, RefusesWhatIsNotAStatLine) {
  EXPECT_FALSE(parse_proc_stat("", 0, 100, 4096));
  EXPECT_FALSE(parse_proc_stat("1 (x) S 1 2", 0, 100, 4096));
}

TEST(ProcessMetrics, BootTime) {
  EXPECT_EQ(parse_boot_time("cpu 1 2 3\nbtime 1764300000\nprocesses 9\n"), 1764300000);
  EXPECT_EQ(parse_boot_time("cpu 1 2 3\n"), std::nullopt);
}

TEST(ProcessMetrics, CollectsThisProcess) {
  auto families = ProcessCollector().Collect();
  std::vector<std::string> names;
  for (const auto& f : families) names.push_back(f.name);
  for (const char* want : {"process_cpu_seconds_total", "process_resident_memory_bytes",
                           "process_start_time_seconds", "process_open_fds"}) {
    EXPECT_NE(std::find(names.begin(), names.end(), want), names.end()) << want;
  }
  for (const auto& f : families) {
    if (f.name == "process_resident_memory_bytes") {
      EXPECT_GT(f.metric.at(0).gauge.value, 0);
    }
  }
}

}  // namespace
}  // namespace cellar::metrics
