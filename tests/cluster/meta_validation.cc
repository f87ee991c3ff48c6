#include "tests/cluster/meta_validation.h"

#include <algorithm>
#include <cstdio>
#include <set>

namespace cellar::testcluster::meta {
namespace {

using json = nlohmann::json;

constexpr size_t kMaxSubdomainLength = 253;
constexpr size_t kMaxLabelLength = 63;
constexpr size_t kMaxQualifiedNameLength = 63;
constexpr size_t kMaxLabelValueLength = 63;

const char kLabelFormat[] = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
const char kDns1035LabelFormat[] = "[a-z]([-a-z0-9]*[a-z0-9])?";
const char kSubdomainFormat[] = "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*";
const char kQualifiedNameFormat[] = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
const char kLabelValueFormat[] = "(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?";
const char kQualifiedNameMessage[] =
    "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an "
    "alphanumeric character";
const char kFieldImmutable[] = "field is immutable";

const std::set<std::string> kStandardFinalizers = {"kubernetes", "orphan", "foregroundDeletion"};

// Hand-written matchers rather than std::regex: values can be long, and libstdc++'s regex
// recurses per character.
bool is_lower_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}
bool is_alnum(char c) {
  return is_lower_alnum(c) || (c >= 'A' && c <= 'Z');
}

bool is_label(const std::string& value) {
  if (value.empty() || !is_lower_alnum(value.front()) || !is_lower_alnum(value.back())) {
    return false;
  }
  return std::all_of(value.begin(), value.end(),
                     [](char c) { return is_lower_alnum(c) || c == '-'; });
}

bool is_subdomain(const std::string& value) {
  size_t start = 0;
  while (true) {
    const size_t dot = value.find('.', start);
    if (!is_label(value.substr(start, dot - start))) return false;
    if (dot == std::string::npos) return true;
    start = dot + 1;
  }
}

bool is_qualified_part(const std::string& value) {
  if (value.empty() || !is_alnum(value.front()) || !is_alnum(value.back())) return false;
  return std::all_of(value.begin(), value.end(),
                     [](char c) { return is_alnum(c) || c == '-' || c == '_' || c == '.'; });
}

std::string max_length(size_t n) {
  return "must be no more than " + std::to_string(n) + " characters";
}

// apimachinery's RegexError: "<msg> (e.g. 'a',  or 'b', regex used for validation is '<fmt>')".
std::string regex_error(const std::string& message, const std::string& format,
                        const std::vector<std::string>& examples) {
  std::string text = message + " (e.g. ";
  for (size_t i = 0; i < examples.size(); ++i) {
    if (i > 0) text += " or ";
    text += "'" + examples[i] + "', ";
  }
  return text + "regex used for validation is '" + format + "')";
}

std::vector<std::string> label_problems(const std::string& value) {
  std::vector<std::string> problems;
  if (value.size() > kMaxLabelLength) problems.push_back(max_length(kMaxLabelLength));
  if (!is_label(value)) {
    if (is_subdomain(value)) {
      problems.push_back("must not contain dots");
    } else {
      problems.push_back(regex_error(
          "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', "
          "and must start and end with an alphanumeric character",
          kLabelFormat, {"my-name", "123-abc"}));
    }
  }
  return problems;
}

// IsDNS1035Label: a Service's name becomes a DNS label and an environment variable's prefix, so
// it must start with a letter.
std::vector<std::string> dns1035_label_problems(const std::string& value) {
  std::vector<std::string> problems;
  if (value.size() > kMaxLabelLength) problems.push_back(max_length(kMaxLabelLength));
  if (!is_label(value) || !(value.front() >= 'a' && value.front() <= 'z')) {
    problems.push_back(regex_error(
        "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an "
        "alphabetic character, and end with an alphanumeric character",
        kDns1035LabelFormat, {"my-name", "abc-123"}));
  }
  return problems;
}

std::vector<std::string> subdomain_problems(const std::string& value) {
  std::vector<std::string> problems;
  if (value.size() > kMaxSubdomainLength) problems.push_back(max_length(kMaxSubdomainLength));
  if (!is_subdomain(value)) {
    problems.push_back(regex_error(
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or "
        "'.', and must start and end with an alphanumeric character",
        kSubdomainFormat, {"example.com"}));
  }
  return problems;
}

// What a name must be to sit in a URL path: core v1 Events are held to nothing more.
std::vector<std::string> path_segment_problems(const std::string& value, bool prefix) {
  if (!prefix && (value == "." || value == "..")) return {"may not be '" + value + "'"};
  std::vector<std::string> problems;
  for (const char* bad : {"/", "%"}) {
    if (value.find(bad) != std::string::npos) {
      problems.push_back(std::string("may not contain '") + bad + "'");
    }
  }
  return problems;
}

bool is_core(const ResourceType& type, const char* plural) {
  return type.group.empty() && type.plural == plural;
}

// Built-in types validated by the core API's ValidateObjectMeta, which adds the finalizer rule.
bool strict_finalizers(const ResourceType& type) {
  return type.schema.is_null() && type.group != "apiextensions.k8s.io" && !is_core(type, "events");
}

std::string invalid(const std::string& value_text, const std::string& detail) {
  return "Invalid value: " + value_text + ": " + detail;
}

// Go's %#v of a []string.
std::string go_string_slice(const std::vector<std::string>& values) {
  std::string text = "[]string{";
  for (size_t i = 0; i < values.size(); ++i) text += (i ? ", " : "") + quoted(values[i]);
  return text + "}";
}

std::string json_string(const json& object, const char* field) {
  auto it = object.find(field);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// Go's %#v of a metav1.OwnerReference. A set pointer prints as an address, which differs from
// run to run on kube-apiserver too.
std::string go_owner_reference(const json& ref) {
  auto pointer = [&](const char* field) {
    return ref.contains(field) && ref[field].is_boolean() ? std::string("(*bool)(0xc000010000)")
                                                          : std::string("(*bool)(nil)");
  };
  return "v1.OwnerReference{APIVersion:" + quoted(json_string(ref, "apiVersion")) +
         ", Kind:" + quoted(json_string(ref, "kind")) +
         ", Name:" + quoted(json_string(ref, "name")) + ", UID:" + quoted(json_string(ref, "uid")) +
         ", Controller:" + pointer("controller") +
         ", BlockOwnerDeletion:" + pointer("blockOwnerDeletion") + "}";
}

// metav1.Time as Go's String() prints it ("2024-05-01 12:00:00 +0000 UTC").
std::string go_time(const std::string& rfc3339) {
  if (rfc3339.size() != 20 || rfc3339[10] != 'T' || rfc3339.back() != 'Z') return rfc3339;
  return rfc3339.substr(0, 10) + " " + rfc3339.substr(11, 8) + " +0000 UTC";
}

std::vector<std::string> string_list(const json& value) {
  std::vector<std::string> out;
  if (!value.is_array()) return out;
  for (const auto& v : value) {
    if (v.is_string()) out.push_back(v.get<std::string>());
  }
  return out;
}

void append(json& causes, json more) {
  for (auto& cause : more) causes.push_back(std::move(cause));
}

json common_causes(const ResourceType& type, const json& metadata) {
  json causes = json::array();
  append(causes, label_causes(metadata.value("labels", json::object()), "metadata.labels"));
  append(causes,
         annotation_causes(metadata.value("annotations", json::object()), "metadata.annotations"));
  append(causes, owner_reference_causes(metadata));
  append(causes, finalizer_causes(type, metadata.value("finalizers", json::array())));
  return causes;
}

}  // namespace

std::string quoted(const std::string& value) {
  std::string text = "\"";
  for (unsigned char c : value) {
    switch (c) {
      case '"':
        text += "\\\"";
        break;
      case '\\':
        text += "\\\\";
        break;
      case '\n':
        text += "\\n";
        break;
      case '\t':
        text += "\\t";
        break;
      case '\r':
        text += "\\r";
        break;
      default:
        if (c < 0x20 || c == 0x7f) {
          char escaped[5];
          std::snprintf(escaped, sizeof escaped, "\\x%02x", c);
          text += escaped;
        } else {
          text += static_cast<char>(c);
        }
    }
  }
  return text + "\"";
}

std::string generated_name(const std::string& generate_name, const std::string& suffix) {
  return generate_name.substr(0, kMaxGeneratedNameLength) + suffix;
}

std::vector<std::string> name_problems(const ResourceType& type, const std::string& name,
                                       bool prefix) {
  // A generateName may end in '-': the random suffix follows it.
  std::string checked = name;
  if (prefix && !checked.empty() && checked.back() == '-') checked.back() = 'a';
  std::vector<std::string> problems;
  if (is_core(type, "namespaces")) {
    problems = label_problems(checked);
  } else if (is_core(type, "services")) {
    problems = dns1035_label_problems(checked);
  } else if (is_core(type, "events") || type.group == "rbac.authorization.k8s.io") {
    // RBAC objects are named like `system:controller:job-controller`: ValidateRBACName asks only
    // for a path segment.
    problems = path_segment_problems(checked, prefix);
  } else {
    problems = subdomain_problems(checked);
  }
  for (auto& problem : problems) problem = invalid(quoted(name), problem);
  return problems;
}

std::vector<std::string> qualified_name_problems(const std::string& value) {
  const std::vector<std::string> examples = {"MyName", "my.name", "123-abc"};
  std::vector<std::string> problems;
  std::string name = value;
  const size_t slash = value.find('/');
  if (slash != std::string::npos) {
    if (value.find('/', slash + 1) != std::string::npos) {
      return {"a qualified name " +
              regex_error(kQualifiedNameMessage, kQualifiedNameFormat, examples) +
              " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"};
    }
    const std::string prefix = value.substr(0, slash);
    name = value.substr(slash + 1);
    if (prefix.empty()) {
      problems.push_back("prefix part must be non-empty");
    } else {
      for (const auto& problem : subdomain_problems(prefix)) {
        problems.push_back("prefix part " + problem);
      }
    }
  }
  if (name.empty()) {
    problems.push_back("name part must be non-empty");
  } else if (name.size() > kMaxQualifiedNameLength) {
    problems.push_back("name part " + max_length(kMaxQualifiedNameLength));
  }
  if (!is_qualified_part(name)) {
    problems.push_back("name part " +
                       regex_error(kQualifiedNameMessage, kQualifiedNameFormat, examples));
  }
  return problems;
}

std::vector<std::string> label_value_problems(const std::string& value) {
  std::vector<std::string> problems;
  if (value.size() > kMaxLabelValueLength) problems.push_back(max_length(kMaxLabelValueLength));
  if (!value.empty() && !is_qualified_part(value)) {
    problems.push_back(regex_error(
        "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or "
        "'.', and must start and end with an alphanumeric character",
        kLabelValueFormat, {"MyValue", "my_value", "12345"}));
  }
  return problems;
}

json label_causes(const json& labels, const std::string& field) {
  json causes = json::array();
  if (!labels.is_object()) return causes;
  for (const auto& [key, value] : labels.items()) {
    for (const auto& problem : qualified_name_problems(key)) {
      causes.push_back(field_cause("FieldValueInvalid", field, invalid(quoted(key), problem)));
    }
    if (!value.is_string()) continue;
    const std::string text = value.get<std::string>();
    for (const auto& problem : label_value_problems(text)) {
      causes.push_back(field_cause("FieldValueInvalid", field, invalid(quoted(text), problem)));
    }
  }
  return causes;
}

json annotation_causes(const json& annotations, const std::string& field) {
  json causes = json::array();
  if (!annotations.is_object()) return causes;
  size_t size = 0;
  for (const auto& [key, value] : annotations.items()) {
    // Case does not matter in annotation keys.
    std::string lower = key;
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    for (const auto& problem : qualified_name_problems(lower)) {
      causes.push_back(field_cause("FieldValueInvalid", field, invalid(quoted(key), problem)));
    }
    size += key.size() + (value.is_string() ? value.get_ref<const std::string&>().size() : 0);
  }
  if (size > kMaxAnnotationsSize) {
    causes.push_back(field_cause(
        "FieldValueTooLong", field,
        "Too long: may not be more than " + std::to_string(kMaxAnnotationsSize) + " bytes"));
  }
  return causes;
}

json finalizer_causes(const ResourceType& type, const json& finalizers) {
  json causes = json::array();
  const std::vector<std::string> names = string_list(finalizers);
  const std::string field = "metadata.finalizers";
  for (const auto& name : names) {
    for (const auto& problem : qualified_name_problems(name)) {
      causes.push_back(field_cause("FieldValueInvalid", field, invalid(quoted(name), problem)));
    }
  }
  const bool orphan = std::find(names.begin(), names.end(), "orphan") != names.end();
  const bool foreground =
      std::find(names.begin(), names.end(), "foregroundDeletion") != names.end();
  if (orphan && foreground) {
    causes.push_back(
        field_cause("FieldValueInvalid", field,
                    invalid(go_string_slice(names),
                            "finalizer orphan and foregroundDeletion cannot be both set")));
  }
  if (!strict_finalizers(type)) return causes;
  for (size_t i = 0; i < names.size(); ++i) {
    if (names[i].find('/') != std::string::npos || kStandardFinalizers.contains(names[i])) continue;
    causes.push_back(field_cause(
        "FieldValueInvalid", field + "[" + std::to_string(i) + "]",
        invalid(quoted(names[i]),
                "name is neither a standard finalizer name nor is it fully qualified")));
  }
  return causes;
}

json owner_reference_causes(const json& metadata) {
  json causes = json::array();
  auto refs = metadata.find("ownerReferences");
  if (refs == metadata.end() || !refs->is_array()) return causes;
  // The apiserver names the list, not the entry, in these errors.
  const std::string field = "metadata.ownerReferences";
  std::string first_controller;
  for (const auto& ref : *refs) {
    const std::string api_version = json_string(ref, "apiVersion");
    const size_t slash = api_version.find('/');
    const std::string version =
        slash == std::string::npos ? api_version : api_version.substr(slash + 1);
    const std::string kind = json_string(ref, "kind");
    const std::string name = json_string(ref, "name");
    const std::pair<std::string, std::string> required[] = {
        {"apiVersion", version}, {"kind", kind}, {"name", name}, {"uid", json_string(ref, "uid")}};
    for (const auto& [child, value] : required) {
      if (!value.empty()) continue;
      const std::string what = child == "apiVersion" ? "version" : child;
      causes.push_back(field_cause(
          "FieldValueInvalid", field + "." + child,
          invalid(quoted(json_string(ref, child.c_str())), what + " must not be empty")));
    }
    if (api_version == "v1" && kind == "Event") {
      causes.push_back(field_cause(
          "FieldValueInvalid", field,
          invalid(go_owner_reference(ref), "/v1, Kind=Event is disallowed from being an owner")));
    }
    if (!ref.value("controller", false)) continue;
    const std::string controller = kind + "/" + name;
    if (first_controller.empty()) {
      first_controller = controller;
      continue;
    }
    std::string all = "[]v1.OwnerReference{";
    for (size_t i = 0; i < refs->size(); ++i)
      all += (i ? ", " : "") + go_owner_reference((*refs)[i]);
    causes.push_back(
        field_cause("FieldValueInvalid", field,
                    invalid(all + "}",
                            "Only one reference can have Controller set to true. Found \"true\" in "
                            "references for " +
                                first_controller + " and " + controller)));
  }
  return causes;
}

json create_causes(const ResourceType& type, const json& metadata) {
  json causes = json::array();
  const std::string generate_name = json_string(metadata, "generateName");
  if (!generate_name.empty()) {
    for (const auto& problem : name_problems(type, generate_name, true)) {
      causes.push_back(field_cause("FieldValueInvalid", "metadata.generateName", problem));
    }
  }
  const std::string name = json_string(metadata, "name");
  if (name.empty()) {
    causes.push_back(field_cause("FieldValueRequired", "metadata.name",
                                 "Required value: name or generateName is required"));
  }
  for (const auto& problem :
       name.empty() ? std::vector<std::string>{} : name_problems(type, name)) {
    causes.push_back(field_cause("FieldValueInvalid", "metadata.name", problem));
  }
  append(causes, common_causes(type, metadata));
  return causes;
}

json update_causes(const ResourceType& type, const json& metadata, const json& old_metadata) {
  json causes = json::array();
  if (old_metadata.contains("deletionTimestamp")) {
    const auto before = string_list(old_metadata.value("finalizers", json::array()));
    std::set<std::string> added;
    for (const auto& f : string_list(metadata.value("finalizers", json::array()))) {
      if (std::find(before.begin(), before.end(), f) == before.end()) added.insert(f);
    }
    if (!added.empty()) {
      causes.push_back(field_cause(
          "FieldValueForbidden", "metadata.finalizers",
          "Forbidden: no new finalizers can be added if the object is being deleted, found new "
          "finalizers " +
              go_string_slice({added.begin(), added.end()})));
    }
  }
  const std::string uid = json_string(metadata, "uid");
  if (uid != json_string(old_metadata, "uid")) {
    causes.push_back(
        field_cause("FieldValueInvalid", "metadata.uid", invalid(quoted(uid), kFieldImmutable)));
  }
  const json deletion = metadata.value("deletionTimestamp", json());
  if (deletion != old_metadata.value("deletionTimestamp", json())) {
    const std::string shown = deletion.is_string() ? go_time(deletion.get<std::string>()) : "null";
    causes.push_back(field_cause("FieldValueInvalid", "metadata.deletionTimestamp",
                                 invalid(shown, kFieldImmutable)));
  }
  const json grace = metadata.value("deletionGracePeriodSeconds", json());
  if (grace != old_metadata.value("deletionGracePeriodSeconds", json())) {
    causes.push_back(
        field_cause("FieldValueInvalid", "metadata.deletionGracePeriodSeconds",
                    invalid(grace.is_null() ? "null" : grace.dump(), kFieldImmutable)));
  }
  append(causes, common_causes(type, metadata));
  return causes;
}

std::vector<std::string> finalizer_warnings(const json& object, const json& old_object) {
  auto finalizers_of = [](const json& o) {
    if (!o.is_object() || !o.contains("metadata") || !o["metadata"].is_object()) {
      return std::set<std::string>{};
    }
    auto list = string_list(o["metadata"].value("finalizers", json::array()));
    return std::set<std::string>(list.begin(), list.end());
  };
  const std::set<std::string> before = finalizers_of(old_object);
  std::vector<std::string> warnings;
  for (const auto& name : finalizers_of(object)) {
    if (before.contains(name) || name.find('/') != std::string::npos ||
        kStandardFinalizers.contains(name)) {
      continue;
    }
    warnings.push_back("metadata.finalizers: " + quoted(name) +
                       (name.find('.') != std::string::npos
                            ? ": prefer a domain-qualified finalizer name including a path (/) to "
                              "avoid accidental conflicts with other finalizer writers"
                            : ": prefer a domain-qualified finalizer name to avoid accidental "
                              "conflicts with other finalizer writers"));
  }
  return warnings;
}

json field_cause(const std::string& reason, const std::string& field, const std::string& message) {
  return {{"reason", reason}, {"message", message}, {"field", field}};
}

std::string go_string_map(const json& labels) {
  std::string text = "map[string]string{";
  bool first = true;
  for (const auto& [key, value] : labels.items()) {
    text += (first ? "" : ", ") + quoted(key) + ":" +
            quoted(value.is_string() ? value.get<std::string>() : value.dump());
    first = false;
  }
  return text + "}";
}

}  // namespace cellar::testcluster::meta
