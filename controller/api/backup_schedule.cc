#include "controller/api/backup_schedule.h"

#include "controller/api/json_fields.h"

namespace cellar::api {

namespace {

using json = nlohmann::json;

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

}  // namespace

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
