// The Restore resource (cellar.dev/v1alpha1): one Completed Backup's dump brought back into a
// database. Its spec and status as plain structs, read from and written to JSON; DESIGN.md fixes
// the fields, crds/restores.cellar.dev.yaml is their schema.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "controller/api/backup.h"

namespace cellar::api {

struct RestoreSpec {
  std::string backup_name;  // a Completed Backup in the Restore's namespace
  DatabaseSpec target;
  bool create_database = false;  // create target.name first (and drop it again on failure)
  bool clean = false;            // drop what the dump recreates first (custom format only)
  int64_t active_deadline_seconds = 3600;
  int backoff_limit = 0;
  // An encrypted Backup's dump is read with this age identity (private key); it reaches the
  // Job only as a file from a Secret volume, never through env, args or status.
  std::optional<SecretKeyRef> identity_secret_ref;  // spec.decryption.identitySecretRef
  bool operator==(const RestoreSpec&) const = default;
};

// The Backup as it was when the restore began: what was restored, even after the Backup is gone.
struct RestoredBackup {
  std::string name;
  std::string location;
  std::string checksum;  // "sha256:<hex>", verified before the target was touched
  bool operator==(const RestoredBackup&) const = default;
};

struct RestoreStatus {
  Phase phase = Phase::kNone;
  std::string message;
  std::string job_name;
  std::string start_time;       // RFC 3339
  std::string completion_time;  // RFC 3339
  std::optional<int64_t> duration_seconds;
  RestoredBackup backup;
  int64_t observed_generation = 0;
  std::vector<Condition> conditions;
  bool operator==(const RestoreStatus&) const = default;
};

struct Restore {
  ObjectMeta meta;
  RestoreSpec spec;
  // What is wrong with the spec, one sentence each naming the field; empty when usable.
  std::vector<std::string> spec_errors;
  RestoreStatus status;
};

Restore parse_restore(const nlohmann::json& object);
RestoreSpec parse_restore_spec(const nlohmann::json& spec, std::vector<std::string>* errors);
nlohmann::json to_json(const RestoreSpec& spec);
nlohmann::json to_json(const RestoreStatus& status);
RestoreStatus parse_restore_status(const nlohmann::json& status);

}  // namespace cellar::api
