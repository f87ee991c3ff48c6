#include "controller/kube/names.h"

#include <openssl/sha.h>

#include <cassert>

namespace cellar::kube {

namespace {

constexpr size_t kHashChars = 10;

}  // namespace

std::string hex_sha256(std::string_view text, size_t hex_chars) {
  static constexpr char kHex[] = "0123456789abcdef";
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(text.data()), text.size(), digest);
  std::string out;
  for (unsigned char b : digest) {
    out += kHex[b >> 4];
    out += kHex[b & 0xf];
  }
  out.resize(std::min(hex_chars, out.size()));
  return out;
}

std::string fit_name(std::string_view name, size_t max) {
  assert(max > kHashChars + 1);
  if (name.size() <= max) return std::string(name);
  std::string prefix(name.substr(0, max - kHashChars - 1));
  while (!prefix.empty() && (prefix.back() == '-' || prefix.back() == '.')) prefix.pop_back();
  return prefix + "-" + hex_sha256(name, kHashChars);
}

std::string label_value_for(std::string_view name) {
  return fit_name(name, kMaxLabelValue);
}

}  // namespace cellar::kube
