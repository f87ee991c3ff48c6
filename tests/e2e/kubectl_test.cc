// Drives the real kubectl against cellar-test-cluster, as a person or a pipeline would: the
// answers (tables, YAML, error messages) are what kubectl prints against a real cluster.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/test_cluster.h"

namespace cellar::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::MatchesRegex;

// A namespaced kind with everything kubectl shows off: an enum, a maximum, a default, a required
// field, the status subresource and printer columns.
constexpr const char* kWidgetCrd = R"(apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.test.cellar.dev
spec:
  group: test.cellar.dev
  scope: Namespaced
  names: {plural: widgets, singular: widget, kind: Widget, shortNames: [wd]}
  versions:
  - name: v1
    served: true
    storage: true
    subresources: {status: {}}
    additionalPrinterColumns:
    - {name: Color, type: string, jsonPath: .spec.color}
    - {name: Size, type: integer, jsonPath: .spec.size}
    - {name: Phase, type: string, jsonPath: .status.phase}
    - {name: Age, type: date, jsonPath: .metadata.creationTimestamp}
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            description: What the widget should be.
            required: [color]
            properties:
              color: {type: string, description: The colour of the widget., enum: [red, green, blue]}
              size: {type: integer, maximum: 10, default: 1}
          status:
            type: object
            properties:
              phase: {type: string}
)";

constexpr auto kEventually = std::chrono::seconds{30};

class KubectlTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(access(kubectl_path().c_str(), X_OK), 0)
        << kubectl_path() << " is missing: these tests drive the real kubectl and need it";
    cluster_ = TestCluster::start();
    ASSERT_NE(cluster_, nullptr);
    CommandResult applied = kubectl({"apply", "-f", write("crd.yaml", kWidgetCrd)});
    ASSERT_EQ(applied.exit_code, 0) << applied.describe();
    ASSERT_THAT(applied.out, HasSubstr("customresourcedefinition.apiextensions.k8s.io/"
                                       "widgets.test.cellar.dev created"));
    CommandResult established = kubectl(
        {"wait", "--for=condition=established", "--timeout=30s", "crd/widgets.test.cellar.dev"});
    ASSERT_EQ(established.exit_code, 0) << established.describe();
  }

  CommandResult kubectl(const std::vector<std::string>& args, const std::string& input = "") {
    return cluster_->kubectl(args, std::chrono::seconds{60}, input);
  }

  // kubectl that must succeed; returns its stdout.
  std::string ok(const std::vector<std::string>& args) {
    CommandResult result = kubectl(args);
    EXPECT_EQ(result.exit_code, 0) << "kubectl " << ::testing::PrintToString(args) << "\n"
                                   << result.describe();
    return result.out;
  }

  std::string write(const std::string& name, const std::string& text) {
    return write_file(cluster_->dir() + "/" + name, text);
  }

  // Applies a Widget with the given spec (YAML flow mapping, e.g. "{color: red, size: 3}").
  CommandResult apply_widget(const std::string& name, const std::string& spec) {
    std::string manifest =
        "apiVersion: test.cellar.dev/v1\nkind: Widget\nmetadata:\n  name: " + name +
        "\nspec: " + spec + "\n";
    return kubectl({"apply", "-f", write(name + ".yaml", manifest)});
  }

  std::string field(const std::string& object, const std::string& jsonpath) {
    return ok({"get", object, "-o", "jsonpath=" + jsonpath});
  }

  // Waits until the file holds `needle`; false after kEventually.
  static bool eventually_contains(const std::string& path, const std::string& needle) {
    const auto deadline = std::chrono::steady_clock::now() + kEventually;
    while (std::chrono::steady_clock::now() < deadline) {
      if (read_file(path).find(needle) != std::string::npos) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds{50});
    }
    return false;
  }

  std::unique_ptr<TestCluster> cluster_;
};

TEST_F(KubectlTest, GetCrdListsTheAppliedDefinition) {
  std::string out = ok({"get", "crd"});
  EXPECT_THAT(out, HasSubstr("CREATED AT"));
  EXPECT_THAT(out, HasSubstr("widgets.test.cellar.dev"));
}

TEST_F(KubectlTest, GetShowsPrinterColumns) {
  ASSERT_EQ(apply_widget("w1", "{color: red, size: 3}").exit_code, 0);
  ok({"patch", "widget", "w1", "--subresource=status", "--type=merge", "-p",
      R"({"status":{"phase":"Running"}})"});
  std::string out = ok({"get", "widgets"});
  EXPECT_THAT(out, MatchesRegex("NAME +COLOR +SIZE +PHASE +AGE\nw1 +red +3 +Running +[0-9]+s\n"));
  EXPECT_THAT(ok({"get", "wd", "w1", "--no-headers"}), HasSubstr("red"));
}

