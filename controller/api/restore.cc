#include "controller/api/restore.h"

#include "controller/api/json_fields.h"
#include "controller/api/spec_reader.h"

namespace cellar::api {

using json = nlohmann::json;

RestoreSpec parse_restore_spec(const json& spec, std::vector<std::string>* errors) {
  RestoreSpec out;
  SpecReader r(errors);
  if (!spec.is_object()) {
    r.error("spec is required");
    return out;
  }
  out.backup_name = r.string(spec, "backupName", "spec.backupName", true);
  if (const json* target = r.object(spec, "target", "spec.target", true)) {
    out.target = parse_database_spec(*target, errors, "spec.target");
  }
  out.create_database = r.boolean(spec, "createDatabase", "spec.createDatabase", false);
  out.clean = r.boolean(spec, "clean", "spec.clean", false);
  out.active_deadline_seconds =
      r.integer(spec, "activeDeadlineSeconds", "spec.activeDeadlineSeconds", 1, int64_t{1} << 40)
          .value_or(3600);
  out.backoff_limit =
      static_cast<int>(r.integer(spec, "backoffLimit", "spec.backoffLimit", 0, 1000).value_or(0));
  if (const json* decryption = r.object(spec, "decryption", "spec.decryption", false)) {
    const std::string p = "spec.decryption.identitySecretRef";
    if (const json* ref = r.object(*decryption, "identitySecretRef", p, true)) {
      out.identity_secret_ref = SecretKeyRef{r.string(*ref, "name", p + ".name", true),
                                             r.string(*ref, "key", p + ".key", true)};
    }
  }
  return out;
}

json to_json(const RestoreSpec& s) {
  json j = {{"backupName", s.backup_name},
            {"target", to_json(s.target)},
            {"createDatabase", s.create_database},
            {"clean", s.clean},
            {"activeDeadlineSeconds", s.active_deadline_seconds},
            {"backoffLimit", s.backoff_limit}};
  if (const auto& ref = s.identity_secret_ref) {
    j["decryption"] = {{"identitySecretRef", {{"name", ref->name}, {"key", ref->key}}}};
  }
  return j;
}

json to_json(const RestoreStatus& s) {
  json j = json::object();
  auto put = [](json& into, const char* key, const std::string& v) {
    if (!v.empty()) into[key] = v;
  };
  put(j, "phase", to_string(s.phase));
  put(j, "message", s.message);
  put(j, "jobName", s.job_name);
  put(j, "startTime", s.start_time);
  put(j, "completionTime", s.completion_time);
  if (s.duration_seconds) j["durationSeconds"] = *s.duration_seconds;
  json backup = json::object();
  put(backup, "name", s.backup.name);
  put(backup, "location", s.backup.location);
  put(backup, "checksum", s.backup.checksum);
  if (!backup.empty()) j["backup"] = backup;
  if (s.observed_generation > 0) j["observedGeneration"] = s.observed_generation;
  if (!s.conditions.empty()) j["conditions"] = conditions_to_json(s.conditions);
  return j;
}

RestoreStatus parse_restore_status(const json& j) {
  RestoreStatus s;
  if (!j.is_object()) return s;
  s.phase = parse_phase(string_field(j, "phase"));
  s.message = string_field(j, "message");
  s.job_name = string_field(j, "jobName");
  s.start_time = string_field(j, "startTime");
  s.completion_time = string_field(j, "completionTime");
  s.duration_seconds = int_field(j, "durationSeconds");
  if (auto it = j.find("backup"); it != j.end()) {
    s.backup.name = string_field(*it, "name");
    s.backup.location = string_field(*it, "location");
    s.backup.checksum = string_field(*it, "checksum");
  }
  s.observed_generation = int_field(j, "observedGeneration").value_or(0);
  if (auto it = j.find("conditions"); it != j.end()) s.conditions = parse_conditions(*it);
  return s;
}

Restore parse_restore(const json& object) {
  Restore r;
  r.meta = parse_object_meta(object);
  auto spec = object.find("spec");
  r.spec = parse_restore_spec(spec == object.end() ? json() : *spec, &r.spec_errors);
  if (auto st = object.find("status"); st != object.end()) r.status = parse_restore_status(*st);
  return r;
}

}  // namespace cellar::api
