// Reads the spec fields of Cellar's resources, collecting one error per problem instead of
// stopping at the first, so a person fixes everything in one round. Every error names the field
// by its path (spec.database.port) and says what it must be.
#pragma once

#include <array>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace cellar::api {

class SpecReader {
 public:
  explicit SpecReader(std::vector<std::string>* errors) : errors_(errors) {}

  // The object at `key`, or nullptr when it is absent (an error when `required`) or not an object.
  const nlohmann::json* object(const nlohmann::json& parent, const char* key,
                               const std::string& path, bool required);
  std::string string(const nlohmann::json& parent, const char* key, const std::string& path,
                     bool required);
  std::optional<int64_t> integer(const nlohmann::json& parent, const char* key,
                                 const std::string& path, int64_t min, int64_t max);
  bool boolean(const nlohmann::json& parent, const char* key, const std::string& path,
               bool fallback);

  template <size_t N>
  std::string one_of(const nlohmann::json& parent, const char* key, const std::string& path,
                     const std::array<const char*, N>& allowed, const char* fallback) {
    auto value = string(parent, key, path, false);
    if (value.empty()) return fallback;
    for (const char* a : allowed) {
      if (value == a) return value;
    }
    std::string list;
    for (const char* a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
    error(path + " must be one of " + list + " (it is \"" + value + "\")");
    return fallback;
  }

  void error(std::string message) { errors_->push_back(std::move(message)); }

 private:
  std::vector<std::string>* errors_;
};

}  // namespace cellar::api
