#include "tests/cluster/cel_rules.h"

#include <cctype>
#include <memory>
#include <optional>
#include <regex>
#include <vector>

namespace cellar::testcluster {
namespace {

using json = nlohmann::json;

enum class Tok { kIdent, kInt, kDouble, kString, kOp, kEnd };

struct Token {
  Tok kind = Tok::kEnd;
  std::string text;
};

// Splits a rule into tokens; nullopt (with *error) on a character CEL would not accept here.
std::optional<std::vector<Token>> tokenize(std::string_view s, std::string* error) {
  std::vector<Token> out;
  size_t i = 0;
  while (i < s.size()) {
    char c = s[i];
    if (std::isspace(static_cast<unsigned char>(c))) {
      ++i;
    } else if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
      size_t j = i;
      while (j < s.size() && (std::isalnum(static_cast<unsigned char>(s[j])) || s[j] == '_')) ++j;
      out.push_back({Tok::kIdent, std::string(s.substr(i, j - i))});
      i = j;
    } else if (std::isdigit(static_cast<unsigned char>(c))) {
      size_t j = i;
      bool is_double = false;
      while (j < s.size() && (std::isdigit(static_cast<unsigned char>(s[j])) || s[j] == '.')) {
        if (s[j] == '.') is_double = true;
        ++j;
      }
      if (j < s.size() && (s[j] == 'u' || s[j] == 'U')) {
        *error = "unsigned literals";
        return std::nullopt;
      }
      out.push_back({is_double ? Tok::kDouble : Tok::kInt, std::string(s.substr(i, j - i))});
      i = j;
    } else if (c == '\'' || c == '"') {
      std::string text;
      size_t j = i + 1;
      while (j < s.size() && s[j] != c) {
        if (s[j] == '\\' && j + 1 < s.size()) {
          char e = s[++j];
          text += e == 'n' ? '\n' : e == 't' ? '\t' : e;
        } else {
          text += s[j];
        }
        ++j;
      }
      if (j >= s.size()) {
        *error = "unterminated string literal";
        return std::nullopt;
      }
      out.push_back({Tok::kString, text});
      i = j + 1;
    } else {
      static const char* const kOps[] = {"==", "!=", "<=", ">=", "&&", "||", "<", ">", "!", "(",
                                         ")",  "[",  "]",  ".",  ",",  "?",  ":", "+", "-"};
      bool found = false;
      for (const char* op : kOps) {
        std::string_view o(op);
        if (s.substr(i, o.size()) == o) {
          out.push_back({Tok::kOp, std::string(o)});
          i += o.size();
          found = true;
          break;
        }
      }
      if (!found) {
        *error = "operator '" + std::string(1, c) + "'";
        return std::nullopt;
      }
    }
  }
  out.push_back({Tok::kEnd, ""});
  return out;
}

struct Node {
  enum class Kind { kLiteral, kIdent, kSelect, kIndex, kCall, kUnary, kBinary, kTernary, kList };
  Kind kind = Kind::kLiteral;
  std::string name;  // identifier, field, function or operator
  json literal;
  std::vector<std::unique_ptr<Node>> kids;  // operands; for a method call kids[0] is the target
  bool method = false;
};
using NodePtr = std::unique_ptr<Node>;

NodePtr make(Node::Kind kind, std::string name = "") {
  auto n = std::make_unique<Node>();
  n->kind = kind;
  n->name = std::move(name);
  return n;
}

// Recursive descent over CEL's precedence: ?:, ||, &&, relations (incl. in), + -, unary, member.
class Parser {
 public:
  explicit Parser(std::vector<Token> tokens) : t_(std::move(tokens)) {}

  NodePtr parse(std::string* error) {
    NodePtr n = ternary();
    if (n && peek().kind != Tok::kEnd) fail("unexpected '" + peek().text + "'");
    if (!error_.empty()) {
      *error = error_;
      return nullptr;
    }
    return n;
  }

 private:
  const Token& peek() const { return t_[pos_]; }
  bool is_op(const char* op) const { return peek().kind == Tok::kOp && peek().text == op; }
  bool accept(const char* op) {
    if (!is_op(op)) return false;
    ++pos_;
    return true;
  }
  void expect(const char* op) {
    if (!accept(op)) fail(std::string("expected '") + op + "'");
  }
  void fail(std::string why) {
    if (error_.empty()) error_ = std::move(why);
    pos_ = t_.size() - 1;  // stop consuming: every caller unwinds
  }

