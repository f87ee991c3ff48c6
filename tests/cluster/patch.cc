// JSON merge patch (RFC 7386) and JSON patch (RFC 6902).
#include "tests/cluster/patch.h"

namespace cellar::testcluster {

json merge_patch(json target, const json& patch) {
  if (!patch.is_object()) return patch;
  if (!target.is_object()) target = json::object();
  for (auto it = patch.begin(); it != patch.end(); ++it) {
    if (it->is_null()) {
      target.erase(it.key());
    } else {
      auto existing = target.find(it.key());
      json base = existing == target.end() ? json(nullptr) : std::move(*existing);
      target[it.key()] = merge_patch(std::move(base), *it);
    }
  }
  return target;
}

namespace {

// Every operation must be an object with a known "op" and a string "path" before any is
// applied: a malformed patch is rejected whole, never half applied.
bool well_formed(const json& operations, std::string* error) {
  if (!operations.is_array()) {
    *error = "json patch must be an array of operations";
    return false;
  }
  for (size_t i = 0; i < operations.size(); ++i) {
    const json& op = operations[i];
    const std::string where = "operation " + std::to_string(i);
    if (!op.is_object() || !op.contains("op") || !op["op"].is_string()) {
      *error = where + ": missing \"op\"";
      return false;
    }
    const std::string name = op["op"].get<std::string>();
    if (name != "add" && name != "remove" && name != "replace" && name != "move" &&
        name != "copy" && name != "test") {
      *error = "Unexpected kind: " + name;
      return false;
    }
    if (!op.contains("path") || !op["path"].is_string()) {
      *error = where + " (" + name + "): missing \"path\"";
      return false;
    }
    if ((name == "add" || name == "replace" || name == "test") && !op.contains("value")) {
      *error = where + " (" + name + "): missing \"value\"";
      return false;
    }
    if ((name == "move" || name == "copy") && (!op.contains("from") || !op["from"].is_string())) {
      *error = where + " (" + name + "): missing \"from\"";
      return false;
    }
  }
  return true;
}

}  // namespace

std::optional<json> json_patch(json target, const json& operations, std::string* error) {
  std::string why;
  if (!well_formed(operations, &why)) {
    if (error) *error = why;
    return std::nullopt;
  }
  // One operation at a time, so a failure names the operation that failed.
  for (const auto& op : operations) {
    try {
      target = target.patch(json::array({op}));
    } catch (const json::exception& e) {
      if (error) {
        const std::string name = op["op"].get<std::string>();
        const std::string path = op["path"].get<std::string>();
        *error = name == "test"
                     ? "testing value " + path + " failed: test failed"
                     : "unable to apply " + name + " at " + path + ": " + std::string(e.what());
      }
      return std::nullopt;
    }
  }
  return target;
}

}  // namespace cellar::testcluster
