// API discovery as kube-apiserver answers it in its legacy (unaggregated) form, which kubectl and
// client-go fall back to when the answer's Content-Type is plain application/json: /api,
// /api/v1, /apis, /apis/GROUP, /apis/GROUP/VERSION, and /version.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "tests/cluster/resource_type.h"

namespace cellar::testcluster {

using json = nlohmann::json;

// The Kubernetes release this server reports: kubectl's dispatcher picks a matching client.
inline constexpr const char* kKubernetesVersion = "v1.33.1";

// /version: major, minor, gitVersion, platform, ...
json version_info();

// /api: APIVersions naming v1, with `server_address` ("127.0.0.1:PORT") for every client CIDR.
json core_api_versions(const std::string& server_address);

// /apis: an APIGroupList of every group but the core one, versions ordered by preference.
json api_group_list(const std::vector<ResourceType>& types);

// /apis/GROUP: an APIGroup; nullopt when no type is in that group.
std::optional<json> api_group(const std::vector<ResourceType>& types, const std::string& group);

// /api/v1 and /apis/GROUP/VERSION: an APIResourceList with each resource's verbs, short names,
// categories and singular name, and its subresources ("jobs/status"); nullopt when nothing is
// served at that group and version.
std::optional<json> api_resource_list(const std::vector<ResourceType>& types,
                                      const std::string& group, const std::string& version);

// Kubernetes' version priority: GA before beta before alpha, higher numbers first, then other
// strings alphabetically ("v2" < "v1" < "v1beta2" < "v1beta1" < "v1alpha1" < "foo").
bool version_precedes(const std::string& a, const std::string& b);

// The verbs a type supports, defaulting to the usual eight when the type names none.
std::vector<std::string> resource_verbs(const ResourceType& type);

}  // namespace cellar::testcluster