  NodePtr ternary() {
    NodePtr cond = logical_or();
    if (!accept("?")) return cond;
    auto n = make(Node::Kind::kTernary);
    n->kids.push_back(std::move(cond));
    n->kids.push_back(ternary());
    expect(":");
    n->kids.push_back(ternary());
    return n;
  }
  NodePtr binary_chain(NodePtr (Parser::*next)(), std::initializer_list<const char*> ops) {
    NodePtr left = (this->*next)();
    for (;;) {
      const char* matched = nullptr;
      for (const char* op : ops) {
        if (is_op(op)) matched = op;
      }
      if (!matched) return left;
      ++pos_;
      auto n = make(Node::Kind::kBinary, matched);
      n->kids.push_back(std::move(left));
      n->kids.push_back((this->*next)());
      left = std::move(n);
    }
  }
  NodePtr logical_or() { return binary_chain(&Parser::logical_and, {"||"}); }
  NodePtr logical_and() { return binary_chain(&Parser::relation, {"&&"}); }
  NodePtr relation() {
    NodePtr left = additive();
    for (;;) {
      std::string op;
      if (peek().kind == Tok::kOp &&
          (peek().text == "==" || peek().text == "!=" || peek().text == "<" ||
           peek().text == "<=" || peek().text == ">" || peek().text == ">=")) {
        op = peek().text;
      } else if (peek().kind == Tok::kIdent && peek().text == "in") {
        op = "in";
      } else {
        return left;
      }
      ++pos_;
      auto n = make(Node::Kind::kBinary, op);
      n->kids.push_back(std::move(left));
      n->kids.push_back(additive());
      left = std::move(n);
    }
  }
  NodePtr additive() { return binary_chain(&Parser::unary, {"+", "-"}); }
  NodePtr unary() {
    if (accept("!")) {
      auto n = make(Node::Kind::kUnary, "!");
      n->kids.push_back(unary());
      return n;
    }
    if (accept("-")) {
      auto n = make(Node::Kind::kUnary, "-");
      n->kids.push_back(unary());
      return n;
    }
    return member();
  }
  NodePtr member() {
    NodePtr n = primary();
    for (;;) {
      if (accept(".")) {
        if (peek().kind != Tok::kIdent) {
          fail("expected a field name after '.'");
          return n;
        }
        std::string name = t_[pos_++].text;
        if (accept("(")) {
          auto call = make(Node::Kind::kCall, name);
          call->method = true;
          call->kids.push_back(std::move(n));
          arguments(call.get());
          n = std::move(call);
        } else {
          auto sel = make(Node::Kind::kSelect, name);
          sel->kids.push_back(std::move(n));
          n = std::move(sel);
        }
      } else if (accept("[")) {
        auto idx = make(Node::Kind::kIndex);
        idx->kids.push_back(std::move(n));
        idx->kids.push_back(ternary());
        expect("]");
        n = std::move(idx);
      } else {
        return n;
      }
    }
  }
  void arguments(Node* call) {
    if (accept(")")) return;
    do {
      call->kids.push_back(ternary());
    } while (accept(","));
    expect(")");
  }
  NodePtr primary() {
    const Token tok = peek();
    ++pos_;
    switch (tok.kind) {
      case Tok::kInt: {
        auto n = make(Node::Kind::kLiteral);
        n->literal = std::stoll(tok.text);
        return n;
      }
      case Tok::kDouble: {
        auto n = make(Node::Kind::kLiteral);
        n->literal = std::stod(tok.text);
        return n;
      }
      case Tok::kString: {
        auto n = make(Node::Kind::kLiteral);
        n->literal = tok.text;
        return n;
      }
      case Tok::kIdent: {
        if (tok.text == "true" || tok.text == "false" || tok.text == "null") {
          auto n = make(Node::Kind::kLiteral);
          n->literal = tok.text == "null" ? json(nullptr) : json(tok.text == "true");
          return n;
        }
        if (accept("(")) {
          auto call = make(Node::Kind::kCall, tok.text);
          arguments(call.get());
          return call;
        }
        return make(Node::Kind::kIdent, tok.text);
      }
      case Tok::kOp:
        if (tok.text == "(") {
          NodePtr n = ternary();
          expect(")");
          return n;
        }
        if (tok.text == "[") {
          auto list = make(Node::Kind::kList);
          if (!accept("]")) {
            do {
              list->kids.push_back(ternary());
            } while (accept(","));
            expect("]");
          }
          return list;
        }
        fail("unexpected '" + tok.text + "'");
        return make(Node::Kind::kLiteral);
      case Tok::kEnd:
        fail("unexpected end of rule");
        return make(Node::Kind::kLiteral);
    }
    return make(Node::Kind::kLiteral);
  }

