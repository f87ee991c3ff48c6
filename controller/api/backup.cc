#include "controller/api/backup.h"

#include <algorithm>
#include <array>

#include "controller/age/age_recipient.h"
#include "controller/api/json_fields.h"
#include "controller/api/spec_reader.h"

namespace cellar::api {

namespace {

using json = nlohmann::json;

// S3's bucket naming rules (3–63 lowercase letters, digits, '.' and '-', starting and ending with a
// letter or digit), which every S3-compatible store follows for new buckets.
bool valid_bucket_name(const std::string& b) {
  if (b.size() < 3 || b.size() > 63) return false;
  auto alnum = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
  if (!alnum(b.front()) || !alnum(b.back())) return false;
  return std::all_of(b.begin(), b.end(), [&](char c) { return alnum(c) || c == '.' || c == '-'; });
}

S3Storage read_s3(SpecReader& r, const json& s3, const std::string& p) {
  S3Storage out;
  out.bucket = r.string(s3, "bucket", p + ".bucket", true);
  if (!out.bucket.empty() && !valid_bucket_name(out.bucket)) {
    r.error(
        p +
        ".bucket must be an S3 bucket name: 3-63 lowercase letters, digits, '.' and '-' (it is \"" +
        out.bucket + "\")");
  }
  out.prefix = r.string(s3, "prefix", p + ".prefix", false);
  while (!out.prefix.empty() && out.prefix.back() == '/') out.prefix.pop_back();
  if (!out.prefix.empty() && out.prefix.front() == '/') {
    r.error(p + ".prefix must not start with '/' (it is \"" + out.prefix + "\")");
  }
  out.endpoint = r.string(s3, "endpoint", p + ".endpoint", false);
  while (!out.endpoint.empty() && out.endpoint.back() == '/') out.endpoint.pop_back();
  if (!out.endpoint.empty() && !out.endpoint.starts_with("https://") &&
      !out.endpoint.starts_with("http://")) {
    r.error(p + ".endpoint must be a URL starting with https:// or http:// (it is \"" +
            out.endpoint + "\")");
  }
  if (std::string region = r.string(s3, "region", p + ".region", false); !region.empty()) {
    out.region = region;
  }
  out.force_path_style = r.boolean(s3, "forcePathStyle", p + ".forcePathStyle", false);
  if (const json* ref = r.object(s3, "credentialsSecretRef", p + ".credentialsSecretRef", true)) {
    out.credentials_secret_ref.name =
        r.string(*ref, "name", p + ".credentialsSecretRef.name", true);
  }
  if (const json* ref = r.object(s3, "caSecretRef", p + ".caSecretRef", false)) {
    out.ca_secret_ref = SecretKeyRef{r.string(*ref, "name", p + ".caSecretRef.name", true),
                                     r.string(*ref, "key", p + ".caSecretRef.key", true)};
  }
  return out;
}

json to_json(const S3Storage& s3) {
  json j = {{"bucket", s3.bucket},
            {"region", s3.region},
            {"forcePathStyle", s3.force_path_style},
            {"credentialsSecretRef", {{"name", s3.credentials_secret_ref.name}}}};
  if (!s3.prefix.empty()) j["prefix"] = s3.prefix;
  if (!s3.endpoint.empty()) j["endpoint"] = s3.endpoint;
  if (s3.ca_secret_ref) {
    j["caSecretRef"] = {{"name", s3.ca_secret_ref->name}, {"key", s3.ca_secret_ref->key}};
  }
  return j;
}

EncryptionSpec read_encryption(SpecReader& r, const json& encryption, const std::string& p) {
  EncryptionSpec out;
  const std::string field = p + ".ageRecipients";
  auto list = encryption.find("ageRecipients");
  if (list == encryption.end() || !list->is_array() || list->empty()) {
    r.error(field + " needs at least one age public key (age1...), as age-keygen prints it");
    return out;
  }
  for (size_t i = 0; i < list->size(); ++i) {
    const std::string at = field + "[" + std::to_string(i) + "]";
    const json& item = (*list)[i];
    if (!item.is_string()) {
      r.error(at + " must be a string");
      continue;
    }
    const std::string recipient = item.get<std::string>();
    if (auto problem = age::recipient_problem(recipient)) {
      r.error(at + " is not an age public key: " + *problem);
      continue;
    }
    if (std::find(out.age_recipients.begin(), out.age_recipients.end(), recipient) !=
        out.age_recipients.end()) {
      r.error(at + " repeats " + recipient);
      continue;
    }
    out.age_recipients.push_back(recipient);
  }
  return out;
}

}  // namespace

const char* to_string(Phase phase) {
  switch (phase) {
    case Phase::kPending:
      return "Pending";
    case Phase::kInProgress:
      return "InProgress";
    case Phase::kCompleted:
      return "Completed";
    case Phase::kFailed:
      return "Failed";
    case Phase::kCancelled:
      return "Cancelled";
    case Phase::kNone:
      break;
  }
  return "";
}

Phase parse_phase(const std::string& text) {
  for (Phase p : {Phase::kPending, Phase::kInProgress, Phase::kCompleted, Phase::kFailed,
                  Phase::kCancelled}) {
    if (text == to_string(p)) return p;
  }
  return Phase::kNone;
}

bool is_terminal(Phase phase) {
  return phase == Phase::kCompleted || phase == Phase::kFailed || phase == Phase::kCancelled;
}

DatabaseSpec parse_database_spec(const json& db, std::vector<std::string>* errors,
                                 const std::string& p) {
  DatabaseSpec out;
  SpecReader r(errors);
  out.host = r.string(db, "host", p + ".host", true);
  out.port = static_cast<int>(r.integer(db, "port", p + ".port", 1, 65535).value_or(5432));
  out.name = r.string(db, "name", p + ".name", true);
  out.user = r.string(db, "user", p + ".user", true);
  if (const json* ref = r.object(db, "passwordSecretRef", p + ".passwordSecretRef", true)) {
    out.password_secret_ref.name = r.string(*ref, "name", p + ".passwordSecretRef.name", true);
    out.password_secret_ref.key = r.string(*ref, "key", p + ".passwordSecretRef.key", true);
  }
  if (db.contains("sslMode")) {
    out.ssl_mode = r.one_of(
        db, "sslMode", p + ".sslMode",
        std::array{"disable", "allow", "prefer", "require", "verify-ca", "verify-full"}, "");
  }
  return out;
}

json to_json(const DatabaseSpec& d) {
  json db = {{"host", d.host},
             {"port", d.port},
             {"name", d.name},
             {"user", d.user},
             {"passwordSecretRef",
              {{"name", d.password_secret_ref.name}, {"key", d.password_secret_ref.key}}}};
  if (!d.ssl_mode.empty()) db["sslMode"] = d.ssl_mode;
  return db;
}

BackupSpec parse_backup_spec(const json& spec, std::vector<std::string>* errors,
                             const std::string& prefix) {
  BackupSpec out;
  SpecReader r(errors);
  if (!spec.is_object()) {
    r.error(prefix + " is required");
    return out;
  }
  if (const json* db = r.object(spec, "database", prefix + ".database", true)) {
    out.database = parse_database_spec(*db, errors, prefix + ".database");
  }
  if (const json* storage = r.object(spec, "storage", prefix + ".storage", true)) {
    const std::string p = prefix + ".storage.persistentVolumeClaim";
    const json* s3 = r.object(*storage, "s3", prefix + ".storage.s3", false);
    if (s3) out.storage.s3 = read_s3(r, *s3, prefix + ".storage.s3");
    if (const json* pvc = r.object(*storage, "persistentVolumeClaim", p, false)) {
      PvcStorage claim;
      claim.claim_name = r.string(*pvc, "claimName", p + ".claimName", true);
      claim.sub_path = r.string(*pvc, "subPath", p + ".subPath", false);
      if (!claim.sub_path.empty() &&
          (claim.sub_path.front() == '/' || claim.sub_path == ".." ||
           claim.sub_path.starts_with("../") || claim.sub_path.find("/../") != std::string::npos ||
           claim.sub_path.ends_with("/.."))) {
        r.error(p + ".subPath must be a relative path inside the volume (it is \"" +
                claim.sub_path + "\")");
      }
      out.storage.persistent_volume_claim = claim;
    }
    if (out.storage.persistent_volume_claim && s3) {
      r.error(prefix + ".storage must have exactly one of persistentVolumeClaim and s3, not both");
    } else if (!out.storage.persistent_volume_claim && !s3) {
      r.error(prefix + ".storage needs persistentVolumeClaim or s3");
    }
  }
  out.format = r.one_of(spec, "format", prefix + ".format", std::array{"custom", "plain"},
                        "custom") == "plain"
                   ? DumpFormat::kPlain
                   : DumpFormat::kCustom;
  if (auto level = r.integer(spec, "compressionLevel", prefix + ".compressionLevel", 0, 9)) {
    out.compression_level = static_cast<int>(*level);
  }
  out.active_deadline_seconds = r.integer(spec, "activeDeadlineSeconds",
                                          prefix + ".activeDeadlineSeconds", 1, int64_t{1} << 40)
                                    .value_or(3600);
  out.backoff_limit = static_cast<int>(
      r.integer(spec, "backoffLimit", prefix + ".backoffLimit", 0, 1000).value_or(1));
  out.deletion_policy = r.one_of(spec, "deletionPolicy", prefix + ".deletionPolicy",
                                 std::array{"Retain", "Delete"}, "Retain") == "Delete"
                            ? DeletionPolicy::kDelete
                            : DeletionPolicy::kRetain;
  if (auto it = spec.find("cancel"); it != spec.end() && !it->is_null()) {
    if (it->is_boolean()) {
      out.cancel = it->get<bool>();
    } else {
      r.error(prefix + ".cancel must be true or false");
    }
  }
  if (const json* encryption = r.object(spec, "encryption", prefix + ".encryption", false)) {
    out.encryption = read_encryption(r, *encryption, prefix + ".encryption");
  }
  return out;
}

json to_json(const BackupSpec& s) {
  json db = to_json(s.database);
  json storage = json::object();
  if (const auto& pvc = s.storage.persistent_volume_claim) {
    storage["persistentVolumeClaim"] = {{"claimName", pvc->claim_name}};
    if (!pvc->sub_path.empty()) storage["persistentVolumeClaim"]["subPath"] = pvc->sub_path;
  }
  if (const auto& s3 = s.storage.s3) storage["s3"] = to_json(*s3);
  json j = {{"database", db},
            {"storage", storage},
            {"format", s.format == DumpFormat::kPlain ? "plain" : "custom"},
            {"activeDeadlineSeconds", s.active_deadline_seconds},
            {"backoffLimit", s.backoff_limit},
            {"deletionPolicy", s.deletion_policy == DeletionPolicy::kDelete ? "Delete" : "Retain"},
            {"cancel", s.cancel}};
  if (s.compression_level) j["compressionLevel"] = *s.compression_level;
  if (s.encryption) j["encryption"] = {{"ageRecipients", s.encryption->age_recipients}};
  return j;
}

json to_json(const BackupStatus& s) {
  json j = json::object();
  auto put = [&](const char* key, const std::string& v) {
    if (!v.empty()) j[key] = v;
  };
  put("phase", to_string(s.phase));
  put("message", s.message);
  put("jobName", s.job_name);
  put("startTime", s.start_time);
  put("completionTime", s.completion_time);
  if (s.duration_seconds) j["durationSeconds"] = *s.duration_seconds;
  if (s.size_bytes) j["sizeBytes"] = *s.size_bytes;
  put("size", s.size);
  put("location", s.location);
  put("checksum", s.checksum);
  put("serverVersion", s.server_version);
  if (s.database_size_bytes) j["databaseSizeBytes"] = *s.database_size_bytes;
  if (s.encrypted) j["encrypted"] = *s.encrypted;
  if (const auto& dump = s.encrypted_dump) {
    if (dump->plaintext_size_bytes) j["plaintextSizeBytes"] = *dump->plaintext_size_bytes;
    if (!dump->recipient_fingerprints.empty()) {
      j["recipientFingerprints"] = dump->recipient_fingerprints;
    }
  }
  if (s.observed_generation > 0) j["observedGeneration"] = s.observed_generation;
  if (!s.conditions.empty()) j["conditions"] = conditions_to_json(s.conditions);
  return j;
}

BackupStatus parse_backup_status(const json& j) {
  BackupStatus s;
  if (!j.is_object()) return s;
  auto str = [&](const char* key) { return string_field(j, key); };
  auto num = [&](const char* key) { return int_field(j, key); };
  s.phase = parse_phase(str("phase"));
  s.message = str("message");
  s.job_name = str("jobName");
  s.start_time = str("startTime");
  s.completion_time = str("completionTime");
  s.duration_seconds = num("durationSeconds");
  s.size_bytes = num("sizeBytes");
  s.size = str("size");
  s.location = str("location");
  s.checksum = str("checksum");
  s.server_version = str("serverVersion");
  s.database_size_bytes = num("databaseSizeBytes");
  if (auto it = j.find("encrypted"); it != j.end() && it->is_boolean()) {
    s.encrypted = it->get<bool>();
  }
  EncryptedDump dump;
  dump.plaintext_size_bytes = num("plaintextSizeBytes");
  if (auto it = j.find("recipientFingerprints"); it != j.end() && it->is_array()) {
    for (const json& f : *it) {
      if (f.is_string()) dump.recipient_fingerprints.push_back(f.get<std::string>());
    }
  }
  if (dump.plaintext_size_bytes || !dump.recipient_fingerprints.empty()) {
    s.encrypted_dump = std::move(dump);
  }
  s.observed_generation = num("observedGeneration").value_or(0);
  if (auto it = j.find("conditions"); it != j.end()) s.conditions = parse_conditions(*it);
  return s;
}

Backup parse_backup(const json& object) {
  Backup b;
  b.meta = parse_object_meta(object);
  auto spec = object.find("spec");
  b.spec = parse_backup_spec(spec == object.end() ? json() : *spec, &b.spec_errors);
  if (auto st = object.find("status"); st != object.end()) b.status = parse_backup_status(*st);
  return b;
}

}  // namespace cellar::api
