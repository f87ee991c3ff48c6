#include "tests/cluster/table.h"

#include <cmath>
#include <ctime>

#include "tests/cluster/jsonpath.h"
#include "tests/cluster/table_columns.h"

namespace cellar::testcluster {

const char* const kNameDescription =
    "Name must be unique within a namespace. Is required when creating resources, although some "
    "resources may allow a client to request the generation of an appropriate name "
    "automatically. Name is primarily intended for creation idempotence and configuration "
    "definition. Cannot be updated. More info: "
    "https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names";
const char* const kCreationTimestampDescription =
    "CreationTimestamp is a timestamp representing the server time when this object was "
    "created. It is not guaranteed to be set in happens-before order across separate "
    "operations. Clients may not set this value. It is represented in RFC3339 form and is in "
    "UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: "
    "https://git.k8s.io/community/contributors/devel/sig-architecture/"
    "api-conventions.md#metadata";

std::string human_duration(std::chrono::system_clock::duration age) {
  using std::to_string;
  const long long seconds = std::chrono::duration_cast<std::chrono::seconds>(age).count();
  // Up to a second in the future is clock skew between machines, not an error.
  if (seconds < -1) return "<invalid>";
  if (seconds < 0) return "0s";
  if (seconds < 120) return to_string(seconds) + "s";
  const long long minutes = seconds / 60;
  if (minutes < 10) {
    const long long s = seconds % 60;
    return s == 0 ? to_string(minutes) + "m" : to_string(minutes) + "m" + to_string(s) + "s";
  }
  if (minutes < 180) return to_string(minutes) + "m";
  const long long hours = minutes / 60;
  if (hours < 8) {
    const long long m = minutes % 60;
    return m == 0 ? to_string(hours) + "h" : to_string(hours) + "h" + to_string(m) + "m";
  }
  if (hours < 48) return to_string(hours) + "h";
  if (hours < 24 * 8) {
    const long long h = hours % 24;
    return h == 0 ? to_string(hours / 24) + "d" : to_string(hours / 24) + "d" + to_string(h) + "h";
  }
  if (hours < 24 * 365 * 2) return to_string(hours / 24) + "d";
  if (hours < 24 * 365 * 8) {
    const long long days = (hours / 24) % 365;
    const long long years = hours / 24 / 365;
    return days == 0 ? to_string(years) + "y" : to_string(years) + "y" + to_string(days) + "d";
  }
  return to_string(hours / 24 / 365) + "y";
}

std::optional<std::chrono::system_clock::time_point> parse_rfc3339(const std::string& text) {
  std::tm tm{};
  int consumed = 0;
  if (std::sscanf(text.c_str(), "%4d-%2d-%2d%*1[Tt ]%2d:%2d:%2d%n", &tm.tm_year, &tm.tm_mon,
                  &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &consumed) != 6) {
    return std::nullopt;
  }
  size_t i = static_cast<size_t>(consumed);
  if (i < text.size() && text[i] == '.') {
    ++i;
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) ++i;
  }
  long offset = 0;
  if (i < text.size() && (text[i] == 'Z' || text[i] == 'z')) {
    ++i;
  } else if (i + 6 == text.size() && (text[i] == '+' || text[i] == '-')) {
    int oh = 0, om = 0;
    if (std::sscanf(text.c_str() + i + 1, "%2d:%2d", &oh, &om) != 2) return std::nullopt;
    offset = (text[i] == '-' ? -1 : 1) * (oh * 3600L + om * 60L);
    i += 6;
  } else {
    return std::nullopt;
  }
  if (i != text.size()) return std::nullopt;
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  const time_t utc = timegm(&tm) - offset;
  return std::chrono::system_clock::from_time_t(utc);
}

std::string age_of(const json& timestamp, std::chrono::system_clock::time_point now) {
  if (!timestamp.is_string()) return "<unknown>";
  auto at = parse_rfc3339(timestamp.get<std::string>());
  if (!at) return "<invalid>";
  return human_duration(now - *at);
}

