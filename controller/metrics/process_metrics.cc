#include "controller/metrics/process_metrics.h"

#include <dirent.h>
#include <sys/resource.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

namespace cellar::metrics {
namespace {

std::string read_all(const char* path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

int open_fds() {
  DIR* dir = opendir("/proc/self/fd");
  if (dir == nullptr) return 0;
  int n = 0;
  while (dirent* entry = readdir(dir)) {
    if (entry->d_name[0] != '.') ++n;
  }
  closedir(dir);
  return n - 1;  // the descriptor opendir itself holds
}

prometheus::MetricFamily one(const std::string& name, const std::string& help,
                             prometheus::MetricType type, double value) {
  prometheus::ClientMetric m;
  if (type == prometheus::MetricType::Counter) {
    m.counter.value = value;
  } else {
    m.gauge.value = value;
  }
  return {name, help, type, {m}};
}

}  // namespace

std::optional<ProcessSample> parse_proc_stat(const std::string& stat, double boot_time_seconds,
                                             long ticks_per_second, long page_size) {
  // The command (field 2) is in parentheses and may hold spaces or ')': fields resume after the
  // last ')'.
  const auto close = stat.rfind(')');
  if (close == std::string::npos || ticks_per_second <= 0) return std::nullopt;
  std::istringstream rest(stat.substr(close + 1));
  std::vector<std::string> fields;  // fields[0] is field 3 (state)
  for (std::string f; rest >> f;) fields.push_back(f);
  if (fields.size() < 22) return std::nullopt;
  try {
    ProcessSample s;
    const double utime = std::stod(fields[11]);            // field 14
    const double stime = std::stod(fields[12]);            // field 15
    const double starttime = std::stod(fields[19]);        // field 22, ticks after boot
    s.virtual_bytes = std::stod(fields[20]);               // field 23
    s.resident_bytes = std::stod(fields[21]) * page_size;  // field 24, pages
    s.cpu_seconds = (utime + stime) / ticks_per_second;
    s.start_time_seconds = boot_time_seconds + starttime / ticks_per_second;
    return s;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

std::optional<double> parse_boot_time(const std::string& proc_stat) {
  std::istringstream lines(proc_stat);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("btime ", 0) == 0) {
      try {
        return std::stod(line.substr(6));
      } catch (const std::exception&) {
        return std::nullopt;
      }
    }
  }
  return std::nullopt;
}

std::vector<prometheus::MetricFamily> ProcessCollector::Collect() const {
  using prometheus::MetricType;
  std::vector<prometheus::MetricFamily> out;
  static const double boot_time = parse_boot_time(read_all("/proc/stat")).value_or(0);
  if (auto s = parse_proc_stat(read_all("/proc/self/stat"), boot_time, sysconf(_SC_CLK_TCK),
                               sysconf(_SC_PAGESIZE))) {
    out.push_back(one("process_cpu_seconds_total",
                      "Total user and system CPU time spent in seconds.", MetricType::Counter,
                      s->cpu_seconds));
    out.push_back(one("process_resident_memory_bytes", "Resident memory size in bytes.",
                      MetricType::Gauge, s->resident_bytes));
    out.push_back(one("process_virtual_memory_bytes", "Virtual memory size in bytes.",
                      MetricType::Gauge, s->virtual_bytes));
    out.push_back(one("process_start_time_seconds",
                      "Start time of the process since unix epoch in seconds.", MetricType::Gauge,
                      s->start_time_seconds));
  }
  out.push_back(
      one("process_open_fds", "Number of open file descriptors.", MetricType::Gauge, open_fds()));
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0) {
    out.push_back(one("process_max_fds", "Maximum number of open file descriptors.",
                      MetricType::Gauge, static_cast<double>(limit.rlim_cur)));
  }
  return out;
}

}  // namespace cellar::metrics
