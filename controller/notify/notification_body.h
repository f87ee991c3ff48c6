// The bodies Cellar POSTs to a webhook: what happened (a Backup's end, a missed due time) as the
// `json` format's object or as the `slack` format's {"text": ...}. Pure: no I/O.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "controller/api/backup_schedule.h"

namespace cellar::notify {

// What a notification tells. `backup` is empty for MissedSchedule.
struct NotificationFacts {
  api::NotificationEvent event = api::NotificationEvent::kCompleted;
  std::string ns;
  std::string schedule;
  std::string backup;
  std::string phase;  // the Backup's phase; empty for MissedSchedule
  std::string message;
  std::optional<int64_t> size_bytes;
  std::optional<int64_t> duration_seconds;
  std::string location;
  std::string time;  // RFC 3339: when the Backup ended, or when the miss was seen
};

// The facts of a Backup that reached a terminal phase.
NotificationFacts facts_of(const api::Backup& backup, const std::string& schedule);

// {event, namespace, schedule, backup, phase, message, sizeBytes, durationSeconds, location,
// time}; absent values are null, so receivers see every key every time.
std::string json_body(const NotificationFacts& facts);
// {"text": "..."}: one line a person reads in a channel.
std::string slack_body(const NotificationFacts& facts);
std::string body(api::WebhookFormat format, const NotificationFacts& facts);

}  // namespace cellar::notify
