// The REST layer's side of managedFields: recording who wrote what on every write that is not
// a server-side apply (create, update, merge/JSON/strategic patch), as kube-apiserver does.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "tests/cluster/api_path.h"
#include "tests/cluster/http_server.h"
#include "tests/cluster/managed_fields.h"
#include "tests/cluster/resource_type.h"

namespace cellar::testcluster {

// The manager of a request: ?fieldManager=, else from its User-Agent.
std::string request_manager(const HttpRequestData& request);

// Where a write to `path` lands, for ownership.
WriteScope write_scope(const ResourceType& type, const ApiPath& path);

// Now, in RFC 3339 seconds, as managedFields times are written.
std::string managed_fields_time();

// Puts `entries` into `object`'s metadata.managedFields (removes the field when there are none).
void set_managed_fields(json& object, const ManagedFields& entries);

// Sets `after`'s managedFields for a non-apply write that turned `before` (null on create) into
// `after`. `sent` is the object as the request left it (its managedFields may replace or reset
// the live ones).
void record_update(json& after, const json& before, const json& sent, const ResourceType& type,
                   const ApiPath& path, const HttpRequestData& request);

}  // namespace cellar::testcluster
