// Validation: the OpenAPI v3 keywords a structural schema may carry, worded as kube-apiserver
// words them ("spec.port in body must be of type integer: \"string\"").
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <regex>

#include "tests/cluster/field_text.h"
#include "tests/cluster/schema_steps.h"

namespace cellar::testcluster::schema_steps {
namespace {

// The apiserver's validator names the field, then "in body", then what is wrong.
std::string in_body(const std::string& path, const std::string& what) {
  return path + " in body " + what;
}

bool is_integral(const json& v) {
  if (v.is_number_integer()) return true;
  if (!v.is_number_float()) return false;
  double d = v.get<double>();
  return std::isfinite(d) && std::trunc(d) == d;
}

// Whether `value` has the schema's type (the apiserver lets 5.0 pass as an integer).
bool type_matches(const json& value, const json& schema) {
  if (flag(schema, "x-kubernetes-int-or-string")) {
    return value.is_number_integer() || value.is_string();
  }
  const std::string type = type_of(schema);
  if (type.empty()) return true;
  if (type == "object") return value.is_object();
  if (type == "array") return value.is_array();
  if (type == "string") return value.is_string();
  if (type == "boolean") return value.is_boolean();
  if (type == "integer") return is_integral(value);
  if (type == "number") return value.is_number();
  return false;
}

std::optional<double> number(const json& schema, const char* key) {
  auto it = schema.find(key);
  if (it == schema.end() || !it->is_number()) return std::nullopt;
  return it->get<double>();
}

std::optional<int64_t> count(const json& schema, const char* key) {
  auto it = schema.find(key);
  if (it == schema.end() || !it->is_number()) return std::nullopt;
  return it->get<int64_t>();
}

size_t code_points(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

bool matches(const std::string& text, const char* pattern) {
  return std::regex_match(text, std::regex(pattern, std::regex::ECMAScript));
}

// The string formats kube-apiserver checks for custom resources; others pass, as there.
bool format_holds(const std::string& format, const std::string& s) {
  if (format == "date-time" || format == "datetime") {
    return matches(s, R"(\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2}))");
  }
  if (format == "date") return matches(s, R"(\d{4}-\d{2}-\d{2})");
  if (format == "uuid") {
    return matches(s,
                   "[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?"
                   "[0-9a-fA-F]{12}");
  }
  if (format == "byte") {
    return matches(s, "([A-Za-z0-9+/]{4})*([A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?");
  }
  if (format == "ipv4") {
    return matches(s,
                   R"(((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d))");
  }
  return true;
}

void validate_number(const json& value, const json& schema, const std::string& path,
                     std::vector<FieldIssue>* issues) {
  const std::string format = schema.value("format", "");
  if (format == "int32" || format == "int64") {
    double limit_lo =
        format == "int32" ? std::numeric_limits<int32_t>::min() : -9.2233720368547758e18;
    double limit_hi =
        format == "int32" ? std::numeric_limits<int32_t>::max() : 9.2233720368547758e18;
    double d = value.get<double>();
    if (d < limit_lo || d > limit_hi) {
      issues->push_back(invalid_issue(
          path, value,
          "Checked value must be of type integer with format " + format + " in " + path));
    }
  }
  const double d = value.get<double>();
  // Integers are compared as integers and their bound printed as one, as the apiserver does.
  auto bound_text = [&](double bound) {
    return value.is_number_integer() ? std::to_string(static_cast<int64_t>(bound))
                                     : format_float(bound);
  };
  if (auto m = number(schema, "multipleOf"); m && *m > 0) {
    double q = d / *m;
    if (std::trunc(q) != q) {
      issues->push_back(
          invalid_issue(path, value, in_body(path, "should be a multiple of " + format_float(*m))));
    }
  }
  if (auto min = number(schema, "minimum")) {
    bool exclusive = flag(schema, "exclusiveMinimum");
    if (exclusive ? d <= *min : d < *min) {
      issues->push_back(
          invalid_issue(path, value,
                        in_body(path, std::string("should be greater than ") +
                                          (exclusive ? "" : "or equal to ") + bound_text(*min))));
    }
  }
  if (auto max = number(schema, "maximum")) {
    bool exclusive = flag(schema, "exclusiveMaximum");
    if (exclusive ? d >= *max : d > *max) {
      issues->push_back(
          invalid_issue(path, value,
                        in_body(path, std::string("should be less than ") +
                                          (exclusive ? "" : "or equal to ") + bound_text(*max))));
    }
  }
}

void validate_string(const json& value, const json& schema, const std::string& path,
                     std::vector<FieldIssue>* issues) {
  const std::string s = value.get<std::string>();
  const int64_t length = static_cast<int64_t>(code_points(s));
  if (auto max = count(schema, "maxLength"); max && length > *max) {
    issues->push_back(too_long_issue(path, *max));
  }
  if (auto min = count(schema, "minLength"); min && length < *min) {
    issues->push_back(invalid_issue(
        path, value, in_body(path, "should be at least " + std::to_string(*min) + " chars long")));
  }
  if (auto p = schema.find("pattern"); p != schema.end() && p->is_string()) {
    const std::string pattern = p->get<std::string>();
    try {
      if (!std::regex_search(s, std::regex(pattern, std::regex::ECMAScript))) {
        issues->push_back(
            invalid_issue(path, value, in_body(path, "should match '" + pattern + "'")));
      }
    } catch (const std::regex_error& e) {
      issues->push_back(invalid_issue(
          path, value,
          in_body(path,
                  "should match '" + pattern + ", but pattern is invalid: " + e.what() + "'")));
    }
  }
  const std::string format = schema.value("format", "");
  if (!format.empty() && !format_holds(format, s)) {
    issues->push_back(type_invalid_issue(
        path, value, in_body(path, "must be of type " + format + ": " + quote(s))));
  }
}

void validate_enum(const json& value, const json& schema, const std::string& path,
                   std::vector<FieldIssue>* issues) {
  auto e = schema.find("enum");
  if (e == schema.end() || !e->is_array()) return;
  std::vector<std::string> supported;
  for (const auto& allowed : *e) {
    if (allowed == value) return;
    supported.push_back(allowed.is_string() ? allowed.get<std::string>() : allowed.dump());
  }
  issues->push_back(not_supported_issue(path, value, supported));
}

void validate_array(const json& value, const json& schema, const std::string& path,
                    std::vector<FieldIssue>* issues) {
  if (auto items = schema.find("items"); items != schema.end() && items->is_object()) {
    for (size_t i = 0; i < value.size(); ++i) {
      validate(value[i], *items, index_path(path, i), false, issues);
    }
  }
  const int64_t size = static_cast<int64_t>(value.size());
  if (auto min = count(schema, "minItems"); min && size < *min) {
    issues->push_back(invalid_issue(
        path, size, in_body(path, "should have at least " + std::to_string(*min) + " items")));
  }
  if (auto max = count(schema, "maxItems"); max && size > *max) {
    issues->push_back(too_many_issue(path, size, *max));
  }
  if (flag(schema, "uniqueItems")) {
    for (size_t i = 0; i < value.size(); ++i) {
      for (size_t j = i + 1; j < value.size(); ++j) {
        if (value[i] == value[j]) {
          issues->push_back(invalid_issue(path, "", in_body(path, "shouldn't contain duplicates")));
          return;
        }
      }
    }
  }
}

void validate_object(const json& value, const json& schema, const std::string& path, bool root,
                     std::vector<FieldIssue>* issues) {
  const int64_t size = static_cast<int64_t>(value.size());
  if (auto min = count(schema, "minProperties"); min && size < *min) {
    issues->push_back(invalid_issue(
        path, size, in_body(path, "should have at least " + std::to_string(*min) + " properties")));
    return;
  }
  if (auto max = count(schema, "maxProperties"); max && size > *max) {
    issues->push_back(too_many_issue(path, size, *max));
    return;
  }
  auto props = schema.find("properties");
  bool has_props = props != schema.end() && props->is_object();
  auto additional = schema.find("additionalProperties");
  for (auto it = value.begin(); it != value.end(); ++it) {
    // ObjectMeta is validated by its own rules, never by the CRD's schema.
    if (root && it.key() == "metadata") continue;
    const std::string here = child_path(path, it.key());
    if (has_props && props->contains(it.key())) {
      validate(*it, (*props)[it.key()], here, false, issues);
    } else if (additional != schema.end() && additional->is_object()) {
      validate(*it, *additional, here, false, issues);
    }
  }
  if (auto required = schema.find("required"); required != schema.end() && required->is_array()) {
    for (const auto& key : *required) {
      if (key.is_string() && !value.contains(key.get<std::string>())) {
        issues->push_back(required_issue(child_path(path, key.get<std::string>())));
      }
    }
  }
}

}  // namespace

void validate(const json& value, const json& schema, const std::string& path, bool root,
              std::vector<FieldIssue>* issues) {
  if (!schema.is_object()) return;
  const bool int_or_string = flag(schema, "x-kubernetes-int-or-string");
  const std::string type = int_or_string ? "integer,string" : type_of(schema);
  if (value.is_null()) {
    if (!type.empty() && !flag(schema, "nullable")) {
      issues->push_back(type_invalid_issue(
          path, "null", in_body(path, "must be of type " + type + ": \"null\"")));
    }
    return;
  }
  if (!type_matches(value, schema)) {
    const std::string actual = json_type_name(value);
    issues->push_back(type_invalid_issue(
        path, actual, in_body(path, "must be of type " + type + ": " + quote(actual))));
    return;
  }
  if (value.is_string()) validate_string(value, schema, path, issues);
  if (value.is_number()) validate_number(value, schema, path, issues);
  if (value.is_array()) validate_array(value, schema, path, issues);
  validate_enum(value, schema, path, issues);
  if (value.is_object()) validate_object(value, schema, path, root, issues);
}

}  // namespace cellar::testcluster::schema_steps
