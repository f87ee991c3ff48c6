#include "controller/api/spec_reader.h"

namespace cellar::api {

using json = nlohmann::json;

const json* SpecReader::object(const json& parent, const char* key, const std::string& path,
                               bool required) {
  auto it = parent.find(key);
  if (it == parent.end() || it->is_null()) {
    if (required) error(path + " is required");
    return nullptr;
  }
  if (!it->is_object()) {
    error(path + " must be an object");
    return nullptr;
  }
  return &*it;
}

std::string SpecReader::string(const json& parent, const char* key, const std::string& path,
                               bool required) {
  auto it = parent.find(key);
  if (it == parent.end() || it->is_null()) {
    if (required) error(path + " is required");
    return {};
  }
  if (!it->is_string()) {
    error(path + " must be a string");
    return {};
  }
  auto value = it->get<std::string>();
  if (required && value.empty()) error(path + " must not be empty");
  return value;
}

std::optional<int64_t> SpecReader::integer(const json& parent, const char* key,
                                           const std::string& path, int64_t min, int64_t max) {
  auto it = parent.find(key);
  if (it == parent.end() || it->is_null()) return std::nullopt;
  if (!it->is_number_integer()) {
    error(path + " must be a whole number");
    return std::nullopt;
  }
  auto v = it->get<int64_t>();
  if (v < min || v > max) {
    error(path + " must be between " + std::to_string(min) + " and " + std::to_string(max) +
          " (it is " + std::to_string(v) + ")");
    return std::nullopt;
  }
  return v;
}

bool SpecReader::boolean(const json& parent, const char* key, const std::string& path,
                         bool fallback) {
  auto it = parent.find(key);
  if (it == parent.end() || it->is_null()) return fallback;
  if (!it->is_boolean()) {
    error(path + " must be true or false");
    return fallback;
  }
  return it->get<bool>();
}

}  // namespace cellar::api
