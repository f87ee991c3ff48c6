#include "tests/cluster/selector.h"

#include <algorithm>
#include <charconv>
#include <regex>

namespace cellar::testcluster {
namespace {

using Op = LabelSelector::Op;
using Requirement = LabelSelector::Requirement;

bool is_special(char c) {
  return c == '=' || c == '!' || c == '(' || c == ')' || c == ',' || c == '>' || c == '<';
}
bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

enum class Tok {
  kIdent,
  kIn,
  kNotIn,
  kEq,
  kDoubleEq,
  kNotEq,
  kBang,
  kOpen,
  kClose,
  kComma,
  kGt,
  kLt,
  kEnd,
  kError
};

struct Token {
  Tok kind;
  std::string text;
};

std::vector<Token> lex(std::string_view s) {
  std::vector<Token> out;
  size_t i = 0;
  for (;;) {
    while (i < s.size() && is_space(s[i])) ++i;
    if (i >= s.size()) break;
    if (is_special(s[i])) {
      // Longest operator first: "==" and "!=" before "=" and "!".
      static const std::pair<const char*, Tok> kOps[] = {
          {"==", Tok::kDoubleEq}, {"!=", Tok::kNotEq}, {"=", Tok::kEq},
          {"!", Tok::kBang},      {"(", Tok::kOpen},   {")", Tok::kClose},
          {",", Tok::kComma},     {">", Tok::kGt},     {"<", Tok::kLt}};
      for (const auto& [text, kind] : kOps) {
        std::string_view t(text);
        if (s.substr(i, t.size()) == t) {
          out.push_back({kind, std::string(t)});
          i += t.size();
          break;
        }
      }
      continue;
    }
    size_t j = i;
    while (j < s.size() && !is_special(s[j]) && !is_space(s[j])) ++j;
    std::string word(s.substr(i, j - i));
    out.push_back({word == "in" ? Tok::kIn : word == "notin" ? Tok::kNotIn : Tok::kIdent, word});
    i = j;
  }
  out.push_back({Tok::kEnd, ""});
  return out;
}

const char* const kNameRegex = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
const char* const kValueRegex = "(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?";

std::string in_quotes(const std::string& s) {
  return "\"" + s + "\"";
}

// A label key: an optional DNS-subdomain prefix and "/", then a name of at most 63 characters.
std::string key_problem(const std::string& key) {
  std::string name = key;
  auto slash = key.find('/');
  if (slash != std::string::npos) {
    std::string prefix = key.substr(0, slash);
    name = key.substr(slash + 1);
    static const std::regex kSubdomain(
        "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    if (prefix.empty() || prefix.size() > 253 || !std::regex_match(prefix, kSubdomain)) {
      return "prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric "
             "characters, '-' or '.', and must start and end with an alphanumeric character";
    }
  }
  if (name.empty()) return "name part must be non-empty";
  if (name.size() > 63) return "name part must be no more than 63 characters";
  static const std::regex kName(kNameRegex);
  if (!std::regex_match(name, kName)) {
    return std::string(
               "name part must consist of alphanumeric characters, '-', '_' or '.', and "
               "must start and end with an alphanumeric character (e.g. 'MyName',  or "
               "'my.name',  or '123-abc', regex used for validation is '") +
           kNameRegex + "')";
  }
  return "";
}

std::string value_problem(const std::string& value) {
  if (value.size() > 63) return "must be no more than 63 characters";
  static const std::regex kValue(kValueRegex);
  if (!std::regex_match(value, kValue)) {
    return std::string(
               "a valid label must be an empty string or consist of alphanumeric "
               "characters, '-', '_' or '.', and must start and end with an alphanumeric "
               "character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for "
               "validation is '") +
           kValueRegex + "')";
  }
  return "";
}

std::optional<int64_t> as_int(const std::string& s) {
  int64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

// Checks a requirement as the apiserver does when it builds one; "" when it is sound.
std::string requirement_problem(Requirement& r) {
  if (std::string why = key_problem(r.key); !why.empty()) {
    return "key: Invalid value: " + in_quotes(r.key) + ": " + why;
  }
  std::sort(r.values.begin(), r.values.end());
  r.values.erase(std::unique(r.values.begin(), r.values.end()), r.values.end());
  switch (r.op) {
    case Op::kIn:
    case Op::kNotIn:
      if (r.values.empty())
        return "values: Invalid value: []: for 'in', 'notin' operators, values set can't be empty";
      break;
    case Op::kEquals:
    case Op::kNotEquals:
      if (r.values.size() != 1) return "values: Invalid value: exactly one value is required";
      break;
    case Op::kExists:
    case Op::kDoesNotExist:
      if (!r.values.empty())
        return "values: Invalid value: values set must be empty for exists and does not exist";
      break;
    case Op::kGreaterThan:
    case Op::kLessThan:
      if (r.values.size() != 1)
        return "values: Invalid value: for 'Gt', 'Lt' operators, exactly one value is required";
      if (!as_int(r.values[0])) {
        return "values[0]: Invalid value: " + in_quotes(r.values[0]) +
               ": for 'Gt', 'Lt' operators, the value must be an integer";
      }
      return "";
  }
  for (size_t i = 0; i < r.values.size(); ++i) {
    if (std::string why = value_problem(r.values[i]); !why.empty()) {
      return "values[" + std::to_string(i) + "][" + r.key +
             "]: Invalid value: " + in_quotes(r.values[i]) + ": " + why;
    }
  }
  return "";
}

class Parser {
 public:
  explicit Parser(std::string_view text) : t_(lex(text)) {}

  bool parse(std::vector<Requirement>* out, std::string* error) {
    for (;;) {
      const Token& tok = t_[pos_];
      if (tok.kind == Tok::kEnd) return true;
      if (tok.kind != Tok::kIdent && tok.kind != Tok::kBang && tok.kind != Tok::kIn &&
          tok.kind != Tok::kNotIn) {
        *error = "found '" + tok.text + "', expected: !, identifier, or 'end of string'";
        return false;
      }
      Requirement r;
      std::string why;
      if (!requirement(&r, &why)) {
        *error = "unable to parse requirement: " + why;
        return false;
      }
      out->push_back(std::move(r));
      const Token& next = t_[pos_++];
      if (next.kind == Tok::kEnd) return true;
      if (next.kind != Tok::kComma) {
        *error = "found '" + next.text + "', expected: ',' or 'end of string'";
        return false;
      }
      const Token& after = t_[pos_];
      if (after.kind != Tok::kIdent && after.kind != Tok::kBang && after.kind != Tok::kIn &&
          after.kind != Tok::kNotIn) {
        *error = "found '" + after.text + "', expected: identifier after ','";
        return false;
      }
    }
  }

 private:
  bool requirement(Requirement* r, std::string* error) {
    bool negated = false;
    if (t_[pos_].kind == Tok::kBang) {
      negated = true;
      ++pos_;
    }
    const Token& key = t_[pos_++];
    // "in" and "notin" are only keywords where an operator is expected.
    if (key.kind != Tok::kIdent && key.kind != Tok::kIn && key.kind != Tok::kNotIn) {
      *error = "found '" + key.text + "', expected: identifier";
      return false;
    }
    r->key = key.text;
    const Tok next = t_[pos_].kind;
    if (negated || next == Tok::kEnd || next == Tok::kComma) {
      // After "!key" whatever follows is the caller's to judge: "," or the end.
      r->op = negated ? Op::kDoesNotExist : Op::kExists;
      *error = requirement_problem(*r);
      return error->empty();
    }
    const Token& op = t_[pos_++];
    switch (op.kind) {
      case Tok::kEq:
      case Tok::kDoubleEq:
        r->op = Op::kEquals;
        break;
      case Tok::kNotEq:
        r->op = Op::kNotEquals;
        break;
      case Tok::kIn:
        r->op = Op::kIn;
        break;
      case Tok::kNotIn:
        r->op = Op::kNotIn;
        break;
      case Tok::kGt:
        r->op = Op::kGreaterThan;
        break;
      case Tok::kLt:
        r->op = Op::kLessThan;
        break;
      default:
        *error = "found '" + op.text + "', expected: in, notin, =, ==, !=, gt, lt";
        return false;
    }
    bool ok = (r->op == Op::kIn || r->op == Op::kNotIn) ? value_set(r, error) : exact(r, error);
    if (!ok) return false;
    *error = requirement_problem(*r);
    return error->empty();
  }

  bool exact(Requirement* r, std::string* error) {
    const Token& v = t_[pos_];
    if (v.kind == Tok::kEnd || v.kind == Tok::kComma) {
      r->values = {""};
      return true;
    }
    ++pos_;
    if (v.kind == Tok::kIdent || v.kind == Tok::kIn || v.kind == Tok::kNotIn) {
      r->values = {v.text};
      return true;
    }
    *error = "found '" + v.text + "', expected: identifier";
    return false;
  }

  bool value_set(Requirement* r, std::string* error) {
    const Token& open = t_[pos_++];
    if (open.kind != Tok::kOpen) {
      *error = "found '" + open.text + "' expected: '('";
      return false;
    }
    // Empty entries ("(a,,b)", "()") stand for the empty value, as in the apiserver.
    bool expect_value = true;
    for (;;) {
      const Token& tok = t_[pos_++];
      if (tok.kind == Tok::kClose) {
        if (expect_value) r->values.push_back("");
        return true;
      }
      if (tok.kind == Tok::kComma) {
        if (expect_value) r->values.push_back("");
        expect_value = true;
        continue;
      }
      if ((tok.kind == Tok::kIdent || tok.kind == Tok::kIn || tok.kind == Tok::kNotIn) &&
          expect_value) {
        r->values.push_back(tok.text);
        expect_value = false;
        continue;
      }
      *error = "found '" + tok.text + "', expected: ',', ')' or identifier";
      return false;
    }
  }

  std::vector<Token> t_;
  size_t pos_ = 0;
};

bool sort_by_key(const Requirement& a, const Requirement& b) {
  return a.key < b.key;
}

}  // namespace

std::optional<LabelSelector> LabelSelector::parse(std::string_view text, std::string* error) {
  LabelSelector selector;
  std::string why;
  if (!Parser(text).parse(&selector.requirements_, &why)) {
    if (error) *error = why;
    return std::nullopt;
  }
  std::stable_sort(selector.requirements_.begin(), selector.requirements_.end(), sort_by_key);
  return selector;
}

std::optional<LabelSelector> LabelSelector::from_json(const json& selector, std::string* error) {
  LabelSelector out;
  auto fail = [&](std::string why) -> std::optional<LabelSelector> {
    if (error) *error = std::move(why);
    return std::nullopt;
  };
  if (selector.is_null()) return out;
  if (!selector.is_object()) return fail("a label selector must be an object");
  if (auto labels = selector.find("matchLabels"); labels != selector.end() && labels->is_object()) {
    for (auto it = labels->begin(); it != labels->end(); ++it) {
      if (!it->is_string()) return fail("matchLabels values must be strings");
      out.requirements_.push_back({it.key(), Op::kEquals, {it->get<std::string>()}});
    }
  }
  if (auto exprs = selector.find("matchExpressions");
      exprs != selector.end() && exprs->is_array()) {
    for (const auto& e : *exprs) {
      Requirement r;
      r.key = e.value("key", "");
      const std::string op = e.value("operator", "");
      if (op == "In")
        r.op = Op::kIn;
      else if (op == "NotIn")
        r.op = Op::kNotIn;
      else if (op == "Exists")
        r.op = Op::kExists;
      else if (op == "DoesNotExist")
        r.op = Op::kDoesNotExist;
      else
        return fail("\"" + op + "\" is not a valid label selector operator");
      if (auto values = e.find("values"); values != e.end() && values->is_array()) {
        for (const auto& v : *values) {
          if (v.is_string()) r.values.push_back(v.get<std::string>());
        }
      }
      out.requirements_.push_back(std::move(r));
    }
  }
  for (auto& r : out.requirements_) {
    if (std::string why = requirement_problem(r); !why.empty()) return fail(why);
  }
  std::stable_sort(out.requirements_.begin(), out.requirements_.end(), sort_by_key);
  return out;
}

bool LabelSelector::matches(const json& labels) const {
  for (const auto& r : requirements_) {
    const json* value = nullptr;
    if (labels.is_object()) {
      auto it = labels.find(r.key);
      if (it != labels.end() && it->is_string()) value = &*it;
    }
    const bool has = value != nullptr;
    const std::string v = has ? value->get<std::string>() : "";
    const bool in_set = has && std::binary_search(r.values.begin(), r.values.end(), v);
    bool ok = false;
    switch (r.op) {
      case Op::kEquals:
      case Op::kIn:
        ok = in_set;
        break;
      case Op::kNotEquals:
      case Op::kNotIn:
        ok = !in_set;
        break;
      case Op::kExists:
        ok = has;
        break;
      case Op::kDoesNotExist:
        ok = !has;
        break;
      case Op::kGreaterThan:
      case Op::kLessThan: {
        auto have = has ? as_int(v) : std::nullopt;
        auto bound = as_int(r.values.front());
        ok = have && bound && (r.op == Op::kGreaterThan ? *have > *bound : *have < *bound);
        break;
      }
    }
    if (!ok) return false;
  }
  return true;
}

std::string LabelSelector::to_string() const {
  std::string out;
  for (const auto& r : requirements_) {
    if (!out.empty()) out += ",";
    auto joined = [&] {
      std::string s;
      for (const auto& v : r.values) s += (s.empty() ? "" : ",") + v;
      return s;
    };
    switch (r.op) {
      case Op::kEquals:
        out += r.key + "=" + r.values.front();
        break;
      case Op::kNotEquals:
        out += r.key + "!=" + r.values.front();
        break;
      case Op::kIn:
        out += r.key + " in (" + joined() + ")";
        break;
      case Op::kNotIn:
        out += r.key + " notin (" + joined() + ")";
        break;
      case Op::kExists:
        out += r.key;
        break;
      case Op::kDoesNotExist:
        out += "!" + r.key;
        break;
      case Op::kGreaterThan:
        out += r.key + ">" + r.values.front();
        break;
      case Op::kLessThan:
        out += r.key + "<" + r.values.front();
        break;
    }
  }
  return out;
}

namespace {

// Splits on commas not escaped by a backslash.
std::vector<std::string> split_terms(std::string_view text) {
  std::vector<std::string> terms;
  std::string current;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\\' && i + 1 < text.size()) {
      current += text[i];
      current += text[++i];
    } else if (text[i] == ',') {
      terms.push_back(std::move(current));
      current.clear();
    } else {
      current += text[i];
    }
  }
  terms.push_back(std::move(current));
  return terms;
}

std::string unescape(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size()) ++i;
    out += s[i];
  }
  return out;
}

