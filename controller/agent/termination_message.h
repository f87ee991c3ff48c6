// The one line of JSON the agent leaves at the container's termination-message path, which the
// controller reads from the Pod's status to fill in the Backup's. Kubernetes keeps at most 4096
// bytes of it, so every message built here fits, and stays valid JSON, however long its error.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace cellar::agent {

// Kubernetes' cap on a termination message, in bytes.
inline constexpr size_t kTerminationMessageLimit = 4096;

struct DumpSuccess {
  uint64_t bytes = 0;
  std::string sha256;  // hex
  std::string location;
  std::string server_version;
  int64_t database_size_bytes = 0;
  double duration_seconds = 0;
  // An age-encrypted dump: `bytes` and `sha256` are of the stored (encrypted) file; these say
  // how much pg_dump wrote and to whom the dump was encrypted (recipient_fingerprint()).
  bool encrypted = false;
  uint64_t plaintext_bytes = 0;
  std::vector<std::string> recipient_fingerprints;
};

// What was learned before a dump failed; fields left empty are left out of the message.
struct DumpFailure {
  std::string error;
  std::string server_version;
  std::optional<int64_t> database_size_bytes;
  std::optional<double> duration_seconds;
};

struct RestoreSuccess {
  uint64_t bytes = 0;
  std::string sha256;  // hex
  std::string location;
  std::string database;
  std::string server_version;
  bool created_database = false;
  double duration_seconds = 0;
};

// What was learned before a restore failed; fields left empty are left out of the message.
struct RestoreFailure {
  std::string error;
  std::string location;
  std::string database;
  std::string server_version;
  std::optional<bool> created_database;  // set once the target was prepared
  std::optional<double> duration_seconds;
};

// {"bytes":…,"sha256":"…","location":"…","serverVersion":"…","databaseSizeBytes":…,
//  "durationSeconds":…}, and for an encrypted dump "encrypted":true,"plaintextBytes":…,
//  "recipientFingerprints":["…"]
std::string success_message(const DumpSuccess& success);
// {"error":"…", and whatever else was learned}. The error is cut short (ending in "...") when
// the line would pass `limit` bytes.
std::string failure_message(const DumpFailure& failure, size_t limit = kTerminationMessageLimit);
// {"restored":true,"bytes":…,"sha256":"…","location":"…","database":"…","serverVersion":"…",
//  "createdDatabase":…,"durationSeconds":…}
std::string restore_success_message(const RestoreSuccess& success);
// {"error":"…", and whatever else was learned}, cut to `limit` as failure_message is.
std::string restore_failure_message(const RestoreFailure& failure,
                                    size_t limit = kTerminationMessageLimit);
// {"deleted":true,"location":"…"}
std::string deleted_message(const std::string& location);

// Replaces the file at `path` with `message` and a newline. Returns an error text, or empty.
std::string write_termination_message(const std::string& path, const std::string& message);

}  // namespace cellar::agent
