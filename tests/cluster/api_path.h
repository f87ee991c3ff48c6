// The Kubernetes REST path grammar: which group, version, namespace, resource, name and
// subresource a request path names.
//
//   /api/v1/pods                                   every namespace (or a cluster-scoped type)
//   /api/v1/namespaces/NS/pods[/NAME[/SUB]]        namespaced
//   /apis/GROUP/VERSION/PLURAL[/NAME[/SUB]]        cluster-scoped
//   /api/v1/namespaces[/NAME[/SUB]]                the namespaces themselves
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace cellar::testcluster {

struct ApiPath {
  std::string group;  // "" for /api
  std::string version;
  // Set when the path goes on past the version (a resource); unset for /api/v1 itself.
  std::string plural;
  std::string ns;  // the namespace segment, when the path has one
  std::string name;
  std::string subresource;
  bool namespaced_path = false;  // the path went through /namespaces/NS/

  bool is_collection() const { return name.empty(); }
};

// nullopt when `path` is not under /api/v1 or /apis/GROUP/VERSION, or has too many segments.
// Group and version discovery paths (/api, /apis, /apis/GROUP) are not resource paths.
std::optional<ApiPath> parse_api_path(std::string_view path);

}  // namespace cellar::testcluster
