#include "tests/cluster/schema.h"

#include "tests/cluster/schema_steps.h"

namespace cellar::testcluster {

SchemaOutcome apply_schema(const json& schema, json object, const json& old_object) {
  namespace steps = schema_steps;
  SchemaOutcome out;
  if (!schema.is_object()) {
    // A CRD version without a schema keeps everything, as preserve-unknown-fields at the root.
    out.object = std::move(object);
    return out;
  }
  steps::prune(object, schema, "", true, &out.unknown_fields);
  steps::apply_defaults(object, schema, true);
  steps::validate(object, schema, "", true, &out.issues);
  steps::check_rules(object, old_object.is_object() ? &old_object : nullptr, schema, "", true,
                     &out.issues);
  out.object = std::move(object);
  return out;
}

}  // namespace cellar::testcluster
