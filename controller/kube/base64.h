// Base64 as Kubernetes carries it, in kubeconfigs' *-data fields and Secrets' data: the standard
// alphabet, padding optional, line breaks and spaces tolerated.
#pragma once

#include <optional>
#include <string>

namespace cellar::kube {

// The decoded bytes, or nullopt when `text` holds a character outside the alphabet.
std::optional<std::string> base64_decode(const std::string& text);

// `bytes` in the standard alphabet, padded.
std::string base64_encode(const std::string& bytes);

}  // namespace cellar::kube
