// The test hooks' state (tests/cluster/README.md): injected faults and request counters.
//
// Faults: the next N API requests (optionally only those matching a path prefix and a method)
// fail with a chosen code, every API request may be delayed, and so may every watch event. Stats:
// how many API requests arrived, and how many writes, by user agent and by resource and verb. Both
// are thread-safe; the hooks themselves never count and never fail.
#pragma once

#include <chrono>
#include <deque>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "tests/cluster/api_error.h"

namespace cellar::testcluster {

class Faults {
 public:
  // What a POST /cellar-test/v1/faults body asked for beyond the state kept here.
  struct Actions {
    bool close_watches = false;
  };

  // Applies a faults body: {"closeWatches": true}, {"failNext": {"count", "code", "pathPrefix",
  // "method", "retryAfterSeconds"}}, {"latencyMs": N}, {"reset": true} (several may be combined;
  // reset goes first). nullopt with *error for a malformed body.
  std::optional<Actions> configure(const nlohmann::json& body, std::string* error);

  // The delay every API request waits first; zero when off.
  std::chrono::milliseconds latency() const;
  // How long after it happened each watch event goes out; zero when off.
  std::chrono::milliseconds watch_delay() const;

  // The error this request must answer with, if an injected failure applies to it (using up one
  // of the failures).
  std::optional<ApiError> take(const std::string& method, const std::string& path);

  void reset();

 private:
  mutable std::mutex mu_;
  int fail_count_ = 0;
  int fail_code_ = 500;
  int retry_after_seconds_ = 1;
  std::string fail_path_prefix_;
  std::string fail_method_;
  std::chrono::milliseconds latency_{0};
  std::chrono::milliseconds watch_delay_{0};
};

// Counters for GET /cellar-test/v1/stats.
class RequestStats {
 public:
  // One API request. `resource` is "backups.cellar.dev" (or "backups.cellar.dev/status" for a
  // subresource), empty for non-resource paths; `verb` is create, update, patch, delete,
  // deletecollection, get, list or watch. POST, PUT, PATCH and DELETE count as writes.
  void record(const std::string& method, const std::string& user_agent, const std::string& resource,
              const std::string& verb);

  // {"requests", "writes", "requestsByUserAgent", "writesByUserAgent", "writesByResource",
  //  "readsByUserAgent": {agent: {resource: {verb: n}}}, "watches"}.
  nlohmann::json snapshot(size_t open_watches) const;
  void reset();

  // One API write, once answered: when it arrived (the server's clock), what it was and the
  // status it got. The last 100000 are kept, for GET /cellar-test/v1/writes.
  void log_write(std::chrono::system_clock::time_point arrived, const std::string& method,
                 const std::string& path, const std::string& user_agent, int code);
  // {"writes": [{"micros", "method", "path", "userAgent", "code"}, ...]}, oldest first.
  nlohmann::json write_log() const;

 private:
  mutable std::mutex mu_;
  long requests_ = 0;
  long writes_ = 0;
  std::map<std::string, long> requests_by_user_agent_;
  std::map<std::string, long> writes_by_user_agent_;
  std::map<std::string, std::map<std::string, long>> writes_by_resource_;
  std::map<std::string, std::map<std::string, std::map<std::string, long>>> reads_by_user_agent_;
  std::deque<nlohmann::json> write_log_;
};

}  // namespace cellar::testcluster
