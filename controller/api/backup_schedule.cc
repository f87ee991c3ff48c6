#include "controller/api/backup_schedule.h"

#include <algorithm>
#include <set>

#include "controller/api/json_fields.h"
#include "controller/api/spec_reader.h"

namespace cellar::api {

namespace {

using json = nlohmann::json;

bool fits_annotation_key(const std::string& name) {
  if (name.size() > 40) return false;
  for (char c : name) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
  }
  return name.front() != '-' && name.back() != '-';
}

// A non-negative whole number, or `fallback` (with an error when the value is there but wrong).
int count(const json& j, const char* key, const std::string& path, int fallback,
          std::vector<std::string>& errors) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return fallback;
  if (!it->is_number_integer() || it->get<int64_t>() < 0 || it->get<int64_t>() > 1000000) {
    errors.push_back(path + " must be a whole number from 0 (it is " + it->dump() + ")");
    return fallback;
  }
  return it->get<int>();
}

RetentionSpec parse_retention(const json& j, std::vector<std::string>& errors) {
  RetentionSpec r;
  if (j.is_null()) return r;
  if (!j.is_object()) {
    errors.push_back("spec.retention must be an object");
    return r;
  }
  const std::string p = "spec.retention.";
  r.keep_last = count(j, "keepLast", p + "keepLast", 0, errors);
  r.keep_hourly = count(j, "keepHourly", p + "keepHourly", 0, errors);
  r.keep_daily = count(j, "keepDaily", p + "keepDaily", 0, errors);
  r.keep_weekly = count(j, "keepWeekly", p + "keepWeekly", 0, errors);
  r.keep_monthly = count(j, "keepMonthly", p + "keepMonthly", 0, errors);
  r.keep_yearly = count(j, "keepYearly", p + "keepYearly", 0, errors);
  r.failed_history_limit = count(j, "failedHistoryLimit", p + "failedHistoryLimit", 3, errors);
  return r;
}

std::optional<NotificationEvent> parse_event(const std::string& text) {
  for (auto e : {NotificationEvent::kCompleted, NotificationEvent::kFailed,
                 NotificationEvent::kCancelled, NotificationEvent::kMissedSchedule}) {
    if (text == to_string(e)) return e;
  }
  return std::nullopt;
}

// One entry of spec.notifications; nullopt when it is unusable (errors say why).
std::optional<Notification> parse_notification(const json& j, const std::string& path,
                                               std::vector<std::string>& errors) {
  if (!j.is_object()) {
    errors.push_back(path + " must be an object");
    return std::nullopt;
  }
  const size_t errors_before = errors.size();
  SpecReader read(&errors);
  Notification n;
  n.name = read.string(j, "name", path + ".name", true);
  // The name becomes part of an annotation key (cellar.dev/notified-<name>): a DNS label.
  if (!n.name.empty() && !fits_annotation_key(n.name)) {
    read.error(path +
               ".name must be lower-case letters, digits and '-', at most 40 characters (it is \"" +
               n.name + "\")");
  }
  auto events = j.find("events");
  if (events == j.end() || !events->is_array() || events->empty()) {
    read.error(path +
               ".events must list at least one of Completed, Failed, Cancelled, MissedSchedule");
  } else {
    for (size_t i = 0; i < events->size(); ++i) {
      const json& e = (*events)[i];
      auto parsed = e.is_string() ? parse_event(e.get<std::string>()) : std::nullopt;
      if (!parsed) {
        read.error(path + ".events[" + std::to_string(i) +
                   "] must be one of Completed, Failed, Cancelled, MissedSchedule (it is " +
                   e.dump() + ")");
      } else if (!n.wants(*parsed)) {
        n.events.push_back(*parsed);
      }
    }
  }
  if (const json* webhook = read.object(j, "webhook", path + ".webhook", true)) {
    const std::string ref_path = path + ".webhook.urlSecretRef";
    if (const json* ref = read.object(*webhook, "urlSecretRef", ref_path, true)) {
      n.url_secret_ref.name = read.string(*ref, "name", ref_path + ".name", true);
      n.url_secret_ref.key = read.string(*ref, "key", ref_path + ".key", true);
    }
    const std::array<const char*, 2> formats = {"json", "slack"};
    if (read.one_of(*webhook, "format", path + ".webhook.format", formats, "json") == "slack") {
      n.format = WebhookFormat::kSlack;
    }
  }
  if (errors.size() != errors_before) return std::nullopt;
  return n;
}

std::vector<Notification> parse_notifications(const json& spec, std::vector<std::string>& errors) {
  std::vector<Notification> out;
  auto it = spec.find("notifications");
  if (it == spec.end() || it->is_null()) return out;
  if (!it->is_array()) {
    errors.push_back("spec.notifications must be a list");
    return out;
  }
  std::set<std::string> names;
  for (size_t i = 0; i < it->size(); ++i) {
    const std::string path = "spec.notifications[" + std::to_string(i) + "]";
    auto n = parse_notification((*it)[i], path, errors);
    if (!n) continue;
    if (!names.insert(n->name).second) {
      errors.push_back(path + ".name must be unique within the schedule (\"" + n->name +
                       "\" is used twice)");
      continue;
    }
    out.push_back(std::move(*n));
  }
  return out;
}

}  // namespace

