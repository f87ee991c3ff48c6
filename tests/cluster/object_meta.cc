#include "tests/cluster/object_meta.h"

#include <openssl/rand.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <random>
#include <regex>
#include <utility>

namespace cellar::testcluster::meta {
namespace {

constexpr size_t kMaxSubdomainLength = 253;
constexpr size_t kMaxLabelLength = 63;

const char kLabelFormat[] = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
const char kSubdomainFormat[] = "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*";

// Random bytes from OpenSSL; a seeded engine only if OpenSSL cannot supply them, because uids
// must differ across restarts of the cluster even when tests start it in quick succession.
template <size_t N>
std::array<unsigned char, N> random_bytes() {
  std::array<unsigned char, N> bytes{};
  if (RAND_bytes(bytes.data(), static_cast<int>(N)) != 1) {
    thread_local std::mt19937_64 engine{std::random_device{}()};
    for (auto& b : bytes) b = static_cast<unsigned char>(engine());
  }
  return bytes;
}

bool is_label(const std::string& value) {
  static const std::regex pattern(kLabelFormat);
  return std::regex_match(value, pattern);
}

bool is_subdomain(const std::string& value) {
  static const std::regex pattern(kSubdomainFormat);
  return std::regex_match(value, pattern);
}

std::string quoted(const std::string& value) {
  return nlohmann::json(value).dump();
}

}  // namespace

std::string object_key(const ResourceType& type, const std::string& ns, const std::string& name) {
  return type.group + "/" + type.plural + "/" + (type.namespaced ? ns : std::string()) + "/" + name;
}

std::string key_prefix(const ResourceType& type, const std::string& ns) {
  std::string prefix = type.group + "/" + type.plural + "/";
  if (type.namespaced && !ns.empty()) prefix += ns + "/";
  return prefix;
}

std::string now_rfc3339() {
  std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

std::string new_uid() {
  auto b = random_bytes<16>();
  b[6] = static_cast<unsigned char>((b[6] & 0x0f) | 0x40);  // version 4
  b[8] = static_cast<unsigned char>((b[8] & 0x3f) | 0x80);  // RFC 4122 variant
  char text[37];
  std::snprintf(text, sizeof text,
                "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1],
                b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14],
                b[15]);
  return text;
}

std::string random_name_suffix() {
  static constexpr char kAlphabet[] = "bcdfghjklmnpqrstvwxz2456789";
  auto bytes = random_bytes<5>();
  std::string suffix;
  for (unsigned char b : bytes) suffix += kAlphabet[b % (sizeof kAlphabet - 1)];
  return suffix;
}

std::vector<std::string> name_problems(const ResourceType& type, const std::string& name) {
  std::vector<std::string> problems;
  const bool label = type.group.empty() && type.plural == "namespaces";
  const size_t max_length = label ? kMaxLabelLength : kMaxSubdomainLength;
  if (name.size() > max_length) {
    problems.push_back("must be no more than " + std::to_string(max_length) + " characters");
  }
  if (label) {
    if (!is_label(name)) {
      if (is_subdomain(name)) {
        problems.push_back("must not contain dots");
      } else {
        problems.push_back(
            std::string("a lowercase RFC 1123 label must consist of lower case alphanumeric "
                        "characters or '-', and must start and end with an alphanumeric character "
                        "(e.g. 'my-name',  or '123-abc', regex used for validation is '") +
            kLabelFormat + "')");
      }
    }
  } else if (!is_subdomain(name)) {
    problems.push_back(
        std::string("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric "
                    "characters, '-' or '.', and must start and end with an alphanumeric character "
                    "(e.g. 'example.com', regex used for validation is '") +
        kSubdomainFormat + "')");
  }
  for (auto& problem : problems) problem = "Invalid value: " + quoted(name) + ": " + problem;
  return problems;
}

nlohmann::json owner_reference_causes(const nlohmann::json& metadata) {
  nlohmann::json causes = nlohmann::json::array();
  auto refs = metadata.find("ownerReferences");
  if (refs == metadata.end() || !refs->is_array()) return causes;
  // The apiserver names the list, not the entry, in these errors.
  const std::string field = "metadata.ownerReferences";
  for (const auto& ref : *refs) {
    const std::string api_version = ref.value("apiVersion", "");
    const std::string version = api_version.substr(api_version.find('/') + 1);
    const std::pair<std::string, std::string> required[] = {{"apiVersion", version},
                                                            {"kind", ref.value("kind", "")},
                                                            {"name", ref.value("name", "")},
                                                            {"uid", ref.value("uid", "")}};
    for (const auto& [child, value] : required) {
      if (!value.empty()) continue;
      const std::string what = child == "apiVersion" ? "version" : child;
      causes.push_back(field_cause("FieldValueInvalid", field + "." + child,
                                   "Invalid value: \"\": " + what + " must not be empty"));
    }
  }
  return causes;
}

nlohmann::json field_cause(const std::string& reason, const std::string& field,
                           const std::string& message) {
  return {{"reason", reason}, {"message", message}, {"field", field}};
}

}  // namespace cellar::testcluster::meta
