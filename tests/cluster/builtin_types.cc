#include "tests/cluster/builtin_types.h"

#include <string>

namespace cellar::testcluster {
namespace {

constexpr char kRbac[] = "rbac.authorization.k8s.io";

const std::vector<std::string> kAllVerbs = {"create", "delete", "deletecollection", "get",
                                            "list",   "patch",  "update",           "watch"};

ResourceType make(std::string group, std::string version, std::string plural, std::string singular,
                  std::string kind, bool namespaced, std::vector<std::string> short_names,
                  bool status_subresource = false, std::vector<std::string> categories = {}) {
  ResourceType type;
  type.group = std::move(group);
  type.version = std::move(version);
  type.plural = std::move(plural);
  type.singular = std::move(singular);
  type.list_kind = kind + "List";
  type.kind = std::move(kind);
  type.namespaced = namespaced;
  type.short_names = std::move(short_names);
  type.status_subresource = status_subresource;
  type.categories = std::move(categories);
  type.verbs = kAllVerbs;
  return type;
}

}  // namespace

ResourceType namespaces_type() {
  ResourceType type = make("", "v1", "namespaces", "namespace", "Namespace", false, {"ns"}, true);
  // Namespaces are emptied and removed by their controller, never deleted as a collection.
  type.verbs = {"create", "delete", "get", "list", "patch", "update", "watch"};
  return type;
}

ResourceType crds_type() {
  return make("apiextensions.k8s.io", "v1", "customresourcedefinitions", "customresourcedefinition",
              "CustomResourceDefinition", false, {"crd", "crds"}, true, {"api-extensions"});
}

std::vector<ResourceType> builtin_types() {
  return {
      namespaces_type(),
      make("", "v1", "secrets", "secret", "Secret", true, {}),
      make("", "v1", "configmaps", "configmap", "ConfigMap", true, {"cm"}),
      make("", "v1", "persistentvolumeclaims", "persistentvolumeclaim", "PersistentVolumeClaim",
           true, {"pvc"}, true),
      make("", "v1", "pods", "pod", "Pod", true, {"po"}, true, {"all"}),
      make("", "v1", "events", "event", "Event", true, {"ev"}),
      make("", "v1", "serviceaccounts", "serviceaccount", "ServiceAccount", true, {"sa"}),
      make("", "v1", "services", "service", "Service", true, {"svc"}, true, {"all"}),
      make("batch", "v1", "jobs", "job", "Job", true, {}, true, {"all"}),
      make("apps", "v1", "deployments", "deployment", "Deployment", true, {"deploy"}, true,
           {"all"}),
      make("events.k8s.io", "v1", "events", "event", "Event", true, {"ev"}),
      make("coordination.k8s.io", "v1", "leases", "lease", "Lease", true, {}),
      make(kRbac, "v1", "clusterroles", "clusterrole", "ClusterRole", false, {}),
      make(kRbac, "v1", "clusterrolebindings", "clusterrolebinding", "ClusterRoleBinding", false,
           {}),
      make(kRbac, "v1", "roles", "role", "Role", true, {}),
      make(kRbac, "v1", "rolebindings", "rolebinding", "RoleBinding", true, {}),
      crds_type(),
  };
}

}  // namespace cellar::testcluster
