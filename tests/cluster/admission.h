// What kube-apiserver does to an object between decoding a write and storing it, for the types
// the test cluster serves: custom resources are pruned, defaulted and validated against their
// CRD's schema (fieldValidation decides what unknown fields cost); Secrets have stringData folded
// into base64 data; CRDs are checked (name, versions, scope, structural schemas) and defaulted.
// Pure functions, no I/O.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/cluster/resource_type.h"
#include "tests/cluster/store.h"

namespace cellar::testcluster {

// ?fieldValidation=: what an unknown or duplicate field costs.
enum class FieldValidation { kIgnore, kWarn, kStrict };

// Parses the query value ("" → kWarn, the apiserver's default); nullopt for an unknown one.
std::optional<FieldValidation> parse_field_validation(const std::string& value);

struct Admitted {
  json object;
  // For `Warning: 299 - "..."` headers.
  std::vector<std::string> warnings;
};

// Prepares `object` (the whole object as it is to be stored) for a write. `old_object` is the
// stored object on update, null on create. Errors: 400 for unknown fields under Strict, 422
// Invalid with the schema's causes.
Outcome<Admitted> admit_write(const ResourceType& type, json object, const json& old_object,
                              FieldValidation mode);

// Standard base64 (with padding), as Secret data holds it.
std::string base64_encode(const std::string& bytes);

}  // namespace cellar::testcluster
