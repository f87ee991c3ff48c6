// Request bodies in Kubernetes' protobuf encoding (application/vnd.kubernetes.protobuf: the magic
// "k8s\0", then a runtime.Unknown holding apiVersion, kind and the object's own message), decoded
// into the JSON document kube-apiserver would have read, for the built-in kinds clients send that
// way to this server: Secrets (Helm's release storage, `kubectl create secret`), ConfigMaps,
// Namespaces and DeleteOptions (Helm's uninstall). Other kinds are refused by name. Pure.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace cellar::testcluster {

// The object as JSON (apiVersion, kind, metadata, and the kind's fields); nullopt with *error set
// when the body is not such an envelope, is cut short, or holds another kind.
std::optional<nlohmann::json> decode_protobuf_object(const std::string& body, std::string* error);

}  // namespace cellar::testcluster
