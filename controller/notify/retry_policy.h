// When to try a webhook again, and when to give up: exponential back-off, bounded by a window
// that starts when the event happened. Bounded, because a receiver that stays down must not be
// hammered for ever, nor flooded with a day of history when it comes back. Pure.
#pragma once

#include <chrono>
#include <optional>

namespace cellar::notify {

struct RetryPolicy {
  std::chrono::milliseconds first_delay{1000};
  std::chrono::milliseconds max_delay{60000};
  // Past this age (since the event) an event is neither retried nor, at start, delivered.
  std::chrono::milliseconds window{std::chrono::minutes(10)};
};

// The wait before attempt `failed_attempts + 1` of an event `age` old, or nullopt to give up:
// first_delay doubled per failure, capped at max_delay, and never past the window (the last
// attempt is made at its end).
std::optional<std::chrono::milliseconds> retry_delay(const RetryPolicy& policy, int failed_attempts,
                                                     std::chrono::milliseconds age);

// Whether an event `age` old is still to be delivered.
bool within_window(const RetryPolicy& policy, std::chrono::milliseconds age);

}  // namespace cellar::notify
