// Server-side printing: the meta.k8s.io/v1 Table kube-apiserver answers when kubectl asks with
// `Accept: application/json;as=Table;v=v1;g=meta.k8s.io`.
#pragma once

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/cluster/resource_type.h"

namespace cellar::testcluster {

using json = nlohmann::json;

// What each row's `object` carries (?includeObject=None|Metadata|Object).
enum class IncludeObject { kNone, kMetadata, kObject };

// A custom resource's table has Name first, then its additionalPrinterColumns (priority, type,
// format and description kept; a date cell is the age kube-apiserver prints, "5m", "3d4h",
// "<invalid>"; a missing value is null); without printer columns, Name and Age. Built-ins get the
// columns kube-apiserver gives them (Pods: Name, Ready, Status, Restarts, Age, IP, Node, ...; Jobs:
// Name, Status, Completions, Duration, Age, ...; Namespaces: Name, Status, Age; Secrets: Name,
// Type, Data, Age; others at least Name and Created At, an RFC 3339 string as kube-apiserver's
// default table has). Rows carry `object` as a PartialObjectMetadata (kMetadata, what kubectl asks
// for), the whole object (kObject), or nothing (kNone).
json make_table(const ResourceType& type, const std::vector<json>& objects,
                const std::string& list_resource_version, const std::string& continue_token,
                IncludeObject include);
// The same at a given instant, so ages are deterministic in tests.
json make_table(const ResourceType& type, const std::vector<json>& objects,
                const std::string& list_resource_version, const std::string& continue_token,
                IncludeObject include, std::chrono::system_clock::time_point now);

// An age as kube-apiserver prints it ("45s", "3m20s", "5h", "2d3h", "<invalid>").
std::string human_duration(std::chrono::system_clock::duration age);

}  // namespace cellar::testcluster
