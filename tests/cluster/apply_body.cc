#include "tests/cluster/apply_body.h"

#include <yaml-cpp/yaml.h>

#include <regex>

namespace cellar::testcluster {
namespace {

using json = nlohmann::json;

// A plain (unquoted) scalar resolved as YAML 1.1 resolves it, which is what go-yaml v2 does:
// null, booleans (also yes/no/on/off), integers, floats, else a string.
json plain_scalar(const std::string& text) {
  static const std::regex kInt("[-+]?(0|[1-9][0-9]*)");
  static const std::regex kFloat("[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?");
  if (text.empty() || text == "~" || text == "null" || text == "Null" || text == "NULL") {
    return nullptr;
  }
  for (const char* yes :
       {"true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON", "y", "Y"}) {
    if (text == yes) return true;
  }
  for (const char* no :
       {"false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF", "n", "N"}) {
    if (text == no) return false;
  }
  if (std::regex_match(text, kInt)) {
    try {
      return std::stoll(text);
    } catch (const std::out_of_range&) {
      return std::stod(text);
    }
  }
  if (std::regex_match(text, kFloat)) return std::stod(text);
  return text;
}

json convert(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map: {
      json out = json::object();
      for (const auto& entry : node) out[entry.first.as<std::string>()] = convert(entry.second);
      return out;
    }
    case YAML::NodeType::Sequence: {
      json out = json::array();
      for (const auto& item : node) out.push_back(convert(item));
      return out;
    }
    case YAML::NodeType::Scalar:
      // "!" marks a quoted scalar: always a string.
      if (node.Tag() == "!" || node.Tag() == "tag:yaml.org,2002:str") return node.Scalar();
      return plain_scalar(node.Scalar());
    default:
      return nullptr;
  }
}

}  // namespace

std::optional<json> decode_apply_body(const std::string& body, std::string* error) {
  json parsed = json::parse(body, nullptr, false);
  if (!parsed.is_discarded()) return parsed;
  try {
    return convert(YAML::Load(body));
  } catch (const YAML::Exception& e) {
    if (error) *error = e.what();
    return std::nullopt;
  }
}

}  // namespace cellar::testcluster
