// Column layouts of server-side tables: each kind's columns and how a row's cells are computed.
// Internal to make_table(); the built-in kinds' layouts follow kube-apiserver's printers.
#pragma once

#include <chrono>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace cellar::testcluster {

struct TableColumn {
  std::string name;
  std::string type;
  std::string format;
  std::string description;
  int priority = 0;
};

struct TableLayout {
  std::vector<TableColumn> columns;
  std::function<nlohmann::json(const nlohmann::json& object)> cells;  // a JSON array
};

// The layout kube-apiserver prints for a built-in kind, or nullopt when it uses its default
// table (Name, Created At).
std::optional<TableLayout> built_in_layout(const std::string& kind,
                                           std::chrono::system_clock::time_point now);

// Parses an RFC 3339 timestamp ("2024-05-01T10:00:00Z", offsets and fractions allowed).
std::optional<std::chrono::system_clock::time_point> parse_rfc3339(const std::string& text);

// The age of a timestamp field as kube-apiserver prints it; "<unknown>" when it is absent.
std::string age_of(const nlohmann::json& timestamp, std::chrono::system_clock::time_point now);

extern const char* const kNameDescription;
extern const char* const kCreationTimestampDescription;

}  // namespace cellar::testcluster
