// The requests the client makes: methods, paths, query escaping, bodies, content types, and how
// answers become values or Errors.
#include <gtest/gtest.h>

#include "controller/kube/client.h"
#include "tests/unit/kube/fake_transport.h"

namespace cellar::kube {
namespace {

class ClientRequestTest : public ::testing::Test {
 protected:
  ClientRequestTest() : transport_(std::make_shared<testing::FakeTransport>()) {
    ClientOptions options;
    options.user_agent = "cellar-test/1";
    options.request_timeout = std::chrono::seconds{7};
    client_ = std::make_unique<Client>(transport_, options);
  }

  static json config_map(const std::string& name, const std::string& ns = "") {
    json cm = {{"apiVersion", "v1"}, {"kind", "ConfigMap"}, {"metadata", {{"name", name}}}};
    if (!ns.empty()) cm["metadata"]["namespace"] = ns;
    return cm;
  }
  const HttpRequest& sent() const { return transport_->last(); }
  json sent_body() const { return json::parse(sent().body); }

  std::shared_ptr<testing::FakeTransport> transport_;
  std::unique_ptr<Client> client_;
};

TEST_F(ClientRequestTest, GetReturnsTheObject) {
  transport_->answer(200, R"({"metadata":{"name":"cm"}})");
  auto got = client_->get(resources::configmaps(), "ns", "cm");
  ASSERT_TRUE(got.ok()) << got.error().to_string();
  EXPECT_EQ((*got)["metadata"]["name"], "cm");
  EXPECT_EQ(sent().method, "GET");
  EXPECT_EQ(sent().target, "/api/v1/namespaces/ns/configmaps/cm");
  EXPECT_EQ(sent().accept, "application/json");
  EXPECT_TRUE(sent().body.empty());
}

TEST_F(ClientRequestTest, EveryRequestCarriesTheUserAgentAndTimeout) {
  (void)client_->get(resources::pods(), "ns", "p");
  EXPECT_EQ(sent().user_agent, "cellar-test/1");
  EXPECT_EQ(sent().timeout, std::chrono::seconds{7});
}

TEST_F(ClientRequestTest, ListEscapesItsQuery) {
  ListOptions options;
  options.label_selector = "app=db,tier!=web";
  options.field_selector = "metadata.name=x y";
  options.limit = 5;
  options.continue_token = "eyJ2IjoxfQ==";
  options.resource_version = "42";
  (void)client_->list(resources::pods(), "ns", options);
  EXPECT_EQ(sent().target,
            "/api/v1/namespaces/ns/pods?continue=eyJ2IjoxfQ%3D%3D"
            "&fieldSelector=metadata.name%3Dx+y&labelSelector=app%3Ddb%2Ctier%21%3Dweb&limit=5"
            "&resourceVersion=42");
}

TEST_F(ClientRequestTest, ListWithoutOptionsHasNoQuery) {
  (void)client_->list(resources::jobs(), "");
  EXPECT_EQ(sent().target, "/apis/batch/v1/jobs");
}

TEST_F(ClientRequestTest, SetBasedSelectorsSurviveEscaping) {
  ListOptions options;
  options.label_selector = "env in (prod, staging),!canary";
  (void)client_->list(resources::pods(), "ns", options);
  EXPECT_EQ(sent().target,
            "/api/v1/namespaces/ns/pods?labelSelector=env+in+%28prod%2C+staging%29%2C%21canary");
}

TEST_F(ClientRequestTest, CreatePostsToTheObjectsNamespace) {
  (void)client_->create(resources::configmaps(), "", config_map("cm", "team"));
  EXPECT_EQ(sent().method, "POST");
  EXPECT_EQ(sent().target, "/api/v1/namespaces/team/configmaps");
  EXPECT_EQ(sent().content_type, "application/json");
  EXPECT_EQ(sent_body()["metadata"]["name"], "cm");
}

TEST_F(ClientRequestTest, UpdatePutsToTheNamedObject) {
  (void)client_->update(resources::configmaps(), "ns", config_map("cm"));
  EXPECT_EQ(sent().method, "PUT");
  EXPECT_EQ(sent().target, "/api/v1/namespaces/ns/configmaps/cm");
}

TEST_F(ClientRequestTest, UpdateWithoutANameSendsNothing) {
  auto result = client_->update(resources::configmaps(), "ns", json::object());
  ASSERT_FALSE(result.ok());
  EXPECT_FALSE(is_retryable(result.error()));
  EXPECT_TRUE(transport_->requests.empty());
}

TEST_F(ClientRequestTest, MergePatchUsesItsContentType) {
  (void)client_->merge_patch(resources::configmaps(), "ns", "cm", {{"data", {{"k", "v"}}}});
  EXPECT_EQ(sent().method, "PATCH");
  EXPECT_EQ(sent().content_type, "application/merge-patch+json");
  EXPECT_EQ(sent_body(), json({{"data", {{"k", "v"}}}}));
}

TEST_F(ClientRequestTest, StatusCallsUseTheSubresource) {
  (void)client_->get_status(resources::jobs(), "ns", "j");
  EXPECT_EQ(sent().target, "/apis/batch/v1/namespaces/ns/jobs/j/status");
  (void)client_->update_status(resources::jobs(), "ns", {{"metadata", {{"name", "j"}}}});
  EXPECT_EQ(sent().method, "PUT");
  EXPECT_EQ(sent().target, "/apis/batch/v1/namespaces/ns/jobs/j/status");
  (void)client_->merge_patch_status(resources::jobs(), "ns", "j", {{"status", {{"active", 1}}}});
  EXPECT_EQ(sent().method, "PATCH");
  EXPECT_EQ(sent().content_type, "application/merge-patch+json");
  EXPECT_EQ(sent().target, "/apis/batch/v1/namespaces/ns/jobs/j/status");
}

TEST_F(ClientRequestTest, DeleteWithoutOptionsHasNoBody) {
  (void)client_->remove(resources::configmaps(), "ns", "cm");
  EXPECT_EQ(sent().method, "DELETE");
  EXPECT_TRUE(sent().body.empty());
}

TEST_F(ClientRequestTest, DeleteSendsPropagationAndPreconditions) {
  DeleteOptions options;
  options.propagation_policy = "Foreground";
  options.precondition_uid = "u-1";
  options.precondition_resource_version = "9";
  (void)client_->remove(resources::jobs(), "ns", "j", options);
  EXPECT_EQ(sent_body(), json({{"kind", "DeleteOptions"},
                               {"apiVersion", "v1"},
                               {"propagationPolicy", "Foreground"},
                               {"preconditions", {{"uid", "u-1"}, {"resourceVersion", "9"}}}}));
}

TEST_F(ClientRequestTest, ErrorAnswerBecomesAnError) {
  transport_->answer(
      429,
      R"({"kind":"Status","status":"Failure","reason":"TooManyRequests","message":"busy","code":429})",
      std::chrono::seconds{4});
  auto result = client_->get(resources::configmaps(), "ns", "cm");
  ASSERT_FALSE(result.ok());
  EXPECT_TRUE(is_too_many_requests(result.error()));
  EXPECT_EQ(result.error().message, "busy");
  EXPECT_EQ(result.error().retry_after, std::chrono::seconds{4});
}

TEST_F(ClientRequestTest, TransportFailurePassesThrough) {
  transport_->fail_next("connection refused");
  auto result = client_->get(resources::configmaps(), "ns", "cm");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().reason, "Transport");
  EXPECT_EQ(result.error().message, "connection refused");
}

TEST_F(ClientRequestTest, AnswerThatIsNotJsonIsAnError) {
  transport_->answer(200, "<html>");
  auto result = client_->get(resources::configmaps(), "ns", "cm");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, 0);
}

TEST_F(ClientRequestTest, RawRequestForDiscovery) {
  transport_->answer(200, R"({"gitVersion":"v1.31.0"})");
  auto version = client_->request("GET", "/version");
  ASSERT_TRUE(version.ok());
  EXPECT_EQ((*version)["gitVersion"], "v1.31.0");
  EXPECT_EQ(sent().target, "/version");
}

TEST_F(ClientRequestTest, NoRetryInsideTheClient) {
  transport_->answer(500, "{}");
  EXPECT_FALSE(client_->get(resources::pods(), "ns", "p").ok());
  EXPECT_EQ(transport_->requests.size(), 1u);
}

}  // namespace
}  // namespace cellar::kube
