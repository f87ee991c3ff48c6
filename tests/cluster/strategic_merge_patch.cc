// Strategic merge patch: kube-apiserver's patch type for built-in kinds, where some lists merge
// element by element instead of being replaced.
#include <algorithm>
#include <set>
#include <string_view>

#include "tests/cluster/patch.h"

namespace cellar::testcluster {
namespace {

constexpr std::string_view kDeleteFromPrimitiveList = "$deleteFromPrimitiveList/";
constexpr std::string_view kSetElementOrder = "$setElementOrder/";

// How a list field merges: by an element key, as a set of primitives, or not at all (replaced).
struct ListStrategy {
  std::string merge_key;  // "" with primitive == false: replace
  bool primitive = false;
};

// The lists of built-in kinds that merge, by field name. Names are unambiguous across the kinds
// the test cluster serves (ports only appear in containers, conditions always key by type).
ListStrategy strategy_for(const std::string& field, bool under_metadata, bool built_in) {
  if (under_metadata) {
    if (field == "ownerReferences") return {"uid", false};
    if (field == "finalizers") return {"", true};
    return {};
  }
  if (!built_in) return {};
  static const std::pair<const char*, const char*> kKeys[] = {
      {"containers", "name"},
      {"initContainers", "name"},
      {"ephemeralContainers", "name"},
      {"volumes", "name"},
      {"env", "name"},
      {"ports", "containerPort"},
      {"volumeMounts", "mountPath"},
      {"volumeDevices", "devicePath"},
      {"conditions", "type"},
      {"imagePullSecrets", "name"},
      {"hostAliases", "ip"},
      {"topologySpreadConstraints", "topologyKey"},
      {"resourceClaims", "name"},
      {"containerStatuses", "name"},
      {"initContainerStatuses", "name"}};
  for (const auto& [name, key] : kKeys) {
    if (field == name) return {key, false};
  }
  if (field == "finalizers") return {"", true};
  return {};
}

class StrategicMerge {
 public:
  explicit StrategicMerge(bool built_in) : built_in_(built_in) {}

  // Merges `patch` (an object) into `target`; false and error_ set on a malformed directive.
  // `deleted` is set when the patch asks to delete the whole map.
  bool merge_map(json& target, const json& patch, bool under_metadata, bool* deleted) {
    *deleted = false;
    if (!target.is_object()) target = json::object();
    if (auto p = patch.find("$patch"); p != patch.end()) {
      const std::string mode = p->is_string() ? p->get<std::string>() : "";
      if (mode == "delete") {
        *deleted = true;
        return true;
      }
      if (mode == "replace") {
        target = strip_directives(patch);
        return true;
      }
      if (mode != "merge") return fail("Unknown patch type: " + mode);
    }
    if (auto retain = patch.find("$retainKeys"); retain != patch.end()) {
      if (!retain->is_array()) return fail("$retainKeys must be a list");
      for (auto it = target.begin(); it != target.end();) {
        it = std::find(retain->begin(), retain->end(), it.key()) == retain->end() ? target.erase(it)
                                                                                  : std::next(it);
      }
    }
    for (auto it = patch.begin(); it != patch.end(); ++it) {
      const std::string& key = it.key();
      if (key.rfind(kDeleteFromPrimitiveList, 0) == 0) {
        delete_from_list(target, key.substr(kDeleteFromPrimitiveList.size()), *it);
        continue;
      }
      if (!key.empty() && key.front() == '$') continue;
      if (it->is_null()) {
        target.erase(key);
        continue;
      }
      const bool child_metadata = under_metadata || (depth_ == 0 && key == "metadata");
      if (it->is_object()) {
        json& slot = target[key];
        ++depth_;
        bool child_deleted = false;
        bool ok = merge_map(slot, *it, child_metadata, &child_deleted);
        --depth_;
        if (!ok) return false;
        if (child_deleted) target.erase(key);
        continue;
      }
      if (it->is_array()) {
        ListStrategy s = strategy_for(key, child_metadata, built_in_);
        json& slot = target[key];
        if (!merge_list(slot, *it, s, child_metadata)) return false;
        continue;
      }
      target[key] = *it;
    }
    for (auto it = patch.begin(); it != patch.end(); ++it) {
      if (it.key().rfind(kSetElementOrder, 0) == 0) {
        const std::string field = it.key().substr(kSetElementOrder.size());
        ListStrategy s = strategy_for(field, under_metadata, built_in_);
        if (target.contains(field)) reorder(target[field], *it, s);
      }
    }
    return true;
  }

  const std::string& error() const { return error_; }

 private:
  bool fail(std::string why) {
    error_ = std::move(why);
    return false;
  }

