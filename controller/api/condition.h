// metav1.Condition, and the rule for updating one: lastTransitionTime moves only when the status
// does, so readers (kstatus, Argo CD, `kubectl wait --for=condition`) see real transitions.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace cellar::api {

struct Condition {
  std::string type;
  std::string status;  // "True", "False" or "Unknown"
  int64_t observed_generation = 0;
  std::string last_transition_time;  // RFC 3339
  std::string reason;                // CamelCase
  std::string message;
  bool operator==(const Condition&) const = default;
};

// Sets `wanted` in `conditions`, keeping the existing lastTransitionTime when the status did not
// change, and using `now` when it did (or when the condition is new).
void set_condition(std::vector<Condition>& conditions, Condition wanted, const std::string& now);
const Condition* find_condition(const std::vector<Condition>& conditions, const std::string& type);

nlohmann::json to_json(const Condition& condition);
nlohmann::json conditions_to_json(const std::vector<Condition>& conditions);
std::vector<Condition> parse_conditions(const nlohmann::json& array);

}  // namespace cellar::api
