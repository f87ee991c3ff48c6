// The steps apply_schema() runs, in the order kube-apiserver runs them: prune, default, validate
// (OpenAPI keywords), then x-kubernetes-validations rules. Internal to the schema library; split
// out so each step reads (and is tested) on its own.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/cluster/schema.h"

namespace cellar::testcluster::schema_steps {

// "spec" + "port" -> "spec.port"; "" + "spec" -> "spec".
std::string child_path(const std::string& path, const std::string& key);
std::string index_path(const std::string& path, size_t index);
bool flag(const json& schema, const char* key);  // schema[key] == true
// The schema's "type", or "" when it has none.
std::string type_of(const json& schema);

// Removes fields the schema does not know, appending their paths to *unknown. `root` keeps
// apiVersion, kind and metadata (pruned to ObjectMeta's own fields).
void prune(json& value, const json& schema, const std::string& path, bool root,
           std::vector<std::string>* unknown);

// Fills in `default`s of absent (or null and not nullable) properties, everywhere below `value`,
// then drops remaining nulls of non-nullable properties, as the apiserver's decoder does.
void apply_defaults(json& value, const json& schema, bool root);

// OpenAPI v3 keyword validation of a value present at `path`.
void validate(const json& value, const json& schema, const std::string& path, bool root,
              std::vector<FieldIssue>* issues);

// x-kubernetes-validations everywhere below `value`; `old_value` is null when there is none.
void check_rules(const json& value, const json* old_value, const json& schema,
                 const std::string& path, bool root, std::vector<FieldIssue>* issues);

}  // namespace cellar::testcluster::schema_steps
