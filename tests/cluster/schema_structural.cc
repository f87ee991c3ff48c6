// The structural-schema check the apiserver applies to each CRD version before accepting it.
#include <set>

#include "tests/cluster/field_text.h"
#include "tests/cluster/schema.h"
#include "tests/cluster/schema_steps.h"

namespace cellar::testcluster {
namespace {

using schema_steps::flag;
using schema_steps::type_of;

const std::vector<std::string>& known_types() {
  static const std::vector<std::string> types = {"array",  "boolean", "integer",
                                                 "number", "object",  "string"};
  return types;
}

class StructuralCheck {
 public:
  explicit StructuralCheck(std::vector<FieldIssue>* issues) : issues_(issues) {}

  // `what` words the missing-type message for this node's position.
  void node(const json& schema, const std::string& path, const char* what) {
    if (!schema.is_object()) {
      issues_->push_back(invalid_issue(path, json_type_name(schema), "must be a schema object"));
      return;
    }
    forbidden_keywords(schema, path);
    const std::string type = type_of(schema);
    const bool int_or_string = flag(schema, "x-kubernetes-int-or-string");
    const bool preserve = flag(schema, "x-kubernetes-preserve-unknown-fields");
    if (schema.contains("x-kubernetes-preserve-unknown-fields") && !preserve) {
      issues_->push_back(invalid_issue(path + ".x-kubernetes-preserve-unknown-fields",
                                       schema["x-kubernetes-preserve-unknown-fields"],
                                       "must be true or undefined"));
    }
    if (int_or_string && !type.empty()) {
      issues_->push_back(invalid_issue(path + ".type", type,
                                       "must be empty if x-kubernetes-int-or-string is true"));
    } else if (type.empty() && !int_or_string && !preserve) {
      issues_->push_back(required_issue(path + ".type", what));
    } else if (!type.empty()) {
      bool known = false;
      for (const auto& t : known_types()) known = known || t == type;
      if (!known) issues_->push_back(not_supported_issue(path + ".type", type, known_types()));
    }
    if (auto props = schema.find("properties"); props != schema.end()) {
      if (schema.contains("additionalProperties")) {
        issues_->push_back(forbidden_issue(path + ".additionalProperties",
                                           "additionalProperties and properties are mutual "
                                           "exclusive"));
      }
      if (props->is_object()) {
        for (auto it = props->begin(); it != props->end(); ++it) {
          node(*it, path + ".properties[" + it.key() + "]",
               "must not be empty for specified object fields");
        }
      }
    }
    if (auto additional = schema.find("additionalProperties"); additional != schema.end()) {
      if (additional->is_boolean() && !additional->get<bool>()) {
        issues_->push_back(forbidden_issue(path + ".additionalProperties",
                                           "additionalProperties cannot be set to false"));
      } else if (additional->is_object()) {
        node(*additional, path + ".additionalProperties",
             "must not be empty for specified object fields");
      }
    }
    if (auto items = schema.find("items"); items != schema.end()) {
      if (items->is_array()) {
        issues_->push_back(
            forbidden_issue(path + ".items", "items must be a schema object and not an array"));
      } else {
        node(*items, path + ".items", "must not be empty for specified array items");
      }
    } else if (type == "array") {
      issues_->push_back(required_issue(path + ".items", "must be specified"));
    }
    if (flag(schema, "uniqueItems")) {
      issues_->push_back(forbidden_issue(
          path + ".uniqueItems",
          "uniqueItems cannot be set to true since the runtime complexity becomes quadratic"));
    }
  }

  void root_metadata(const json& metadata, const std::string& path) {
    if (!metadata.is_object()) return;
    for (auto it = metadata.begin(); it != metadata.end(); ++it) {
      if (it.key() == "type" || it.key() == "description") continue;
      if (it.key() == "properties" && it->is_object()) {
        for (auto p = it->begin(); p != it->end(); ++p) {
          if (p.key() != "name" && p.key() != "generateName") {
            issues_->push_back(forbidden_issue(
                path + ".properties[" + p.key() + "]",
                "must not specify anything other than name and generateName, but metadata is "
                "implicitly specified"));
          }
        }
        continue;
      }
      issues_->push_back(forbidden_issue(
          path + "." + it.key(),
          "must not specify anything other than name and generateName, but metadata is "
          "implicitly specified"));
    }
  }

 private:
  void forbidden_keywords(const json& schema, const std::string& path) {
    static const std::set<std::string> unsupported = {
        "$ref", "$schema", "definitions", "dependencies", "patternProperties", "additionalItems",
        "id"};
    for (auto it = schema.begin(); it != schema.end(); ++it) {
      if (unsupported.count(it.key())) {
        issues_->push_back(forbidden_issue(path + "." + it.key(), it.key() + " is not supported"));
      }
    }
  }

  std::vector<FieldIssue>* issues_;
};

}  // namespace

std::vector<FieldIssue> check_structural(const json& schema, const std::string& field_prefix) {
  std::vector<FieldIssue> issues;
  if (!schema.is_object()) {
    issues.push_back(required_issue(field_prefix, ""));
    return issues;
  }
  StructuralCheck check(&issues);
  const std::string type = type_of(schema);
  if (type.empty()) {
    issues.push_back(required_issue(field_prefix + ".type", "must not be empty at the root"));
  } else if (type != "object") {
    issues.push_back(invalid_issue(field_prefix + ".type", type, "must be object at the root"));
  }
  // The root is checked like any node, except that its type rules are the ones above.
  json rest = schema;
  rest["type"] = "object";
  json metadata = nullptr;
  if (rest.contains("properties") && rest["properties"].is_object() &&
      rest["properties"].contains("metadata")) {
    metadata = rest["properties"]["metadata"];
    rest["properties"]["metadata"] = json{{"type", "object"}};
  }
  check.node(rest, field_prefix, "");
  if (!metadata.is_null()) {
    check.root_metadata(metadata, field_prefix + ".properties[metadata]");
  }
  return issues;
}

}  // namespace cellar::testcluster
