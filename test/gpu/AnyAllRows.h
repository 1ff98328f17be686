//===- AnyAllRows.h - Inputs of kernels/examples/any_all.mlir ---*- C++ -*-===//
//
// Rows for the any/all example that one element decides: every element at
// or below t (or every one above) with at most one flipped, at the first
// column, the last, the middle, one the last of the 8 warps holds, or one in
// the masked-off tail past N (which must not count); then random rows. Used
// by the GPU test (ReduceTest.cpp) and the interpreter's
// (test/unit/InterpreterAnyAllTest.cpp), with the reference's answers
// (References.h). Plain C++, no GPU, no MLIR.
//
//===----------------------------------------------------------------------===//

#ifndef TILE_TEST_GPU_ANYALLROWS_H
#define TILE_TEST_GPU_ANYALLROWS_H

#include "References.h"

#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace tile::testing::any_all {

struct Case {
  int N, stride;
  int32_t t;
};

/// The shapes both tests run. Thresholds of both signs: the masked load
/// gives 0, which is above t = -1 (an any that counted the tail would be 1)
/// and at or below t = 0 (an all that counted it would be 0).
inline std::vector<Case> cases() {
  return {{0, 4, 0},        {1, 4, -1},       {1, 1, 0},
          {31, 36, 0},      {33, 40, -1},     {257, 260, 0},
          {1000, 1004, -1}, {3000, 3008, -5}, {4000, 4096, 77777},
          {4095, 4100, -1}, {4096, 4096, 0},  {4096, 4112, -123456}};
}

/// Element n of a row is held by warp (n / 32) % 8 in the kernel's layout
/// (one element per thread, 32 lanes and 8 warps along the row): the last
/// element below N that warp 7 holds, or -1.
inline int lastWarpElement(int N) {
  for (int n = N - 1; n >= 0; --n)
    if ((n / 32) % 8 == 7)
      return n;
  return -1;
}

/// A patterned row: every element above t or every one at or below it,
/// element `flipped` (if >= 0) the other way.
struct Row {
  bool high;
  int flipped;
};

/// M rows of `stride` elements: the patterned ones first (`rows`), then
/// `randomRows` random ones. wantAny/wantAll are what the patterned rows
/// were built to give, expectedAny/expectedAll the reference's answers for
/// every row.
struct Input {
  int M = 0;
  std::vector<Row> rows;
  std::vector<int32_t> x;
  std::vector<uint8_t> wantAny, wantAll;
  std::vector<uint8_t> expectedAny, expectedAll;

  /// The first patterned row the reference does not answer as built (a
  /// check of the test itself), or -1.
  int firstMisbuiltRow() const {
    for (size_t m = 0; m < rows.size(); ++m)
      if (expectedAny[m] != wantAny[m] || expectedAll[m] != wantAll[m])
        return int(m);
    return -1;
  }

  /// What row m is, for a failure message.
  std::string describe(int m, int N) const {
    if (m >= int(rows.size()))
      return "random row";
    const Row &r = rows[m];
    std::string text = r.high ? "high row, " : "low row, ";
    if (r.flipped < 0)
      return text + "no element flipped";
    return text + "element " + std::to_string(r.flipped) + " flipped" +
           (r.flipped >= N ? " (masked off)" : "");
  }
};

inline Input makeInput(const Case &c, std::mt19937 &rng, int randomRows = 7) {
  const int N = c.N, stride = c.stride;
  const int32_t t = c.t;
  // At or below t, and above t, the boundaries included.
  auto low = [&] {
    return std::uniform_int_distribution<int>(0, 3)(rng) == 0
               ? t
               : int32_t(t - std::uniform_int_distribution<int32_t>(0, 1 << 20)(
                                 rng));
  };
  auto high = [&] {
    return std::uniform_int_distribution<int>(0, 3)(rng) == 0
               ? int32_t(t + 1)
               : int32_t(
                     t + 1 +
                     std::uniform_int_distribution<int32_t>(0, 1 << 20)(rng));
  };
  std::vector<int> inRow, inTail;
  if (N > 0) {
    inRow = {0, N - 1, N / 2};
    if (int w = lastWarpElement(N); w >= 0)
      inRow.push_back(w);
  }
  if (stride > N)
    inTail = {N, stride - 1};

  Input in;
  for (bool base : {false, true}) {
    in.rows.push_back({base, -1});
    for (int p : inRow)
      in.rows.push_back({base, p});
    for (int p : inTail)
      in.rows.push_back({base, p});
  }
  const int patterned = int(in.rows.size());
  in.M = patterned + randomRows;
  in.x.resize(size_t(in.M) * stride);
  for (int m = 0; m < in.M; ++m) {
    int32_t *row = in.x.data() + size_t(m) * stride;
    if (m >= patterned) {
      // Mostly on one side, so that any and all both vary.
      int percentHigh = std::vector<int>{1, 50, 99}[m % 3];
      for (int n = 0; n < stride; ++n)
        row[n] = std::uniform_int_distribution<int>(0, 99)(rng) < percentHigh
                     ? high()
                     : low();
      continue;
    }
    const Row &r = in.rows[m];
    for (int n = 0; n < stride; ++n)
      row[n] = (r.high != (n == r.flipped)) ? high() : low();
    bool counts = r.flipped >= 0 && r.flipped < N;
    in.wantAny.push_back(N > 0 && (r.high ? (N > 1 || !counts) : counts));
    in.wantAll.push_back(r.high ? !counts : (N == 0 || (N == 1 && counts)));
  }
  in.expectedAny.resize(in.M);
  in.expectedAll.resize(in.M);
  kernels::examples::anyAll(in.x.data(), in.expectedAny.data(),
                            in.expectedAll.data(), in.M, N, stride, t);
  return in;
}

} // namespace tile::testing::any_all

#endif // TILE_TEST_GPU_ANYALLROWS_H
