// The body of a server-side apply request (application/apply-patch+yaml): YAML, of which JSON
// is a subset, decoded as kube-apiserver's YAML reader (sigs.k8s.io/yaml) decodes it.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace cellar::testcluster {

// The document as JSON; nullopt and *error (the parser's words) when it is not YAML.
std::optional<nlohmann::json> decode_apply_body(const std::string& body, std::string* error);

}  // namespace cellar::testcluster
