// How kube-apiserver renders values inside field error messages, so Cellar's test cluster words
// its 422 causes the way a real cluster does: strings quoted, numbers as the apiserver's Go
// formatting prints them, anything else as compact JSON.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "tests/cluster/schema.h"

namespace cellar::testcluster {

// `"text"` with the escapes the apiserver uses (\", \\, \n, \t, \xNN for other control bytes).
std::string quote(std::string_view text);
// A float the way the apiserver prints it: shortest round-trip digits, exponent form below 1e-4
// and from 1e21 on ("9", "1.5", "1e+21", "1e-05").
std::string format_float(double value);
// A bad value in a message: string quoted, integer and float as numbers, bool, else JSON.
std::string format_value(const nlohmann::json& value);
// The JSON type name kube-apiserver's validator reports ("string", "integer", "number",
// "boolean", "array", "object", "null").
std::string json_type_name(const nlohmann::json& value);

// The FieldIssue constructors: each builds the type and the whole message.
FieldIssue required_issue(const std::string& field, const std::string& detail = "");
FieldIssue forbidden_issue(const std::string& field, const std::string& detail);
FieldIssue invalid_issue(const std::string& field, const nlohmann::json& value,
                         const std::string& detail);
FieldIssue type_invalid_issue(const std::string& field, const nlohmann::json& value,
                              const std::string& detail);
FieldIssue not_supported_issue(const std::string& field, const nlohmann::json& value,
                               const std::vector<std::string>& supported);
FieldIssue too_long_issue(const std::string& field, long long max_length);
FieldIssue too_many_issue(const std::string& field, long long actual, long long max);
FieldIssue duplicate_issue(const std::string& field, const nlohmann::json& value);
FieldIssue internal_issue(const std::string& field, const std::string& detail);

}  // namespace cellar::testcluster
