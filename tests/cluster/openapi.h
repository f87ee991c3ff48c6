// The OpenAPI documents kubectl reads: the /openapi/v3 index and one v3 document per group
// version. kubectl uses them to learn that the server validates fields itself
// (`fieldValidation` on each PATCH operation, so `kubectl apply` skips client-side validation)
// and for `kubectl explain`, which walks a kind's schema (a CRD's openAPIV3Schema as written).
//
// Patch operations list JSON patch and merge patch only: kubectl then builds strategic merge
// patches for built-ins from its own knowledge rather than from schemas this server lacks.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "tests/cluster/resource_type.h"

namespace cellar::testcluster {

using json = nlohmann::json;

// /openapi/v3: {"paths": {"apis/cellar.dev/v1alpha1": {"serverRelativeURL":
// "/openapi/v3/apis/cellar.dev/v1alpha1?hash=..."}, ...}}. The hash changes with the document,
// so clients' caches stay right as CRDs come and go.
json openapi_v3_index(const std::vector<ResourceType>& types);

// /openapi/v3/api/v1 (group "") or /openapi/v3/apis/GROUP/VERSION; nullopt when nothing is
// served there.
std::optional<json> openapi_v3_document(const std::vector<ResourceType>& types,
                                        const std::string& group, const std::string& version);

// The components.schemas name of a kind: "dev.cellar.v1alpha1.Backup", "io.k8s.api.batch.v1.Job".
std::string schema_name(const ResourceType& type);

}  // namespace cellar::testcluster
