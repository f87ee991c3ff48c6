// The client's request hook: every request that leaves is told with Kubernetes' verb and the HTTP
// status (or "error" when no answer came); one the write fence stops never left, so is not told.
#include <gtest/gtest.h>

#include <utility>
#include <vector>

#include "controller/kube/client.h"
#include "tests/unit/kube/fake_transport.h"

namespace cellar::kube {
namespace {

using Told = std::vector<std::pair<std::string, std::string>>;

class ClientObserverTest : public ::testing::Test {
 protected:
  explicit ClientObserverTest(std::shared_ptr<WriteFence> fence = nullptr)
      : transport_(std::make_shared<testing::FakeTransport>()) {
    ClientOptions options;
    options.fence = std::move(fence);
    options.on_request = [this](const std::string& verb, const std::string& code) {
      told_.emplace_back(verb, code);
    };
    client_ = std::make_unique<Client>(transport_, options);
  }
  static json config_map() {
    return {{"apiVersion", "v1"}, {"kind", "ConfigMap"}, {"metadata", {{"name", "cm"}}}};
  }

  std::shared_ptr<testing::FakeTransport> transport_;
  std::unique_ptr<Client> client_;
  Told told_;
};

TEST_F(ClientObserverTest, EachCallIsToldByItsVerbAndStatus) {
  const auto& cms = resources::configmaps();
  transport_->answer(201);
  (void)client_->create(cms, "ns", config_map());
  transport_->answer(409, R"({"kind":"Status","reason":"Conflict","code":409})");
  (void)client_->update(cms, "ns", config_map());
  (void)client_->update_status(cms, "ns", config_map());
  (void)client_->get(cms, "ns", "cm");
  (void)client_->list(cms, "ns");
  (void)client_->merge_patch(cms, "ns", "cm", {{"data", {{"a", "b"}}}});
  transport_->fail_next("connection refused");
  (void)client_->remove(cms, "ns", "cm");
  (void)client_->watch(cms, "ns");
  (void)client_->request("GET", "/version");
  EXPECT_EQ(told_, (Told{{"create", "201"},
                         {"update", "409"},
                         {"update", "200"},
                         {"get", "200"},
                         {"list", "200"},
                         {"patch", "200"},
                         {"delete", "error"},
                         {"watch", "200"},
                         {"get", "200"}}));
}

class FencedClientObserverTest : public ClientObserverTest {
 protected:
  FencedClientObserverTest() : ClientObserverTest(std::make_shared<WriteFence>()) {}
};

TEST_F(FencedClientObserverTest, AWriteTheFenceStopsIsNotTold) {
  EXPECT_FALSE(client_->create(resources::configmaps(), "ns", config_map()).ok());
  EXPECT_TRUE(told_.empty());
}

}  // namespace
}  // namespace cellar::kube
