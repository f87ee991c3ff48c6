#include "controller/notify/notification_body.h"

#include <nlohmann/json.hpp>

namespace cellar::notify {

using json = nlohmann::json;

namespace {

json or_null(const std::optional<int64_t>& v) {
  return v ? json(*v) : json(nullptr);
}

json or_null(const std::string& v) {
  return v.empty() ? json(nullptr) : json(v);
}

std::string headline(const NotificationFacts& f) {
  const std::string where = f.ns + "/" + f.schedule;
  switch (f.event) {
    case api::NotificationEvent::kCompleted:
      return "Backup " + f.backup + " of schedule " + where + " completed";
    case api::NotificationEvent::kFailed:
      return "Backup " + f.backup + " of schedule " + where + " failed";
    case api::NotificationEvent::kCancelled:
      return "Backup " + f.backup + " of schedule " + where + " was cancelled";
    case api::NotificationEvent::kMissedSchedule:
      return "Schedule " + where + " missed a due time";
  }
  return where;
}

}  // namespace

NotificationFacts facts_of(const api::Backup& backup, const std::string& schedule) {
  NotificationFacts f;
  switch (backup.status.phase) {
    case api::Phase::kFailed:
      f.event = api::NotificationEvent::kFailed;
      break;
    case api::Phase::kCancelled:
      f.event = api::NotificationEvent::kCancelled;
      break;
    default:
      f.event = api::NotificationEvent::kCompleted;
  }
  f.ns = backup.meta.ns;
  f.schedule = schedule;
  f.backup = backup.meta.name;
  f.phase = api::to_string(backup.status.phase);
  f.message = backup.status.message;
  f.size_bytes = backup.status.size_bytes;
  f.duration_seconds = backup.status.duration_seconds;
  f.location = backup.status.location;
  f.time = backup.status.completion_time;
  return f;
}

std::string json_body(const NotificationFacts& f) {
  json j = {{"event", api::to_string(f.event)},
            {"namespace", f.ns},
            {"schedule", f.schedule},
            {"backup", or_null(f.backup)},
            {"phase", or_null(f.phase)},
            {"message", or_null(f.message)},
            {"sizeBytes", or_null(f.size_bytes)},
            {"durationSeconds", or_null(f.duration_seconds)},
            {"location", or_null(f.location)},
            {"time", or_null(f.time)}};
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string slack_body(const NotificationFacts& f) {
  std::string text = headline(f);
  if (f.event == api::NotificationEvent::kCompleted) {
    if (f.size_bytes) text += ": " + std::to_string(*f.size_bytes) + " bytes";
    if (f.duration_seconds) text += " in " + std::to_string(*f.duration_seconds) + " s";
    if (!f.location.empty()) text += ", at " + f.location;
  } else if (!f.message.empty()) {
    text += ": " + f.message;
  }
  return json{{"text", text}}.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string body(api::WebhookFormat format, const NotificationFacts& facts) {
  return format == api::WebhookFormat::kSlack ? slack_body(facts) : json_body(facts);
}

}  // namespace cellar::notify
