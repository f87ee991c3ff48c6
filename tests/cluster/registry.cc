#include "tests/cluster/registry.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <mutex>

#include "tests/cluster/builtin_types.h"

namespace cellar::testcluster {
namespace {

std::vector<std::string> strings(const nlohmann::json& list) {
  std::vector<std::string> values;
  if (!list.is_array()) return values;
  for (const auto& v : list) {
    if (v.is_string()) values.push_back(v.get<std::string>());
  }
  return values;
}

std::string lowercase(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

// The served versions of a CRD, each as the type its endpoints serve.
std::vector<ResourceType> served_types(const nlohmann::json& crd) {
  std::vector<ResourceType> types;
  const auto& spec = crd.value("spec", nlohmann::json::object());
  const auto& names = spec.value("names", nlohmann::json::object());
  ResourceType base;
  base.group = spec.value("group", "");
  base.plural = names.value("plural", "");
  base.kind = names.value("kind", "");
  // The apiserver's defaults for the names a CRD may leave out.
  base.singular = names.value("singular", "");
  if (base.singular.empty()) base.singular = lowercase(base.kind);
  base.list_kind = names.value("listKind", "");
  if (base.list_kind.empty()) base.list_kind = base.kind + "List";
  base.namespaced = spec.value("scope", "Namespaced") != "Cluster";
  base.short_names = strings(names.value("shortNames", nlohmann::json::array()));
  base.categories = strings(names.value("categories", nlohmann::json::array()));
  base.verbs = {"delete", "deletecollection", "get", "list", "patch", "create", "update", "watch"};
  if (base.group.empty() || base.plural.empty() || base.kind.empty()) return types;

  for (const auto& version : spec.value("versions", nlohmann::json::array())) {
    if (!version.value("served", false)) continue;
    ResourceType type = base;
    type.version = version.value("name", "");
    const auto& subresources = version.value("subresources", nlohmann::json::object());
    type.status_subresource = subresources.contains("status");
    const auto& schema = version.value("schema", nlohmann::json::object());
    type.schema = schema.value("openAPIV3Schema", nlohmann::json::object());
    type.printer_columns = version.value("additionalPrinterColumns", nlohmann::json::array());
    types.push_back(std::move(type));
  }
  return types;
}

bool same_resource(const ResourceType& type, const std::string& group, const std::string& version,
                   const std::string& plural) {
  return type.group == group && type.version == version && type.plural == plural;
}

bool same_types(const std::vector<ResourceType>& a, const std::vector<ResourceType>& b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](const auto& x, const auto& y) {
    return x.group == y.group && x.version == y.version && x.plural == y.plural &&
           x.singular == y.singular && x.kind == y.kind && x.list_kind == y.list_kind &&
           x.namespaced == y.namespaced && x.status_subresource == y.status_subresource &&
           x.short_names == y.short_names && x.categories == y.categories && x.verbs == y.verbs &&
           x.schema == y.schema && x.printer_columns == y.printer_columns;
  });
}

}  // namespace

struct Registry::Impl {
  mutable std::mutex mu;
  const std::vector<ResourceType> builtins = builtin_types();
  std::map<std::string, std::vector<ResourceType>> custom;  // CRD name → its served versions
  uint64_t generation = 1;

  template <typename Match>
  std::optional<ResourceType> find_if(Match match) const {
    std::lock_guard lock(mu);
    for (const auto& type : builtins) {
      if (match(type)) return type;
    }
    for (const auto& [name, types] : custom) {
      for (const auto& type : types) {
        if (match(type)) return type;
      }
    }
    return std::nullopt;
  }
};

Registry::Registry() : impl_(std::make_unique<Impl>()) {}

Registry::~Registry() = default;

std::optional<ResourceType> Registry::find(const std::string& group, const std::string& version,
                                           const std::string& plural) const {
  return impl_->find_if(
      [&](const ResourceType& type) { return same_resource(type, group, version, plural); });
}

std::optional<ResourceType> Registry::find_kind(const std::string& api_version,
                                                const std::string& kind) const {
  auto slash = api_version.find('/');
  const std::string group = slash == std::string::npos ? "" : api_version.substr(0, slash);
  const std::string version =
      slash == std::string::npos ? api_version : api_version.substr(slash + 1);
  return impl_->find_if([&](const ResourceType& type) {
    return type.group == group && type.version == version && type.kind == kind;
  });
}

std::vector<ResourceType> Registry::all() const {
  std::lock_guard lock(impl_->mu);
  std::vector<ResourceType> types = impl_->builtins;
  for (const auto& [name, served] : impl_->custom) {
    types.insert(types.end(), served.begin(), served.end());
  }
  return types;
}

void Registry::serve_crd(const nlohmann::json& crd) {
  const std::string name = crd.value("metadata", nlohmann::json::object()).value("name", "");
  std::vector<ResourceType> types = served_types(crd);
  std::lock_guard lock(impl_->mu);
  // A CRD cannot take over a built-in resource.
  std::erase_if(types, [&](const ResourceType& type) {
    return std::any_of(impl_->builtins.begin(), impl_->builtins.end(), [&](const auto& builtin) {
      return same_resource(builtin, type.group, type.version, type.plural);
    });
  });
  auto it = impl_->custom.find(name);
  if (it != impl_->custom.end() && same_types(it->second, types)) return;
  impl_->custom[name] = std::move(types);
  ++impl_->generation;
}

void Registry::stop_serving_crd(const nlohmann::json& crd) {
  const std::string name = crd.value("metadata", nlohmann::json::object()).value("name", "");
  std::lock_guard lock(impl_->mu);
  if (impl_->custom.erase(name) > 0) ++impl_->generation;
}

uint64_t Registry::generation() const {
  std::lock_guard lock(impl_->mu);
  return impl_->generation;
}

}  // namespace cellar::testcluster
