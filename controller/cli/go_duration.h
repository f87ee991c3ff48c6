// Durations as kubectl's flags take them (Go's time.ParseDuration): "90s", "2m", "1h30m", "1.5h",
// "500ms". The plugin runs under kubectl, so `--timeout` reads the way `kubectl wait --timeout`
// does. Pure; no clock.
#pragma once

#include <chrono>
#include <optional>
#include <string>

namespace cellar::cli {

// The duration, or nullopt with `*error` saying what is wrong ("missing unit in duration \"30\"").
// A sign is accepted as Go does; callers decide whether a negative duration makes sense.
std::optional<std::chrono::nanoseconds> parse_go_duration(const std::string& text,
                                                          std::string* error);

// For people: the largest units first, trailing zero units left out: "31s", "2m", "2m5s",
// "1h0m5s", "1.5s", "500ms", "0s". Negative durations get a leading '-'.
std::string format_duration(std::chrono::nanoseconds d);

}  // namespace cellar::cli
