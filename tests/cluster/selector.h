// Label and field selectors as kube-apiserver parses them from ?labelSelector= and
// ?fieldSelector=, and as metav1.LabelSelector (matchLabels / matchExpressions) in Jobs and
// ownerless lookups.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cellar::testcluster {

using json = nlohmann::json;

// Equality (`a=b`, `a==b`, `a!=b`), set-based (`a in (x,y)`, `a notin (x)`, `a`, `!a`) and
// numeric (`a>1`, `a<5`)
// requirements joined by commas; every requirement must hold. The empty selector matches all.
class LabelSelector {
 public:
  enum class Op {
    kEquals,
    kNotEquals,
    kIn,
    kNotIn,
    kExists,
    kDoesNotExist,
    kGreaterThan,
    kLessThan
  };
  struct Requirement {
    std::string key;
    Op op = Op::kExists;
    std::vector<std::string> values;  // sorted, unique
  };

  // Parses the query-string form. On failure returns nullopt and sets *error (when not null) to
  // the message kube-apiserver puts into its 400 answer.
  static std::optional<LabelSelector> parse(std::string_view text, std::string* error);
  // Parses a metav1.LabelSelector object ({matchLabels, matchExpressions}); null or {} matches all.
  static std::optional<LabelSelector> from_json(const json& selector, std::string* error);

  bool matches(const json& labels) const;  // labels: an object of strings, or null
  bool empty() const { return requirements_.empty(); }
  const std::vector<Requirement>& requirements() const { return requirements_; }
  // The canonical query-string form, requirements sorted by key ("a=b,c in (x,y)").
  std::string to_string() const;

 private:
  std::vector<Requirement> requirements_;
};

// `key=value`, `key==value` and `key!=value` joined by commas. Keys are dotted paths into the
// object (metadata.name, metadata.namespace, status.phase, spec.nodeName, type, ...); a missing
// field compares as the empty string, as kube-apiserver's field sets do.
class FieldSelector {
 public:
  struct Requirement {
    std::string field;
    bool equals = true;  // false: !=
    std::string value;
  };

  static std::optional<FieldSelector> parse(std::string_view text, std::string* error);

  bool matches(const json& object) const;
  bool empty() const { return requirements_.empty(); }
  const std::vector<Requirement>& requirements() const { return requirements_; }

 private:
  std::vector<Requirement> requirements_;
};

}  // namespace cellar::testcluster
