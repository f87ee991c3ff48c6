// What kube-apiserver's Job strategy does to a batch/v1 Job's selector and pod template, and how
// its validation checks them: unless spec.manualSelector is true, the template is labelled with
// the Job's name and uid (`batch.kubernetes.io/job-name`, `job-name`,
// `batch.kubernetes.io/controller-uid`, `controller-uid`) and the selector matches the uid. As
// the name lands in a label, a Job whose name is longer than 63 characters is refused (422 on
// spec.template.labels). Pure functions over the JSON document.
#pragma once

#include <nlohmann/json.hpp>

namespace cellar::testcluster {

// The Job strategy's PrepareForCreate: the generated labels (those the template does not already
// have) and spec.selector.matchLabels[batch.kubernetes.io/controller-uid]. `job` has its uid.
void generate_job_selector(nlohmann::json& job);

// ValidateJob's causes for what the selector and the template's metadata hold: the generated
// labels are there and right (on create), the template's labels and annotations are valid, the
// selector is set, valid and matches the template's labels.
nlohmann::json job_selector_causes(const nlohmann::json& job, bool on_create);

}  // namespace cellar::testcluster
