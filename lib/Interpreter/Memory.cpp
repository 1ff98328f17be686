//===- Memory.cpp - The host memory a kernel may touch --------------------===//

#include "Memory.h"

#include <cinttypes>
#include <cstdio>

using namespace tile::interp;

Memory::Memory(std::vector<Region> regions) : regions(std::move(regions)) {
  if (this->regions.empty()) {
    this->regions.push_back({0, 0, ""});
    onlySentinel = true;
  }
}

bool Memory::lookup(uint64_t address, unsigned bytes) const {
  uint64_t end = address + bytes;
  if (end <= address)
    return false;
  // Few buffers: a scan is cheap, and it handles nested or overlapping ones.
  for (size_t i = 0; i < regions.size(); ++i) {
    if (address >= regions[i].begin && end <= regions[i].end) {
      lastHit = i;
      return true;
    }
  }
  return false;
}

static std::string hex(uint64_t v) {
  char text[32];
  std::snprintf(text, sizeof(text), "0x%" PRIx64, v);
  return text;
}

std::string Memory::describe(uint64_t address) const {
  if (onlySentinel)
    return "no buffer is registered";
  const Region *nearest = nullptr;
  uint64_t distance = UINT64_MAX;
  for (const Region &region : regions) {
    uint64_t d = address < region.begin  ? region.begin - address
                 : address >= region.end ? address - region.end + 1
                                         : 0;
    if (d < distance) {
      distance = d;
      nearest = &region;
    }
  }
  // Signed: an address before the buffer has a negative offset.
  int64_t offset = int64_t(address - nearest->begin);
  return "byte offset " + std::to_string(offset) + " of buffer '" +
         nearest->name + "', which has " +
         std::to_string(nearest->end - nearest->begin) + " bytes at " +
         hex(nearest->begin);
}
