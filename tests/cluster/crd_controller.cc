#include "tests/cluster/crd_controller.h"

#include <algorithm>
#include <cctype>

#include "tests/cluster/builtin_types.h"
#include "tests/cluster/object_meta.h"

namespace cellar::testcluster {
namespace {

using meta::now_rfc3339;

json accepted_names(const json& crd) {
  json names = crd.value("spec", json::object()).value("names", json::object());
  if (!names.contains("singular") && names.contains("kind")) {
    std::string singular = names["kind"].get<std::string>();
    for (auto& c : singular) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    names["singular"] = singular;
  }
  if (!names.contains("listKind") && names.contains("kind")) {
    names["listKind"] = names["kind"].get<std::string>() + "List";
  }
  return names;
}

// Every version ever stored stays listed, as the apiserver keeps them until an operator
// migrates the data and trims the list.
json stored_versions(const json& crd) {
  json stored = crd.value("status", json::object()).value("storedVersions", json::array());
  for (const auto& v : crd.value("spec", json::object()).value("versions", json::array())) {
    if (!v.value("storage", false)) continue;
    const json name = v.value("name", "");
    if (std::find(stored.begin(), stored.end(), name) == stored.end()) stored.push_back(name);
  }
  return stored;
}

// A True condition; it keeps its lastTransitionTime when it already was True.
json true_condition(const json& previous, const std::string& type, const std::string& reason,
                    const std::string& message) {
  std::string since = now_rfc3339();
  for (const auto& c : previous) {
    if (c.value("type", "") == type && c.value("status", "") == "True") {
      since = c.value("lastTransitionTime", since);
    }
  }
  return {{"type", type},
          {"status", "True"},
          {"lastTransitionTime", since},
          {"reason", reason},
          {"message", message}};
}

}  // namespace

CrdController::CrdController(Store& store, Registry& registry)
    : store_(store),
      registry_(registry),
      crd_type_(crds_type()),
      follower_(
          store, crd_type_, [this](const StoredEvent& event) { handle(event); },
          [this] { establish_all(); }) {}

CrdController::~CrdController() {
  stop();
}

void CrdController::start() {
  follower_.start();
}

void CrdController::stop() {
  follower_.stop();
}

void CrdController::handle(const StoredEvent& event) {
  if (event.type == "DELETED") {
    retire(event.object);
  } else {
    establish(event.object);
  }
}

void CrdController::establish_all() {
  for (const auto& crd : store_.list(crd_type_, "").items) establish(crd);
}

void CrdController::establish(const json& crd) {
  const std::string name = crd["metadata"].value("name", "");
  // A CRD being deleted keeps serving until it is gone, so its resources can be cleaned up.
  if (crd["metadata"].contains("deletionTimestamp")) return;
  registry_.serve_crd(crd);
  // Only written once served, so a client that saw Established can use the resource at once.
  store_.mutate(crd_type_, "", name, UpdatePart::kStatus, [](json current) -> Outcome<json> {
    json status = current.value("status", json::object());
    const json previous = status.value("conditions", json::array());
    status["acceptedNames"] = accepted_names(current);
    status["storedVersions"] = stored_versions(current);
    status["conditions"] =
        json::array({true_condition(previous, "NamesAccepted", "NoConflicts", "no conflicts found"),
                     true_condition(previous, "Established", "InitialNamesAccepted",
                                    "the initial names have been accepted")});
    current["status"] = std::move(status);
    return current;
  });
}

void CrdController::retire(const json& crd) {
  const json& spec = crd.value("spec", json::object());
  const std::string group = spec.value("group", "");
  const std::string plural = spec.value("names", json::object()).value("plural", "");
  std::optional<ResourceType> type;
  for (const auto& v : spec.value("versions", json::array())) {
    if (!type) type = registry_.find(group, v.value("name", ""), plural);
  }
  registry_.stop_serving_crd(crd);
  if (!type) return;
  // Every version shares one storage, so one type's list holds all the custom resources.
  DeleteRequest background;
  background.propagation_policy = "Background";
  for (const auto& object : store_.list(*type, "").items) {
    const json& meta = object["metadata"];
    store_.remove(*type, meta.value("namespace", ""), meta.value("name", ""), background);
  }
}

}  // namespace cellar::testcluster
