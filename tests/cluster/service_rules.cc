#include "tests/cluster/service_rules.h"

#include <set>
#include <string>

#include "tests/cluster/json_member.h"
#include "tests/cluster/meta_validation.h"

namespace cellar::testcluster {
namespace {

using json = nlohmann::json;
using meta::field_cause;
using meta::quoted;

void port_causes(const json& port, const std::string& path, bool several,
                 std::set<std::string>& names, json& causes) {
  const std::string name = text(at(port, "name"));
  if (name.empty()) {
    if (several)
      causes.push_back(field_cause("FieldValueRequired", path + ".name", "Required value"));
  } else if (!names.insert(name).second) {
    causes.push_back(
        field_cause("FieldValueDuplicate", path + ".name", "Duplicate value: " + quoted(name)));
  }
  const json& number = at(port, "port");
  if (!number.is_number_integer() || number.get<long long>() < 1 ||
      number.get<long long>() > 65535) {
    causes.push_back(field_cause("FieldValueInvalid", path + ".port",
                                 "Invalid value: " + (number.is_null() ? "0" : number.dump()) +
                                     ": must be between 1 and 65535, inclusive"));
  }
  static const std::set<std::string> kProtocols = {"SCTP", "TCP", "UDP"};
  const std::string protocol = text(at(port, "protocol"));
  if (!kProtocols.contains(protocol)) {
    causes.push_back(field_cause("FieldValueNotSupported", path + ".protocol",
                                 "Unsupported value: " + quoted(protocol) +
                                     ": supported values: \"SCTP\", \"TCP\", \"UDP\""));
  }
}

}  // namespace

void default_service(json& service) {
  if (!service.is_object()) return;
  json& spec = service["spec"];
  if (!spec.is_object()) return;
  if (!spec.contains("type")) spec["type"] = "ClusterIP";
  if (!spec.contains("sessionAffinity")) spec["sessionAffinity"] = "None";
  if (spec["type"] != "ExternalName" && !spec.contains("internalTrafficPolicy")) {
    spec["internalTrafficPolicy"] = "Cluster";
  }
  if (!spec.contains("ports") || !spec["ports"].is_array()) return;
  for (auto& port : spec["ports"]) {
    if (!port.is_object()) continue;
    if (!port.contains("protocol")) port["protocol"] = "TCP";
    if (!port.contains("targetPort") && port.contains("port")) port["targetPort"] = port["port"];
  }
}

json service_causes(const json& service) {
  json causes = json::array();
  const json& spec = at(service, "spec");
  static const std::set<std::string> kTypes = {"ClusterIP", "ExternalName", "LoadBalancer",
                                               "NodePort"};
  const std::string type = text(at(spec, "type"));
  if (!kTypes.contains(type)) {
    causes.push_back(field_cause("FieldValueNotSupported", "spec.type",
                                 "Unsupported value: " + quoted(type) +
                                     ": supported values: \"ClusterIP\", \"ExternalName\", "
                                     "\"LoadBalancer\", \"NodePort\""));
  }
  const json& ports = at(spec, "ports");
  const bool headless = text(at(spec, "clusterIP")) == "None";
  if ((!ports.is_array() || ports.empty()) && !headless && type != "ExternalName") {
    causes.push_back(field_cause("FieldValueRequired", "spec.ports", "Required value"));
  }
  if (ports.is_array()) {
    std::set<std::string> names;
    for (size_t i = 0; i < ports.size(); ++i) {
      port_causes(ports[i], "spec.ports[" + std::to_string(i) + "]", ports.size() > 1, names,
                  causes);
    }
  }
  for (auto& cause : meta::label_causes(at(spec, "selector"), "spec.selector")) {
    causes.push_back(cause);
  }
  return causes;
}

}  // namespace cellar::testcluster
