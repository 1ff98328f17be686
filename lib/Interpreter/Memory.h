//===- Memory.h - The host memory a kernel may touch ------------*- C++ -*-===//
//
// The buffers registered with the interpreter. Every element a load or store
// touches is checked against them, so that a kernel's out-of-bounds access is
// an error with the op and element named instead of a corrupted heap.
//
//===----------------------------------------------------------------------===//

#ifndef TILE_LIB_INTERPRETER_MEMORY_H
#define TILE_LIB_INTERPRETER_MEMORY_H

#include <cstdint>
#include <string>
#include <vector>

namespace tile::interp {

/// The registered buffers, with a cache of the last one hit: a tile's
/// accesses almost always fall in the buffer of the previous element.
class Memory {
public:
  /// One buffer: the bytes [begin, end).
  struct Region {
    uint64_t begin, end;
    std::string name;
  };

  explicit Memory(std::vector<Region> regions);

  /// Whether the `bytes` bytes at `address` lie wholly inside one buffer.
  bool contains(uint64_t address, unsigned bytes) const {
    const Region &last = regions[lastHit];
    if (address >= last.begin && address + bytes <= last.end &&
        address + bytes > address)
      return true;
    return lookup(address, bytes);
  }

  /// Says where `address` is relative to the nearest registered buffer, for
  /// error messages: "byte offset 80 of buffer 'x', which has 80 bytes at
  /// 0x...".
  std::string describe(uint64_t address) const;

private:
  bool lookup(uint64_t address, unsigned bytes) const;

  /// Never empty: a zero-sized sentinel stands in when nothing is registered,
  /// so that `contains` needs no emptiness check on its fast path.
  std::vector<Region> regions;
  bool onlySentinel = false;
  mutable size_t lastHit = 0;
};

} // namespace tile::interp

#endif // TILE_LIB_INTERPRETER_MEMORY_H