  std::vector<Token> t_;
  size_t pos_ = 0;
  std::string error_;
};

// A CEL value or the reason there is none.
struct Value {
  json v;
  std::string error;         // set: evaluation error
  bool unsupported = false;  // with error: outside the subset, not a CEL error
  bool ok() const { return error.empty(); }
};

Value err(std::string why) {
  return {nullptr, std::move(why), false};
}
Value unsupported(std::string why) {
  return {nullptr, std::move(why), true};
}
Value val(json v) {
  return {std::move(v), "", false};
}

bool is_number(const json& v) {
  return v.is_number();
}

size_t code_points(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

class Evaluator {
 public:
  Evaluator(const json& self, const json* old_self) : self_(self), old_self_(old_self) {}

  Value eval(const Node& n) {
    switch (n.kind) {
      case Node::Kind::kLiteral:
        return val(n.literal);
      case Node::Kind::kIdent:
        if (n.name == "self") return val(self_);
        if (n.name == "oldSelf") {
          if (!old_self_) return err("oldSelf is not available outside a transition");
          return val(*old_self_);
        }
        return unsupported("undeclared reference to '" + n.name + "'");
      case Node::Kind::kSelect: {
        Value target = eval(*n.kids[0]);
        if (!target.ok()) return target;
        if (!target.v.is_object()) return err("no such key: " + n.name);
        auto it = target.v.find(n.name);
        if (it == target.v.end()) return err("no such key: " + n.name);
        return val(*it);
      }
      case Node::Kind::kIndex:
        return index(n);
      case Node::Kind::kCall:
        return call(n);
      case Node::Kind::kUnary: {
        Value x = eval(*n.kids[0]);
        if (!x.ok()) return x;
        if (n.name == "!") {
          if (!x.v.is_boolean()) return err(std::string("no such overload: !") + x.v.type_name());
          return val(!x.v.get<bool>());
        }
        if (x.v.is_number_integer()) return val(-x.v.get<int64_t>());
        if (x.v.is_number()) return val(-x.v.get<double>());
        return err("no such overload: -" + std::string(x.v.type_name()));
      }
      case Node::Kind::kTernary: {
        Value c = eval(*n.kids[0]);
        if (!c.ok()) return c;
        if (!c.v.is_boolean()) return err("no matching overload for '_?_:_'");
        return eval(*n.kids[c.v.get<bool>() ? 1 : 2]);
      }
      case Node::Kind::kList: {
        json list = json::array();
        for (const auto& k : n.kids) {
          Value x = eval(*k);
          if (!x.ok()) return x;
          list.push_back(std::move(x.v));
        }
        return val(std::move(list));
      }
      case Node::Kind::kBinary:
        return binary(n);
    }
    return unsupported("expression");
  }

 private:
  Value index(const Node& n) {
    Value target = eval(*n.kids[0]);
    if (!target.ok()) return target;
    Value key = eval(*n.kids[1]);
    if (!key.ok()) return key;
    if (target.v.is_array() && key.v.is_number_integer()) {
      int64_t i = key.v.get<int64_t>();
      if (i < 0 || i >= static_cast<int64_t>(target.v.size())) {
        return err("index out of bounds: " + std::to_string(i));
      }
      return val(target.v[static_cast<size_t>(i)]);
    }
    if (target.v.is_object() && key.v.is_string()) {
      auto it = target.v.find(key.v.get<std::string>());
      if (it == target.v.end()) return err("no such key: " + key.v.get<std::string>());
      return val(*it);
    }
    return err("no such overload for index");
  }

  Value call(const Node& n) {
    if (n.name == "has" && !n.method) {
      if (n.kids.size() != 1 || n.kids[0]->kind != Node::Kind::kSelect) {
        return unsupported("has() takes a field selection");
      }
      const Node& sel = *n.kids[0];
      Value target = eval(*sel.kids[0]);
      if (!target.ok()) return target;
      if (!target.v.is_object()) return err("invalid type for field selection");
      return val(target.v.contains(sel.name));
    }
    std::vector<Value> args;
    for (const auto& k : n.kids) {
      args.push_back(eval(*k));
      if (!args.back().ok()) return args.back();
    }
    if (n.name == "size" && args.size() == 1) {
      const json& x = args[0].v;
      if (x.is_string()) return val(static_cast<int64_t>(code_points(x.get<std::string>())));
      if (x.is_array() || x.is_object()) return val(static_cast<int64_t>(x.size()));
      return err("no such overload: size");
    }
    if (n.method && args.size() == 2 && args[0].v.is_string() && args[1].v.is_string()) {
      const std::string s = args[0].v.get<std::string>();
      const std::string a = args[1].v.get<std::string>();
      if (n.name == "startsWith") return val(s.rfind(a, 0) == 0);
      if (n.name == "endsWith") {
        return val(s.size() >= a.size() && s.compare(s.size() - a.size(), a.size(), a) == 0);
      }
      if (n.name == "contains") return val(s.find(a) != std::string::npos);
      if (n.name == "matches") {
        try {
          return val(std::regex_search(s, std::regex(a, std::regex::ECMAScript)));
        } catch (const std::regex_error&) {
          return err("invalid regular expression: " + a);
        }
      }
    }
    return unsupported("function '" + n.name + "'");
  }

  // && and || absorb an error on one side when the other side decides, as CEL does.
  Value logical(const Node& n) {
    bool is_and = n.name == "&&";
    Value l = eval(*n.kids[0]);
    if (l.unsupported) return l;
    if (l.ok() && !l.v.is_boolean()) return err("no matching overload for '" + n.name + "'");
    if (l.ok() && l.v.get<bool>() != is_and) return val(!is_and);
    Value r = eval(*n.kids[1]);
    if (r.unsupported) return r;
    if (r.ok() && !r.v.is_boolean()) return err("no matching overload for '" + n.name + "'");
    if (r.ok() && r.v.get<bool>() != is_and) return val(!is_and);
    if (!l.ok()) return l;
    if (!r.ok()) return r;
    return val(is_and);
  }

  Value binary(const Node& n) {
    if (n.name == "&&" || n.name == "||") return logical(n);
    Value l = eval(*n.kids[0]);
    if (!l.ok()) return l;
    Value r = eval(*n.kids[1]);
    if (!r.ok()) return r;
    const json& a = l.v;
    const json& b = r.v;
    if (n.name == "==") return val(a == b);
    if (n.name == "!=") return val(a != b);
    if (n.name == "in") {
      if (b.is_array()) {
        for (const auto& x : b) {
          if (x == a) return val(true);
        }
        return val(false);
      }
      if (b.is_object() && a.is_string()) return val(b.contains(a.get<std::string>()));
      return err("no such overload: in");
    }
    if (n.name == "+") {
      if (a.is_number_integer() && b.is_number_integer()) {
        return val(a.get<int64_t>() + b.get<int64_t>());
      }
      if (is_number(a) && is_number(b)) return val(a.get<double>() + b.get<double>());
      if (a.is_string() && b.is_string()) return val(a.get<std::string>() + b.get<std::string>());
      if (a.is_array() && b.is_array()) {
        json sum = a;
        sum.insert(sum.end(), b.begin(), b.end());
        return val(std::move(sum));
      }
      return err("no such overload: +");
    }
    if (n.name == "-") {
      if (a.is_number_integer() && b.is_number_integer()) {
        return val(a.get<int64_t>() - b.get<int64_t>());
      }
      if (is_number(a) && is_number(b)) return val(a.get<double>() - b.get<double>());
      return err("no such overload: -");
    }
    int cmp = 0;
    if (is_number(a) && is_number(b)) {
      double x = a.get<double>(), y = b.get<double>();
      if (a.is_number_integer() && b.is_number_integer()) {
        int64_t i = a.get<int64_t>(), j = b.get<int64_t>();
        cmp = i < j ? -1 : i > j ? 1 : 0;
      } else {
        cmp = x < y ? -1 : x > y ? 1 : 0;
      }
    } else if (a.is_string() && b.is_string()) {
      cmp = a.get<std::string>().compare(b.get<std::string>());
    } else if (a.is_boolean() && b.is_boolean()) {
      cmp = static_cast<int>(a.get<bool>()) - static_cast<int>(b.get<bool>());
    } else {
      return err("no such overload: " + n.name);
    }
    if (n.name == "<") return val(cmp < 0);
    if (n.name == "<=") return val(cmp <= 0);
    if (n.name == ">") return val(cmp > 0);
    return val(cmp >= 0);
  }

  const json& self_;
  const json* old_self_;
};

bool mentions(const Node& n, const std::string& name) {
  if (n.kind == Node::Kind::kIdent && n.name == name) return true;
  for (const auto& k : n.kids) {
    if (mentions(*k, name)) return true;
  }
  return false;
}

NodePtr compile(std::string_view rule, std::string* error) {
  auto tokens = tokenize(rule, error);
  if (!tokens) return nullptr;
  return Parser(std::move(*tokens)).parse(error);
}

}  // namespace

bool is_transition_rule(std::string_view rule) {
  std::string error;
  NodePtr n = compile(rule, &error);
  if (n) return mentions(*n, "oldSelf");
  return rule.find("oldSelf") != std::string_view::npos;
}

RuleVerdict evaluate_rule(std::string_view rule, const json& self, const json* old_self) {
  std::string error;
  NodePtr n = compile(rule, &error);
  if (!n) return {RuleVerdict::Kind::kUnsupported, "cannot parse: " + error};
  Value v = Evaluator(self, old_self).eval(*n);
  if (v.unsupported) return {RuleVerdict::Kind::kUnsupported, v.error};
  if (!v.ok()) return {RuleVerdict::Kind::kError, v.error};
  if (!v.v.is_boolean()) {
    return {RuleVerdict::Kind::kError, "rule did not evaluate to a bool"};
  }
  return {v.v.get<bool>() ? RuleVerdict::Kind::kPass : RuleVerdict::Kind::kFail, ""};
}

}  // namespace cellar::testcluster
