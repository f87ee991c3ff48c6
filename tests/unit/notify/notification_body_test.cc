#include "controller/notify/notification_body.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace cellar::notify {
namespace {

using json = nlohmann::json;

api::Backup finished(api::Phase phase) {
  api::Backup b;
  b.meta.ns = "shop";
  b.meta.name = "nightly-202611280200";
  b.status.phase = phase;
  b.status.completion_time = "2026-11-28T02:00:31Z";
  if (phase == api::Phase::kCompleted) {
    b.status.size_bytes = 1625292;
    b.status.duration_seconds = 31;
    b.status.location = "s3://dumps/shop/nightly-202611280200.dump";
  } else {
    b.status.message = "pg_dump: connection refused";
  }
  return b;
}

TEST(NotificationBody, JsonOfACompletedBackupHasEveryKey) {
  json j = json::parse(json_body(facts_of(finished(api::Phase::kCompleted), "nightly")));
  EXPECT_EQ(j, (json{{"event", "Completed"},
                     {"namespace", "shop"},
                     {"schedule", "nightly"},
                     {"backup", "nightly-202611280200"},
                     {"phase", "Completed"},
                     {"message", nullptr},
                     {"sizeBytes", 1625292},
                     {"durationSeconds", 31},
                     {"location", "s3://dumps/shop/nightly-202611280200.dump"},
                     {"time", "2026-11-28T02:00:31Z"}}));
}

TEST(NotificationBody, JsonOfAFailureCarriesTheMessage) {
  json j = json::parse(json_body(facts_of(finished(api::Phase::kFailed), "nightly")));
  EXPECT_EQ(j["event"], "Failed");
  EXPECT_EQ(j["phase"], "Failed");
  EXPECT_EQ(j["message"], "pg_dump: connection refused");
  EXPECT_TRUE(j["sizeBytes"].is_null());
}

TEST(NotificationBody, CancelledIsItsOwnEvent) {
  EXPECT_EQ(facts_of(finished(api::Phase::kCancelled), "nightly").event,
            api::NotificationEvent::kCancelled);
}

TEST(NotificationBody, SlackIsOneLineOfText) {
  json ok = json::parse(
      body(api::WebhookFormat::kSlack, facts_of(finished(api::Phase::kCompleted), "nightly")));
  ASSERT_EQ(ok.size(), 1u);
  EXPECT_EQ(ok["text"],
            "Backup nightly-202611280200 of schedule shop/nightly completed: 1625292 bytes in 31 "
            "s, at s3://dumps/shop/nightly-202611280200.dump");
  json failed = json::parse(slack_body(facts_of(finished(api::Phase::kFailed), "nightly")));
  EXPECT_EQ(failed["text"],
            "Backup nightly-202611280200 of schedule shop/nightly failed: pg_dump: connection "
            "refused");
}

TEST(NotificationBody, MissedScheduleHasNoBackup) {
  NotificationFacts f;
  f.event = api::NotificationEvent::kMissedSchedule;
  f.ns = "shop";
  f.schedule = "nightly";
  f.message = "1 due time was missed";
  json j = json::parse(json_body(f));
  EXPECT_EQ(j["event"], "MissedSchedule");
  EXPECT_TRUE(j["backup"].is_null());
  EXPECT_EQ(json::parse(slack_body(f))["text"],
            "Schedule shop/nightly missed a due time: 1 due time was missed");
}

TEST(NotificationBody, BadUtf8InAMessageStillMakesJson) {
  api::Backup b = finished(api::Phase::kFailed);
  b.status.message = "bad \xff byte";
  EXPECT_NO_THROW(json::parse(json_body(facts_of(b, "nightly"))));
}

}  // namespace
}  // namespace cellar::notify
