#include "tests/cluster/deployment_rules.h"

#include <string>

#include "tests/cluster/json_member.h"
#include "tests/cluster/meta_validation.h"
#include "tests/cluster/pod_template.h"
#include "tests/cluster/selector.h"

namespace cellar::testcluster {
namespace {

using meta::field_cause;
using meta::quoted;

// Go's %#v of a *metav1.LabelSelector, as an Invalid field error prints it.
std::string go_selector(const json& selector) {
  const json& labels = at(selector, "matchLabels");
  const json& expressions = at(selector, "matchExpressions");
  return std::string("v1.LabelSelector{MatchLabels:") +
         (labels.is_object() ? meta::go_string_map(labels) : "map[string]string(nil)") +
         ", MatchExpressions:" +
         (expressions.is_array() && !expressions.empty() ? expressions.dump()
                                                         : "[]v1.LabelSelectorRequirement(nil)") +
         "}";
}

bool empty_selector(const json& selector) {
  const json& labels = at(selector, "matchLabels");
  const json& expressions = at(selector, "matchExpressions");
  return (!labels.is_object() || labels.empty()) &&
         (!expressions.is_array() || expressions.empty());
}

void template_causes(const json& spec, const json& selector, bool selector_valid, json& causes) {
  const json& tmpl = at(spec, "template");
  const json& tmpl_meta = at(tmpl, "metadata");
  const json& labels = at(tmpl_meta, "labels");
  if (selector_valid && !empty_selector(selector)) {
    auto parsed = LabelSelector::from_json(selector, nullptr);
    if (parsed && !parsed->matches(labels)) {
      causes.push_back(field_cause(
          "FieldValueInvalid", "spec.template.metadata.labels",
          "Invalid value: " + meta::go_string_map(labels.is_object() ? labels : json::object()) +
              ": `selector` does not match template `labels`"));
    }
  }
  for (auto& cause : meta::label_causes(labels, "spec.template.labels")) causes.push_back(cause);
  for (auto& cause :
       meta::annotation_causes(at(tmpl_meta, "annotations"), "spec.template.annotations")) {
    causes.push_back(cause);
  }
  const json& pod_spec = at(tmpl, "spec");
  const json& restart = at(pod_spec, "restartPolicy");
  if (restart.is_string() && restart != "Always") {
    causes.push_back(field_cause("FieldValueNotSupported", "spec.template.spec.restartPolicy",
                                 "Unsupported value: " + quoted(restart.get<std::string>()) +
                                     ": supported values: \"Always\""));
  }
  if (!at(pod_spec, "activeDeadlineSeconds").is_null()) {
    causes.push_back(
        field_cause("FieldValueForbidden", "spec.template.spec.activeDeadlineSeconds",
                    "Forbidden: activeDeadlineSeconds in ReplicaSet is not Supported"));
  }
}

}  // namespace

void default_deployment(json& deployment) {
  if (!deployment.is_object()) return;
  json& spec = deployment["spec"];
  if (!spec.is_object()) return;
  if (!spec.contains("replicas")) spec["replicas"] = 1;
  json& strategy = spec["strategy"];
  if (!strategy.is_object()) strategy = json::object();
  if (!strategy.contains("type")) strategy["type"] = "RollingUpdate";
  if (strategy["type"] == "RollingUpdate") {
    json& rolling = strategy["rollingUpdate"];
    if (!rolling.is_object()) rolling = json::object();
    if (!rolling.contains("maxUnavailable")) rolling["maxUnavailable"] = "25%";
    if (!rolling.contains("maxSurge")) rolling["maxSurge"] = "25%";
  }
  if (!spec.contains("revisionHistoryLimit")) spec["revisionHistoryLimit"] = 10;
  if (!spec.contains("progressDeadlineSeconds")) spec["progressDeadlineSeconds"] = 600;
  if (spec.contains("template") && spec["template"].is_object()) {
    json& pod_spec = spec["template"]["spec"];
    if (pod_spec.is_object()) default_pod_spec(pod_spec);
  }
}

json deployment_causes(const json& deployment, const json& old_deployment) {
  json causes = json::array();
  const json& spec = at(deployment, "spec");
  const json& replicas = at(spec, "replicas");
  if (replicas.is_number_integer() && replicas.get<long long>() < 0) {
    causes.push_back(
        field_cause("FieldValueInvalid", "spec.replicas",
                    "Invalid value: " + replicas.dump() + ": must be greater than or equal to 0"));
  }
  const json& selector = at(spec, "selector");
  bool selector_valid = selector.is_object();
  if (!selector.is_object()) {
    causes.push_back(field_cause("FieldValueRequired", "spec.selector", "Required value"));
  } else {
    json label_causes =
        meta::label_causes(at(selector, "matchLabels"), "spec.selector.matchLabels");
    selector_valid = label_causes.empty();
    for (auto& cause : label_causes) causes.push_back(cause);
    std::string error;
    if (selector_valid && !LabelSelector::from_json(selector, &error)) {
      selector_valid = false;
      causes.push_back(field_cause("FieldValueInvalid", "spec.selector",
                                   "Invalid value: " + go_selector(selector) + ": " + error));
    }
    if (empty_selector(selector)) {
      causes.push_back(field_cause("FieldValueInvalid", "spec.selector",
                                   "Invalid value: " + go_selector(selector) +
                                       ": empty selector is invalid for deployment"));
    }
  }
  template_causes(spec, selector, selector_valid, causes);
  // apps/v1 made the selector immutable: changing it would orphan the running Pods.
  if (old_deployment.is_object()) {
    const json& old_selector = at(at(old_deployment, "spec"), "selector");
    if (old_selector.is_object() && selector.is_object() && old_selector != selector) {
      causes.push_back(
          field_cause("FieldValueInvalid", "spec.selector",
                      "Invalid value: " + go_selector(selector) + ": field is immutable"));
    }
  }
  return causes;
}

}  // namespace cellar::testcluster
