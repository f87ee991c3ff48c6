#include "controller/api/condition.h"

#include <algorithm>

namespace cellar::api {

void set_condition(std::vector<Condition>& conditions, Condition wanted, const std::string& now) {
  auto it = std::find_if(conditions.begin(), conditions.end(),
                         [&](const Condition& c) { return c.type == wanted.type; });
  if (it == conditions.end()) {
    wanted.last_transition_time = now;
    conditions.push_back(std::move(wanted));
    return;
  }
  wanted.last_transition_time = it->status == wanted.status ? it->last_transition_time : now;
  *it = std::move(wanted);
}

const Condition* find_condition(const std::vector<Condition>& conditions, const std::string& type) {
  for (const auto& c : conditions) {
    if (c.type == type) return &c;
  }
  return nullptr;
}

nlohmann::json to_json(const Condition& c) {
  nlohmann::json j = {{"type", c.type},
                      {"status", c.status},
                      {"lastTransitionTime", c.last_transition_time},
                      {"reason", c.reason},
                      {"message", c.message}};
  if (c.observed_generation > 0) j["observedGeneration"] = c.observed_generation;
  return j;
}

nlohmann::json conditions_to_json(const std::vector<Condition>& conditions) {
  nlohmann::json array = nlohmann::json::array();
  for (const auto& c : conditions) array.push_back(to_json(c));
  return array;
}

std::vector<Condition> parse_conditions(const nlohmann::json& array) {
  std::vector<Condition> out;
  if (!array.is_array()) return out;
  for (const auto& j : array) {
    if (!j.is_object()) continue;
    Condition c;
    c.type = j.value("type", "");
    c.status = j.value("status", "");
    c.observed_generation = j.value("observedGeneration", int64_t{0});
    c.last_transition_time = j.value("lastTransitionTime", "");
    c.reason = j.value("reason", "");
    c.message = j.value("message", "");
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace cellar::api
