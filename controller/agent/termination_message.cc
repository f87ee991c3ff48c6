#include "controller/agent/termination_message.h"

#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>

namespace cellar::agent {
namespace {

using nlohmann::json;

// Replace rather than throw on bytes that are not UTF-8: pg_dump may speak another encoding.
std::string serialize(const json& document) {
  return document.dump(-1, ' ', false, json::error_handler_t::replace);
}

// Millisecond precision is all a person or a status field needs.
double rounded(double seconds) {
  return std::round(seconds * 1000) / 1000;
}

// The longest prefix of `text` of at most `size` bytes that does not split a UTF-8 character.
std::string utf8_prefix(const std::string& text, size_t size) {
  if (size >= text.size()) return text;
  while (size > 0 && (static_cast<unsigned char>(text[size]) & 0xC0) == 0x80) --size;
  return text.substr(0, size);
}

}  // namespace

std::string success_message(const DumpSuccess& success) {
  json document = {
      {"bytes", success.bytes},
      {"sha256", success.sha256},
      {"location", success.location},
      {"serverVersion", success.server_version},
      {"databaseSizeBytes", success.database_size_bytes},
      {"durationSeconds", rounded(success.duration_seconds)},
  };
  if (success.encrypted) {
    document["encrypted"] = true;
    document["plaintextBytes"] = success.plaintext_bytes;
    document["recipientFingerprints"] = success.recipient_fingerprints;
  }
  return serialize(document);
}

namespace {

// Serializes `document`, cutting its "error" (ending it in "...") until the line and its
// newline fit in `limit` bytes.
std::string fitted(json document, size_t limit) {
  // The newline written after the line counts toward the limit too.
  const size_t budget = limit - 1;
  std::string line = serialize(document);
  std::string error = document["error"].get<std::string>();
  // Escaping can make the JSON longer than the text, so shrink until the line fits.
  while (line.size() > budget && !error.empty()) {
    size_t excess = line.size() - budget;
    size_t keep = error.size() > excess + 3 ? error.size() - excess - 3 : 0;
    error = utf8_prefix(error, keep);
    document["error"] = error + "...";
    line = serialize(document);
  }
  return line;
}

}  // namespace

std::string failure_message(const DumpFailure& failure, size_t limit) {
  json document = {{"error", failure.error}};
  if (!failure.server_version.empty()) document["serverVersion"] = failure.server_version;
  if (failure.database_size_bytes) document["databaseSizeBytes"] = *failure.database_size_bytes;
  if (failure.duration_seconds) document["durationSeconds"] = rounded(*failure.duration_seconds);
  return fitted(document, limit);
}

std::string restore_success_message(const RestoreSuccess& success) {
  json document = {
      {"restored", true},
      {"bytes", success.bytes},
      {"sha256", success.sha256},
      {"location", success.location},
      {"database", success.database},
      {"serverVersion", success.server_version},
      {"createdDatabase", success.created_database},
      {"durationSeconds", rounded(success.duration_seconds)},
  };
  return serialize(document);
}

std::string restore_failure_message(const RestoreFailure& failure, size_t limit) {
  json document = {{"error", failure.error}};
  if (!failure.location.empty()) document["location"] = failure.location;
  if (!failure.database.empty()) document["database"] = failure.database;
  if (!failure.server_version.empty()) document["serverVersion"] = failure.server_version;
  if (failure.created_database) document["createdDatabase"] = *failure.created_database;
  if (failure.duration_seconds) document["durationSeconds"] = rounded(*failure.duration_seconds);
  return fitted(document, limit);
}

std::string deleted_message(const std::string& location) {
  return serialize(json{{"deleted", true}, {"location", location}});
}

std::string write_termination_message(const std::string& path, const std::string& message) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) return "cannot open " + path + ": " + std::strerror(errno);
  out << message << '\n';
  out.close();
  if (!out) return "cannot write " + path + ": " + std::strerror(errno);
  return "";
}

}  // namespace cellar::agent
