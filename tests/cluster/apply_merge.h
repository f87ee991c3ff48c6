// The value operations of server-side apply, as structured-merge-diff performs them on objects:
// the set of fields an object (or an apply configuration) holds, the comparison of two versions
// of an object, the merge of an apply configuration into the live object, and the removal of
// fields. Pure functions over JSON, shaped by a FieldShape.
#pragma once

#include <nlohmann/json.hpp>

#include "tests/cluster/field_set.h"
#include "tests/cluster/field_shape.h"

namespace cellar::testcluster {

using json = nlohmann::json;

// The fields `value` sets: scalars, atomic lists and maps, list items and map entries (each also
// a member itself), empty or null struct fields. A struct field with content is owned only
// through what is inside it.
FieldSet field_set_of(const json& value, const FieldShape& shape);

// What changed from `before` to `after`: added and removed paths (containers as well as leaves),
// and leaves whose value changed.
struct Comparison {
  FieldSet added;
  FieldSet removed;
  FieldSet modified;
  bool same() const { return added.empty() && removed.empty() && modified.empty(); }
};
Comparison compare(const json& before, const json& after, const FieldShape& shape);

// `config` merged into `live`: maps and struct fields merge key by key; lists of type map merge
// item by item on their keys, sets by value (live items keep their order, new ones follow in
// the configuration's order); atomic lists and maps, and scalars, are replaced.
json merge_applied(const json& live, const json& config, const FieldShape& shape);

// `value` without the members of `fields` (a member's whole subtree goes with it).
json remove_fields(json value, const FieldSet& fields, const FieldShape& shape);

}  // namespace cellar::testcluster
