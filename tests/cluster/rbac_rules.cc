#include "tests/cluster/rbac_rules.h"

#include <algorithm>
#include <string>
#include <vector>

#include "tests/cluster/json_member.h"
#include "tests/cluster/meta_validation.h"

namespace cellar::testcluster {
namespace {

using json = nlohmann::json;
using meta::field_cause;
using meta::quoted;

constexpr char kGroup[] = "rbac.authorization.k8s.io";

size_t count(const json& list) {
  return list.is_array() ? list.size() : 0;
}

std::string supported(const std::string& value, const std::vector<std::string>& values) {
  std::string list;
  for (const auto& v : values) list += (list.empty() ? "" : ", ") + quoted(v);
  return "Unsupported value: " + quoted(value) + ": supported values: " + list;
}

// ValidatePolicyRule.
void rule_causes(const json& rule, const std::string& path, bool namespaced, json& causes) {
  if (count(at(rule, "verbs")) == 0) {
    causes.push_back(field_cause("FieldValueRequired", path + ".verbs",
                                 "Required value: verbs must contain at least one value"));
  }
  if (count(at(rule, "nonResourceURLs")) > 0) {
    if (namespaced) {
      causes.push_back(
          field_cause("FieldValueForbidden", path + ".nonResourceURLs",
                      "Forbidden: namespaced rules cannot apply to non-resource URLs"));
    }
    if (count(at(rule, "apiGroups")) + count(at(rule, "resources")) +
            count(at(rule, "resourceNames")) >
        0) {
      causes.push_back(
          field_cause("FieldValueInvalid", path + ".nonResourceURLs",
                      "Invalid value: " + at(rule, "nonResourceURLs").dump() +
                          ": rules cannot apply to both regular resources and non-resource URLs"));
    }
    return;
  }
  if (count(at(rule, "apiGroups")) == 0) {
    causes.push_back(
        field_cause("FieldValueRequired", path + ".apiGroups",
                    "Required value: resource rules must supply at least one api group"));
  }
  if (count(at(rule, "resources")) == 0) {
    causes.push_back(
        field_cause("FieldValueRequired", path + ".resources",
                    "Required value: resource rules must supply at least one resource"));
  }
}

// ValidateRoleBindingSubject.
void subject_causes(const json& subject, const std::string& path, bool namespaced, json& causes) {
  const std::string name = text(at(subject, "name"));
  const std::string kind = text(at(subject, "kind"));
  const std::string group = text(at(subject, "apiGroup"));
  if (name.empty())
    causes.push_back(field_cause("FieldValueRequired", path + ".name", "Required value"));
  if (kind == "ServiceAccount") {
    if (!group.empty()) {
      causes.push_back(
          field_cause("FieldValueNotSupported", path + ".apiGroup", supported(group, {""})));
    }
    if (!namespaced && text(at(subject, "namespace")).empty()) {
      causes.push_back(field_cause("FieldValueRequired", path + ".namespace", "Required value"));
    }
  } else if (kind == "User" || kind == "Group") {
    if (group != kGroup) {
      causes.push_back(
          field_cause("FieldValueNotSupported", path + ".apiGroup", supported(group, {kGroup})));
    }
  } else {
    causes.push_back(field_cause("FieldValueNotSupported", path + ".kind",
                                 supported(kind, {"ServiceAccount", "User", "Group"})));
  }
}

// Go's %#v of an rbac.RoleRef.
std::string go_role_ref(const json& ref) {
  return "rbac.RoleRef{APIGroup:" + quoted(text(at(ref, "apiGroup"))) +
         ", Kind:" + quoted(text(at(ref, "kind"))) + ", Name:" + quoted(text(at(ref, "name"))) +
         "}";
}

void binding_causes(const ResourceType& type, const json& binding, const json& old_binding,
                    json& causes) {
  const bool namespaced = type.namespaced;
  const json& ref = at(binding, "roleRef");
  const std::string group = text(at(ref, "apiGroup"));
  const std::string kind = text(at(ref, "kind"));
  const std::string name = text(at(ref, "name"));
  if (group != kGroup) {
    causes.push_back(
        field_cause("FieldValueNotSupported", "roleRef.apiGroup", supported(group, {kGroup})));
  }
  const std::vector<std::string> kinds = namespaced
                                             ? std::vector<std::string>{"Role", "ClusterRole"}
                                             : std::vector<std::string>{"ClusterRole"};
  if (std::find(kinds.begin(), kinds.end(), kind) == kinds.end()) {
    causes.push_back(field_cause("FieldValueNotSupported", "roleRef.kind", supported(kind, kinds)));
  }
  if (name.empty())
    causes.push_back(field_cause("FieldValueRequired", "roleRef.name", "Required value"));
  const json& subjects = at(binding, "subjects");
  for (size_t i = 0; i < count(subjects); ++i) {
    subject_causes(subjects[i], "subjects[" + std::to_string(i) + "]", namespaced, causes);
  }
  // A binding's grant is what its roleRef names: changing it means a new binding.
  if (old_binding.is_object() && at(old_binding, "roleRef") != ref) {
    causes.push_back(field_cause("FieldValueInvalid", "roleRef",
                                 "Invalid value: " + go_role_ref(ref) + ": cannot change roleRef"));
  }
}

}  // namespace

bool is_rbac(const ResourceType& type) {
  return type.group == kGroup;
}

json rbac_causes(const ResourceType& type, const json& object, const json& old_object) {
  json causes = json::array();
  if (type.plural == "roles" || type.plural == "clusterroles") {
    // A ClusterRole with an aggregationRule has its rules filled by the controller.
    const json& rules = at(object, "rules");
    for (size_t i = 0; i < count(rules); ++i) {
      rule_causes(rules[i], "rules[" + std::to_string(i) + "]", type.namespaced, causes);
    }
  } else {
    binding_causes(type, object, old_object, causes);
  }
  return causes;
}

}  // namespace cellar::testcluster
