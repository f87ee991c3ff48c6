// The write fence in the client: with leader election, no write leaves once the fence is closed,
// reads always do, and a client without a fence writes as before.
#include <gtest/gtest.h>

#include "controller/kube/client.h"
#include "tests/unit/kube/fake_transport.h"

namespace cellar::kube {
namespace {

class ClientFenceTest : public ::testing::Test {
 protected:
  ClientFenceTest()
      : transport_(std::make_shared<testing::FakeTransport>()),
        fence_(std::make_shared<WriteFence>()) {
    ClientOptions options;
    options.fence = fence_;
    client_ = std::make_unique<Client>(transport_, options);
  }
  static json config_map() {
    return {{"apiVersion", "v1"}, {"kind", "ConfigMap"}, {"metadata", {{"name", "cm"}}}};
  }

  std::shared_ptr<testing::FakeTransport> transport_;
  std::shared_ptr<WriteFence> fence_;
  std::unique_ptr<Client> client_;
};

TEST_F(ClientFenceTest, AClosedFenceStopsEveryWriteBeforeItIsSent) {
  const auto& cms = resources::configmaps();
  std::vector<Result<json>> results;
  results.push_back(client_->create(cms, "ns", config_map()));
  results.push_back(client_->update(cms, "ns", config_map()));
  results.push_back(client_->update_status(cms, "ns", config_map()));
  results.push_back(client_->merge_patch(cms, "ns", "cm", {{"data", {{"a", "b"}}}}));
  results.push_back(client_->remove(cms, "ns", "cm"));
  for (const auto& r : results) {
    ASSERT_FALSE(r.ok());
    EXPECT_TRUE(is_retryable(r.error())) << "a lost lease must never end an object Failed";
    EXPECT_NE(r.error().message.find("does not hold the leader lease"), std::string::npos)
        << r.error().message;
  }
  EXPECT_TRUE(transport_->requests.empty());
}

TEST_F(ClientFenceTest, ReadsPassAClosedFence) {
  auto got = client_->get(resources::configmaps(), "ns", "cm");
  EXPECT_TRUE(got.ok());
  EXPECT_EQ(transport_->requests.size(), 1u);
}

TEST_F(ClientFenceTest, AnOpenFenceLetsWritesThroughUntilItCloses) {
  fence_->open_until(WriteFence::Clock::now() + std::chrono::minutes(1));
  EXPECT_TRUE(client_->create(resources::configmaps(), "ns", config_map()).ok());
  fence_->close();
  EXPECT_FALSE(client_->create(resources::configmaps(), "ns", config_map()).ok());
  EXPECT_EQ(transport_->requests.size(), 1u);
}

TEST(ClientWithoutFence, WritesAsBefore) {
  auto transport = std::make_shared<testing::FakeTransport>();
  Client client(transport);
  EXPECT_TRUE(client.create(resources::configmaps(), "ns", {{"metadata", {{"name", "cm"}}}}).ok());
  EXPECT_EQ(transport->requests.size(), 1u);
}

}  // namespace
}  // namespace cellar::kube
