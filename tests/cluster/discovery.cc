#include "tests/cluster/discovery.h"

#include <algorithm>
#include <map>
#include <regex>
#include <set>

namespace cellar::testcluster {

namespace {

struct ParsedVersion {
  bool kube_like = false;
  int major = 0;
  int stability = 0;  // 2 GA, 1 beta, 0 alpha
  int minor = 0;
};

ParsedVersion parse_version(const std::string& version) {
  static const std::regex kPattern(R"(v([0-9]+)(?:(alpha|beta)([0-9]+))?)");
  std::smatch match;
  ParsedVersion parsed;
  if (!std::regex_match(version, match, kPattern)) return parsed;
  parsed.kube_like = true;
  parsed.major = std::stoi(match[1]);
  parsed.stability = !match[2].matched ? 2 : match[2] == "beta" ? 1 : 0;
  parsed.minor = match[3].matched ? std::stoi(match[3]) : 0;
  return parsed;
}

std::vector<std::string> sorted_versions(const std::vector<ResourceType>& types,
                                         const std::string& group) {
  std::set<std::string> versions;
  for (const auto& type : types) {
    if (type.group == group) versions.insert(type.version);
  }
  std::vector<std::string> out(versions.begin(), versions.end());
  std::sort(out.begin(), out.end(), version_precedes);
  return out;
}

json group_json(const std::vector<ResourceType>& types, const std::string& group) {
  json versions = json::array();
  for (const auto& version : sorted_versions(types, group)) {
    versions.push_back({{"groupVersion", group + "/" + version}, {"version", version}});
  }
  return {{"name", group}, {"versions", versions}, {"preferredVersion", versions.at(0)}};
}

}  // namespace

bool version_precedes(const std::string& a, const std::string& b) {
  ParsedVersion pa = parse_version(a);
  ParsedVersion pb = parse_version(b);
  if (pa.kube_like != pb.kube_like) return pa.kube_like;
  if (!pa.kube_like) return a < b;
  if (pa.stability != pb.stability) return pa.stability > pb.stability;
  if (pa.major != pb.major) return pa.major > pb.major;
  return pa.minor > pb.minor;
}

std::vector<std::string> resource_verbs(const ResourceType& type) {
  if (!type.verbs.empty()) return type.verbs;
  return {"create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"};
}

json version_info() {
  return {{"major", "1"},
          {"minor", "33"},
          {"gitVersion", kKubernetesVersion},
          {"gitCommit", "cellar-test-cluster"},
          {"gitTreeState", "clean"},
          {"buildDate", "2025-05-15T00:00:00Z"},
          {"goVersion", "go1.24.2"},
          {"compiler", "gc"},
          {"platform", "linux/amd64"}};
}

json core_api_versions(const std::string& server_address) {
  return {{"kind", "APIVersions"},
          {"versions", json::array({"v1"})},
          {"serverAddressByClientCIDRs",
           json::array({json{{"clientCIDR", "0.0.0.0/0"}, {"serverAddress", server_address}}})}};
}

json api_group_list(const std::vector<ResourceType>& types) {
  std::vector<std::string> groups;
  for (const auto& type : types) {
    if (!type.group.empty() &&
        std::find(groups.begin(), groups.end(), type.group) == groups.end()) {
      groups.push_back(type.group);
    }
  }
  json list = {{"kind", "APIGroupList"}, {"apiVersion", "v1"}, {"groups", json::array()}};
  for (const auto& group : groups) list["groups"].push_back(group_json(types, group));
  return list;
}

std::optional<json> api_group(const std::vector<ResourceType>& types, const std::string& group) {
  if (group.empty() || sorted_versions(types, group).empty()) return std::nullopt;
  json out = group_json(types, group);
  out["kind"] = "APIGroup";
  out["apiVersion"] = "v1";
  return out;
}

std::optional<json> api_resource_list(const std::vector<ResourceType>& types,
                                      const std::string& group, const std::string& version) {
  json resources = json::array();
  for (const auto& type : types) {
    if (type.group != group || type.version != version) continue;
    json resource = {{"name", type.plural},
                     {"singularName", type.singular},
                     {"namespaced", type.namespaced},
                     {"kind", type.kind},
                     {"verbs", resource_verbs(type)}};
    if (!type.short_names.empty()) resource["shortNames"] = type.short_names;
    if (!type.categories.empty()) resource["categories"] = type.categories;
    resources.push_back(resource);
    if (type.status_subresource) {
      resources.push_back({{"name", type.plural + "/status"},
                           {"singularName", ""},
                           {"namespaced", type.namespaced},
                           {"kind", type.kind},
                           {"verbs", json::array({"get", "patch", "update"})}});
    }
  }
  if (resources.empty()) return std::nullopt;
  return json{{"kind", "APIResourceList"},
              {"apiVersion", "v1"},
              {"groupVersion", group.empty() ? version : group + "/" + version},
              {"resources", resources}};
}

}  // namespace cellar::testcluster
