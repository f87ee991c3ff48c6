#include "tests/cluster/namespace_controller.h"

#include "tests/cluster/builtin_types.h"
#include "tests/cluster/lifecycle_rules.h"

namespace cellar::testcluster {

using lifecycle::being_deleted;

NamespaceController::NamespaceController(Store& store)
    : store_(store),
      namespace_type_(namespaces_type()),
      follower_(
          store, std::nullopt, [this](const StoredEvent& event) { handle(event); },
          [this] { sweep_all(); }) {}

NamespaceController::~NamespaceController() {
  stop();
}

void NamespaceController::start() {
  follower_.start();
}

void NamespaceController::stop() {
  follower_.stop();
}

void NamespaceController::handle(const StoredEvent& event) {
  const json& meta = event.object["metadata"];
  if (event.key.starts_with(std::string("/") + namespace_type_.plural + "/")) {
    const std::string name = meta.value("name", "");
    if (event.type == "DELETED") {
      terminating_.erase(name);
    } else if (being_deleted(event.object) && terminating_.insert(name).second) {
      sweep(name);
    }
    return;
  }
  // Whatever leaves a terminating namespace may have been the last thing holding it.
  if (event.type == "DELETED") {
    const std::string ns = meta.value("namespace", "");
    if (!ns.empty() && terminating_.contains(ns) && store_.objects_in_namespace(ns, 1).empty()) {
      finalize(ns);
    }
  }
}

void NamespaceController::sweep_all() {
  for (const auto& ns : store_.list(namespace_type_, "").items) {
    if (!being_deleted(ns)) continue;
    const std::string name = ns["metadata"].value("name", "");
    terminating_.insert(name);
    sweep(name);
  }
}

void NamespaceController::sweep(const std::string& ns) {
  auto contents = store_.objects_in_namespace(ns);
  if (contents.empty()) return finalize(ns);
  DeleteRequest background;
  background.propagation_policy = "Background";
  for (const auto& item : contents) {
    // Objects already being deleted are waiting on their own finalizers; their DELETED event
    // brings the sweep back here.
    if (being_deleted(item.object)) continue;
    store_.remove(*item.type, ns, item.object["metadata"].value("name", ""), background);
  }
}

void NamespaceController::finalize(const std::string& ns) {
  store_.mutate(namespace_type_, "", ns, UpdatePart::kAll, [](json current) -> Outcome<json> {
    current["spec"]["finalizers"] = json::array();
    return current;
  });
}

}  // namespace cellar::testcluster
