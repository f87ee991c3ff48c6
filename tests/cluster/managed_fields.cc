#include "tests/cluster/managed_fields.h"

#include <algorithm>
#include <tuple>

#include "tests/cluster/apply_merge.h"

namespace cellar::testcluster {
namespace {

constexpr size_t kFieldManagerMaxLength = 128;

bool same_owner(const ManagedFieldsEntry& e, const std::string& manager,
                const std::string& operation, const std::string& api_version,
                const std::string& subresource) {
  // Appliers are one owner whatever version they applied; updaters are one per version.
  return e.manager == manager && e.operation == operation && e.subresource == subresource &&
         (operation == "Apply" || e.api_version == api_version);
}

// How a conflict names its owner: `"kubectl"`, `"x" with subresource "status"`, `"x" using v1`.
std::string describe(const ManagedFieldsEntry& e) {
  std::string out = json(e.manager).dump();
  if (!e.subresource.empty()) out += " with subresource " + json(e.subresource).dump();
  if (e.operation == "Update") out += " using " + e.api_version;
  return out;
}

json without_managed_fields(const json& object) {
  if (!object.is_object()) return json::object();
  json out = object;
  if (out.contains("metadata") && out["metadata"].is_object()) {
    out["metadata"].erase("managedFields");
  }
  return out;
}

void drop_empty(ManagedFields& entries) {
  entries.erase(std::remove_if(entries.begin(), entries.end(),
                               [](const ManagedFieldsEntry& e) { return e.fields.empty(); }),
                entries.end());
}

}  // namespace

std::optional<ManagedFields> decode_managed_fields(const json& entries) {
  ManagedFields out;
  if (entries.is_null()) return out;
  if (!entries.is_array()) return std::nullopt;
  for (const auto& entry : entries) {
    if (!entry.is_object()) return std::nullopt;
    ManagedFieldsEntry e;
    e.manager = entry.value("manager", "");
    e.operation = entry.value("operation", "");
    e.api_version = entry.value("apiVersion", "");
    e.time = entry.value("time", "");
    e.subresource = entry.value("subresource", "");
    if (e.operation != "Apply" && e.operation != "Update") return std::nullopt;
    auto fields = FieldSet::from_fields_v1(entry.value("fieldsV1", json(nullptr)), nullptr);
    if (!fields) return std::nullopt;
    e.fields = std::move(*fields);
    out.push_back(std::move(e));
  }
  return out;
}

json encode_managed_fields(const ManagedFields& entries) {
  std::vector<const ManagedFieldsEntry*> sorted;
  for (const auto& e : entries) {
    if (!e.fields.empty()) sorted.push_back(&e);
  }
  std::stable_sort(sorted.begin(), sorted.end(), [](const auto* a, const auto* b) {
    return std::tie(a->operation, a->time, a->manager, a->api_version, a->subresource) <
           std::tie(b->operation, b->time, b->manager, b->api_version, b->subresource);
  });
  json out = json::array();
  for (const auto* e : sorted) {
    json entry = {
        {"manager", e->manager}, {"operation", e->operation}, {"apiVersion", e->api_version}};
    if (!e->time.empty()) entry["time"] = e->time;
    entry["fieldsType"] = "FieldsV1";
    entry["fieldsV1"] = e->fields.to_fields_v1();
    if (!e->subresource.empty()) entry["subresource"] = e->subresource;
    out.push_back(std::move(entry));
  }
  return out;
}

ManagedFields starting_fields(const json& live_object, const json& request_object,
                              bool subresource) {
  auto live = [&]() -> ManagedFields {
    if (!live_object.is_object()) return {};
    auto decoded = decode_managed_fields(
        live_object.value("metadata", json::object()).value("managedFields", json(nullptr)));
    return decoded ? *decoded : ManagedFields{};
  };
  if (subresource || !request_object.is_object()) return live();
  const json sent =
      request_object.value("metadata", json::object()).value("managedFields", json(nullptr));
  if (!sent.is_array() || sent.empty()) return live();
  if (sent.size() == 1 && sent[0] == json::object()) return {};
  auto decoded = decode_managed_fields(sent);
  if (!decoded || decoded->empty()) return live();
  return *decoded;
}

std::string manager_name(const std::string& field_manager, const std::string& user_agent) {
  if (!field_manager.empty()) return field_manager;
  const std::string prefix = user_agent.substr(0, user_agent.find('/'));
  std::string out;
  for (unsigned char c : prefix) {
    // Control characters are not printable; multi-byte characters are kept whole enough.
    if (c < 0x20 || c == 0x7f) continue;
    if (out.size() + 1 > kFieldManagerMaxLength) break;
    out += static_cast<char>(c);
  }
  return out;
}

FieldSet owned_only(const FieldSet& fields, const WriteScope& scope) {
  FieldSet ignored;
  ignored.insert({"f:apiVersion"});
  ignored.insert({"f:kind"});
  ignored.insert({"f:metadata"});
  for (const char* field : {"name", "namespace", "creationTimestamp", "selfLink", "uid",
                            "clusterName", "generation", "managedFields", "resourceVersion"}) {
    ignored.insert({"f:metadata", field_element(field)});
  }
  FieldSet out = fields.minus(ignored).without_subtree({"f:metadata", "f:managedFields"});
  if (scope.subresource == "status") return out.only_subtree({"f:status"});
  if (scope.status_subresource) return out.without_subtree({"f:status"});
  return out;
}

ManagedFields update_fields(const json& before, const json& after, ManagedFields entries,
                            const std::string& manager, const WriteScope& scope,
                            const FieldShape& shape, const std::string& now) {
  Comparison changes =
      compare(without_managed_fields(before), without_managed_fields(after), shape);
  const FieldSet taken = owned_only(changes.added.united(changes.modified), scope);
  const FieldSet removed = owned_only(changes.removed, scope);
  for (auto& e : entries) e.fields = e.fields.minus(taken).minus(removed);
  if (!taken.empty()) {
    auto self = std::find_if(entries.begin(), entries.end(), [&](const ManagedFieldsEntry& e) {
      return same_owner(e, manager, "Update", scope.api_version, scope.subresource);
    });
    if (self == entries.end()) {
      entries.push_back({manager, "Update", scope.api_version, now, scope.subresource, taken});
    } else {
      self->fields = self->fields.united(taken);
      self->time = now;
    }
  }
  drop_empty(entries);
  return entries;
}

Outcome<FieldsOutcome> apply_fields(const json& live, const json& config, ManagedFields entries,
                                    const std::string& manager, bool force, const WriteScope& scope,
                                    const FieldShape& shape, const std::string& now) {
  const json base = without_managed_fields(live);
  const FieldSet applied = owned_only(field_set_of(config, shape), scope);
  auto self = std::find_if(entries.begin(), entries.end(), [&](const ManagedFieldsEntry& e) {
    return same_owner(e, manager, "Apply", scope.api_version, scope.subresource);
  });
  const bool had_entry = self != entries.end();
  const ManagedFieldsEntry* own = had_entry ? &*self : nullptr;
  const FieldSet previous = had_entry ? self->fields : FieldSet{};

  // What this manager applied before and applies no more goes, unless someone else owns it.
  FieldSet owners = applied;
  for (const auto& e : entries) {
    if (&e != own) owners = owners.united(e.fields);
  }
  FieldSet dropped;
  for (const auto& path : previous.minus(applied).members()) {
    if (!owners.covers(path)) dropped.insert(path);
  }
  // A struct field it filled goes whole when nobody owns anything in it any more, as
  // structured-merge-diff counts named fields as owned by whoever owns something below them.
  // Metadata always stays.
  for (const auto& path : previous.prefixes()) {
    if (path.front() == "f:metadata" || path.back().rfind("f:", 0) != 0) continue;
    if (!owners.covers(path)) dropped.insert(path);
  }
  json merged = remove_fields(merge_applied(base, config, shape), dropped, shape);

  Comparison changes = compare(base, merged, shape);
  const FieldSet changed = owned_only(changes.added.united(changes.modified), scope);
  const FieldSet removed = owned_only(changes.removed, scope);
  std::vector<FieldConflict> conflicts;
  for (auto& e : entries) {
    if (&e == own) continue;
    const FieldSet lost = e.fields.intersected(changed);
    for (const auto& path : lost.members()) conflicts.push_back({describe(e), path});
    e.fields = e.fields.minus(lost).minus(removed);
  }
  if (!conflicts.empty() && !force) return conflict_error(std::move(conflicts));

  const bool object_changed = merged != base;
  if (had_entry) {
    if (object_changed || !(self->fields == applied)) self->time = now;
    self->fields = applied;
    self->api_version = scope.api_version;
  } else {
    entries.push_back({manager, "Apply", scope.api_version, now, scope.subresource, applied});
  }
  drop_empty(entries);
  return FieldsOutcome{std::move(merged), std::move(entries)};
}

ApiError conflict_error(std::vector<FieldConflict> conflicts) {
  std::stable_sort(conflicts.begin(), conflicts.end(),
                   [](const FieldConflict& a, const FieldConflict& b) {
                     return std::tie(a.manager, a.path) < std::tie(b.manager, b.path);
                   });
  ApiError error;
  error.code = 409;
  error.reason = "Conflict";
  json causes = json::array();
  for (const auto& c : conflicts) {
    causes.push_back({{"reason", "FieldManagerConflict"},
                      {"message", "conflict with " + c.manager},
                      {"field", path_string(c.path)}});
  }
  error.details = {{"causes", causes}};
  if (conflicts.size() == 1) {
    error.message = "Apply failed with 1 conflict: conflict with " + conflicts[0].manager + ": " +
                    path_string(conflicts[0].path);
    return error;
  }
  std::string lines;
  std::string current;
  for (const auto& c : conflicts) {
    if (c.manager != current) {
      if (!lines.empty()) lines += "\n";
      lines += "conflicts with " + c.manager + ":";
      current = c.manager;
    }
    lines += "\n- " + path_string(c.path);
  }
  error.message = "Apply failed with " + std::to_string(conflicts.size()) + " conflicts: " + lines;
  return error;
}

}  // namespace cellar::testcluster
