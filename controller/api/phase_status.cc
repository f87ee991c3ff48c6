#include "controller/api/phase_status.h"

#include <algorithm>

namespace cellar::api {

std::string status_message(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  if (text.size() > kMaxStatusMessage) text = text.substr(0, kMaxStatusMessage - 3) + "...";
  return text;
}

std::string invalid_spec_message(const std::vector<std::string>& errors) {
  std::string out = "Invalid spec: ";
  for (size_t i = 0; i < errors.size(); ++i) out += (i ? "; " : "") + errors[i];
  return out;
}

std::string first_non_empty(std::initializer_list<std::string> values) {
  for (const auto& v : values) {
    if (!v.empty()) return v;
  }
  return {};
}

void set_phase_conditions(std::vector<Condition>& conditions, Phase phase,
                          const std::string& message, int64_t generation, const std::string& now) {
  const bool done = phase == Phase::kCompleted;
  set_condition(conditions,
                {"Ready", done ? "True" : "False", generation, "",
                 phase == Phase::kNone ? "Pending" : to_string(phase), message},
                now);
  auto drop = [&](const char* type) {
    std::erase_if(conditions, [&](const Condition& c) { return c.type == type; });
  };
  if (phase == Phase::kPending || phase == Phase::kInProgress) {
    set_condition(conditions, {"Reconciling", "True", generation, "", to_string(phase), message},
                  now);
  } else {
    drop("Reconciling");
  }
  if (phase == Phase::kFailed) {
    set_condition(conditions, {"Stalled", "True", generation, "", "Failed", message}, now);
  } else {
    drop("Stalled");
  }
}

}  // namespace cellar::api
