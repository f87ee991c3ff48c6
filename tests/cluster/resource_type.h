// What the test cluster knows of a kind of resource: its names, scope and, for custom resources,
// the CRD's schema and printer columns.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace cellar::testcluster {

struct ResourceType {
  std::string group;  // "" for core
  std::string version;
  std::string plural;
  std::string singular;
  std::string kind;
  std::string list_kind;
  bool namespaced = true;
  bool status_subresource = false;
  std::vector<std::string> short_names;
  std::vector<std::string> categories;
  std::vector<std::string> verbs;
  // For custom resources: the version's openAPIV3Schema and additionalPrinterColumns (null/empty
  // for built-ins).
  nlohmann::json schema = nullptr;
  nlohmann::json printer_columns = nlohmann::json::array();

  // "v1" or "cellar.dev/v1alpha1"
  std::string api_version() const { return group.empty() ? version : group + "/" + version; }
  // "backups.cellar.dev", "pods"
  std::string group_resource() const { return group.empty() ? plural : plural + "." + group; }
};

}  // namespace cellar::testcluster
