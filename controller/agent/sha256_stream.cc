#include "controller/agent/sha256_stream.h"

#include <openssl/evp.h>

#include <cassert>
#include <cstdlib>

namespace cellar::agent {
namespace {

// OpenSSL fails these calls only when out of memory or misbuilt; a wrong checksum would be
// worse than stopping, so the agent stops.
void require(int ok) {
  if (ok != 1) std::abort();
}

}  // namespace

Sha256Stream::Sha256Stream() : context_(EVP_MD_CTX_new()) {
  if (context_ == nullptr) std::abort();
  require(EVP_DigestInit_ex(context_, EVP_sha256(), nullptr));
}

Sha256Stream::~Sha256Stream() {
  EVP_MD_CTX_free(context_);
}

void Sha256Stream::update(const void* data, size_t size) {
  require(EVP_DigestUpdate(context_, data, size));
}

std::string Sha256Stream::hex_digest() {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  require(EVP_DigestFinal_ex(context_, digest, &length));
  assert(length == 32);
  static const char kHex[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(length * 2);
  for (unsigned int i = 0; i < length; ++i) {
    hex.push_back(kHex[digest[i] >> 4]);
    hex.push_back(kHex[digest[i] & 0xf]);
  }
  return hex;
}

}  // namespace cellar::agent
