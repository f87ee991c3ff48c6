// The JSONPath subset that additionalPrinterColumns and `kubectl wait --for=jsonpath` use:
// dotted field access (".status.phase"), array indexes (".items[0]", ".items[-1]"), wildcards
// (".items[*].name"), and equality filters (`.status.conditions[?(@.type=="Ready")].status`).
// An optional surrounding `{...}` is accepted.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string_view>

namespace cellar::testcluster {

using json = nlohmann::json;

// The value at `path`, or nullopt when the path matches nothing or is malformed. A path that
// goes through a wildcard or a filter yields the first match, as a printer column shows it.
std::optional<json> evaluate_jsonpath(const json& object, std::string_view path);

}  // namespace cellar::testcluster
