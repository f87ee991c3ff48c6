// Small pieces the REST verbs share: reading request bodies and options, content negotiation
// for Tables, and the answers' shapes.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "tests/cluster/admission.h"
#include "tests/cluster/api_path.h"
#include "tests/cluster/http_server.h"
#include "tests/cluster/resource_type.h"
#include "tests/cluster/selector.h"
#include "tests/cluster/store.h"
#include "tests/cluster/table.h"

namespace cellar::testcluster {

// The request body as a JSON object, or the 400 kube-apiserver answers for anything else.
Outcome<json> parse_object_body(const HttpRequestData& request);

// Accept asks for a meta.k8s.io Table (kubectl get).
bool wants_table(const HttpRequestData& request);
// ?includeObject= (default Metadata).
IncludeObject include_object(const HttpRequestData& request);

// ?labelSelector= and ?fieldSelector=, or the 400 for a malformed one. Custom resources only
// support metadata.name and metadata.namespace as fields, as the apiserver enforces.
struct Selectors {
  LabelSelector labels;
  FieldSelector fields;
  bool matches(const json& object) const;
};
Outcome<Selectors> parse_selectors(const HttpRequestData& request, const ResourceType& type);

// ?fieldValidation=, or the 400 for an unknown value.
Outcome<FieldValidation> field_validation(const HttpRequestData& request);
// ?dryRun=All.
bool is_dry_run(const HttpRequestData& request);

// `Warning: 299 - "..."` headers, as many as there are warnings.
void add_warnings(HttpResponseData& response, const std::vector<std::string>& warnings);

// metadata.name / metadata.namespace / metadata.resourceVersion / metadata.uid ("" when absent).
std::string metadata_string(const json& object, const char* field);

// "<namespace>/<name>": the order lists are in and continue tokens point into.
std::string list_key(const json& object);

}  // namespace cellar::testcluster
