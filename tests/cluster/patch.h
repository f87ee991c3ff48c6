// The patch types kube-apiserver accepts: JSON merge patch (RFC 7386), JSON patch (RFC 6902) and
// strategic merge patch (for built-in kinds; kube-apiserver refuses it for custom resources).
//
// Pure functions over JSON documents. Errors are returned as values with the apiserver's wording,
// so the REST layer can put them into a 422/400 Status as they are.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace cellar::testcluster {

using json = nlohmann::json;

// RFC 7386: objects merge recursively, null deletes, anything else replaces.
json merge_patch(json target, const json& patch);

// RFC 6902 (add, remove, replace, move, copy, test). On failure returns nullopt and sets *error
// (when not null) to a message naming the operation that failed.
std::optional<json> json_patch(json target, const json& operations, std::string* error);

// Strategic merge patch: a merge patch, except that lists with a merge key are merged element by
// element (containers, initContainers, ephemeralContainers, volumes, env, envFrom-less ports by
// their key: name / containerPort; volumeMounts by mountPath; conditions by type; ownerReferences
// by uid; imagePullSecrets by name), lists of primitives with "merge" strategy (finalizers) are
// merged as sets, and the directives `$patch: delete|replace|merge`,
// `$deleteFromPrimitiveList/<field>`, `$setElementOrder/<field>` and `$retainKeys` are honoured.
// `kind` ("Pod", "Job", ...) selects where those lists are; unknown kinds fall back to the
// metadata lists only. Returns nullopt and sets *error on a malformed patch.
std::optional<json> strategic_merge_patch(json target, const json& patch, const std::string& kind,
                                          std::string* error);

}  // namespace cellar::testcluster
