#include "tests/cluster/jsonpath.h"

#include <string>
#include <vector>

namespace cellar::testcluster {
namespace {

// One step of a path applied to every current node, producing the next nodes.
using Nodes = std::vector<const json*>;

bool parse_int(std::string_view s, long long* out) {
  if (s.empty()) return false;
  size_t i = s[0] == '-' ? 1 : 0;
  if (i == s.size()) return false;
  for (size_t j = i; j < s.size(); ++j) {
    if (s[j] < '0' || s[j] > '9') return false;
  }
  *out = std::stoll(std::string(s));
  return true;
}

std::string trim(std::string_view s) {
  size_t b = s.find_first_not_of(" \t");
  if (b == std::string_view::npos) return "";
  size_t e = s.find_last_not_of(" \t");
  return std::string(s.substr(b, e - b + 1));
}

// Reads a dotted field name up to the next unescaped '.' or '['; `\.` keeps a dot in the name.
std::string read_name(std::string_view path, size_t* i) {
  std::string name;
  while (*i < path.size() && path[*i] != '.' && path[*i] != '[') {
    if (path[*i] == '\\' && *i + 1 < path.size()) ++*i;
    name += path[(*i)++];
  }
  return name;
}

std::optional<Nodes> child(const Nodes& in, const std::string& name) {
  Nodes out;
  for (const json* n : in) {
    if (name == "*") {
      if (n->is_object() || n->is_array()) {
        for (const auto& v : *n) out.push_back(&v);
      }
      continue;
    }
    if (!n->is_object()) continue;
    auto it = n->find(name);
    if (it != n->end()) out.push_back(&*it);
  }
  return out;
}

// `@.a.b` inside a filter: the value under the element, or nullptr.
const json* relative(const json& element, std::string_view path) {
  if (path == "@") return &element;
  if (path.substr(0, 2) != "@.") return nullptr;
  const json* node = &element;
  size_t i = 1;
  while (i < path.size() && path[i] == '.') {
    ++i;
    std::string name = read_name(path, &i);
    if (!node->is_object()) return nullptr;
    auto it = node->find(name);
    if (it == node->end()) return nullptr;
    node = &*it;
  }
  return i == path.size() ? node : nullptr;
}

std::optional<json> literal(std::string_view text) {
  std::string t = trim(text);
  if (t.size() >= 2 && (t.front() == '"' || t.front() == '\'') && t.back() == t.front()) {
    return json(t.substr(1, t.size() - 2));
  }
  if (t == "true" || t == "false") return json(t == "true");
  long long i = 0;
  if (parse_int(t, &i)) return json(i);
  try {
    size_t used = 0;
    double d = std::stod(t, &used);
    if (used == t.size()) return json(d);
  } catch (const std::exception&) {
  }
  return std::nullopt;
}

// `?(@.type=="Ready")`, `?(@.ready)`, `?(@.count > 2)`.
std::optional<Nodes> filter(const Nodes& in, std::string_view expr) {
  static const char* const kOps[] = {"==", "!=", "<=", ">=", "<", ">"};
  std::string op;
  size_t at = std::string_view::npos;
  for (const char* o : kOps) {
    at = expr.find(o);
    if (at != std::string_view::npos) {
      op = o;
      break;
    }
  }
  Nodes out;
  for (const json* n : in) {
    if (!n->is_array()) continue;
    for (const auto& element : *n) {
      if (op.empty()) {
        const json* v = relative(element, trim(expr));
        if (v && !v->is_null() && !(v->is_boolean() && !v->get<bool>())) out.push_back(&element);
        continue;
      }
      const json* left = relative(element, trim(expr.substr(0, at)));
      std::string right_text = trim(expr.substr(at + op.size()));
      json right;
      if (right_text.rfind("@", 0) == 0) {
        const json* r = relative(element, right_text);
        if (!r) continue;
        right = *r;
      } else if (auto lit = literal(right_text)) {
        right = *lit;
      } else {
        return std::nullopt;
      }
      if (!left) continue;
      bool keep = false;
      if (op == "==")
        keep = *left == right;
      else if (op == "!=")
        keep = *left != right;
      else if (left->is_number() && right.is_number()) {
        double a = left->get<double>(), b = right.get<double>();
        keep = op == "<" ? a < b : op == ">" ? a > b : op == "<=" ? a <= b : a >= b;
      }
      if (keep) out.push_back(&element);
    }
  }
  return out;
}

std::optional<Nodes> subscript(const Nodes& in, std::string_view inside) {
  std::string text = trim(inside);
  if (text.empty()) return std::nullopt;
  if (text.front() == '?') {
    if (text.size() < 3 || text[1] != '(' || text.back() != ')') return std::nullopt;
    return filter(in, std::string_view(text).substr(2, text.size() - 3));
  }
  if (text == "*") return child(in, "*");
  if ((text.front() == '\'' || text.front() == '"') && text.back() == text.front()) {
    return child(in, text.substr(1, text.size() - 2));
  }
  Nodes out;
  auto colon = text.find(':');
  if (colon != std::string::npos) {
    long long lo = 0, hi = 0;
    std::string a = trim(text.substr(0, colon)), b = trim(text.substr(colon + 1));
    for (const json* n : in) {
      if (!n->is_array()) continue;
      long long size = static_cast<long long>(n->size());
      long long start = a.empty() ? 0 : (parse_int(a, &lo) ? lo : 0);
      long long end = b.empty() ? size : (parse_int(b, &hi) ? hi : size);
      if (start < 0) start += size;
      if (end < 0) end += size;
      for (long long i = std::max(0LL, start); i < std::min(end, size); ++i) {
        out.push_back(&(*n)[static_cast<size_t>(i)]);
      }
    }
    return out;
  }
  long long index = 0;
  if (!parse_int(text, &index)) return std::nullopt;
  for (const json* n : in) {
    if (!n->is_array()) continue;
    long long i = index < 0 ? index + static_cast<long long>(n->size()) : index;
    if (i >= 0 && i < static_cast<long long>(n->size()))
      out.push_back(&(*n)[static_cast<size_t>(i)]);
  }
  return out;
}

}  // namespace

std::optional<json> evaluate_jsonpath(const json& object, std::string_view path) {
  std::string p = trim(path);
  if (p.size() >= 2 && p.front() == '{' && p.back() == '}')
    p = trim(std::string_view(p).substr(1, p.size() - 2));
  if (!p.empty() && p.front() == '$') p.erase(0, 1);
  Nodes nodes = {&object};
  size_t i = 0;
  while (i < p.size()) {
    std::optional<Nodes> next;
    if (p[i] == '.') {
      ++i;
      if (i >= p.size()) break;  // a trailing "." (or the bare ".") names the node itself
      if (p[i] == '[') continue;
      next = child(nodes, read_name(p, &i));
    } else if (p[i] == '[') {
      // The closing bracket, skipping brackets and quotes inside a filter.
      size_t depth = 0, j = i;
      char quote = 0;
      for (; j < p.size(); ++j) {
        if (quote) {
          if (p[j] == quote) quote = 0;
        } else if (p[j] == '"' || p[j] == '\'') {
          quote = p[j];
        } else if (p[j] == '[') {
          ++depth;
        } else if (p[j] == ']' && --depth == 0) {
          break;
        }
      }
      if (j >= p.size()) return std::nullopt;
      next = subscript(nodes, std::string_view(p).substr(i + 1, j - i - 1));
      i = j + 1;
    } else {
      next = child(nodes, read_name(p, &i));
    }
    if (!next) return std::nullopt;
    nodes = std::move(*next);
    if (nodes.empty()) return std::nullopt;
  }
  if (nodes.empty()) return std::nullopt;
  return *nodes.front();
}

}  // namespace cellar::testcluster
