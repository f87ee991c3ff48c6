// The Job strategy's generated selector and template labels, and how a Job's name that cannot be
// a label value is refused.
#include "tests/cluster/job_selector.h"

#include <gtest/gtest.h>

namespace cellar::testcluster {
namespace {

using json = nlohmann::json;

json job(const std::string& name) {
  return {{"apiVersion", "batch/v1"},
          {"kind", "Job"},
          {"metadata", {{"name", name}, {"namespace", "db"}, {"uid", "u-1"}}},
          {"spec",
           {{"template",
             {{"metadata", {{"labels", {{"cellar.dev/backup", "a"}}}}},
              {"spec", {{"restartPolicy", "Never"}}}}}}}};
}

TEST(JobSelectorTest, LabelsTheTemplateAndSelectsTheUid) {
  json j = job("backup-a");
  generate_job_selector(j);
  const json labels = j["spec"]["template"]["metadata"]["labels"];
  EXPECT_EQ(labels, json({{"cellar.dev/backup", "a"},
                          {"job-name", "backup-a"},
                          {"batch.kubernetes.io/job-name", "backup-a"},
                          {"controller-uid", "u-1"},
                          {"batch.kubernetes.io/controller-uid", "u-1"}}));
  EXPECT_EQ(j["spec"]["selector"],
            json({{"matchLabels", {{"batch.kubernetes.io/controller-uid", "u-1"}}}}));
  EXPECT_TRUE(job_selector_causes(j, true).empty());
}

TEST(JobSelectorTest, AManualSelectorIsLeftAlone) {
  json j = job("backup-a");
  j["spec"]["manualSelector"] = true;
  j["spec"]["selector"] = {{"matchLabels", {{"cellar.dev/backup", "a"}}}};
  generate_job_selector(j);
  EXPECT_FALSE(j["spec"]["template"]["metadata"]["labels"].contains("job-name"));
  EXPECT_TRUE(job_selector_causes(j, true).empty());
}

TEST(JobSelectorTest, ANameLongerThanALabelValueIsRefusedOnTheTemplateLabels) {
  const std::string name(64, 'j');
  json j = job(name);
  generate_job_selector(j);
  const json causes = job_selector_causes(j, true);
  // Both name labels fail alike; ApiError::invalid reports the message once.
  ASSERT_EQ(causes.size(), 2u);
  for (const auto& cause : causes) {
    EXPECT_EQ(cause["field"], "spec.template.labels");
    EXPECT_EQ(cause["message"],
              "Invalid value: \"" + name + "\": must be no more than 63 characters");
  }
  json fits = job(std::string(63, 'j'));
  generate_job_selector(fits);
  EXPECT_TRUE(job_selector_causes(fits, true).empty());
}

TEST(JobSelectorTest, ConflictingTemplateLabelIsRefused) {
  json j = job("backup-a");
  j["spec"]["template"]["metadata"]["labels"]["job-name"] = "other";
  generate_job_selector(j);
  const json causes = job_selector_causes(j, true);
  ASSERT_FALSE(causes.empty());
  EXPECT_EQ(causes[0]["field"], "spec.template.metadata.labels[job-name]");
  EXPECT_NE(causes[0]["message"].get<std::string>().find(": must be 'backup-a'"),
            std::string::npos);
}

TEST(JobSelectorTest, SelectorMustMatchTheTemplate) {
  json j = job("backup-a");
  j["spec"]["manualSelector"] = true;
  j["spec"]["selector"] = {{"matchLabels", {{"cellar.dev/backup", "b"}}}};
  const json causes = job_selector_causes(j, true);
  ASSERT_EQ(causes.size(), 1u);
  EXPECT_EQ(causes[0]["field"], "spec.template.metadata.labels");
  EXPECT_EQ(causes[0]["message"],
            "Invalid value: map[string]string{\"cellar.dev/backup\":\"a\"}: `selector` does not "
            "match template `labels`");
}

TEST(JobSelectorTest, SelectorIsRequired) {
  json j = job("backup-a");
  j["spec"]["manualSelector"] = true;
  const json causes = job_selector_causes(j, true);
  ASSERT_EQ(causes.size(), 1u);
  EXPECT_EQ(causes[0]["field"], "spec.selector");
  EXPECT_EQ(causes[0]["message"], "Required value");
}

}  // namespace
}  // namespace cellar::testcluster
