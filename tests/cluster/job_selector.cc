#include "tests/cluster/job_selector.h"

#include <string>

#include "tests/cluster/meta_validation.h"

namespace cellar::testcluster {
namespace {

using json = nlohmann::json;
using meta::field_cause;

constexpr char kJobName[] = "batch.kubernetes.io/job-name";
constexpr char kLegacyJobName[] = "job-name";
constexpr char kControllerUid[] = "batch.kubernetes.io/controller-uid";
constexpr char kLegacyControllerUid[] = "controller-uid";

bool manual_selector(const json& job) {
  const json spec = job.value("spec", json::object());
  return spec.is_object() && spec.value("manualSelector", false);
}

json template_labels(const json& job) {
  const json spec = job.value("spec", json::object());
  const json tmpl = spec.is_object() ? spec.value("template", json::object()) : json::object();
  const json meta = tmpl.is_object() ? tmpl.value("metadata", json::object()) : json::object();
  return meta.is_object() ? meta.value("labels", json::object()) : json::object();
}

// ValidateHasLabel.
void require_label(json& causes, const json& labels, const std::string& key,
                   const std::string& expected) {
  const std::string field = "spec.template.metadata.labels[" + key + "]";
  if (!labels.contains(key)) {
    causes.push_back(
        field_cause("FieldValueRequired", field, "Required value: must be '" + expected + "'"));
  } else if (labels[key] != expected) {
    causes.push_back(field_cause(
        "FieldValueInvalid", field,
        "Invalid value: " + meta::go_string_map(labels) + ": must be '" + expected + "'"));
  }
}

}  // namespace

void generate_job_selector(json& job) {
  if (manual_selector(job)) return;
  const json& meta = job["metadata"];
  const std::string name = meta.value("name", "");
  const std::string uid = meta.value("uid", "");
  json& spec = job["spec"];
  if (!spec.is_object()) return;
  json& labels = spec["template"]["metadata"]["labels"];
  if (!labels.is_object()) labels = json::object();
  // Labels the creator set are kept; validation refuses them if they conflict.
  for (const char* key : {kLegacyJobName, kJobName}) {
    if (!labels.contains(key)) labels[key] = name;
  }
  for (const char* key : {kLegacyControllerUid, kControllerUid}) {
    if (!labels.contains(key)) labels[key] = uid;
  }
  json& selector = spec["selector"];
  if (!selector.is_object()) selector = json::object();
  if (!selector["matchLabels"].is_object()) selector["matchLabels"] = json::object();
  if (!selector["matchLabels"].contains(kControllerUid)) {
    selector["matchLabels"][kControllerUid] = uid;
  }
}

json job_selector_causes(const json& job, bool on_create) {
  json causes = json::array();
  const json meta = job.value("metadata", json::object());
  const std::string name = meta.value("name", "");
  const std::string uid = meta.value("uid", "");
  const json spec = job.value("spec", json::object());
  const json selector = spec.is_object() ? spec.value("selector", json()) : json();
  const json labels = template_labels(job);
  bool selector_matches = true;
  if (on_create && !manual_selector(job) && selector.is_object()) {
    require_label(causes, labels, kLegacyControllerUid, uid);
    require_label(causes, labels, kLegacyJobName, name);
    require_label(causes, labels, kControllerUid, uid);
    require_label(causes, labels, kJobName, name);
    const json expected = {{kControllerUid, uid},
                           {kJobName, name},
                           {kLegacyControllerUid, uid},
                           {kLegacyJobName, name}};
    const json match_labels = selector.value("matchLabels", json::object());
    for (const auto& [key, value] : match_labels.items()) {
      if (!expected.contains(key) || expected[key] != value) selector_matches = false;
    }
    if (!selector_matches) {
      causes.push_back(
          field_cause("FieldValueInvalid", "spec.selector",
                      "Invalid value: " + selector.dump() + ": `selector` not auto-generated"));
    }
  }
  // ValidatePodTemplateSpec: the template's labels and annotations are object metadata too.
  for (auto& cause : meta::label_causes(labels, "spec.template.labels")) causes.push_back(cause);
  const json tmpl_meta =
      spec.is_object() ? spec.value("template", json::object()).value("metadata", json::object())
                       : json::object();
  for (auto& cause : meta::annotation_causes(tmpl_meta.value("annotations", json::object()),
                                             "spec.template.annotations")) {
    causes.push_back(cause);
  }
  if (!selector.is_object()) {
    causes.push_back(field_cause("FieldValueRequired", "spec.selector", "Required value"));
    return causes;
  }
  const json match_labels = selector.value("matchLabels", json::object());
  json selector_causes = meta::label_causes(match_labels, "spec.selector.matchLabels");
  for (auto& cause : selector_causes) causes.push_back(cause);
  // A selector that does not parse is not matched against the labels.
  if (!selector_causes.empty()) return causes;
  for (const auto& [key, value] : match_labels.items()) {
    if (!labels.contains(key) || labels[key] != value) {
      causes.push_back(field_cause("FieldValueInvalid", "spec.template.metadata.labels",
                                   "Invalid value: " + meta::go_string_map(labels) +
                                       ": `selector` does not match template `labels`"));
      break;
    }
  }
  return causes;
}

}  // namespace cellar::testcluster