TEST_F(KubectlTest, ApplyReportsCreatedThenUnchanged) {
  EXPECT_THAT(apply_widget("w1", "{color: red}").out,
              HasSubstr("widget.test.cellar.dev/w1 created"));
  EXPECT_THAT(apply_widget("w1", "{color: red}").out,
              HasSubstr("widget.test.cellar.dev/w1 unchanged"));
  EXPECT_THAT(apply_widget("w1", "{color: blue}").out,
              HasSubstr("widget.test.cellar.dev/w1 configured"));
  EXPECT_EQ(field("widget/w1", "{.spec.color}"), "blue");
}

TEST_F(KubectlTest, GetYamlShowsDefaultsAndServerFields) {
  ASSERT_EQ(apply_widget("w1", "{color: green}").exit_code, 0);
  std::string yaml = ok({"get", "widget", "w1", "-o", "yaml"});
  EXPECT_THAT(yaml, HasSubstr("size: 1\n"));  // the schema's default
  EXPECT_THAT(yaml, HasSubstr("color: green"));
  EXPECT_THAT(yaml, HasSubstr("generation: 1"));
  EXPECT_THAT(yaml, HasSubstr("namespace: default"));
  EXPECT_THAT(yaml, MatchesRegex("(.|\n)*uid: [0-9a-f-]{36}(.|\n)*"));
  EXPECT_THAT(yaml, MatchesRegex("(.|\n)*resourceVersion: \"[0-9]+\"(.|\n)*"));
}

TEST_F(KubectlTest, WatchSeesAChange) {
  ASSERT_EQ(apply_widget("w1", "{color: red, size: 3}").exit_code, 0);
  const std::string out = cluster_->dir() + "/watch.out";
  auto watch = cluster_->kubectl_background({"get", "widgets", "-w"}, out);
  ASSERT_NE(watch, nullptr);
  ASSERT_TRUE(eventually_contains(out, "w1")) << read_file(out) << read_file(out + ".err");
  ok({"patch", "widget", "w1", "--type=merge", "-p", R"({"spec":{"size":7}})"});
  EXPECT_TRUE(eventually_contains(out, "7")) << read_file(out) << read_file(out + ".err");
  watch->terminate(std::chrono::seconds{2});
  EXPECT_THAT(read_file(out), HasSubstr("COLOR"));
}

TEST_F(KubectlTest, WaitForJsonPathReturnsOnceStatusIsPatched) {
  ASSERT_EQ(apply_widget("w1", "{color: red}").exit_code, 0);
  const std::string out = cluster_->dir() + "/wait.out";
  auto wait = cluster_->kubectl_background(
      {"wait", "widget/w1", "--for=jsonpath={.status.phase}=Done", "--timeout=60s"}, out);
  ASSERT_NE(wait, nullptr);
  ok({"patch", "widget", "w1", "--subresource=status", "--type=merge", "-p",
      R"({"status":{"phase":"Done"}})"});
  auto status = wait->wait(std::chrono::seconds{60});
  ASSERT_TRUE(status.has_value()) << "kubectl wait did not return";
  EXPECT_EQ(*status, 0) << read_file(out) << read_file(out + ".err");
  EXPECT_THAT(read_file(out), HasSubstr("widget.test.cellar.dev/w1 condition met"));
}

TEST_F(KubectlTest, MergePatchChangesSpecAndGeneration) {
  ASSERT_EQ(apply_widget("w1", "{color: red, size: 3}").exit_code, 0);
  EXPECT_THAT(ok({"patch", "widget", "w1", "--type=merge", "-p", R"({"spec":{"size":5}})"}),
              HasSubstr("widget.test.cellar.dev/w1 patched"));
  EXPECT_EQ(field("widget/w1", "{.spec.size}"), "5");
  EXPECT_EQ(field("widget/w1", "{.metadata.generation}"), "2");
}

TEST_F(KubectlTest, StatusPatchChangesOnlyStatus) {
  ASSERT_EQ(apply_widget("w1", "{color: red, size: 3}").exit_code, 0);
  ok({"patch", "widget", "w1", "--subresource=status", "--type=merge", "-p",
      R"({"status":{"phase":"Done"},"spec":{"size":9}})"});
  EXPECT_EQ(field("widget/w1", "{.status.phase}"), "Done");
  EXPECT_EQ(field("widget/w1", "{.spec.size}"), "3");
  EXPECT_EQ(field("widget/w1", "{.metadata.generation}"), "1");
}

