// A deliberately small evaluator for the x-kubernetes-validations rules (CEL) Cellar's CRDs use.
//
// It understands: `self`, `oldSelf`, field selection (`self.spec.x`), indexing (`self.l[0]`,
// `self.m['k']`), `has(self.f)`, `size(x)` / `x.size()`, `startsWith`, `endsWith`, `contains`,
// `matches`, the operators `== != < <= > >= && || ! + - in ?:`, and string, int, double, bool,
// null and list literals. Anything else is reported as unsupported rather than guessed at: a
// test cluster that silently passes a rule the real apiserver would reject hides bugs.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace cellar::testcluster {

struct RuleVerdict {
  enum class Kind {
    kPass,         // the rule evaluated to true
    kFail,         // the rule evaluated to false
    kError,        // evaluation failed as CEL would fail it (no such key, wrong types, ...)
    kUnsupported,  // the rule is outside the subset above
  };
  Kind kind = Kind::kPass;
  std::string detail;  // for kError / kUnsupported: why
};

// Whether the rule refers to oldSelf, which makes it a transition rule.
bool is_transition_rule(std::string_view rule);

// Evaluates `rule` with `self` bound to the value at the rule's schema node and `old_self` (null
// pointer when there is no old value) to the value it replaces.
RuleVerdict evaluate_rule(std::string_view rule, const nlohmann::json& self,
                          const nlohmann::json* old_self);

}  // namespace cellar::testcluster
