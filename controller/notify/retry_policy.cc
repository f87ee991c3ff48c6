#include "controller/notify/retry_policy.h"

#include <algorithm>

namespace cellar::notify {

std::optional<std::chrono::milliseconds> retry_delay(const RetryPolicy& policy, int failed_attempts,
                                                     std::chrono::milliseconds age) {
  if (age >= policy.window) return std::nullopt;
  auto delay = policy.first_delay;
  for (int i = 1; i < failed_attempts && delay < policy.max_delay; ++i) delay *= 2;
  delay = std::min(delay, policy.max_delay);
  return std::min(delay, policy.window - age);
}

bool within_window(const RetryPolicy& policy, std::chrono::milliseconds age) {
  return age < policy.window;
}

}  // namespace cellar::notify
