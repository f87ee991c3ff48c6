#include "tests/cluster/field_text.h"

#include <charconv>
#include <cstdio>
#include <cstdlib>

namespace cellar::testcluster {

std::string quote(std::string_view text) {
  std::string out = "\"";
  for (unsigned char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        if (c < 0x20 || c == 0x7f) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\x%02x", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out + "\"";
}

std::string format_float(double value) {
  char digits[64];
  // Scientific form first: it gives the shortest digits and the decimal exponent.
  auto [end, ec] =
      std::to_chars(digits, digits + sizeof digits, value, std::chars_format::scientific);
  if (ec != std::errc()) return "NaN";
  std::string sci(digits, end);
  auto e = sci.find('e');
  int exponent = std::atoi(sci.c_str() + e + 1);
  if (exponent < -4 || exponent >= 21) {
    // The apiserver writes at least two exponent digits: 1e+21, 1.5e-05.
    std::string mantissa = sci.substr(0, e);
    int magnitude = exponent < 0 ? -exponent : exponent;
    std::string exp_digits = std::to_string(magnitude);
    if (exp_digits.size() < 2) exp_digits = "0" + exp_digits;
    return mantissa + "e" + (exponent < 0 ? "-" : "+") + exp_digits;
  }
  auto [fend, fec] = std::to_chars(digits, digits + sizeof digits, value, std::chars_format::fixed);
  if (fec != std::errc()) return sci;
  return std::string(digits, fend);
}

std::string format_value(const nlohmann::json& value) {
  switch (value.type()) {
    case nlohmann::json::value_t::string:
      return quote(value.get<std::string>());
    case nlohmann::json::value_t::number_float:
      return format_float(value.get<double>());
    case nlohmann::json::value_t::number_integer:
    case nlohmann::json::value_t::number_unsigned:
    case nlohmann::json::value_t::boolean:
      return value.dump();
    default:
      return value.dump();
  }
}

std::string json_type_name(const nlohmann::json& value) {
  switch (value.type()) {
    case nlohmann::json::value_t::null:
      return "null";
    case nlohmann::json::value_t::boolean:
      return "boolean";
    case nlohmann::json::value_t::number_integer:
    case nlohmann::json::value_t::number_unsigned:
      return "integer";
    case nlohmann::json::value_t::number_float:
      return "number";
    case nlohmann::json::value_t::string:
      return "string";
    case nlohmann::json::value_t::array:
      return "array";
    case nlohmann::json::value_t::object:
      return "object";
    default:
      return "unknown";
  }
}

namespace {

std::string with_detail(std::string body, const std::string& detail) {
  if (!detail.empty()) body += ": " + detail;
  return body;
}

}  // namespace

FieldIssue required_issue(const std::string& field, const std::string& detail) {
  return {"FieldValueRequired", field, with_detail("Required value", detail)};
}

FieldIssue forbidden_issue(const std::string& field, const std::string& detail) {
  return {"FieldValueForbidden", field, with_detail("Forbidden", detail)};
}

FieldIssue invalid_issue(const std::string& field, const nlohmann::json& value,
                         const std::string& detail) {
  return {"FieldValueInvalid", field, with_detail("Invalid value: " + format_value(value), detail)};
}

FieldIssue type_invalid_issue(const std::string& field, const nlohmann::json& value,
                              const std::string& detail) {
  return {"FieldValueTypeInvalid", field,
          with_detail("Invalid value: " + format_value(value), detail)};
}

FieldIssue not_supported_issue(const std::string& field, const nlohmann::json& value,
                               const std::vector<std::string>& supported) {
  std::string detail;
  for (const auto& s : supported) {
    detail += (detail.empty() ? "supported values: " : ", ") + quote(s);
  }
  return {"FieldValueNotSupported", field,
          with_detail("Unsupported value: " + format_value(value), detail)};
}

FieldIssue too_long_issue(const std::string& field, long long max_length) {
  std::string detail = max_length >= 0 ? "may not be more than " + std::to_string(max_length) +
                                             (max_length == 1 ? " byte" : " bytes")
                                       : "value is too long";
  return {"FieldValueTooLong", field, with_detail("Too long", detail)};
}

FieldIssue too_many_issue(const std::string& field, long long actual, long long max) {
  std::string detail =
      max >= 0 ? "must have at most " + std::to_string(max) + (max == 1 ? " item" : " items")
               : "has too many items";
  std::string body = actual >= 0 ? "Too many: " + std::to_string(actual) : "Too many";
  return {"FieldValueTooMany", field, with_detail(body, detail)};
}

FieldIssue duplicate_issue(const std::string& field, const nlohmann::json& value) {
  return {"FieldValueDuplicate", field, "Duplicate value: " + format_value(value)};
}

FieldIssue internal_issue(const std::string& field, const std::string& detail) {
  return {"InternalError", field, with_detail("Internal error", detail)};
}

}  // namespace cellar::testcluster
