// A running SHA-256 over bytes fed in pieces, so a dump is hashed while it streams to disk
// rather than read back afterwards.
#pragma once

#include <cstddef>
#include <string>

struct evp_md_ctx_st;

namespace cellar::agent {

class Sha256Stream {
 public:
  Sha256Stream();
  ~Sha256Stream();
  Sha256Stream(const Sha256Stream&) = delete;
  Sha256Stream& operator=(const Sha256Stream&) = delete;

  // Adds bytes. Must not be called after hex_digest().
  void update(const void* data, size_t size);
  // The digest of everything added, as 64 lowercase hex digits. Call once.
  std::string hex_digest();

 private:
  evp_md_ctx_st* context_;
};

}  // namespace cellar::agent
