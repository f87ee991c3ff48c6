// POSTs a body to a webhook URL through Cellar's HTTP transport (the system's trust store, the
// environment's proxy), with a timeout. The URL carries tokens: nothing this returns ever contains
// it, so callers may log and record what it says.
#pragma once

#include <chrono>
#include <string>

namespace cellar::notify {

struct PostOutcome {
  bool delivered = false;  // the receiver answered 2xx
  // Why not, without the URL: "HTTP 503", "POST webhook: no answer within 10000 ms".
  std::string problem;
};

// Blocks for at most `timeout`. Any thread; one call at a time per thread.
PostOutcome post_webhook(const std::string& url, const std::string& body,
                         std::chrono::milliseconds timeout);

}  // namespace cellar::notify
