// What `helm template` and `kubectl kustomize` render, as JSON documents the chart tests can read
// and compare: the real helm and kubectl (tests/support/tool_path.h) run on the project's
// charts/cellar and manifests/.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/support/child_process.h"

namespace cellar::testing {

// `helm template cellar charts/cellar -n cellar-system` plus `args` (e.g. {"--set", "a=b"}).
CommandResult helm_template(const std::vector<std::string>& args = {});
// `kubectl kustomize manifests/`.
CommandResult kustomize_manifests();

// The documents of a YAML stream (`---` between them); comment-only documents are left out.
// A document that is not YAML fails the test and is left out.
std::vector<nlohmann::json> yaml_documents(const std::string& text);

// The document of `kind` named `name` (any name when empty); null when there is none.
nlohmann::json find_object(const std::vector<nlohmann::json>& documents, const std::string& kind,
                           const std::string& name = "");
// The kinds of the documents, in order ("ClusterRole", "Deployment", ...).
std::vector<std::string> kinds_of(const std::vector<nlohmann::json>& documents);

// "" when `a` and `b` are equal, else `diff -u` of their indented JSON, headed by the labels.
std::string json_diff(const nlohmann::json& a, const std::string& a_label, const nlohmann::json& b,
                      const std::string& b_label);

}  // namespace cellar::testing
