#include "tests/cluster/object_meta.h"

#include <openssl/rand.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <random>

namespace cellar::testcluster::meta {
namespace {

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

}  // namespace cellar::testcluster::meta