TEST_F(KubectlTest, MainPatchIgnoresStatus) {
  ASSERT_EQ(apply_widget("w1", "{color: red}").exit_code, 0);
  ok({"patch", "widget", "w1", "--type=merge", "-p", R"({"status":{"phase":"Done"}})"});
  EXPECT_EQ(field("widget/w1", "{.status.phase}"), "");
}

TEST_F(KubectlTest, ReplaceWithStaleResourceVersionIsAConflict) {
  ASSERT_EQ(apply_widget("w1", "{color: red, size: 3}").exit_code, 0);
  std::string stale = write("stale.yaml", ok({"get", "widget", "w1", "-o", "yaml"}));
  ok({"patch", "widget", "w1", "--type=merge", "-p", R"({"spec":{"size":4}})"});
  CommandResult replaced = kubectl({"replace", "-f", stale});
  EXPECT_NE(replaced.exit_code, 0);
  EXPECT_THAT(replaced.err,
              HasSubstr("Error from server (Conflict): error when replacing \"" + stale +
                        "\": Operation cannot be fulfilled on widgets.test.cellar.dev \"w1\": the "
                        "object has been modified; please apply your changes to the latest "
                        "version and try again"));
}

TEST_F(KubectlTest, ReplaceWithCurrentResourceVersionSucceeds) {
  ASSERT_EQ(apply_widget("w1", "{color: red, size: 3}").exit_code, 0);
  std::string current = ok({"get", "widget", "w1", "-o", "yaml"});
  current.replace(current.find("size: 3"), 7, "size: 8");
  EXPECT_THAT(ok({"replace", "-f", write("current.yaml", current)}),
              HasSubstr("widget.test.cellar.dev/w1 replaced"));
  EXPECT_EQ(field("widget/w1", "{.spec.size}"), "8");
}

TEST_F(KubectlTest, DeleteRemovesTheObject) {
  ASSERT_EQ(apply_widget("w1", "{color: red}").exit_code, 0);
  EXPECT_THAT(ok({"delete", "widget", "w1"}), HasSubstr("widget.test.cellar.dev \"w1\" deleted"));
  CommandResult gone = kubectl({"get", "widget", "w1"});
  EXPECT_NE(gone.exit_code, 0);
  EXPECT_THAT(gone.err,
              HasSubstr("Error from server (NotFound): widgets.test.cellar.dev \"w1\" not found"));
}

TEST_F(KubectlTest, EnumViolationIsRejectedWithTheApiserversMessage) {
  CommandResult result = apply_widget("w1", "{color: pink}");
  EXPECT_NE(result.exit_code, 0);
  EXPECT_THAT(result.err, HasSubstr("The Widget \"w1\" is invalid: spec.color: Unsupported value: "
                                    "\"pink\": supported values: \"red\", \"green\", \"blue\""));
}

TEST_F(KubectlTest, MaximumViolationIsRejectedWithTheApiserversMessage) {
  CommandResult result = apply_widget("w1", "{color: red, size: 30}");
  EXPECT_NE(result.exit_code, 0);
  EXPECT_THAT(result.err, HasSubstr("The Widget \"w1\" is invalid: spec.size: Invalid value: 30: "
                                    "spec.size in body should be less than or equal to 10"));
}

TEST_F(KubectlTest, PatchIntoAViolationIsRejected) {
  ASSERT_EQ(apply_widget("w1", "{color: red}").exit_code, 0);
  CommandResult result =
      kubectl({"patch", "widget", "w1", "--type=merge", "-p", R"({"spec":{"size":11}})"});
  EXPECT_NE(result.exit_code, 0);
  EXPECT_THAT(result.err, HasSubstr("spec.size: Invalid value: 11: spec.size in body should be "
                                    "less than or equal to 10"));
  EXPECT_EQ(field("widget/w1", "{.spec.size}"), "1");
}

TEST_F(KubectlTest, MissingRequiredFieldIsRejected) {
  CommandResult result = apply_widget("w1", "{size: 2}");
  EXPECT_NE(result.exit_code, 0);
  EXPECT_THAT(result.err, HasSubstr("spec.color: Required value"));
}

TEST_F(KubectlTest, UnknownFieldIsRejectedByStrictValidation) {
  CommandResult result = apply_widget("w1", "{color: red, bogus: 1}");
  EXPECT_NE(result.exit_code, 0);
  EXPECT_THAT(result.err, HasSubstr("Widget in version \"v1\" cannot be handled as a Widget: "
                                    "strict decoding error: unknown field \"spec.bogus\""));
}

