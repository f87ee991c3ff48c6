#include "controller/kube/events.h"

#include <gtest/gtest.h>

#include "tests/unit/kube/fake_transport.h"

namespace cellar::kube {
namespace {

using testing::FakeTransport;

class EventsTest : public ::testing::Test {
 protected:
  json event(const std::string& message) {
    return recorder_.make_event(backup_, "Warning", "Failed", message, "2026-11-21T10:00:00Z");
  }

  std::shared_ptr<FakeTransport> transport_ = std::make_shared<FakeTransport>();
  Client client_{transport_};
  EventRecorder recorder_{client_, "cellar-controller", "pod-1"};
  ObjectReference backup_{"cellar.dev/v1alpha1", "Backup", "shop", "nightly", "uid-1"};
};

TEST_F(EventsTest, NamesTheObjectItIsAbout) {
  json e = event("boom");
  EXPECT_EQ(e["metadata"]["namespace"], "shop");
  EXPECT_EQ(e["involvedObject"]["kind"], "Backup");
  EXPECT_EQ(e["involvedObject"]["name"], "nightly");
  EXPECT_EQ(e["involvedObject"]["uid"], "uid-1");
  EXPECT_EQ(e["type"], "Warning");
  EXPECT_EQ(e["reason"], "Failed");
  EXPECT_EQ(e["source"]["component"], "cellar-controller");
  EXPECT_EQ(e["reportingInstance"], "pod-1");
  EXPECT_EQ(e["count"], 1);
}

TEST_F(EventsTest, LongMessagesAreCapped) {
  const std::string message = event(std::string(5000, 'x'))["message"];
  EXPECT_EQ(message.size(), 1024u);
  EXPECT_TRUE(message.ends_with("..."));
}

TEST_F(EventsTest, RecordPostsAnEventInTheObjectsNamespace) {
  transport_->answer(201);
  recorder_.record(backup_, "Normal", "Completed", "Backup completed: 1.55 MiB in 31s");
  recorder_.flush();
  ASSERT_EQ(transport_->requests.size(), 1u);
  EXPECT_EQ(transport_->last().method, "POST");
  EXPECT_EQ(transport_->last().target, "/api/v1/namespaces/shop/events");
  json body = json::parse(transport_->last().body);
  EXPECT_TRUE(body["metadata"]["name"].get<std::string>().starts_with("nightly."));
  EXPECT_EQ(body["message"], "Backup completed: 1.55 MiB in 31s");
}

TEST_F(EventsTest, AnEventThatCannotBeWrittenIsDroppedNotThrown) {
  transport_->answer(403, R"({"kind":"Status","reason":"Forbidden","code":403})");
  recorder_.record(backup_, "Normal", "Started", "Dumping");
  recorder_.flush();
  EXPECT_EQ(transport_->requests.size(), 1u);
}

TEST_F(EventsTest, EventsAreWrittenInTheOrderTheyWereRecorded) {
  transport_->answer(201);
  transport_->answer(201);
  recorder_.record(backup_, "Normal", "Pending", "first");
  recorder_.record(backup_, "Normal", "Completed", "second");
  recorder_.flush();
  ASSERT_EQ(transport_->requests.size(), 2u);
  EXPECT_EQ(json::parse(transport_->requests[0].body)["message"], "first");
  EXPECT_EQ(json::parse(transport_->requests[1].body)["message"], "second");
}

TEST_F(EventsTest, AFullQueueDropsTheEventRatherThanWaiting) {
  EventRecorder no_room(client_, "cellar-controller", "pod-1", 0);
  no_room.record(backup_, "Normal", "Started", "Dumping");
  no_room.flush();
  EXPECT_TRUE(transport_->requests.empty());
}

TEST_F(EventsTest, AHeldEventIsWrittenOnlyAfterItsHoldAndBeforeTheNextEvent) {
  transport_->answer(201);
  transport_->answer(201);
  const auto hold = std::chrono::milliseconds(300);
  const auto recorded = std::chrono::steady_clock::now();
  recorder_.record(backup_, "Normal", "Created", "first", hold);
  recorder_.record(backup_, "Normal", "Completed", "second");
  recorder_.flush();
  EXPECT_GE(std::chrono::steady_clock::now() - recorded, hold);
  ASSERT_EQ(transport_->requests.size(), 2u);
  EXPECT_EQ(json::parse(transport_->requests[0].body)["message"], "first");
  EXPECT_EQ(json::parse(transport_->requests[1].body)["message"], "second");
}

TEST_F(EventsTest, StoppingWritesHeldEventsWithoutWaitingForThem) {
  transport_->answer(201);
  {
    EventRecorder stopping(client_, "cellar-controller", "pod-1");
    stopping.record(backup_, "Normal", "Created", "Created Backup nightly-202611290200",
                    std::chrono::hours(1));
  }
  EXPECT_EQ(transport_->requests.size(), 1u);
}

}  // namespace
}  // namespace cellar::kube