  static json strip_directives(const json& patch) {
    if (!patch.is_object()) return patch;
    json out = json::object();
    for (auto it = patch.begin(); it != patch.end(); ++it) {
      if (it.key().empty() || it.key().front() != '$') out[it.key()] = strip_directives(*it);
    }
    return out;
  }

  static void delete_from_list(json& target, const std::string& field, const json& values) {
    auto list = target.find(field);
    if (list == target.end() || !list->is_array() || !values.is_array()) return;
    json kept = json::array();
    for (const auto& v : *list) {
      if (std::find(values.begin(), values.end(), v) == values.end()) kept.push_back(v);
    }
    *list = std::move(kept);
  }

  static bool same_key(const json& a, const json& b, const std::string& key) {
    return a.is_object() && b.is_object() && a.contains(key) && b.contains(key) && a[key] == b[key];
  }

  // A Service's ports merge by `port`, a container's by `containerPort`: the field name is
  // shared, so the items tell them apart.
  static bool service_ports(const json& patch, const ListStrategy& s) {
    if (s.merge_key != "containerPort") return false;
    return std::any_of(patch.begin(), patch.end(), [](const json& e) {
      return e.is_object() && e.contains("port") && !e.contains("containerPort");
    });
  }

  bool merge_list(json& target, const json& patch, const ListStrategy& s, bool under_metadata) {
    // A `$patch: replace` element anywhere in the list replaces the whole list.
    for (const auto& e : patch) {
      if (e.is_object() && e.value("$patch", "") == "replace") {
        json out = json::array();
        for (const auto& x : patch) {
          if (!(x.is_object() && x.contains("$patch"))) out.push_back(strip_directives(x));
        }
        target = std::move(out);
        return true;
      }
    }
    if (s.primitive) {
      if (!target.is_array()) target = json::array();
      for (const auto& v : patch) {
        if (std::find(target.begin(), target.end(), v) == target.end()) target.push_back(v);
      }
      return true;
    }
    if (s.merge_key.empty()) {
      target = strip_directives(patch);
      return true;
    }
    if (!target.is_array()) target = json::array();
    const ListStrategy keyed = service_ports(patch, s) ? ListStrategy{"port", false} : s;
    for (const auto& element : patch) {
      if (!element.is_object() || !element.contains(keyed.merge_key)) {
        return fail("map: " + element.dump() +
                    " does not contain declared merge key: " + keyed.merge_key);
      }
      auto match = std::find_if(target.begin(), target.end(), [&](const json& t) {
        return same_key(t, element, keyed.merge_key);
      });
      if (element.value("$patch", "") == "delete") {
        if (match != target.end()) target.erase(match);
        continue;
      }
      if (match == target.end()) {
        target.push_back(strip_directives(element));
        continue;
      }
      ++depth_;
      bool deleted = false;
      bool ok = merge_map(*match, element, under_metadata, &deleted);
      --depth_;
      if (!ok) return false;
      if (deleted) target.erase(match);
    }
    return true;
  }

  // Elements named in `order` come first, in that order; the rest keep their relative order.
  static void reorder(json& list, const json& order, const ListStrategy& s) {
    if (!list.is_array() || !order.is_array()) return;
    auto rank = [&](const json& element) -> size_t {
      for (size_t i = 0; i < order.size(); ++i) {
        if (s.merge_key.empty() ? order[i] == element : same_key(order[i], element, s.merge_key)) {
          return i;
        }
      }
      return order.size();
    };
    std::vector<json> items(list.begin(), list.end());
    std::stable_sort(items.begin(), items.end(),
                     [&](const json& a, const json& b) { return rank(a) < rank(b); });
    list = json(items);
  }

  bool built_in_;
  int depth_ = 0;
  std::string error_;
};

bool is_built_in(const std::string& kind) {
  static const std::set<std::string> kinds = {"Pod",         "Job",
                                              "Namespace",   "Secret",
                                              "ConfigMap",   "PersistentVolumeClaim",
                                              "Event",       "ServiceAccount",
                                              "Lease",       "CustomResourceDefinition",
                                              "Service",     "Deployment",
                                              "Role",        "ClusterRole",
                                              "RoleBinding", "ClusterRoleBinding"};
  return kinds.count(kind) > 0;
}

}  // namespace

std::optional<json> strategic_merge_patch(json target, const json& patch, const std::string& kind,
                                          std::string* error) {
  if (!patch.is_object()) {
    if (error) *error = "strategic merge patch must be a JSON object";
    return std::nullopt;
  }
  StrategicMerge merge(is_built_in(kind));
  bool deleted = false;
  if (!merge.merge_map(target, patch, false, &deleted)) {
    if (error) *error = merge.error();
    return std::nullopt;
  }
  if (deleted) return json::object();
  return target;
}

}  // namespace cellar::testcluster
