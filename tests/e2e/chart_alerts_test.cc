// The chart's PrometheusRule is Cellar's plain rules file (charts/cellar/files/cellar-alerts.yaml)
// put in a PrometheusRule: rendered with the default values its groups are the file's, promtool
// accepts them, and the two values it puts in (the grace, the scrape job) come through.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "tests/e2e/rendered_manifests.h"
#include "tests/support/temp_dir.h"

namespace cellar::testing {
namespace {

using json = nlohmann::json;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr const char* kAlertsFile = CELLAR_SOURCE_DIR "/charts/cellar/files/cellar-alerts.yaml";

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The rendered PrometheusRule's spec.groups; null (with a failure) when there is none.
json rendered_groups(std::vector<std::string> args) {
  args.insert(args.begin(), {"--set", "prometheusRule.enabled=true"});
  CommandResult rendered = helm_template(args);
  EXPECT_EQ(rendered.exit_code, 0) << rendered.describe();
  const json rule = find_object(yaml_documents(rendered.out), "PrometheusRule");
  EXPECT_FALSE(rule.is_null()) << rendered.out;
  return rule.is_null() ? json() : rule["spec"]["groups"];
}

TEST(ChartAlertsTest, PrometheusRuleHoldsThePlainFilesRules) {
  const std::vector<json> file = yaml_documents(read_text(kAlertsFile));
  ASSERT_EQ(file.size(), 1u);
  const json groups = rendered_groups({});
  EXPECT_EQ(json_diff(file[0]["groups"], "cellar-alerts.yaml", groups, "chart"), "");
  std::vector<std::string> alerts;
  for (const json& rule : groups[0]["rules"]) alerts.push_back(rule.value("alert", ""));
  EXPECT_THAT(alerts, ::testing::ElementsAre("CellarBackupFailed", "CellarBackupTooOld",
                                             "CellarScheduleMissed", "CellarControllerDown",
                                             "CellarControllerNotReady"));
}

TEST(ChartAlertsTest, PromtoolAcceptsTheRenderedGroups) {
  TempDir dir("cellar-alerts");
  // JSON is YAML: promtool reads the groups as the chart rendered them.
  const std::string path = dir.write(
      "rules.yaml",
      json{{"groups", rendered_groups({"--set", "prometheusRule.rules[0].alert=Mine", "--set",
                                       "prometheusRule.rules[0].expr=up "
                                       "== 0"})}}
          .dump(2));
  CommandResult check =
      run_command({"/usr/bin/promtool", "check", "rules", path}, {}, std::chrono::seconds(30));
  EXPECT_EQ(check.exit_code, 0) << check.describe();
  EXPECT_THAT(check.out, HasSubstr("6 rules found"));
}

TEST(ChartAlertsTest, GraceAndJobComeFromValues) {
  const json groups = rendered_groups({"--set", "prometheusRule.backupTooOldGraceSeconds=86400",
                                       "--set", "prometheusRule.controllerJob=cellar-metrics"});
  const std::string text = groups.dump();
  EXPECT_THAT(text, HasSubstr("cellar_schedule_interval_seconds) + 86400"));
  EXPECT_THAT(text, Not(HasSubstr("+ 7200")));
  EXPECT_THAT(text, HasSubstr("absent(up{job=~\\\"cellar-metrics\\\"} == 1)"));
}

}  // namespace
}  // namespace cellar::testing
