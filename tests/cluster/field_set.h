// A set of field paths, as structured-merge-diff keeps them for each field manager, and its
// FieldsV1 encoding (metadata.managedFields[].fieldsV1).
//
// A path is a list of elements, each already in FieldsV1's spelling: `f:spec` (a field),
// `k:{"name":"app"}` (an item of a list of maps, by its keys), `v:"a"` (an item of a set),
// `i:0` (an item by index). A path in the set is a *member*; its ancestors are only prefixes,
// except where they are members themselves (FieldsV1's `.`).
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace cellar::testcluster {

using json = nlohmann::json;

using FieldPath = std::vector<std::string>;

// Path elements in FieldsV1 spelling.
std::string field_element(const std::string& name);  // f:name
std::string key_element(const json& keys);           // k:{"name":"x"} (keys: an object)
std::string value_element(const json& value);        // v:"x"

// ".spec.containers[name=\"app\"].image", as kube-apiserver names a field in a conflict.
std::string path_string(const FieldPath& path);

class FieldSet {
 public:
  void insert(const FieldPath& path);
  bool contains(const FieldPath& path) const;  // a member
  // The path or something below it is a member: whoever owns this set keeps the path's value.
  bool covers(const FieldPath& path) const;
  bool empty() const { return !root_.has_members(); }

  FieldSet united(const FieldSet& other) const;
  FieldSet minus(const FieldSet& other) const;        // members of this that are not of other
  FieldSet intersected(const FieldSet& other) const;  // members of both
  // Drops every member at or below `prefix` (structured-merge-diff's RecursiveDifference).
  FieldSet without_subtree(const FieldPath& prefix) const;
  // Keeps only the members at or below `prefix`.
  FieldSet only_subtree(const FieldPath& prefix) const;

  std::vector<FieldPath> members() const;  // in FieldsV1 key order
  // Paths that lead to members without being members (struct fields owned through their fields).
  std::vector<FieldPath> prefixes() const;

  // {"f:spec":{".":{},"f:schedule":{}}}
  json to_fields_v1() const;
  // nullopt (and *error) when `fields` is not a FieldsV1 document.
  static std::optional<FieldSet> from_fields_v1(const json& fields, std::string* error);

  bool operator==(const FieldSet& other) const { return root_ == other.root_; }

  struct Node {
    bool member = false;
    std::map<std::string, Node> children;
    bool has_members() const;
    bool operator==(const Node& other) const = default;
  };
  const Node& root() const { return root_; }

 private:
  Node root_;
};

}  // namespace cellar::testcluster
