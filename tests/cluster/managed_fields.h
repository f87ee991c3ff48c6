// metadata.managedFields as kube-apiserver keeps them: who owns which fields of an object, and
// how an apply (server-side apply) or an update (any other write) changes that ownership.
//
// Pure functions: the REST layer decodes the live object's entries, calls apply_fields() or
// update_fields(), and stores the object with the entries encoded back.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "tests/cluster/api_error.h"
#include "tests/cluster/field_set.h"
#include "tests/cluster/field_shape.h"
#include "tests/cluster/store.h"

namespace cellar::testcluster {

using json = nlohmann::json;

struct ManagedFieldsEntry {
  std::string manager;
  std::string operation;  // "Apply" or "Update"
  std::string api_version;
  std::string time;         // RFC 3339, seconds
  std::string subresource;  // "" or "status"
  FieldSet fields;
};

using ManagedFields = std::vector<ManagedFieldsEntry>;

// The entries of an object's metadata.managedFields; nullopt when they cannot be decoded.
std::optional<ManagedFields> decode_managed_fields(const json& entries);
// Sorted as kube-apiserver sorts them: Apply before Update, then by time, manager, apiVersion,
// subresource. Entries with no fields are left out.
json encode_managed_fields(const ManagedFields& entries);

// Which entries a write starts from. The request's own managedFields win when it sets a
// non-empty, decodable list on the main resource; `[{}]` resets them to none; otherwise (absent,
// `[]`, undecodable, or a subresource write) the live object's are kept.
ManagedFields starting_fields(const json& live_object, const json& request_object,
                              bool subresource);

// `?fieldManager=` or, without it, the User-Agent up to its first `/`, its printable characters
// only, at most 128 bytes ("kubectl/v1.33.0 (linux/amd64)" → "kubectl").
std::string manager_name(const std::string& field_manager, const std::string& user_agent);

// Where a write lands: the main resource or /status, and which fields it may own there.
struct WriteScope {
  std::string api_version;          // of the resource
  std::string subresource;          // "" or "status"
  bool status_subresource = false;  // the type has one: the main resource never owns status
};

// The fields no manager owns whatever it writes: identity and server bookkeeping, plus status
// on a main resource with a status subresource, or everything but status on /status.
FieldSet owned_only(const FieldSet& fields, const WriteScope& scope);

struct FieldsOutcome {
  json object;            // the object to store, without managedFields
  ManagedFields entries;  // the new managedFields
};

// A non-apply write from `manager` that turned `before` into `after`: it takes every field it
// added or changed (from whoever owned them) and every manager loses the fields it removed.
// `before` is null for a create. The entry's time moves only when the write changed something.
ManagedFields update_fields(const json& before, const json& after, ManagedFields entries,
                            const std::string& manager, const WriteScope& scope,
                            const FieldShape& shape, const std::string& now);

// A server-side apply of `config` by `manager` to `live` (an empty object when creating).
// Conflicts (fields another manager owns whose value the apply changes) fail with 409 unless
// `force`, which takes them over. Fields this manager applied before, no longer applies and
// nobody else owns are removed.
Outcome<FieldsOutcome> apply_fields(const json& live, const json& config, ManagedFields entries,
                                    const std::string& manager, bool force, const WriteScope& scope,
                                    const FieldShape& shape, const std::string& now);

// kube-apiserver's 409 for conflicts, one (manager, path) pair each.
struct FieldConflict {
  std::string manager;  // as printed: "\"kubectl\"", "\"x\" using v1"
  FieldPath path;
};
ApiError conflict_error(std::vector<FieldConflict> conflicts);

}  // namespace cellar::testcluster
