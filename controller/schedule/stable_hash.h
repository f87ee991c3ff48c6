// A hash whose value is part of Cellar's contract: a schedule's `H` fields must pick the same
// minute after an upgrade, a rebuild or a move to another machine, which std::hash does not
// promise (it may differ between standard libraries and builds).
#pragma once

#include <cstdint>
#include <string_view>

namespace cellar::schedule {

// FNV-1a, 64-bit: offset basis 14695981039346656037, prime 1099511628211, over the bytes of
// `text` in order. fnv1a64("") == 0xcbf29ce484222325, fnv1a64("a") == 0xaf63dc4c8601ec8c.
constexpr uint64_t fnv1a64(std::string_view text) {
  uint64_t hash = 14695981039346656037ull;
  for (char c : text) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 1099511628211ull;
  }
  return hash;
}

}  // namespace cellar::schedule
