#include "tests/cluster/apply_merge.h"

#include <algorithm>

namespace cellar::testcluster {
namespace {

void collect(const json& value, const FieldShape& shape, FieldPath& path, FieldSet& out) {
  if (value.is_object()) {
    if (shape.atomic_map()) {
      out.insert(path);
      return;
    }
    for (auto it = value.begin(); it != value.end(); ++it) {
      path.push_back(field_element(it.key()));
      collect(*it, shape.child(it.key()), path, out);
      if (it->is_null() || (it->is_object() && it->empty()) || !shape.declares(it.key())) {
        out.insert(path);
      }
      path.pop_back();
    }
    return;
  }
  if (value.is_array()) {
    if (shape.list().type == ListType::kAtomic) {
      out.insert(path);
      return;
    }
    const FieldShape item = shape.item();
    for (const auto& element : value) {
      std::string name = shape.element_of(element);
      if (name.empty()) continue;  // an item without its keys cannot be owned
      path.push_back(name);
      collect(element, item, path, out);
      out.insert(path);
      path.pop_back();
    }
    return;
  }
  out.insert(path);
}

class Comparer {
 public:
  explicit Comparer(Comparison& out) : out_(out) {}

  // `before`/`after` null pointers: absent.
  void node(const json* before, const json* after, const FieldShape& shape, FieldPath& path) {
    const bool objects = (!before || before->is_object()) && (!after || after->is_object());
    const bool arrays = (!before || before->is_array()) && (!after || after->is_array());
    bool leaf = true;
    if (objects && !shape.atomic_map() && !(empty(before) && empty(after))) {
      leaf = false;
      maps(before, after, shape, path);
    } else if (arrays && shape.list().type != ListType::kAtomic &&
               !(empty(before) && empty(after))) {
      leaf = false;
      lists(before, after, shape, path);
    }
    if (path.empty()) return;
    if (!before && after) {
      out_.added.insert(path);
    } else if (before && !after) {
      out_.removed.insert(path);
    } else if (leaf && before && after && *before != *after) {
      out_.modified.insert(path);
    }
  }

 private:
  static bool empty(const json* v) { return v == nullptr || v->empty(); }

  void maps(const json* before, const json* after, const FieldShape& shape, FieldPath& path) {
    auto visit = [&](const std::string& key) {
      const json* b = before && before->contains(key) ? &(*before)[key] : nullptr;
      const json* a = after && after->contains(key) ? &(*after)[key] : nullptr;
      path.push_back(field_element(key));
      node(b, a, shape.child(key), path);
      path.pop_back();
    };
    if (before) {
      for (auto it = before->begin(); it != before->end(); ++it) visit(it.key());
    }
    if (after) {
      for (auto it = after->begin(); it != after->end(); ++it) {
        if (!before || !before->contains(it.key())) visit(it.key());
      }
    }
  }

  void lists(const json* before, const json* after, const FieldShape& shape, FieldPath& path) {
    std::map<std::string, const json*> old_items;
    std::map<std::string, const json*> new_items;
    if (before) {
      for (const auto& e : *before) {
        if (auto name = shape.element_of(e); !name.empty()) old_items.emplace(name, &e);
      }
    }
    if (after) {
      for (const auto& e : *after) {
        if (auto name = shape.element_of(e); !name.empty()) new_items.emplace(name, &e);
      }
    }
    const FieldShape item = shape.item();
    auto visit = [&](const std::string& name) {
      auto b = old_items.find(name);
      auto a = new_items.find(name);
      path.push_back(name);
      node(b == old_items.end() ? nullptr : b->second, a == new_items.end() ? nullptr : a->second,
           item, path);
      path.pop_back();
    };
    for (const auto& [name, e] : old_items) visit(name);
    for (const auto& [name, e] : new_items) {
      if (!old_items.contains(name)) visit(name);
    }
  }

  Comparison& out_;
};

json merge_list(const json& live, const json& config, const FieldShape& shape) {
  json out = live;
  const FieldShape item = shape.item();
  for (const auto& element : config) {
    const std::string name = shape.element_of(element);
    auto match =
        name.empty() ? out.end() : std::find_if(out.begin(), out.end(), [&](const json& e) {
          return shape.element_of(e) == name;
        });
    if (match == out.end()) {
      out.push_back(element);
    } else {
      *match = merge_applied(*match, element, item);
    }
  }
  return out;
}

void remove_below(json& value, const FieldSet::Node& node, const FieldShape& shape) {
  for (const auto& [element, child] : node.children) {
    if (element.rfind("f:", 0) == 0) {
      const std::string key = element.substr(2);
      if (!value.is_object() || !value.contains(key)) continue;
      if (child.member) {
        value.erase(key);
      } else {
        remove_below(value[key], child, shape.child(key));
      }
      continue;
    }
    if (!value.is_array()) continue;
    for (size_t i = 0; i < value.size(); ++i) {
      if (shape.element_of(value[i]) != element) continue;
      if (child.member) {
        value.erase(i);
      } else {
        remove_below(value[i], child, shape.item());
      }
      break;
    }
  }
}

}  // namespace

FieldSet field_set_of(const json& value, const FieldShape& shape) {
  FieldSet out;
  FieldPath path;
  collect(value, shape, path, out);
  return out;
}

Comparison compare(const json& before, const json& after, const FieldShape& shape) {
  Comparison out;
  FieldPath path;
  Comparer(out).node(&before, &after, shape, path);
  return out;
}

json merge_applied(const json& live, const json& config, const FieldShape& shape) {
  if (live.is_object() && config.is_object() && !shape.atomic_map()) {
    json out = live;
    for (auto it = config.begin(); it != config.end(); ++it) {
      auto existing = live.find(it.key());
      out[it.key()] =
          existing == live.end() ? *it : merge_applied(*existing, *it, shape.child(it.key()));
    }
    return out;
  }
  if (live.is_array() && config.is_array() && shape.list().type != ListType::kAtomic) {
    return merge_list(live, config, shape);
  }
  return config;
}

json remove_fields(json value, const FieldSet& fields, const FieldShape& shape) {
  remove_below(value, fields.root(), shape);
  return value;
}

}  // namespace cellar::testcluster
