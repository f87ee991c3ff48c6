#include "tests/cluster/api_path.h"

#include <vector>

namespace cellar::testcluster {

namespace {

std::vector<std::string> split(std::string_view path) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (start <= path.size()) {
    size_t slash = path.find('/', start);
    if (slash == std::string_view::npos) slash = path.size();
    if (slash > start) parts.emplace_back(path.substr(start, slash - start));
    start = slash + 1;
  }
  return parts;
}

}  // namespace

std::optional<ApiPath> parse_api_path(std::string_view path) {
  std::vector<std::string> parts = split(path);
  ApiPath out;
  size_t i = 0;
  if (parts.size() >= 2 && parts[0] == "api") {
    out.version = parts[1];
    i = 2;
  } else if (parts.size() >= 3 && parts[0] == "apis") {
    out.group = parts[1];
    out.version = parts[2];
    i = 3;
  } else {
    return std::nullopt;
  }
  std::vector<std::string> rest(parts.begin() + static_cast<long>(i), parts.end());
  // /namespaces/NS/PLURAL... names a namespaced resource; /namespaces[/NS[/SUB]] the namespaces.
  if (rest.size() >= 3 && rest[0] == "namespaces" && rest[2] != "status" && rest[2] != "finalize") {
    out.namespaced_path = true;
    out.ns = rest[1];
    rest.erase(rest.begin(), rest.begin() + 2);
  }
  if (rest.size() > 3) return std::nullopt;
  if (rest.size() >= 1) out.plural = rest[0];
  if (rest.size() >= 2) out.name = rest[1];
  if (rest.size() >= 3) out.subresource = rest[2];
  return out;
}

}  // namespace cellar::testcluster
