// Sizes for people, in binary units: "512 B", "1.55 MiB", "12.3 GiB".
#pragma once

#include <cstdint>
#include <string>

namespace cellar::backup {

// Three significant digits (two decimals under 10, one under 100, none above).
std::string format_byte_size(int64_t bytes);

}  // namespace cellar::backup
