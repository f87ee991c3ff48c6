// Log set-up shared by Cellar's binaries: one line per event, as text for people or as JSON for
// log pipelines (--log-format json), on stderr.
#pragma once

#include <string>

namespace cellar {

// false when `format` is neither "text" nor "json".
bool setup_logging(const std::string& format, const std::string& level = "info");

}  // namespace cellar
