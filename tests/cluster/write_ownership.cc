#include "tests/cluster/write_ownership.h"

#include <chrono>
#include <ctime>

namespace cellar::testcluster {

std::string request_manager(const HttpRequestData& request) {
  return manager_name(request.query_param("fieldManager"), request.header("user-agent"));
}

WriteScope write_scope(const ResourceType& type, const ApiPath& path) {
  return {type.api_version(), path.subresource, type.status_subresource};
}

std::string managed_fields_time() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm utc{};
  gmtime_r(&now, &utc);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return buffer;
}

void set_managed_fields(json& object, const ManagedFields& entries) {
  if (!object["metadata"].is_object()) object["metadata"] = json::object();
  json encoded = encode_managed_fields(entries);
  if (encoded.empty()) {
    object["metadata"].erase("managedFields");
  } else {
    object["metadata"]["managedFields"] = std::move(encoded);
  }
}

void record_update(json& after, const json& before, const json& sent, const ResourceType& type,
                   const ApiPath& path, const HttpRequestData& request) {
  const WriteScope scope = write_scope(type, path);
  ManagedFields entries = starting_fields(before, sent, !scope.subresource.empty());
  entries = update_fields(before, after, std::move(entries), request_manager(request), scope,
                          FieldShape::root(type.schema), managed_fields_time());
  set_managed_fields(after, entries);
}

}  // namespace cellar::testcluster