TEST_F(KubectlTest, ExplainReadsTheCrdSchema) {
  std::string out = ok({"explain", "widget.spec"});
  EXPECT_THAT(out, HasSubstr("KIND:       Widget"));
  EXPECT_THAT(out, HasSubstr("What the widget should be."));
  EXPECT_THAT(out, HasSubstr("color\t<string> -required-"));
  EXPECT_THAT(out, HasSubstr("The colour of the widget."));
}

TEST_F(KubectlTest, GetJobsAndPodsOnAnEmptyNamespace) {
  CommandResult result = kubectl({"get", "jobs,pods"});
  EXPECT_EQ(result.exit_code, 0) << result.describe();
  EXPECT_THAT(result.err, HasSubstr("No resources found in default namespace."));
}

TEST_F(KubectlTest, JobRunsToCompletion) {
  ok({"apply", "-f", write("job.yaml", R"(apiVersion: batch/v1
kind: Job
metadata: {name: hello}
spec:
  backoffLimit: 0
  template:
    spec:
      restartPolicy: Never
      containers:
      - {name: main, image: busybox, command: [sh, -c, "echo hi > /dev/termination-log"]}
)")});
  CommandResult waited =
      kubectl({"wait", "job/hello", "--for=condition=Complete", "--timeout=60s"});
  EXPECT_EQ(waited.exit_code, 0) << waited.describe() << "\n" << cluster_->log();
  EXPECT_THAT(waited.out, HasSubstr("job.batch/hello condition met"));
  std::string out = ok({"get", "jobs,pods"});
  EXPECT_THAT(out, HasSubstr("job.batch/hello"));
  EXPECT_THAT(out, HasSubstr("Complete"));
  EXPECT_THAT(out, HasSubstr("Completed"));
}

TEST_F(KubectlTest, LabelValueLongerThan63CharactersIsInvalid) {
  const std::string value(70, 'v');
  CommandResult result = kubectl({"apply", "-f", write("job.yaml", R"(apiVersion: batch/v1
kind: Job
metadata:
  name: labelled
  labels: {cellar.dev/backup: )" + value + R"(}
spec:
  template:
    spec:
      restartPolicy: Never
      containers:
      - {name: main, image: busybox, command: [sh, -c, "true"]}
)")});
  EXPECT_NE(result.exit_code, 0);
  EXPECT_THAT(result.err, HasSubstr("The Job \"labelled\" is invalid: metadata.labels: Invalid "
                                    "value: \"" +
                                    value + "\": must be no more than 63 characters"));
  EXPECT_NE(kubectl({"get", "job", "labelled"}).exit_code, 0);
}

TEST_F(KubectlTest, NamespaceNameLongerThan63CharactersIsInvalid) {
  const std::string name(64, 'n');
  CommandResult result = kubectl(
      {"apply", "-f",
       write("ns.yaml", "apiVersion: v1\nkind: Namespace\nmetadata: {name: " + name + "}\n")});
  EXPECT_NE(result.exit_code, 0);
  EXPECT_THAT(result.err, HasSubstr("The Namespace \"" + name +
                                    "\" is invalid: metadata.name: "
                                    "Invalid value: \"" +
                                    name + "\": must be no more than 63 characters"));
}

TEST_F(KubectlTest, JobNamedWith63CharactersRunsInAPodWhoseNameFits) {
  const std::string name = "backup-" + std::string(56, 'x');  // 63 characters
  ok({"apply", "-f", write("job.yaml", R"(apiVersion: batch/v1
kind: Job
metadata: {name: )" + name + R"(}
spec:
  backoffLimit: 0
  template:
    spec:
      restartPolicy: Never
      containers:
      - {name: main, image: busybox, command: [sh, -c, "cat /proc/sys/kernel/hostname > /dev/termination-log"]}
)")});
  CommandResult waited =
      kubectl({"wait", "job/" + name, "--for=condition=Complete", "--timeout=60s"});
  ASSERT_EQ(waited.exit_code, 0) << waited.describe() << "\n" << cluster_->log();
  const std::string pod = ok({"get", "pods", "-l", "batch.kubernetes.io/job-name=" + name, "-o",
                              "jsonpath={.items[0].metadata.name}"});
  EXPECT_LE(pod.size(), 63u);
  EXPECT_EQ(pod.rfind(name.substr(0, 58), 0), 0u) << pod;
  // The container ran with the Pod's name as its hostname.
  EXPECT_EQ(field("pod/" + pod, "{.status.containerStatuses[0].state.terminated.message}"),
            pod + "\n");
}

TEST_F(KubectlTest, NamespaceBeingDeletedRefusesNewObjectsButNotChanges) {
  ok({"apply", "-f",
      write("ns.yaml", "apiVersion: v1\nkind: Namespace\nmetadata: {name: doomed}\n")});
  // A finalizer nobody removes holds the namespace in Terminating.
  ok({"apply", "-f", write("held.yaml", R"(apiVersion: v1
kind: ConfigMap
metadata: {name: held, namespace: doomed, finalizers: [cellar.dev/hold]}
data: {a: "1"}
)")});
  ok({"delete", "namespace", "doomed", "--wait=false"});
  EXPECT_EQ(field("namespace/doomed", "{.status.phase}"), "Terminating");

  const std::string cm = write("new-cm.yaml", R"(apiVersion: v1
kind: ConfigMap
metadata: {name: fresh, namespace: doomed}
)");
  CommandResult refused = kubectl({"apply", "-f", cm});
  EXPECT_NE(refused.exit_code, 0);
  EXPECT_THAT(refused.err,
              HasSubstr("Error from server (Forbidden): error when creating \"" + cm +
                        "\": configmaps \"fresh\" is forbidden: unable to create new content in "
                        "namespace doomed because it is being terminated"));
  CommandResult job = kubectl({"apply", "-f", write("new-job.yaml", R"(apiVersion: batch/v1
kind: Job
metadata: {name: cleanup, namespace: doomed}
spec:
  template:
    spec:
      restartPolicy: Never
      containers:
      - {name: main, image: busybox, command: [sh, -c, "true"]}
)")});
  EXPECT_NE(job.exit_code, 0);
  EXPECT_THAT(job.err, HasSubstr("jobs.batch \"cleanup\" is forbidden: unable to create new "
                                 "content in namespace doomed because it is being terminated"));

  // What is there can still change and go.
  ok({"label", "configmap", "held", "-n", "doomed", "changed=yes"});
  EXPECT_EQ(
      ok({"get", "configmap", "held", "-n", "doomed", "-o", "jsonpath={.metadata.labels.changed}"}),
      "yes");
  ok({"delete", "configmap", "held", "-n", "doomed", "--wait=false"});
  ok({"patch", "configmap", "held", "-n", "doomed", "--type=merge", "-p",
      R"({"metadata":{"finalizers":null}})"});
  CommandResult gone = kubectl({"wait", "--for=delete", "namespace/doomed", "--timeout=30s"});
  EXPECT_EQ(gone.exit_code, 0) << gone.describe();
}

TEST_F(KubectlTest, InjectedFaultReachesKubectlOnce) {
  ASSERT_TRUE(
      cluster_
          ->post_hook("faults", {{"failNext",
                                  {{"count", 1},
                                   {"code", 500},
                                   {"pathPrefix", "/apis/test.cellar.dev/v1/namespaces/"}}}})
          .ok());
  CommandResult failed = kubectl({"get", "widgets"});
  EXPECT_NE(failed.exit_code, 0);
  EXPECT_THAT(failed.err, HasSubstr("Internal error occurred: injected fault"));
  EXPECT_EQ(kubectl({"get", "widgets"}).exit_code, 0);
}

TEST_F(KubectlTest, StatsCountKubectlsWritesByResourceAndVerb) {
  ASSERT_TRUE(cluster_->post_hook("stats/reset").ok());
  ASSERT_EQ(apply_widget("w1", "{color: red}").exit_code, 0);
  ok({"patch", "widget", "w1", "--subresource=status", "--type=merge", "-p",
      R"({"status":{"phase":"Done"}})"});
  auto stats = cluster_->get_hook("stats");
  ASSERT_TRUE(stats.ok()) << stats.error().to_string();
  EXPECT_EQ(stats.value()["writesByResource"]["widgets.test.cellar.dev"]["create"], 1);
  EXPECT_EQ(stats.value()["writesByResource"]["widgets.test.cellar.dev/status"]["patch"], 1);
  EXPECT_EQ(stats.value()["writes"], 2);
}

TEST_F(KubectlTest, RequestsWithoutTheTokenAreUnauthorized) {
  CommandResult result = kubectl({"get", "ns", "--token=wrong"});
  EXPECT_NE(result.exit_code, 0);
  EXPECT_THAT(result.err, HasSubstr("Unauthorized"));
  EXPECT_THAT(ok({"get", "ns"}), HasSubstr("default"));
}

}  // namespace
}  // namespace cellar::testing
