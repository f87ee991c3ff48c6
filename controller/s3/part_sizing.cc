#include "controller/s3/part_sizing.h"

namespace cellar::s3 {

uint64_t part_size_for(int part_number, uint64_t base) {
  uint64_t size = base;
  for (int doubled = (part_number - 1) / kPartsPerDoubling; doubled > 0 && size < kMaxPartSize;
       --doubled) {
    size *= 2;
  }
  return size < kMaxPartSize ? size : kMaxPartSize;
}

uint64_t largest_upload(uint64_t base) {
  uint64_t total = 0;
  for (int part = 1; part <= kMaxParts; part += kPartsPerDoubling) {
    total += part_size_for(part, base) * kPartsPerDoubling;
  }
  return total;
}

}  // namespace cellar::s3
