// An Event a reconciler wants recorded about the object it reconciles: what its pure decision
// returns, and what EventRecorder writes.
#pragma once

#include <string>

namespace cellar::kube {

struct Event {
  std::string type;  // "Normal" or "Warning"
  std::string reason;
  std::string message;
  bool operator==(const Event&) const = default;
};

}  // namespace cellar::kube
