//===- LaunchGrid.h - The programs of a launch, as CUDA takes them -*- C++ -*-===//
//
// A kernel family's grid: x programs by y (program_id(0) and program_id(1)).
// A family whose programs split naturally in two (rows by chunks of a row)
// launches 2-D, so that no program divides its linear id to find its place.
// Plain C++: the tests, the benchmark and the Python module use it.
//
//===----------------------------------------------------------------------===//

#ifndef TILE_SUPPORT_LAUNCHGRID_H
#define TILE_SUPPORT_LAUNCHGRID_H

#include <cstdint>
#include <string>

namespace tile {

struct LaunchGrid {
  /// CUDA's limits on a grid's x and y.
  static constexpr int64_t kMaxX = 2147483647, kMaxY = 65535;

  int64_t x = 0, y = 1;

  LaunchGrid() = default;
  /// A 1-D grid of `programs`.
  LaunchGrid(int64_t programs) : x(programs) {}
  LaunchGrid(int64_t x, int64_t y) : x(x), y(y) {}

  int64_t programs() const { return x * y; }
  bool empty() const { return programs() == 0; }
  /// "X" for a 1-D grid, "XxY" otherwise.
  std::string str() const {
    return y == 1 ? std::to_string(x)
                  : std::to_string(x) + "x" + std::to_string(y);
  }
  /// Empty when a launch can take this grid; otherwise why not.
  std::string exceedsLimits() const {
    if (x > kMaxX)
      return "the call needs " + std::to_string(x) +
             " programs along x, more than a launch's 2147483647";
    if (y > kMaxY)
      return "the call needs " + std::to_string(y) +
             " programs along y, more than a launch's 65535";
    return "";
  }
};

} // namespace tile

#endif // TILE_SUPPORT_LAUNCHGRID_H
