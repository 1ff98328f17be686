//===- Memory.cpp - The host memory a kernel may touch --------------------===//

#include "Memory.h"

#include <cinttypes>
#include <cstdio>

using namespace tile::interp;

Memory::Memory(std::vector<Region> regions) : regions(std::move(regions)) {
  if (this->regions.empty())
    this->regions.push_back({0, 0, ""});
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

std::string Memory::describe(uint64_t address, unsigned bytes) const {
  const Region *nearest = nullptr;
  uint64_t distance = UINT64_MAX;
  for (const Region &region : regions) {
    if (region.begin == region.end && region.name.empty())
      continue; // the sentinel
    uint64_t d = address < region.begin ? region.begin - address
                 : address >= region.end ? address - region.end + 1
                                         : 0;
    if (d < distance) {
      distance = d;
      nearest = &region;
    }
  }
  if (!nearest)
    return "no buffer is registered";
  std::string where = "buffer '" + nearest->name + "' is [" +
                      hex(nearest->begin) + ", " + hex(nearest->end) + ")";
  if (address >= nearest->begin && address < nearest->end)
    return "the access runs " +
           std::to_string(address + bytes - nearest->end) +
           " byte(s) past the end of " + where;
  if (address >= nearest->end)
    return "the address is " + std::to_string(address - nearest->end) +
           " byte(s) past the end of " + where;
  return "the address is " + std::to_string(nearest->begin - address) +
         " byte(s) before the start of " + where;
}
