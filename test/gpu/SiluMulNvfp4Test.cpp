//===- SiluMulNvfp4Test.cpp - silu_mul_nvfp4 on the GPU -------------------===//
//
// Rows sorted by expert (random offsets, some experts empty, per-expert global
// scales), K with a block count not a multiple of 4 (zeroed padding columns
// in the swizzled scales), against the reference with sglang's rule: the
// GPU's exp is approximate, so an e2m1 code or an e4m3 scale may move by one
// (at most 0.5% of codes), never more, never a sign. A second test puts
// NaN, +-inf and saturating blocks into gate and up, and compares exactly
// what does not depend on exp.
//
//===----------------------------------------------------------------------===//

#include "GpuTest.h"

#include "QuantSpecialInputs.h"
#include "SiluMulNvfp4Spec.h"

#include "tile/aot/nvfp4_gate_up.h"
#include "tile/aot/nvfp4_up_gate.h"

#include <cmath>
#include <limits>
#include <set>

using namespace tile;
using namespace tile::testing;
using namespace tile::kernels;

namespace {

using Launch = rt::Status (*)(rt::Dim3, uint64_t, uint64_t, uint64_t, uint64_t,
                              uint64_t, uint64_t, int64_t, int64_t, int64_t,
                              int64_t, const rt::Stream &);

struct Case {
  const char *name;
  Launch launch;
  bool upFirst;
  int M, K, E;
};

const Case kCases[] = {
    {"gate_up_M37_K208_E5", aot::nvfp4_gate_up::silu_mul_nvfp4, false, 37, 208, 5},
    {"gate_up_M130_K1024_E4", aot::nvfp4_gate_up::silu_mul_nvfp4, false, 130, 1024, 4},
    {"up_gate_M300_K2048_E16", aot::nvfp4_up_gate::silu_mul_nvfp4, true, 300, 2048, 16},
    {"gate_up_M1_K16_E1", aot::nvfp4_gate_up::silu_mul_nvfp4, false, 1, 16, 1},
    // 257 blocks: three programs of 128 per row, the last one mostly masked.
    {"gate_up_M64_K4112_E3", aot::nvfp4_gate_up::silu_mul_nvfp4, false, 64, 4112, 3},
};

/// What a variant wrote over buffers poisoned with 0xa5, and what the
/// reference writes over two poisons (0xa5 and 0x5a): where the two
/// references differ (padding rows), the kernel must leave the poison alone.
struct Outputs {
  std::vector<uint8_t> q, s, wantQ, wantS, otherQ, otherS;
};

void runOnGpu(Launch launch, const SiluMulNvfp4Spec &spec,
              const std::vector<uint16_t> &x,
              const std::vector<int32_t> &offsets, const std::vector<float> &gs,
              int64_t M, int64_t K, int64_t stride, Outputs &out) {
  const int64_t E = int64_t(gs.size());
  const std::vector<int32_t> sfOffsets = nvfp4ScaleOffsets(offsets);
  const int64_t scaleBytes = nvfp4ScaleBytes(sfOffsets[E], K);
  rt::DeviceBuffer dx = upload(x), doff = upload(offsets), dgs = upload(gs);
  rt::DeviceBuffer dsf = upload(sfOffsets);
  rt::DeviceBuffer dq = poisoned<uint8_t>(M * K / 2, 0xa5);
  rt::DeviceBuffer ds = poisoned<uint8_t>(scaleBytes, 0xa5);
  TILE_ASSERT_OK(launch(rt::Dim3{uint32_t(siluMulNvfp4Grid(spec, M, K, E))},
                        dx.address(), dq.address(), ds.address(),
                        doff.address(), dsf.address(), dgs.address(), M, K,
                        E, stride, rt::Stream()));
  out.q = download<uint8_t>(dq, M * K / 2);
  out.s = download<uint8_t>(ds, scaleBytes);
  out.wantQ.assign(out.q.size(), 0xa5);
  out.wantS.assign(out.s.size(), 0xa5);
  out.otherQ.assign(out.q.size(), 0x5a);
  out.otherS.assign(out.s.size(), 0x5a);
  siluMulNvfp4Reference(spec, x.data(), offsets, sfOffsets, gs,
                        out.wantQ.data(), out.wantS.data(), M, K, stride);
  siluMulNvfp4Reference(spec, x.data(), offsets, sfOffsets, gs,
                        out.otherQ.data(), out.otherS.data(), M, K, stride);
}

class Nvfp4Gpu : public ::testing::TestWithParam<int> {};

TEST_P(Nvfp4Gpu, MatchesReferenceBySglangRule) {
  TILE_REQUIRE_GPU();
  const Case &c = kCases[GetParam()];
  SiluMulNvfp4Spec spec;
  spec.upFirst = c.upFirst;
  const int64_t M = c.M, K = c.K, E = c.E, stride = 2 * K;
  std::mt19937 rng(freshSeed());
  std::vector<int32_t> offsets;
  std::vector<float> gs;
  randomExperts(rng, M, E, offsets, gs);
  std::normal_distribution<float> dist(0.0f, 2.0f);
  std::vector<uint16_t> x(M * stride);
  for (auto &h : x)
    h = numerics::floatToBf16(dist(rng));

  Outputs out;
  ASSERT_NO_FATAL_FAILURE(
      runOnGpu(c.launch, spec, x, offsets, gs, M, K, stride, out));
  const int64_t scaleBytes = int64_t(out.s.size());
  const std::vector<uint8_t> &q = out.q, &s = out.s, &wantQ = out.wantQ,
                             &wantS = out.wantS, &otherQ = out.otherQ,
                             &otherS = out.otherS;
  int64_t differ = 0, compared = 0;
  for (size_t i = 0; i < q.size(); ++i) {
    ASSERT_EQ(wantQ[i], otherQ[i]) << "the reference writes every q byte";
    for (int nib = 0; nib < 2; ++nib) {
      auto value = [&](uint8_t byte) {
        int code = (byte >> (4 * nib)) & 15;
        return (code & 8) ? -(code & 7) : (code & 7);
      };
      int got = value(q[i]), want = value(wantQ[i]);
      ASSERT_FALSE(got * want < 0) << c.name << ": sign flip at q byte " << i;
      ASSERT_LE(std::abs(got - want), 1) << c.name << ": q byte " << i;
      differ += got != want;
      ++compared;
    }
  }
  EXPECT_LE(differ * 200, compared) << differ << " of " << compared << " differ";
  for (int64_t i = 0; i < scaleBytes; ++i) {
    if (wantS[i] != otherS[i]) { // the reference leaves it alone
      ASSERT_EQ(int(s[i]), 0xa5) << c.name << ": scale byte " << i << " written";
      continue;
    }
    ASSERT_LE(std::abs(int(s[i] & 0x7f) - int(wantS[i] & 0x7f)), 1)
        << c.name << ": scale byte " << i;
    ASSERT_EQ(s[i] & 0x80, wantS[i] & 0x80) << c.name << ": scale byte " << i;
  }
}

INSTANTIATE_TEST_SUITE_P(Cases, Nvfp4Gpu, ::testing::Range(0, int(std::size(kCases))),
                         [](const auto &info) { return kCases[info.param].name; });

/// The two AOT variants: [gate | up] and [up | gate].
struct Layout {
  const char *name;
  Launch launch;
  bool upFirst;
};
const Layout kLayouts[] = {
    {"gate_up", aot::nvfp4_gate_up::silu_mul_nvfp4, false},
    {"up_gate", aot::nvfp4_up_gate::silu_mul_nvfp4, true},
};

// The edge values of KERNELS.md 4, put in gate and up of fresh random values
// in (-3, 3) (|y| < 9), K = 6 blocks of 16 (two padding columns in the
// swizzled scales), M = 7 rows, experts [0, 4) with gs = 1 and [4, 7) with
// gs = 224:
//   0: gate = up = 0: absmax 0, sf 0, and every code 0 ("0 when sf is 0");
//   1: up = NaN and up = -NaN in block 1;
//   2: gate = +inf, up = 2 in block 2: y = inf, sf = e4m3(inf) saturates to
//      448 (0x7e), the inf element to e2m1 6 (code 7), the rest of the block
//      y / 448, below 0.25: +-0;
//   3: gate = 1, up = -inf in block 0: the same with -6 (code 0xf); and
//      gate = -inf in block 3: silu(-inf) = -inf / (1 + exp(inf)) is NaN
//      (KERNELS.md's formula, not the limit 0), a NaN block;
//   4: gate = 32 (silu exactly 32 on any exp), up = +-0.375 in block 1:
//      y = +-12, sf = e4m3(224 * 12 / 6) = 448 exactly, and
//      y * (1 / (448 / 224)) = +-6: codes 7 and 0xf; gate = 32, up = 1 in
//      block 3: sf = e4m3(224 * 32 / 6) saturates to 448 and 32 * 0.5 = 16
//      saturates to 6;
//   5, 6: plain random.
// exp is approximate on the GPU, so codes and scales follow sglang's rule
// as in the test above, but row 0, block 2 of row 2, block 0 of row 3 and
// row 4's scales of blocks 1 and 3 do not depend on exp and must match the
// reference exactly, as must the NaN blocks (block 1 of row 1, block 3 of
// row 3): KERNELS.md's rule for every family, NaN propagates to the scale,
// gives the scale byte 0x7f (e4m3 NaN) and, the GPU's NaN products being
// the canonical NaN, codes +0.
// Then the values KERNELS.md gives are spelled out, so that a wrong
// reference fails too.
class Nvfp4GpuSpecialValues : public ::testing::TestWithParam<int> {};

TEST_P(Nvfp4GpuSpecialValues, MatchReference) {
  TILE_REQUIRE_GPU();
  const Layout &c = kLayouts[GetParam()];
  SiluMulNvfp4Spec spec;
  spec.upFirst = c.upFirst;
  const int64_t M = 7, K = 6 * 16, E = 2, stride = 2 * K + 16;
  std::vector<int32_t> offsets = {0, 4, int32_t(M)};
  std::vector<float> gs = {1.0f, 224.0f};
  // The rows of nvfp4SpecialInput (test/common/QuantSpecialInputs.h).
  std::vector<uint16_t> x =
      nvfp4SpecialInput(M, K, stride, spec.upFirst, freshSeed()).x;

  Outputs out;
  ASSERT_NO_FATAL_FAILURE(
      runOnGpu(c.launch, spec, x, offsets, gs, M, K, stride, out));
  const int64_t scaleBytes = int64_t(out.s.size());
  const std::vector<uint8_t> &q = out.q, &s = out.s, &wantQ = out.wantQ,
                             &wantS = out.wantS, &otherS = out.otherS;
  // Row m's scale row: expert 1's rows start at scale row 128.
  auto scaleRow = [](int64_t m) { return m < 4 ? m : 128 + (m - 4); };

  // Blocks (row, block) whose every code and scale is determined without
  // exp; scales exact also where row 4's y is.
  const std::pair<int64_t, int64_t> exactBlocks[] = {
      {0, 0}, {0, 1}, {0, 2}, {0, 3}, {0, 4}, {0, 5}, {1, 1}, {2, 2}, {3, 0},
      {3, 3}};
  std::set<int64_t> exactScales = {nvfp4ScaleOffset(scaleRow(4), 1, K),
                                   nvfp4ScaleOffset(scaleRow(4), 3, K)};
  for (auto [m, b] : exactBlocks)
    exactScales.insert(nvfp4ScaleOffset(scaleRow(m), b, K));
  auto nibble = [&](const std::vector<uint8_t> &bytes, int64_t m, int64_t k) {
    return (bytes[m * (K / 2) + k / 2] >> (4 * (k % 2))) & 15;
  };

  auto value = [](int code) { return (code & 8) ? -(code & 7) : (code & 7); };
  int64_t differ = 0, compared = 0;
  for (int64_t m = 0; m < M; ++m) {
    for (int64_t k = 0; k < K; ++k) {
      int got = value(nibble(q, m, k)), want = value(nibble(wantQ, m, k));
      ASSERT_FALSE(got * want < 0)
          << "sign flip at q[" << m << ", " << k << "]";
      ASSERT_LE(std::abs(got - want), 1) << "q[" << m << ", " << k << "]";
      differ += got != want;
      ++compared;
    }
  }
  EXPECT_LE(differ * 200, compared)
      << differ << " of " << compared << " differ";
  for (auto [m, b] : exactBlocks)
    for (int64_t k = b * 16; k < b * 16 + 16; ++k)
      ASSERT_EQ(nibble(q, m, k), nibble(wantQ, m, k))
          << "q[" << m << ", " << k << "]";
  for (int64_t i = 0; i < scaleBytes; ++i) {
    if (wantS[i] != otherS[i]) { // the reference leaves it alone
      ASSERT_EQ(int(s[i]), 0xa5) << "scale byte " << i << " written";
      continue;
    }
    if (exactScales.count(i)) {
      ASSERT_EQ(int(s[i]), int(wantS[i])) << "scale byte " << i;
      continue;
    }
    ASSERT_LE(std::abs(int(s[i] & 0x7f) - int(wantS[i] & 0x7f)), 1)
        << "scale byte " << i;
    ASSERT_EQ(s[i] & 0x80, wantS[i] & 0x80) << "scale byte " << i;
  }

  // And what KERNELS.md says, spelled out.
  auto scale = [&](int64_t m, int64_t b) {
    return int(s[nvfp4ScaleOffset(scaleRow(m), b, K)]);
  };
  for (int64_t b = 0; b < 6; ++b)
    EXPECT_EQ(scale(0, b), 0) << "zero row, block " << b;
  for (int64_t k = 0; k < K; ++k)
    ASSERT_EQ(nibble(q, 0, k), 0) << "zero row, column " << k;
  EXPECT_EQ(scale(2, 2), 0x7e) << "e4m3(inf) saturates to 448";
  EXPECT_EQ(nibble(q, 2, 2 * 16 + 5), 0x7) << "inf * 224 / 448 saturates to 6";
  EXPECT_EQ(scale(3, 0), 0x7e);
  EXPECT_EQ(nibble(q, 3, 0 * 16 + 7), 0xf) << "-inf saturates to -6";
  for (int64_t j = 0; j < 16; ++j) {
    // |y| < 9 times 1 / 448: below 0.25, zeros of their sign.
    if (j != 5)
      ASSERT_EQ(nibble(q, 2, 2 * 16 + j) & 7, 0) << "column " << j;
    if (j != 7)
      ASSERT_EQ(nibble(q, 3, 0 * 16 + j) & 7, 0) << "column " << j;
  }
  EXPECT_EQ(scale(1, 1), 0x7f) << "NaN propagates to the scale";
  EXPECT_EQ(scale(3, 3), 0x7f) << "silu(-inf) is NaN";
  for (int64_t j = 0; j < 16; ++j) {
    ASSERT_EQ(nibble(q, 1, 1 * 16 + j), 0) << "NaN block, column " << j;
    ASSERT_EQ(nibble(q, 3, 3 * 16 + j), 0) << "NaN block, column " << j;
  }
  EXPECT_EQ(scale(4, 1), 0x7e) << "224 * 12 / 6 is 448";
  EXPECT_EQ(nibble(q, 4, 1 * 16 + 1), 0x7) << "12 * 224 / 448 is 6";
  EXPECT_EQ(nibble(q, 4, 1 * 16 + 15), 0xf);
  EXPECT_EQ(scale(4, 3), 0x7e) << "224 * 32 / 6 saturates to 448";
  EXPECT_EQ(nibble(q, 4, 3 * 16), 0x7) << "32 * 224 / 448 = 16 saturates to 6";
}

INSTANTIATE_TEST_SUITE_P(
    Layouts, Nvfp4GpuSpecialValues,
    ::testing::Range(0, int(std::size(kLayouts))),
    [](const auto &info) { return kLayouts[info.param].name; });

} // namespace