// The first unescaped occurrence of `op` in `term`.
size_t find_operator(const std::string& term, const std::string& op) {
  for (size_t i = 0; i + op.size() <= term.size(); ++i) {
    if (term[i] == '\\') {
      ++i;
      continue;
    }
    if (term.compare(i, op.size(), op) == 0) return i;
  }
  return std::string::npos;
}

std::string field_text(const json& object, const std::string& path) {
  const json* node = &object;
  size_t start = 0;
  while (start <= path.size()) {
    size_t dot = path.find('.', start);
    std::string part =
        path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    if (!node->is_object()) return "";
    auto it = node->find(part);
    if (it == node->end()) return "";
    node = &*it;
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  if (node->is_string()) return node->get<std::string>();
  if (node->is_null()) return "";
  return node->dump();
}

}  // namespace

std::optional<FieldSelector> FieldSelector::parse(std::string_view text, std::string* error) {
  FieldSelector out;
  for (const std::string& term : split_terms(text)) {
    if (term.empty()) continue;
    bool parsed = false;
    for (const char* op : {"!=", "==", "="}) {
      size_t at = find_operator(term, op);
      if (at == std::string::npos) continue;
      out.requirements_.push_back({unescape(term.substr(0, at)), std::string(op) != "!=",
                                   unescape(term.substr(at + std::string(op).size()))});
      parsed = true;
      break;
    }
    if (!parsed) {
      if (error) {
        *error = "invalid selector: '" + std::string(text) + "'; can't understand '" + term + "'";
      }
      return std::nullopt;
    }
  }
  return out;
}

bool FieldSelector::matches(const json& object) const {
  for (const auto& r : requirements_) {
    if ((field_text(object, r.field) == r.value) != r.equals) return false;
  }
  return true;
}

}  // namespace cellar::testcluster