namespace {

json column_json(const TableColumn& c) {
  return {{"name", c.name},
          {"type", c.type},
          {"format", c.format},
          {"description", c.description},
          {"priority", c.priority}};
}

// A printer column's cell: typed as the column says; null when the path finds nothing.
json printer_cell(const json& column, const json& object,
                  std::chrono::system_clock::time_point now) {
  auto value = evaluate_jsonpath(object, column.value("jsonPath", ""));
  if (!value || value->is_null()) return nullptr;
  const std::string type = column.value("type", "string");
  if (type == "string") {
    // A string column shows any value as text, as JSONPath printing does.
    return value->is_string() ? *value : json(value->dump());
  }
  if (type == "integer") {
    if (value->is_number_integer()) return *value;
    if (value->is_number_float()) return static_cast<int64_t>(value->get<double>());
    return nullptr;
  }
  if (type == "number") return value->is_number() ? json(value->get<double>()) : json(nullptr);
  if (type == "boolean") return value->is_boolean() ? *value : json(nullptr);
  if (type == "date") return value->is_string() ? json(age_of(*value, now)) : json(nullptr);
  return nullptr;
}

TableLayout custom_resource_layout(const ResourceType& type,
                                   std::chrono::system_clock::time_point now) {
  json printer = type.printer_columns;
  if (!printer.is_array() || printer.empty()) {
    printer = json::array({{{"name", "Age"},
                            {"type", "date"},
                            {"description", kCreationTimestampDescription},
                            {"jsonPath", ".metadata.creationTimestamp"}}});
  }
  TableLayout layout;
  layout.columns.push_back({"Name", "string", "name", kNameDescription, 0});
  for (const auto& c : printer) {
    layout.columns.push_back({c.value("name", ""), c.value("type", "string"), c.value("format", ""),
                              c.value("description", ""), c.value("priority", 0)});
  }
  layout.cells = [printer, now](const json& object) {
    json cells = json::array({object["metadata"].value("name", "")});
    for (const auto& c : printer) cells.push_back(printer_cell(c, object, now));
    return cells;
  };
  return layout;
}

// kube-apiserver's table for kinds without a printer of their own.
TableLayout default_layout() {
  TableLayout layout;
  layout.columns = {{"Name", "string", "name", kNameDescription, 0},
                    {"Created At", "date", "", kCreationTimestampDescription, 0}};
  layout.cells = [](const json& object) {
    const json& meta = object.contains("metadata") ? object["metadata"] : json::object();
    return json::array({meta.value("name", ""), meta.value("creationTimestamp", json(nullptr))});
  };
  return layout;
}

json row_object(const json& object, IncludeObject include) {
  if (include == IncludeObject::kObject) return object;
  return {{"kind", "PartialObjectMetadata"},
          {"apiVersion", "meta.k8s.io/v1"},
          {"metadata", object.contains("metadata") ? object["metadata"] : json::object()}};
}

}  // namespace

json make_table(const ResourceType& type, const std::vector<json>& objects,
                const std::string& list_resource_version, const std::string& continue_token,
                IncludeObject include, std::chrono::system_clock::time_point now) {
  TableLayout layout;
  static const char* const kBuiltInGroups[] = {"",
                                               "apps",
                                               "batch",
                                               "events.k8s.io",
                                               "coordination.k8s.io",
                                               "rbac.authorization.k8s.io",
                                               "apiextensions.k8s.io"};
  bool built_in_group = false;
  for (const char* g : kBuiltInGroups) built_in_group = built_in_group || type.group == g;
  if (!built_in_group) {
    layout = custom_resource_layout(type, now);
  } else if (auto built_in = built_in_layout(type.kind, now)) {
    layout = std::move(*built_in);
  } else {
    layout = default_layout();
  }
  json table = {{"kind", "Table"}, {"apiVersion", "meta.k8s.io/v1"}, {"metadata", json::object()}};
  if (!list_resource_version.empty()) table["metadata"]["resourceVersion"] = list_resource_version;
  if (!continue_token.empty()) table["metadata"]["continue"] = continue_token;
  table["columnDefinitions"] = json::array();
  for (const auto& c : layout.columns) table["columnDefinitions"].push_back(column_json(c));
  table["rows"] = json::array();
  for (const auto& object : objects) {
    json row = {{"cells", layout.cells(object)}};
    if (include != IncludeObject::kNone) row["object"] = row_object(object, include);
    table["rows"].push_back(std::move(row));
  }
  return table;
}

json make_table(const ResourceType& type, const std::vector<json>& objects,
                const std::string& list_resource_version, const std::string& continue_token,
                IncludeObject include) {
  return make_table(type, objects, list_resource_version, continue_token, include,
                    std::chrono::system_clock::now());
}

}  // namespace cellar::testcluster
