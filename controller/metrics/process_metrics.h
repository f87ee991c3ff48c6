// The process metrics every Prometheus client library exports, under their names:
// process_cpu_seconds_total, process_resident_memory_bytes, process_virtual_memory_bytes,
// process_start_time_seconds, process_open_fds, process_max_fds. Read from /proc at each scrape;
// the parsing is pure and unit-tested.
#pragma once

#include <prometheus/collectable.h>
#include <prometheus/metric_family.h>

#include <optional>
#include <string>
#include <vector>

namespace cellar::metrics {

struct ProcessSample {
  double cpu_seconds = 0;
  double resident_bytes = 0;
  double virtual_bytes = 0;
  double start_time_seconds = 0;  // since the Unix epoch
};

// From /proc/self/stat's text, the boot time (/proc/stat's btime), clock ticks a second and the
// page size; nullopt when the text is not a stat line.
std::optional<ProcessSample> parse_proc_stat(const std::string& stat, double boot_time_seconds,
                                             long ticks_per_second, long page_size);
// The `btime` line of /proc/stat's text.
std::optional<double> parse_boot_time(const std::string& proc_stat);

class ProcessCollector : public prometheus::Collectable {
 public:
  std::vector<prometheus::MetricFamily> Collect() const override;
};

}  // namespace cellar::metrics
