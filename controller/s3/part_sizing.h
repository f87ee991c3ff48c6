// How big each part of a streaming multipart upload is. S3 takes at most 10,000 parts of 5 MiB to
// 5 GiB (the last may be smaller) and objects up to 5 TiB, and the agent must keep a whole part in
// memory (to sign its hash and to send it again on a retry) without knowing the dump's size.
//
// So parts start at the configured size and double every 1,000 parts: with the default 16 MiB,
// the first ~16 GiB use 16 MiB parts, a 100 GiB dump ends with 64 MiB parts, and 10,000 parts
// hold up to ~15.6 TiB, past S3's own 5 TiB limit (with the smallest base, 5 MiB: 4.88 TiB). Memory
// follows the part in flight, not the dump: one part buffer (at most part_size_for(n) bytes) plus
// the fixed read buffer.
#pragma once

#include <cstdint>

namespace cellar::s3 {

inline constexpr uint64_t kMiB = 1024 * 1024;
inline constexpr uint64_t kMinPartSize = 5 * kMiB;  // S3's minimum, except for the last part
inline constexpr uint64_t kMaxPartSize = 5ull * 1024 * kMiB;
inline constexpr int kMaxParts = 10000;
inline constexpr uint64_t kDefaultPartSize = 16 * kMiB;
inline constexpr int kPartsPerDoubling = 1000;

// The size of part `part_number` (1-based) when the first parts are `base` bytes.
uint64_t part_size_for(int part_number, uint64_t base);

// The largest object that kMaxParts parts of these sizes can hold.
uint64_t largest_upload(uint64_t base);

}  // namespace cellar::s3
