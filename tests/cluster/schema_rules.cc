// x-kubernetes-validations: each rule runs with `self` bound to the value at its schema node and,
// for transition rules on update, `oldSelf` bound to the value it replaces.
#include "tests/cluster/cel_rules.h"
#include "tests/cluster/field_text.h"
#include "tests/cluster/schema_steps.h"

namespace cellar::testcluster::schema_steps {
namespace {

// The schema type a rule's error names as its "value", as the apiserver does ("object").
std::string schema_type_name(const json& schema) {
  return flag(schema, "x-kubernetes-int-or-string") ? "" : type_of(schema);
}

std::string trimmed(std::string s) {
  const char* space = " \t\r\n";
  s.erase(0, s.find_first_not_of(space));
  s.erase(s.find_last_not_of(space) + 1);
  return s;
}

// A rule's fieldPath (".spec.x", ".x.y") names where its error is reported.
std::string error_path(const std::string& path, const json& rule) {
  std::string field_path = rule.value("fieldPath", "");
  if (field_path.empty()) return path;
  if (path.empty() && field_path.front() == '.') return field_path.substr(1);
  return path + field_path;
}

FieldIssue failure(const std::string& path, const json& rule, const json& schema) {
  std::string message = rule.value("message", "");
  if (message.empty()) message = "failed rule: " + trimmed(rule.value("rule", ""));
  const std::string field = error_path(path, rule);
  const std::string reason = rule.value("reason", "FieldValueInvalid");
  const json type = schema_type_name(schema);
  if (reason == "FieldValueForbidden") return forbidden_issue(field, message);
  if (reason == "FieldValueRequired") return required_issue(field, message);
  if (reason == "FieldValueDuplicate") return duplicate_issue(field, type);
  return invalid_issue(field, type, message);
}

void check_node(const json& value, const json* old_value, const json& schema,
                const std::string& path, std::vector<FieldIssue>* issues) {
  auto rules = schema.find("x-kubernetes-validations");
  if (rules == schema.end() || !rules->is_array()) return;
  for (const auto& rule : *rules) {
    if (!rule.is_object() || !rule.contains("rule") || !rule["rule"].is_string()) continue;
    const std::string text = rule["rule"].get<std::string>();
    if (flag(rule, "optionalOldSelf")) {
      issues->push_back(internal_issue(
          path, "optionalOldSelf is outside what cellar-test-cluster evaluates: " + text));
      continue;
    }
    if (is_transition_rule(text) && !old_value) continue;
    RuleVerdict verdict = evaluate_rule(text, value, old_value);
    switch (verdict.kind) {
      case RuleVerdict::Kind::kPass:
        break;
      case RuleVerdict::Kind::kFail:
        issues->push_back(failure(path, rule, schema));
        break;
      case RuleVerdict::Kind::kError:
        issues->push_back(
            invalid_issue(path, schema_type_name(schema),
                          "rule evaluation error: " + trimmed(text) + ": " + verdict.detail));
        break;
      case RuleVerdict::Kind::kUnsupported:
        issues->push_back(internal_issue(path, "rule outside what cellar-test-cluster evaluates (" +
                                                   verdict.detail + "): " + trimmed(text)));
        break;
    }
  }
}

// The old element a new list element replaces: only lists keyed by map keys correlate.
const json* old_item(const json& item, const json* old_list, const json& schema) {
  if (!old_list || !old_list->is_array() || !item.is_object()) return nullptr;
  if (schema.value("x-kubernetes-list-type", "") != "map") return nullptr;
  auto keys = schema.find("x-kubernetes-list-map-keys");
  if (keys == schema.end() || !keys->is_array()) return nullptr;
  for (const auto& candidate : *old_list) {
    if (!candidate.is_object()) continue;
    bool same = true;
    for (const auto& key : *keys) {
      const std::string k = key.get<std::string>();
      if (item.value(k, json()) != candidate.value(k, json())) same = false;
    }
    if (same) return &candidate;
  }
  return nullptr;
}

}  // namespace

void check_rules(const json& value, const json* old_value, const json& schema,
                 const std::string& path, bool root, std::vector<FieldIssue>* issues) {
  if (!schema.is_object() || value.is_null()) return;
  if (old_value && old_value->is_null()) old_value = nullptr;
  check_node(value, old_value, schema, path, issues);
  if (value.is_object()) {
    auto props = schema.find("properties");
    auto additional = schema.find("additionalProperties");
    for (auto it = value.begin(); it != value.end(); ++it) {
      if (root && it.key() == "metadata") continue;
      const json* sub = nullptr;
      if (props != schema.end() && props->is_object() && props->contains(it.key())) {
        sub = &(*props)[it.key()];
      } else if (additional != schema.end() && additional->is_object()) {
        sub = &*additional;
      }
      if (!sub) continue;
      const json* old_child = nullptr;
      if (old_value && old_value->is_object()) {
        auto o = old_value->find(it.key());
        if (o != old_value->end()) old_child = &*o;
      }
      check_rules(*it, old_child, *sub, child_path(path, it.key()), false, issues);
    }
  } else if (value.is_array()) {
    auto items = schema.find("items");
    if (items == schema.end() || !items->is_object()) return;
    for (size_t i = 0; i < value.size(); ++i) {
      check_rules(value[i], old_item(value[i], old_value, schema), *items, index_path(path, i),
                  false, issues);
    }
  }
}

}  // namespace cellar::testcluster::schema_steps
