#include "tests/cluster/list_paging.h"

#include <cstring>
#include <nlohmann/json.hpp>

namespace cellar::testcluster {

namespace {

constexpr const char* kAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

std::string base64url(const std::string& bytes) {
  std::string out;
  uint32_t buffer = 0;
  int bits = 0;
  for (unsigned char byte : bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out += kAlphabet[(buffer >> bits) & 63];
    }
  }
  if (bits > 0) out += kAlphabet[(buffer << (6 - bits)) & 63];
  return out;
}

std::optional<std::string> unbase64url(const std::string& text) {
  std::string out;
  uint32_t buffer = 0;
  int bits = 0;
  for (char c : text) {
    if (c == '=') break;
    const char* at = std::strchr(kAlphabet, c);
    if (c == '+') at = kAlphabet + 62;  // standard alphabet too, to be lenient
    if (c == '/') at = kAlphabet + 63;
    if (at == nullptr || c == '\0') return std::nullopt;
    buffer = (buffer << 6) | static_cast<uint32_t>(at - kAlphabet);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buffer >> bits) & 0xff);
    }
  }
  return out;
}

}  // namespace

std::string encode_continue(const ContinueToken& token) {
  nlohmann::json body = {{"v", "meta.k8s.io/v1"},
                         {"rv", token.resource_version},
                         {"start", token.start_after + std::string(1, '\0')}};
  return base64url(body.dump());
}

std::optional<ContinueToken> decode_continue(const std::string& text) {
  auto raw = unbase64url(text);
  if (!raw) return std::nullopt;
  nlohmann::json body = nlohmann::json::parse(*raw, nullptr, false);
  if (!body.is_object() || body.value("v", "") != "meta.k8s.io/v1" || !body.contains("rv") ||
      !body["rv"].is_number_integer() || !body.contains("start") || !body["start"].is_string()) {
    return std::nullopt;
  }
  // kube-apiserver refuses a token without a version; -1 is its "latest" (see the header).
  const int64_t rv = body["rv"].get<int64_t>();
  if (rv == 0 || rv < -1) return std::nullopt;
  std::string start = body["start"];
  if (!start.empty() && start.back() == '\0') start.pop_back();
  return ContinueToken{rv, start};
}

}  // namespace cellar::testcluster
