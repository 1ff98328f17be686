//===- SiluMulNvfp4Test.cpp - silu_mul_nvfp4 on the GPU -------------------===//
//
// Rows sorted by expert (random offsets, some experts empty, per-expert global
// scales), K with a block count not a multiple of 4 (zeroed padding columns
// in the swizzled scales), against the reference with sglang's rule: the
// GPU's exp is approximate, so an e2m1 code or an e4m3 scale may move by one
// (at most 0.5% of codes), never more, never a sign. A second test puts
// NaN, +-inf and saturating blocks into gate and up, and compares exactly
// what does not depend on exp. Then, on inputs whose silu is exact on any exp
// (gate in [20, 40], or 32), bit for bit: the per-expert scale layout
// (expert row counts 0, 1, 100, 128, 129, 300, rows past offsets[E], more
// experts than one search step reads) with its zeroed padding spelled out,
// and the e2m1 ties of the kernel's arithmetic conversion. Every launch runs
// twice and must give the same bytes; q and the scales carry poisoned
// guards.
//
//===----------------------------------------------------------------------===//

#include "GpuTest.h"

#include "QuantSpecialInputs.h"
#include "SiluMulNvfp4Spec.h"

#include "tile/aot/nvfp4_gate_up.h"
#include "tile/aot/nvfp4_up_gate.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>

using namespace tile;
using namespace tile::testing;
using namespace tile::kernels;

