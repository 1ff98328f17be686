//===- LaunchGridTest.cpp - A launch grid's shape and limits ---------------===//

#include "tile/Support/LaunchGrid.h"

#include <gtest/gtest.h>

using tile::LaunchGrid;

namespace {

TEST(LaunchGrid, NamesItsShapeAndTheLimitItExceeds) {
  EXPECT_EQ(LaunchGrid(448).str(), "448");
  EXPECT_EQ(LaunchGrid(12, 3).str(), "12x3");
  EXPECT_EQ(LaunchGrid(12, 3).programs(), 36);
  EXPECT_TRUE(LaunchGrid(0, 3).empty());
  EXPECT_EQ(LaunchGrid(2147483647, 65535).exceedsLimits(), "");
  EXPECT_EQ(LaunchGrid(int64_t(1) << 31).exceedsLimits(),
            "the call needs 2147483648 programs along x, more than a launch's "
            "2147483647");
  EXPECT_EQ(LaunchGrid(1, 65536).exceedsLimits(),
            "the call needs 65536 programs along y, more than a launch's 65535");
}

} // namespace
