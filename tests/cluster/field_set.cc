#include "tests/cluster/field_set.h"

#include <functional>

namespace cellar::testcluster {

std::string field_element(const std::string& name) {
  return "f:" + name;
}
std::string key_element(const json& keys) {
  return "k:" + keys.dump();
}
std::string value_element(const json& value) {
  return "v:" + value.dump();
}

std::string path_string(const FieldPath& path) {
  std::string out;
  for (const auto& element : path) {
    const std::string kind = element.substr(0, 2);
    const std::string rest = element.substr(2);
    if (kind == "f:") {
      out += "." + rest;
    } else if (kind == "k:") {
      json keys = json::parse(rest, nullptr, false);
      std::string inner;
      if (keys.is_object()) {
        for (auto it = keys.begin(); it != keys.end(); ++it) {
          if (!inner.empty()) inner += ",";
          inner += it.key() + "=" + it->dump();
        }
      }
      out += "[" + inner + "]";
    } else if (kind == "v:") {
      out += "[=" + rest + "]";
    } else if (kind == "i:") {
      out += "[" + rest + "]";
    } else {
      out += element;
    }
  }
  return out;
}

bool FieldSet::Node::has_members() const {
  if (member) return true;
  for (const auto& [name, child] : children) {
    if (child.has_members()) return true;
  }
  return false;
}

namespace {

using Node = FieldSet::Node;

// Drops prefixes that lead to no member, so equal sets compare equal.
void tidy(Node& node) {
  for (auto it = node.children.begin(); it != node.children.end();) {
    tidy(it->second);
    it = it->second.has_members() ? std::next(it) : node.children.erase(it);
  }
}

Node combine(const Node& a, const Node& b, const std::function<bool(bool, bool)>& keep) {
  Node out;
  out.member = keep(a.member, b.member);
  static const Node kEmpty;
  for (const auto& [name, child] : a.children) {
    auto other = b.children.find(name);
    out.children[name] = combine(child, other == b.children.end() ? kEmpty : other->second, keep);
  }
  for (const auto& [name, child] : b.children) {
    if (!a.children.contains(name)) out.children[name] = combine(kEmpty, child, keep);
  }
  tidy(out);
  return out;
}

void collect(const Node& node, FieldPath& path, std::vector<FieldPath>& out) {
  if (node.member && !path.empty()) out.push_back(path);
  for (const auto& [name, child] : node.children) {
    path.push_back(name);
    collect(child, path, out);
    path.pop_back();
  }
}

void collect_prefixes(const Node& node, FieldPath& path, std::vector<FieldPath>& out) {
  if (!node.member && !path.empty() && !node.children.empty()) out.push_back(path);
  for (const auto& [name, child] : node.children) {
    path.push_back(name);
    collect_prefixes(child, path, out);
    path.pop_back();
  }
}

json encode(const Node& node) {
  json out = json::object();
  if (node.member && !node.children.empty()) out["."] = json::object();
  for (const auto& [name, child] : node.children) out[name] = encode(child);
  return out;
}

bool decode(const json& fields, Node& node, std::string* error) {
  if (!fields.is_object()) {
    if (error) *error = "FieldsV1 must be a JSON object";
    return false;
  }
  for (auto it = fields.begin(); it != fields.end(); ++it) {
    if (it.key() == ".") {
      node.member = true;
      continue;
    }
    const std::string kind = it.key().substr(0, 2);
    if (kind != "f:" && kind != "k:" && kind != "v:" && kind != "i:") {
      if (error) *error = "unexpected FieldsV1 key: " + it.key();
      return false;
    }
    Node& child = node.children[it.key()];
    if (!decode(*it, child, error)) return false;
    // An empty object is a leaf: a member with nothing below.
    if (it->empty()) child.member = true;
  }
  return true;
}

}  // namespace

void FieldSet::insert(const FieldPath& path) {
  Node* node = &root_;
  for (const auto& element : path) node = &node->children[element];
  if (!path.empty()) node->member = true;
}

bool FieldSet::contains(const FieldPath& path) const {
  const Node* node = &root_;
  for (const auto& element : path) {
    auto it = node->children.find(element);
    if (it == node->children.end()) return false;
    node = &it->second;
  }
  return node->member;
}

bool FieldSet::covers(const FieldPath& path) const {
  const Node* node = &root_;
  for (const auto& element : path) {
    auto it = node->children.find(element);
    if (it == node->children.end()) return false;
    node = &it->second;
  }
  return node->has_members();
}

FieldSet FieldSet::united(const FieldSet& other) const {
  FieldSet out;
  out.root_ = combine(root_, other.root_, [](bool a, bool b) { return a || b; });
  return out;
}

FieldSet FieldSet::minus(const FieldSet& other) const {
  FieldSet out;
  out.root_ = combine(root_, other.root_, [](bool a, bool b) { return a && !b; });
  return out;
}

FieldSet FieldSet::intersected(const FieldSet& other) const {
  FieldSet out;
  out.root_ = combine(root_, other.root_, [](bool a, bool b) { return a && b; });
  return out;
}

FieldSet FieldSet::without_subtree(const FieldPath& prefix) const {
  FieldSet out = *this;
  if (prefix.empty()) return FieldSet{};
  Node* node = &out.root_;
  for (size_t i = 0; i + 1 < prefix.size(); ++i) {
    auto it = node->children.find(prefix[i]);
    if (it == node->children.end()) return out;
    node = &it->second;
  }
  node->children.erase(prefix.back());
  tidy(out.root_);
  return out;
}

FieldSet FieldSet::only_subtree(const FieldPath& prefix) const {
  FieldSet out;
  const Node* node = &root_;
  for (const auto& element : prefix) {
    auto it = node->children.find(element);
    if (it == node->children.end()) return out;
    node = &it->second;
  }
  Node* target = &out.root_;
  for (const auto& element : prefix) target = &target->children[element];
  *target = *node;
  tidy(out.root_);
  return out;
}

std::vector<FieldPath> FieldSet::members() const {
  std::vector<FieldPath> out;
  FieldPath path;
  collect(root_, path, out);
  return out;
}

std::vector<FieldPath> FieldSet::prefixes() const {
  std::vector<FieldPath> out;
  FieldPath path;
  collect_prefixes(root_, path, out);
  return out;
}

json FieldSet::to_fields_v1() const {
  return encode(root_);
}

std::optional<FieldSet> FieldSet::from_fields_v1(const json& fields, std::string* error) {
  FieldSet out;
  if (fields.is_null()) return out;
  if (!decode(fields, out.root_, error)) return std::nullopt;
  out.root_.member = false;
  tidy(out.root_);
  return out;
}

}  // namespace cellar::testcluster
