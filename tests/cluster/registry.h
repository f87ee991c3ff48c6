// Which resources the test cluster serves: the built-in ones, and those of every established CRD.
// Thread-safe; lookups return copies so a CRD deleted meanwhile cannot pull a type from under a
// request.
#pragma once

#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "tests/cluster/resource_type.h"

namespace cellar::testcluster {

class Registry {
 public:
  // Starts with the built-ins: namespaces, secrets, configmaps, persistentvolumeclaims, pods,
  // events, serviceaccounts (v1); jobs (batch/v1); events (events.k8s.io/v1); leases
  // (coordination.k8s.io/v1); customresourcedefinitions (apiextensions.k8s.io/v1).
  Registry();
  ~Registry();
  Registry(const Registry&) = delete;
  Registry& operator=(const Registry&) = delete;

  std::optional<ResourceType> find(const std::string& group, const std::string& version,
                                   const std::string& plural) const;
  // By apiVersion ("batch/v1") and kind ("Job"): for ownerReferences.
  std::optional<ResourceType> find_kind(const std::string& api_version,
                                        const std::string& kind) const;
  // Every served type, built-in and custom, for discovery and OpenAPI.
  std::vector<ResourceType> all() const;

  // Serves the `served` versions of a CRD document (replacing what it served before), or stops
  // serving them. The CRD controller calls these as CRDs are written and deleted.
  void serve_crd(const nlohmann::json& crd);
  void stop_serving_crd(const nlohmann::json& crd);

  // Changes whenever the set of served types changes, so discovery and OpenAPI answers can be
  // cached and their ETags change with it.
  uint64_t generation() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace cellar::testcluster