const char* to_string(NotificationEvent event) {
  switch (event) {
    case NotificationEvent::kCompleted:
      return "Completed";
    case NotificationEvent::kFailed:
      return "Failed";
    case NotificationEvent::kCancelled:
      return "Cancelled";
    case NotificationEvent::kMissedSchedule:
      return "MissedSchedule";
  }
  return "";
}

bool Notification::wants(NotificationEvent event) const {
  return std::find(events.begin(), events.end(), event) != events.end();
}

BackupSchedule parse_backup_schedule(const json& object) {
  BackupSchedule s;
  s.meta = parse_object_meta(object);
  auto& errors = s.spec_errors;
  const json spec = object.contains("spec") ? object["spec"] : json();
  if (!spec.is_object()) {
    errors.push_back("spec is required");
    return s;
  }
  s.spec.schedule = string_field(spec, "schedule");
  if (s.spec.schedule.empty()) errors.push_back("spec.schedule is required");
  if (const std::string zone = string_field(spec, "timeZone"); !zone.empty())
    s.spec.time_zone = zone;
  if (auto it = spec.find("suspend"); it != spec.end() && !it->is_null()) {
    if (it->is_boolean()) {
      s.spec.suspend = it->get<bool>();
    } else {
      errors.push_back("spec.suspend must be true or false");
    }
  }
  const std::string policy = string_field(spec, "concurrencyPolicy");
  if (policy == "Allow") {
    s.spec.concurrency_policy = ConcurrencyPolicy::kAllow;
  } else if (policy == "Replace") {
    s.spec.concurrency_policy = ConcurrencyPolicy::kReplace;
  } else if (!policy.empty() && policy != "Forbid") {
    errors.push_back("spec.concurrencyPolicy must be one of Forbid, Allow, Replace (it is \"" +
                     policy + "\")");
  }
  if (auto it = spec.find("startingDeadlineSeconds"); it != spec.end() && !it->is_null()) {
    if (it->is_number_integer() && it->get<int64_t>() >= 0) {
      s.spec.starting_deadline_seconds = it->get<int64_t>();
    } else {
      errors.push_back("spec.startingDeadlineSeconds must be a whole number from 0");
    }
  }
  const json templ = spec.contains("backupTemplate") ? spec["backupTemplate"] : json();
  s.spec.backup_template = parse_backup_spec(templ, &errors, "spec.backupTemplate");
  if (templ.is_object() && !templ.contains("deletionPolicy")) {
    // Scheduled dumps are rotated: their files go with their Backups unless told otherwise.
    s.spec.backup_template.deletion_policy = DeletionPolicy::kDelete;
  }
  s.spec.retention =
      parse_retention(spec.contains("retention") ? spec["retention"] : json(), errors);
  const std::string owner = string_field(spec, "backupOwnerReference");
  if (owner == "schedule") {
    s.spec.backup_owner_reference = BackupOwnerReference::kSchedule;
  } else if (!owner.empty() && owner != "none") {
    errors.push_back("spec.backupOwnerReference must be one of none, schedule (it is \"" + owner +
                     "\")");
  }
  s.spec.notifications = parse_notifications(spec, errors);
  if (auto st = object.find("status"); st != object.end()) {
    s.status = parse_backup_schedule_status(*st);
  }
  return s;
}

json to_json(const BackupScheduleStatus& s) {
  json j = json::object();
  auto put = [&](const char* key, const std::string& v) {
    if (!v.empty()) j[key] = v;
  };
  put("lastScheduleTime", s.last_schedule_time);
  put("lastSuccessfulTime", s.last_successful_time);
  put("nextScheduleTime", s.next_schedule_time);
  if (!s.active.empty()) {
    j["active"] = json::array();
    for (const auto& name : s.active) j["active"].push_back({{"name", name}});
  }
  put("lastBackup", s.last_backup);
  put("lastTrigger", s.last_trigger);
  if (s.observed_generation > 0) j["observedGeneration"] = s.observed_generation;
  if (!s.conditions.empty()) j["conditions"] = conditions_to_json(s.conditions);
  return j;
}

BackupScheduleStatus parse_backup_schedule_status(const json& j) {
  BackupScheduleStatus s;
  if (!j.is_object()) return s;
  s.last_schedule_time = string_field(j, "lastScheduleTime");
  s.last_successful_time = string_field(j, "lastSuccessfulTime");
  s.next_schedule_time = string_field(j, "nextScheduleTime");
  if (auto it = j.find("active"); it != j.end() && it->is_array()) {
    for (const auto& a : *it) {
      if (a.is_object() && a.contains("name") && a["name"].is_string()) {
        s.active.push_back(a["name"].get<std::string>());
      }
    }
  }
  s.last_backup = string_field(j, "lastBackup");
  s.last_trigger = string_field(j, "lastTrigger");
  s.observed_generation = int_field(j, "observedGeneration").value_or(0);
  if (auto it = j.find("conditions"); it != j.end()) s.conditions = parse_conditions(*it);
  return s;
}

}  // namespace cellar::api
