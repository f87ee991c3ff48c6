// The controller the chart describes backs up a database: cellar-controller runs with exactly the
// container args `helm template` renders for its Deployment (plus --kubeconfig to the test
// cluster, as in-cluster config would be), with values that point its servers at free loopback
// ports and its agent image at the real cellar-agent.
#include <gtest/gtest.h>

#include "tests/e2e/backup_fixture.h"
#include "tests/e2e/rendered_manifests.h"
#include "tests/support/loopback_port.h"

namespace cellar::testing {
namespace {

using json = nlohmann::json;

class ChartControllerTest : public BackupE2E {
 protected:
  void SetUp() override {
    const std::string agent(kAgentImage);
    const auto colon = agent.find(':');
    CommandResult rendered =
        helm_template({"--set", "agentImage.repository=" + agent.substr(0, colon), "--set",
                       "agentImage.tag=" + agent.substr(colon + 1), "--set", "logLevel=debug",
                       "--set", "metrics.bindAddress=127.0.0.1", "--set",
                       "metrics.port=" + std::to_string(free_loopback_port()), "--set",
                       "health.bindAddress=127.0.0.1", "--set",
                       "health.port=" + std::to_string(free_loopback_port())});
    ASSERT_EQ(rendered.exit_code, 0) << rendered.describe();
    const json deployment = find_object(yaml_documents(rendered.out), "Deployment");
    ASSERT_FALSE(deployment.is_null());
    controller_args_ = deployment["spec"]["template"]["spec"]["containers"][0]["args"]
                           .get<std::vector<std::string>>();
    BackupE2E::SetUp();
    if (HasFatalFailure()) return;
    // --leader-elect-namespace: the Lease lives in the release namespace.
    auto ns = cluster_->kubectl({"create", "namespace", "cellar-system"});
    ASSERT_EQ(ns.exit_code, 0) << ns.describe();
  }
};

TEST_F(ChartControllerTest, BacksUpADatabase) {
  apply_secret_and_claim("s3cret-app-pw");
  apply_backup("from-chart");
  ASSERT_TRUE(wait_for_phase("from-chart", "Completed", 120));
  EXPECT_NE(status_field("from-chart", ".status.sizeBytes"), "");
  EXPECT_EQ(status_field("from-chart", ".status.checksum").rfind("sha256:", 0), 0u);
}

}  // namespace
}  // namespace cellar::testing
