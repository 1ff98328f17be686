//===- ReduceTest.cpp - Reductions over i1 across warps on the GPU --------===//
//
// kernels/examples/any_all.mlir: a row-wise any and all of x > t over an
// int32 matrix, each row a 4096-element tile over 8 warps, so that both i1
// reductions go across the warps through shared memory (a byte per warp).
// Against the C++ reference on fresh random inputs; most rows are decided by
// one element: the first, the last, one the last warp holds, one in the
// middle, or one in the masked-off tail (past N, in the row's padding), which
// must not count (AnyAllRows.h). Outputs are poisoned and have slack past M
// that must stay poisoned; every launch runs twice and must give the same
// bytes. kernels/examples/count_above.mlir: counts of x > t along each
// dimension of a hand-laid-out 4x8 tile, sums of booleans that the lowering
// makes ballots over lane groups (the lowest lane bits, and bits 3-4).
//
//===----------------------------------------------------------------------===//

#include "AnyAllRows.h"
#include "GpuTest.h"

#include "tile/aot/any_all.h"
#include "tile/aot/count_above.h"

using namespace tile;
using namespace tile::testing;

namespace tile::testing::any_all {
void PrintTo(const Case &c, std::ostream *os) {
  *os << "N=" << c.N << " stride=" << c.stride << " t=" << c.t;
}
} // namespace tile::testing::any_all

namespace {

class AnyAll : public ::testing::TestWithParam<any_all::Case> {};

TEST_P(AnyAll, MatchesReferenceOnRowsDecidedByOneElement) {
  TILE_REQUIRE_GPU();
  const any_all::Case c = GetParam();
  std::mt19937 rng(freshSeed());
  const any_all::Input in = any_all::makeInput(c, rng);
  const int M = in.M;
  const std::vector<uint8_t> &expectedAny = in.expectedAny,
                             &expectedAll = in.expectedAll;
  // The rows are what they were meant to be (a check of the test itself).
  ASSERT_EQ(in.firstMisbuiltRow(), -1)
      << in.describe(in.firstMisbuiltRow(), c.N);

  const int slack = 16; // bytes past M that must stay poisoned
  rt::DeviceBuffer dx = upload(in.x);
  rt::DeviceBuffer dany = poisoned<uint8_t>(M + slack);
  rt::DeviceBuffer dall = poisoned<uint8_t>(M + slack);
  ASSERT_NO_FATAL_FAILURE(launchTwice(
      [&] {
        return aot::any_all::any_all(rt::Dim3{uint32_t(M)}, dx.address(),
                                     dany.address(), dall.address(), c.N,
                                     c.stride, c.t);
      },
      {{dany, 0xff}, {dall, 0xff}}));
  std::vector<uint8_t> any = download<uint8_t>(dany, M + slack);
  std::vector<uint8_t> all = download<uint8_t>(dall, M + slack);
  for (int m = 0; m < M; ++m) {
    EXPECT_EQ(int(any[m]), int(expectedAny[m]))
        << "any[" << m << "]: " << in.describe(m, c.N) << " (N = " << c.N
        << ")";
    EXPECT_EQ(int(all[m]), int(expectedAll[m]))
        << "all[" << m << "]: " << in.describe(m, c.N) << " (N = " << c.N
        << ")";
  }
  for (int m = M; m < M + slack; ++m) {
    ASSERT_EQ(int(any[m]), 0xff) << "any[" << m << "] past M = " << M;
    ASSERT_EQ(int(all[m]), 0xff) << "all[" << m << "] past M = " << M;
  }
}

INSTANTIATE_TEST_SUITE_P(Shapes, AnyAll, ::testing::ValuesIn(any_all::cases()));

TEST(CountAbove, BallotsCountEachLaneGroup) {
  TILE_REQUIRE_GPU();
  std::mt19937 rng(freshSeed());
  std::uniform_int_distribution<int32_t> value(-6, 6);
  // Thresholds below, inside and above the values' range: counts of 0, of
  // every lane, and between.
  for (int32_t t : {-7, -3, 0, 2, 6}) {
    SCOPED_TRACE(::testing::Message() << "t = " << t);
    std::vector<int32_t> x(32);
    for (int32_t &v : x)
      v = value(rng);
    std::vector<int32_t> wantRows(4, 0), wantCols(8, 0);
    for (int r = 0; r < 4; ++r)
      for (int c = 0; c < 8; ++c)
        if (x[r * 8 + c] > t) {
          ++wantRows[r];
          ++wantCols[c];
        }
    const int slack = 4; // elements past each output that stay poisoned (-1)
    rt::DeviceBuffer dx = upload(x);
    rt::DeviceBuffer rows = poisoned<int32_t>(4 + slack);
    rt::DeviceBuffer cols = poisoned<int32_t>(8 + slack);
    ASSERT_NO_FATAL_FAILURE(launchTwice(
        [&] {
          return aot::count_above::count_above(rt::Dim3{1}, dx.address(),
                                               rows.address(), cols.address(),
                                               t);
        },
        {{rows, 0xff}, {cols, 0xff}}));
    std::vector<int32_t> gotRows = download<int32_t>(rows, 4 + slack);
    std::vector<int32_t> gotCols = download<int32_t>(cols, 8 + slack);
    for (int r = 0; r < 4; ++r)
      EXPECT_EQ(gotRows[r], wantRows[r]) << "rows[" << r << "]";
    for (int c = 0; c < 8; ++c)
      EXPECT_EQ(gotCols[c], wantCols[c]) << "cols[" << c << "]";
    for (int i = 0; i < slack; ++i) {
      EXPECT_EQ(gotRows[4 + i], -1) << "rows past 4 written";
      EXPECT_EQ(gotCols[8 + i], -1) << "cols past 8 written";
    }
  }
}

} // namespace