namespace {

using Launch = decltype(&aot::nvfp4_gate_up::silu_mul_nvfp4);

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

/// Poisoned bytes past the end of q and of the scales, which runOnGpu checks
/// are left alone.
constexpr int64_t kGuard = 256;

void runOnGpu(Launch launch, const SiluMulNvfp4Spec &spec,
              const std::vector<uint16_t> &x,
              const std::vector<int32_t> &offsets, const std::vector<float> &gs,
              int64_t M, int64_t K, int64_t stride, Outputs &out) {
  const int64_t E = int64_t(gs.size());
  const std::vector<int32_t> sfOffsets = nvfp4ScaleOffsets(offsets);
  const int64_t scaleBytes = nvfp4ScaleBytes(sfOffsets[E], K);
  const int64_t qBytes = M * K / 2;
  rt::DeviceBuffer dx = upload(x), doff = upload(offsets), dgs = upload(gs);
  rt::DeviceBuffer dsf = upload(sfOffsets);
  rt::DeviceBuffer dq = poisoned<uint8_t>(qBytes + kGuard, 0xa5);
  rt::DeviceBuffer ds = poisoned<uint8_t>(scaleBytes + kGuard, 0xa5);
  ASSERT_NO_FATAL_FAILURE(launchTwice(
      [&] {
        const LaunchGrid grid = siluMulNvfp4Grid(spec, M, K, E);
        return launch(rt::Dim3{uint32_t(grid.x), uint32_t(grid.y)},
                      dx.address(), dq.address(), ds.address(), doff.address(),
                      dsf.address(), dgs.address(), M, K, E, stride,
                      rt::Stream());
      },
      {{dq, 0xa5}, {ds, 0xa5}}));
  out.q = download<uint8_t>(dq, qBytes + kGuard);
  out.s = download<uint8_t>(ds, scaleBytes + kGuard);
  for (int64_t i = 0; i < kGuard; ++i) {
    ASSERT_EQ(int(out.q[qBytes + i]), 0xa5) << "q guard byte " << i;
    ASSERT_EQ(int(out.s[scaleBytes + i]), 0xa5) << "scale guard byte " << i;
  }
  out.q.resize(qBytes);
  out.s.resize(scaleBytes);
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

uint16_t bf16(float v) { return numerics::floatToBf16(v); }

// The per-expert scale layout (KERNELS.md 4), byte for byte. Inputs whose
// silu is exact on any exp: gate in [20, 40] (exp(-g) < 2^-28, so
// g / (1 + exp(-g)) is g in fp32), random up over many binades, a random
// global scale per expert: then q and every scale byte must equal the
// reference's. On top, from KERNELS.md's formulas and not the project's
// helpers: sf_offsets[e] = sum of align(rows_i, 128) over i < e; the buffer
// holds exactly sf_offsets[E] rows (every byte of it is one expert's (row,
// column) slot, exactly once, and nothing past it is written); expert e's
// row r, block c is at ((j / 128) * ceil(K/64) + c / 4) * 512 + (j % 32) * 16
// + (j % 128 / 32) * 4 + c % 4 with j = sf_offsets[e] + r and holds
// e4m3(gs[e] * absmax / 6) of its block; the padding bytes (rows past an
// expert's last inside its 128-row block, columns past K/16) are 0; rows
// past offsets[E] (a padded batch) keep their poison in q.
struct LayoutCase {
  const char *name;
  std::vector<int> counts; ///< rows per expert; empty: random (see below)
  int E, K, padRows;
};
const LayoutCase kLayoutCases[] = {
    {"counts_0_1_100_128_129_300_0_K208", {0, 1, 100, 128, 129, 300, 0}, 7, 208, 0},
    // 257 blocks: three programs of 128 per row, a partial column tile.
    {"counts_0_1_100_128_129_300_0_K4112", {0, 1, 100, 128, 129, 300, 0}, 7, 4112, 0},
    // 37 rows past offsets[E]: neither read nor written.
    {"counts_3_0_130_pad37_K208", {3, 0, 130}, 3, 208, 37},
    // Random counts in [0, 4] (experts 1 and E - 1 empty): E = 64 is one
    // step of the expert search, 65 two, 256 (a real count of routed experts
    // per rank, expert 200 with 129 rows) four.
    {"E64_K80", {}, 64, 80, 0},
    {"E65_K80", {}, 65, 80, 3},
    {"E256_K80", {}, 256, 80, 5},
};

class Nvfp4GpuScaleLayout
    : public ::testing::TestWithParam<std::tuple<int, int>> {};

TEST_P(Nvfp4GpuScaleLayout, PerExpertBytesExactly) {
  TILE_REQUIRE_GPU();
  const Layout &layout = kLayouts[std::get<0>(GetParam())];
  const LayoutCase &c = kLayoutCases[std::get<1>(GetParam())];
  SiluMulNvfp4Spec spec;
  spec.upFirst = layout.upFirst;
  const int64_t E = c.E, K = c.K, blocks = K / 16;
  std::mt19937 rng(freshSeed());
  std::vector<int> counts = c.counts;
  if (counts.empty()) {
    std::uniform_int_distribution<int> count(0, 4);
    for (int64_t e = 0; e < E; ++e)
      counts.push_back(count(rng));
    counts[1] = counts[E - 1] = 0;
    if (E > 200)
      counts[200] = 129;
  }
  ASSERT_EQ(int64_t(counts.size()), E);
  std::vector<int32_t> offsets(E + 1, 0);
  for (int64_t e = 0; e < E; ++e)
    offsets[e + 1] = offsets[e] + counts[e];
  const int64_t M = offsets[E] + c.padRows, stride = 2 * K + 16;
  std::vector<float> gs(E);
  std::uniform_real_distribution<float> scale(0.5f, 200.0f);
  for (float &g : gs)
    g = scale(rng);
  SCOPED_TRACE(::testing::Message() << layout.name << " " << c.name << ": M="
                                    << M << " E=" << E << " K=" << K);

  // KERNELS.md's sf_offsets, against the helper the launch uses.
  std::vector<int64_t> sfRow(E + 1, 0);
  for (int64_t e = 0; e < E; ++e)
    sfRow[e + 1] = sfRow[e] + (counts[e] + 127) / 128 * 128;
  const std::vector<int32_t> sfOffsets = nvfp4ScaleOffsets(offsets);
  for (int64_t e = 0; e <= E; ++e)
    ASSERT_EQ(sfOffsets[e], sfRow[e]) << "sf_offsets[" << e << "]";
  const int64_t colTiles = (blocks + 3) / 4;
  const int64_t scaleBytes = sfRow[E] / 128 * colTiles * 512;
  ASSERT_EQ(nvfp4ScaleBytes(sfRow[E], K), scaleBytes);

  SiluInput in = randomSiluInput(M, K, stride, spec.upFirst, rng());
  std::uniform_int_distribution<int> gate(20 * 8, 40 * 8);
  std::uniform_real_distribution<float> mantissa(-1.0f, 1.0f);
  std::uniform_int_distribution<int> binade(-14, 1);
  for (int64_t m = 0; m < M; ++m)
    for (int64_t k = 0; k < K; ++k) {
      in.gate(m, k) = bf16(float(gate(rng)) / 8.0f);
      in.up(m, k) = bf16(std::ldexp(mantissa(rng), binade(rng)));
    }

  Outputs out;
  ASSERT_NO_FATAL_FAILURE(
      runOnGpu(layout.launch, spec, in.x, offsets, gs, M, K, stride, out));
  ASSERT_EQ(int64_t(out.s.size()), scaleBytes);
  for (int64_t i = 0; i < scaleBytes; ++i)
    ASSERT_EQ(out.wantS[i], out.otherS[i])
        << "the reference writes every scale byte; byte " << i;
  for (int64_t i = 0; i < M * K / 2; ++i)
    ASSERT_EQ(int(out.q[i]), int(out.wantQ[i]))
        << "q[" << i / (K / 2) << ", byte " << i % (K / 2) << "]";
  for (int64_t i = 0; i < scaleBytes; ++i)
    ASSERT_EQ(int(out.s[i]), int(out.wantS[i])) << "scale byte " << i;

  // The layout spelled out: every byte of the buffer is one slot, exactly
  // once.
  std::vector<uint8_t> seen(scaleBytes, 0);
  for (int64_t e = 0; e < E; ++e) {
    for (int64_t r = 0; r < (counts[e] + 127) / 128 * 128; ++r) {
      const int64_t j = sfRow[e] + r;
      for (int64_t col = 0; col < colTiles * 4; ++col) {
        const int64_t at = ((j / 128) * colTiles + col / 4) * 512 +
                           (j % 32) * 16 + (j % 128 / 32) * 4 + col % 4;
        ASSERT_LT(at, scaleBytes);
        ASSERT_EQ(seen[at]++, 0) << "byte " << at << " is two slots";
        if (r >= counts[e] || col >= blocks) {
          ASSERT_EQ(int(out.s[at]), 0)
              << "padding: expert " << e << ", row " << r << ", column " << col;
          continue;
        }
        // The block's scale from its y, computed here.
        const int64_t m = offsets[e] + r;
        float absmax = 0.0f;
        for (int64_t k = col * 16; k < col * 16 + 16; ++k) {
          float y = numerics::bf16ToFloat(
              bf16(numerics::bf16ToFloat(in.gate(m, k)) *
                   numerics::bf16ToFloat(in.up(m, k))));
          absmax = std::max(absmax, std::fabs(y));
        }
        ASSERT_EQ(int(out.s[at]),
                  int(numerics::floatToE4M3(gs[e] * absmax / 6.0f, true)))
            << "expert " << e << ", row " << r << ", block " << col;
      }
    }
  }
  for (int64_t i = 0; i < scaleBytes; ++i)
    ASSERT_EQ(int(seen[i]), 1) << "scale byte " << i << " is no slot";
  for (int64_t m = offsets[E]; m < M; ++m)
    for (int64_t i = 0; i < K / 2; ++i)
      ASSERT_EQ(int(out.q[m * (K / 2) + i]), 0xa5)
          << "row " << m << " past offsets[E] = " << offsets[E] << " written";
}

INSTANTIATE_TEST_SUITE_P(
    LayoutsAndCases, Nvfp4GpuScaleLayout,
    ::testing::Combine(::testing::Range(0, int(std::size(kLayouts))),
                       ::testing::Range(0, int(std::size(kLayoutCases)))),
    [](const auto &info) {
      return std::string(kLayouts[std::get<0>(info.param)].name) + "_" +
             kLayoutCases[std::get<1>(info.param)].name;
    });

/// KERNELS.md's e2m1 rounding, spelled out: the nearest of {0, 0.5, 1, 1.5,
/// 2, 3, 4, 6} (codes 0..7), a tie to the even code, saturating at 6; the
/// sign in bit 3 (a negative value that rounds to 0 gives 8, -0).
int e2m1Spelled(double y) {
  static const double grid[8] = {0, 0.5, 1, 1.5, 2, 3, 4, 6};
  const double a = std::fabs(y);
  int best = 7;
  if (a < 6) {
    best = 0;
    for (int code = 1; code < 8; ++code) {
      const double d = std::fabs(a - grid[code]), b = std::fabs(a - grid[best]);
      if (d < b || (d == b && code % 2 == 0))
        best = code;
    }
  }
  return best | (std::signbit(y) ? 8 : 0);
}

// e2m1 ties on the kernel's own path (Hopper has no e2m1 instruction; the
// kernel converts with integer/float arithmetic; ConvertTest covers the
// plain conversion op). Every block has absmax 6 (y = +-6 in its first
// column) and gs = 1, so sf = e4m3(1 * 6 / 6) = 1.0 (byte 0x38) and the
// inverse scale 1 / (1 / 1) = 1: the codes are e2m1(y) itself. gate = 32
// (silu exactly 32 on any exp) and up = y / 32 give y exactly: the ties
// +-0.25, 0.75, 1.25, 1.75, 2.5, 3.5, 5, the bf16 values next to each on
// both sides, the grid values themselves (and -0), each four times at
// different columns (low and high nibbles), and random values in (-6, 6).
// Codes must equal the reference and KERNELS.md's round-to-nearest-even
// spelled out (0.25 -> 0, 0.75 -> 1.0, 1.25 -> 1.0, 1.75 -> 2.0, 2.5 -> 2.0,
// 3.5 -> 4.0, 5 -> 4.0), every scale byte 0x38.
class Nvfp4GpuE2m1Ties : public ::testing::TestWithParam<int> {};

TEST_P(Nvfp4GpuE2m1Ties, RoundToNearestEvenOnTheKernelsPath) {
  TILE_REQUIRE_GPU();
  const Layout &layout = kLayouts[GetParam()];
  SiluMulNvfp4Spec spec;
  spec.upFirst = layout.upFirst;
  const int64_t M = 8, K = 16 * 8, blocks = K / 16, stride = 2 * K;
  SCOPED_TRACE(layout.name);

  // KERNELS.md's table, and the spelled-out rule against it.
  const std::pair<float, int> table[] = {{0.25f, 0}, {0.75f, 2}, {1.25f, 2},
                                         {1.75f, 4}, {2.5f, 4},  {3.5f, 6},
                                         {5.0f, 6}};
  for (auto [y, code] : table) {
    ASSERT_EQ(e2m1Spelled(y), code) << y;
    ASSERT_EQ(e2m1Spelled(-y), code | 8) << -y;
  }

  std::vector<float> targets;
  auto next = [](float v, int step) {
    return numerics::bf16ToFloat(uint16_t(numerics::floatToBf16(v) + step));
  };
  for (auto [t, code] : table)
    for (float v : {t, next(t, 1), next(t, -1)}) {
      targets.push_back(v);
      targets.push_back(-v);
    }
  for (float g : {0.0f, 0.5f, 1.0f, 1.5f, 2.0f, 3.0f, 4.0f, 6.0f}) {
    targets.push_back(g);
    targets.push_back(-g);
  }
  const int64_t slots = M * blocks * 15, copies = 4;
  ASSERT_LE(int64_t(targets.size()) * copies, slots);
  std::mt19937 rng(freshSeed());
  std::vector<int64_t> order(slots);
  for (int64_t i = 0; i < slots; ++i)
    order[i] = i;
  std::shuffle(order.begin(), order.end(), rng);
  std::uniform_real_distribution<float> uniform(-6.0f, 6.0f);
  std::vector<float> y(M * K);
  for (int64_t i = 0; i < slots; ++i) {
    const int64_t slot = order[i], block = slot / 15, col = slot % 15 + 1;
    const int64_t m = block / blocks, k = (block % blocks) * 16 + col;
    y[m * K + k] = i < int64_t(targets.size()) * copies
                       ? targets[i % targets.size()]
                       : numerics::bf16ToFloat(bf16(uniform(rng)));
  }
  for (int64_t m = 0; m < M; ++m)
    for (int64_t b = 0; b < blocks; ++b)
      y[m * K + b * 16] = (m + b) % 2 ? -6.0f : 6.0f;

  SiluInput in{std::vector<uint16_t>(M * stride), stride, K, spec.upFirst};
  for (int64_t m = 0; m < M; ++m)
    for (int64_t k = 0; k < K; ++k) {
      in.gate(m, k) = bf16(32.0f);
      in.up(m, k) = bf16(y[m * K + k] / 32.0f);
      ASSERT_EQ(numerics::bf16ToFloat(in.up(m, k)) * 32.0f, y[m * K + k])
          << "up = y / 32 is exact";
    }
  const std::vector<int32_t> offsets = {0, int32_t(M)};
  const std::vector<float> gs = {1.0f};

  Outputs out;
  ASSERT_NO_FATAL_FAILURE(
      runOnGpu(layout.launch, spec, in.x, offsets, gs, M, K, stride, out));
  auto nibble = [&](const std::vector<uint8_t> &bytes, int64_t m, int64_t k) {
    return (bytes[m * (K / 2) + k / 2] >> (4 * (k % 2))) & 15;
  };
  for (int64_t m = 0; m < M; ++m)
    for (int64_t k = 0; k < K; ++k) {
      const float v = y[m * K + k];
      ASSERT_EQ(nibble(out.q, m, k), nibble(out.wantQ, m, k))
          << "q[" << m << ", " << k << "]: y = " << v << " against the reference";
      ASSERT_EQ(nibble(out.q, m, k), e2m1Spelled(v))
          << "q[" << m << ", " << k << "]: y = " << v
          << " against round-to-nearest-even";
    }
  for (int64_t m = 0; m < M; ++m)
    for (int64_t b = 0; b < blocks; ++b)
      ASSERT_EQ(int(out.s[nvfp4ScaleOffset(m, b, K)]), 0x38)
          << "row " << m << ", block " << b << ": sf = e4m3(1.0)";
}

INSTANTIATE_TEST_SUITE_P(
    Layouts, Nvfp4GpuE2m1Ties, ::testing::Range(0, int(std::size(kLayouts))),
    [](const auto &info) { return kLayouts[info.param].name; });

} // namespace
