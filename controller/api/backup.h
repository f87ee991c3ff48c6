// The Backup resource (cellar.dev/v1alpha1): its spec and status as plain structs, read from and
// written to JSON. DESIGN.md fixes the fields; the CRD in crds/ is their schema.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "controller/api/boxed.h"
#include "controller/api/condition.h"
#include "controller/api/object_meta.h"

namespace cellar::api {

inline constexpr const char* kGroup = "cellar.dev";
inline constexpr const char* kVersion = "v1alpha1";
inline constexpr const char* kApiVersion = "cellar.dev/v1alpha1";

// Held on a Backup whose dump must be removed before the Backup may go (deletionPolicy Delete).
inline constexpr const char* kDumpFinalizer = "cellar.dev/delete-dump";

struct SecretKeyRef {
  std::string name;
  std::string key;
  bool operator==(const SecretKeyRef&) const = default;
};

struct DatabaseSpec {
  std::string host;
  int port = 5432;
  std::string name;
  std::string user;
  SecretKeyRef password_secret_ref;
  std::string ssl_mode;  // empty: libpq's default
  bool operator==(const DatabaseSpec&) const = default;
};

struct PvcStorage {
  std::string claim_name;
  std::string sub_path;  // empty: the volume's root
  bool operator==(const PvcStorage&) const = default;
};

struct SecretRef {
  std::string name;
  bool operator==(const SecretRef&) const = default;
};

// An object in an S3-compatible store (AWS S3, MinIO, Ceph RGW, R2, ...).
struct S3Storage {
  std::string bucket;
  std::string prefix;    // without a leading or trailing '/'; empty: the bucket's root
  std::string endpoint;  // https://host[:port] (or http://); empty: AWS for the region
  std::string region = "us-east-1";
  bool force_path_style = false;  // <endpoint>/<bucket>/<key> instead of <bucket>.<endpoint>/<key>
  // Keys AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and optionally AWS_SESSION_TOKEN.
  SecretRef credentials_secret_ref;
  std::optional<SecretKeyRef> ca_secret_ref;  // a PEM bundle that signs the endpoint's certificate
  bool operator==(const S3Storage&) const = default;
};

// Exactly one of them is set in a valid spec.
struct StorageSpec {
  std::optional<PvcStorage> persistent_volume_claim;
  std::optional<S3Storage> s3;
  bool operator==(const StorageSpec&) const = default;
};

// The keys of an S3 credentials Secret.
inline constexpr const char* kAwsAccessKeyId = "AWS_ACCESS_KEY_ID";
inline constexpr const char* kAwsSecretAccessKey = "AWS_SECRET_ACCESS_KEY";
inline constexpr const char* kAwsSessionToken = "AWS_SESSION_TOKEN";

enum class DumpFormat { kCustom, kPlain };
enum class DeletionPolicy { kRetain, kDelete };

// The dump is encrypted as it streams, in the age format, to each of these public keys: whoever
// holds one of their identities (private keys) can read it; the cluster never needs one to back up.
struct EncryptionSpec {
  std::vector<std::string> age_recipients;
  bool operator==(const EncryptionSpec&) const = default;
};

struct BackupSpec {
  DatabaseSpec database;
  StorageSpec storage;
  DumpFormat format = DumpFormat::kCustom;
  std::optional<int> compression_level;
  int64_t active_deadline_seconds = 3600;
  int backoff_limit = 1;
  DeletionPolicy deletion_policy = DeletionPolicy::kRetain;
  bool cancel = false;
  Boxed<EncryptionSpec> encryption;  // unset: the dump is stored as pg_dump wrote it
  bool operator==(const BackupSpec&) const = default;
};

// What an encrypted dump's status adds (see BackupStatus::encrypted).
struct EncryptedDump {
  std::optional<int64_t> plaintext_size_bytes;
  std::vector<std::string> recipient_fingerprints;
  bool operator==(const EncryptedDump&) const = default;
};

enum class Phase { kNone, kPending, kInProgress, kCompleted, kFailed, kCancelled };

const char* to_string(Phase phase);
Phase parse_phase(const std::string& text);
// Completed, Failed and Cancelled never change again.
bool is_terminal(Phase phase);

struct BackupStatus {
  Phase phase = Phase::kNone;
  // Set when the dump completes (kept beside the phase, where it fits in the padding). Encrypted:
  // the size and checksum below are of the stored (encrypted) bytes, so storage can be checked
  // without the key; pg_dump's own output size is kept in encrypted_dump, and a short fingerprint
  // of each recipient it was encrypted to.
  std::optional<bool> encrypted;
  std::string message;
  std::string job_name;
  std::string start_time;       // RFC 3339
  std::string completion_time;  // RFC 3339
  std::optional<int64_t> duration_seconds;
  std::optional<int64_t> size_bytes;
  std::string size;  // "1.55 MiB"
  std::string location;
  std::string checksum;  // "sha256:<hex>"
  std::string server_version;
  std::optional<int64_t> database_size_bytes;
  Boxed<EncryptedDump> encrypted_dump;  // when encrypted
  int64_t observed_generation = 0;
  std::vector<Condition> conditions;
  bool operator==(const BackupStatus&) const = default;
};

struct Backup {
  ObjectMeta meta;
  BackupSpec spec;
  // What is wrong with the spec, one sentence each naming the field and what to do; empty when
  // the spec is usable. The API server's schema catches most of this first, but the controller
  // must never trust that it ran.
  std::vector<std::string> spec_errors;
  BackupStatus status;
};

// A DatabaseSpec (a Backup's database, a Restore's target) from `db`; errors name fields from
// `field_prefix`.
DatabaseSpec parse_database_spec(const nlohmann::json& db, std::vector<std::string>* errors,
                                 const std::string& field_prefix);
nlohmann::json to_json(const DatabaseSpec& database);

Backup parse_backup(const nlohmann::json& object);
BackupSpec parse_backup_spec(const nlohmann::json& spec, std::vector<std::string>* errors,
                             const std::string& field_prefix = "spec");
nlohmann::json to_json(const BackupSpec& spec);
nlohmann::json to_json(const BackupStatus& status);
BackupStatus parse_backup_status(const nlohmann::json& status);

}  // namespace cellar::api
