//===- QuantSpecialInputs.h - Edge-value inputs of the SiLU quant tests -*- C++ -*-===//
//
// The inputs that the GPU tests (test/gpu) and the interpreter tests
// (test/unit/QuantSpecialValuesTest.cpp) give silu_mul_quant and
// silu_mul_nvfp4, written once: fresh random bf16 values in (-3, 3) with
// KERNELS.md's edge values put into gate and up ([gate | up] per row, or
// [up | gate] with upFirst). What each row must give is spelled out in the
// tests.
//
// Plain C++ (the GPU tests link no MLIR).
//
//===----------------------------------------------------------------------===//

#ifndef TILE_TEST_COMMON_QUANTSPECIALINPUTS_H
#define TILE_TEST_COMMON_QUANTSPECIALINPUTS_H

#include "tile/Support/Numerics.h"

#include <cstdint>
#include <limits>
#include <random>
#include <vector>

namespace tile::testing {

/// x [rows, strideX] bf16 for `half` columns of gate and of up, with random
/// values and writers of row r, column j of each half.
struct SiluInput {
  std::vector<uint16_t> x;
  int64_t strideX, half;
  bool upFirst;
  uint16_t &gate(int64_t r, int64_t j) {
    return x[r * strideX + (upFirst ? half : 0) + j];
  }
  uint16_t &up(int64_t r, int64_t j) {
    return x[r * strideX + (upFirst ? 0 : half) + j];
  }
};

inline SiluInput randomSiluInput(int64_t rows, int64_t half, int64_t strideX,
                                 bool upFirst, uint32_t seed) {
  SiluInput in{std::vector<uint16_t>(rows * strideX), strideX, half, upFirst};
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> dist(-3.0f, 3.0f);
  for (uint16_t &b : in.x)
    b = numerics::floatToBf16(dist(rng));
  return in;
}

constexpr uint16_t kBf16NaN = 0x7fc0, kBf16NegNaN = 0xffc0;
constexpr uint16_t kBf16Inf = 0x7f80, kBf16NegInf = 0xff80;

/// silu_mul_quant, groups of G (H = groups * G >= 3 groups), rows >= 5:
///   0: gate = up = 0 everywhere;
///   1: up = NaN (group 1, column 3) and -NaN (group 1, column G - 2);
///   2: gate = +inf, up = 2 (group 2, column 5);
///   3: gate = -inf (group 0, column 7: silu(-inf) is NaN); gate = 1,
///      up = -inf (group 1, column 9);
///   4: y = +-qmax exactly, on any exp: gate = topGate (silu(32) and
///      silu(127) are exactly 32 and 127 in f32), up = +-qmax / topGate
///      (group 1, columns 1 and G - 1); topGate is 32 for fp8 (448 = 32 *
///      14), 127 for int8;
///   the rest random.
inline SiluInput siluMulQuantSpecialInput(int64_t rows, int64_t H, int64_t G,
                                          int64_t strideX, bool upFirst,
                                          float qmax, uint32_t seed) {
  SiluInput in = randomSiluInput(rows, H, strideX, upFirst, seed);
  for (int64_t j = 0; j < H; ++j)
    in.gate(0, j) = in.up(0, j) = 0;
  in.up(1, 1 * G + 3) = kBf16NaN;
  in.up(1, 1 * G + G - 2) = kBf16NegNaN;
  in.gate(2, 2 * G + 5) = kBf16Inf;
  in.up(2, 2 * G + 5) = numerics::floatToBf16(2.0f);
  in.gate(3, 0 * G + 7) = kBf16NegInf;
  in.gate(3, 1 * G + 9) = numerics::floatToBf16(1.0f);
  in.up(3, 1 * G + 9) = kBf16NegInf;
  const float topGate = qmax == 448.0f ? 32.0f : 127.0f;
  in.gate(4, 1 * G + 1) = in.gate(4, 1 * G + G - 1) =
      numerics::floatToBf16(topGate);
  in.up(4, 1 * G + 1) = numerics::floatToBf16(qmax / topGate);
  in.up(4, 1 * G + G - 1) = numerics::floatToBf16(-qmax / topGate);
  return in;
}

/// silu_mul_nvfp4, K = 6 blocks of 16, M >= 5 rows (experts [0, 4) with
/// gs = 1 and [4, M) with gs = 224 in the tests):
///   0: gate = up = 0 everywhere;
///   1: up = NaN and -NaN in block 1 (columns 3 and 14);
///   2: gate = +inf, up = 2 in block 2 (column 5);
///   3: gate = 1, up = -inf in block 0 (column 7); gate = -inf in block 3
///      (column 2: silu(-inf) is NaN);
///   4: gate = 32 with up = +-0.375 in block 1 (columns 1 and 15: y = +-12,
///      sf = e4m3(224 * 12 / 6) = 448 exactly, codes +-6); gate = 32, up = 1
///      in block 3 (column 0: sf and the code saturate);
///   the rest random.
inline SiluInput nvfp4SpecialInput(int64_t M, int64_t K, int64_t stride,
                                   bool upFirst, uint32_t seed) {
  SiluInput in = randomSiluInput(M, K, stride, upFirst, seed);
  auto bf16 = [](float v) { return numerics::floatToBf16(v); };
  for (int64_t k = 0; k < K; ++k)
    in.gate(0, k) = in.up(0, k) = 0;
  in.up(1, 1 * 16 + 3) = kBf16NaN;
  in.up(1, 1 * 16 + 14) = kBf16NegNaN;
  in.gate(2, 2 * 16 + 5) = kBf16Inf;
  in.up(2, 2 * 16 + 5) = bf16(2.0f);
  in.gate(3, 0 * 16 + 7) = bf16(1.0f);
  in.up(3, 0 * 16 + 7) = kBf16NegInf;
  in.gate(3, 3 * 16 + 2) = kBf16NegInf;
  in.gate(4, 1 * 16 + 1) = in.gate(4, 1 * 16 + 15) = in.gate(4, 3 * 16) =
      bf16(32.0f);
  in.up(4, 1 * 16 + 1) = bf16(0.375f);
  in.up(4, 1 * 16 + 15) = bf16(-0.375f);
  in.up(4, 3 * 16) = bf16(1.0f);
  return in;
}

} // namespace tile::testing

#endif // TILE_TEST_COMMON_QUANTSPECIALINPUTS_H
