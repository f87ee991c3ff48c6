// Reading a field of a request's JSON that may be absent or of the wrong type, as the validation
// rules do: missing reads as null (or ""), so a rule checks a value, not a path's existence first.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace cellar::testcluster {

// object[key], or null when object is not an object or has no such key.
inline const nlohmann::json& at(const nlohmann::json& object, const char* key) {
  static const nlohmann::json null;
  if (!object.is_object()) return null;
  auto it = object.find(key);
  return it == object.end() ? null : *it;
}

// The string, or "" for anything else.
inline std::string text(const nlohmann::json& value) {
  return value.is_string() ? value.get<std::string>() : "";
}

}  // namespace cellar::testcluster
