#include "controller/schedule/scheduled_backup.h"

#include "controller/api/timestamps.h"
#include "controller/kube/names.h"

namespace cellar::schedule {

using json = nlohmann::json;

json make_backup(const api::BackupSchedule& schedule, const BackupOrigin& origin) {
  json annotations = json::object();
  if (origin.scheduled_at) {
    annotations[kScheduledAtAnnotation] = api::format_rfc3339(*origin.scheduled_at);
  } else if (origin.requested_at) {
    annotations[kRequestedAtAnnotation] = api::format_rfc3339_millis(*origin.requested_at);
  }
  if (!origin.trigger.empty()) annotations[api::kTriggerAnnotation] = origin.trigger;
  json meta = {
      {"name", origin.name},
      {"namespace", schedule.meta.ns},
      {"labels", {{api::kScheduleLabel, kube::label_value_for(schedule.meta.name)}}},
  };
  if (schedule.spec.backup_owner_reference == api::BackupOwnerReference::kSchedule) {
    meta["ownerReferences"] = json::array({{{"apiVersion", api::kApiVersion},
                                            {"kind", "BackupSchedule"},
                                            {"name", schedule.meta.name},
                                            {"uid", schedule.meta.uid},
                                            {"controller", true},
                                            {"blockOwnerDeletion", true}}});
  }
  if (!annotations.empty()) meta["annotations"] = annotations;
  if (schedule.spec.backup_template.deletion_policy == api::DeletionPolicy::kDelete) {
    meta["finalizers"] = json::array({api::kDumpFinalizer});
  }
  return {{"apiVersion", api::kApiVersion},
          {"kind", "Backup"},
          {"metadata", meta},
          {"spec", api::to_json(schedule.spec.backup_template)}};
}

std::optional<std::chrono::system_clock::time_point> backup_time(const api::ObjectMeta& meta) {
  if (auto it = meta.annotations.find(kScheduledAtAnnotation); it != meta.annotations.end()) {
    if (auto t = api::parse_rfc3339(it->second)) return t;
  }
  if (auto it = meta.annotations.find(kRequestedAtAnnotation); it != meta.annotations.end()) {
    if (auto t = api::parse_rfc3339(it->second)) return t;
  }
  return api::parse_rfc3339(meta.creation_timestamp);
}

}  // namespace cellar::schedule
