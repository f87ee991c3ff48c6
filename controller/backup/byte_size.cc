#include "controller/backup/byte_size.h"

#include <array>
#include <cstdio>

namespace cellar::backup {

std::string format_byte_size(int64_t bytes) {
  if (bytes < 1024) return std::to_string(bytes < 0 ? 0 : bytes) + " B";
  static constexpr std::array<const char*, 6> kUnits = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  double value = static_cast<double>(bytes) / 1024.0;
  size_t unit = 0;
  while (value >= 1024.0 && unit + 1 < kUnits.size()) {
    value /= 1024.0;
    ++unit;
  }
  // Rounding can carry into the next unit ("1023.99 KiB" → "1024 KiB"); keep the unit honest.
  if (value >= 1023.995 && unit + 1 < kUnits.size()) {
    value /= 1024.0;
    ++unit;
  }
  const char* format = value < 10 ? "%.2f %s" : value < 100 ? "%.1f %s" : "%.0f %s";
  char buf[32];
  std::snprintf(buf, sizeof buf, format, value, kUnits[unit]);
  return buf;
}

}  // namespace cellar::backup
