//===- GroupedGemmReferenceTest.cpp - The grouped GEMM's golden numbers ---===//
//
// GroupedGemmReference.h on tiny cases computed by hand: which expert's
// weights a row meets, the per-group scales (per token and per token and
// group), the one rounding of the fma (a case where a multiply and an add
// would round twice and give another number), the final round-to-nearest-
// even to bf16 at a tie, rows outside every expert left alone, int4
// nibbles decoding to 0..7 and -8..-1, and the SwiGLU epilogue ([gate | up]
// rows, out N/2 columns, silu as silu_mul_quant's, the GPU's bound).
//
//===----------------------------------------------------------------------===//

#include "GroupedGemmReference.h"
#include "SiluMulQuantSpec.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <vector>

using namespace tile::kernels;

namespace {

GroupedGemmSpec spec(int group, ActScales scales, GroupedGemmOut out) {
  GroupedGemmSpec s;
  s.group = group;
  s.actScales = scales;
  s.out = out;
  return s;
}

TEST(GroupedGemmReference, HandComputedTwoExperts) {
  // E = 2: expert 0 owns row 0, expert 1 rows 1 and 2; row 3 is padding.
  // N = 2, K = 4, group = 2 (two groups per row).
  const int32_t offsets[] = {0, 1, 3};
  const int8_t a[] = {1, 2, 3, 4,      // row 0
                      -128, 127, 0, 1, // row 1
                      2, 0, -1, -3,    // row 2
                      9, 9, 9, 9};     // row 3 (no expert)
  const int8_t b[] = {1, 1, 1, 1,    -1, 0, 0, 2,  // expert 0: n = 0, 1
                      1, 1, 0, 0,    0, 2, -1, 1}; // expert 1: n = 0, 1
  // sa [M, 2], sb [E, N, 2].
  const float sa[] = {0.5f, 2.0f, 1.0f, 0.25f, 4.0f, 1.0f, 7.0f, 7.0f};
  const float sb[] = {1.0f, 0.25f, 2.0f, 1.0f, 1.0f, 2.0f, 0.5f, 0.5f};
  std::vector<float> out(4 * 3, -7.0f); // ldo = 3
  GroupedGemmSpec s = spec(2, ActScales::TokenGroup, GroupedGemmOut::F32);
  groupedGemmReference(s, a, offsets, 2, b, sa, sb, out.data(), 4, 2, 4, 4, 3);
  // Row 0, expert 0: n = 0: 3 * (0.5 * 1) + 7 * (2 * 0.25) = 5;
  //                  n = 1: -1 * (0.5 * 2) + 8 * (2 * 1) = 15.
  EXPECT_EQ(out[0], 5.0f);
  EXPECT_EQ(out[1], 15.0f);
  // Row 1, expert 1: n = 0: (-128 + 127) * (1 * 1) + 0 * (0.25 * 2) = -1;
  //                  n = 1: 254 * (1 * 0.5) + 1 * (0.25 * 0.5) = 127.125.
  EXPECT_EQ(out[3], -1.0f);
  EXPECT_EQ(out[4], 127.125f);
  // Row 2, expert 1: n = 0: 2 * 4 + 0 = 8; n = 1: 0 * 2 + (1 - 3) * 0.5 = -1.
  EXPECT_EQ(out[6], 8.0f);
  EXPECT_EQ(out[7], -1.0f);
  // The padding column and row stay as they were.
  for (int i : {2, 5, 8, 9, 10, 11})
    EXPECT_EQ(out[i], -7.0f) << i;

  // Per-token scales: sa [M]; row 2 with sa = 3: n = 0: 2 * 3 * 1 + 0 = 6.
  const float saToken[] = {1.0f, 1.0f, 3.0f, 1.0f};
  groupedGemmReference(spec(2, ActScales::Token, GroupedGemmOut::F32), a,
                       offsets, 2, b, saToken, sb, out.data(), 4, 2, 4, 4, 3);
  EXPECT_EQ(out[6], 6.0f);
  EXPECT_EQ(out[7], (-2.0f) * (3.0f * 0.5f));
}

TEST(GroupedGemmReference, OneRoundingPerGroupThenNearestEven) {
  // One row, one column, K = 2, group = 1. Group 0: I = -3, s = 1: acc = -3.
  // Group 1: I = 3, s = 1 + 2^-23: the exact 3 s - 3 = 3 * 2^-23 is what the
  // fma keeps; 3 s rounded first (to 3 + 2^-21) and then added gives 2^-21.
  const int32_t offsets[] = {0, 1};
  const int8_t a[] = {-3, 3};
  const int8_t b[] = {1, 1};
  const float up = 1.0f + std::ldexp(1.0f, -23);
  const float sa[] = {1.0f, up};
  const float sb[] = {1.0f, 1.0f};
  float out = 0;
  groupedGemmReference(spec(1, ActScales::TokenGroup, GroupedGemmOut::F32), a,
                       offsets, 1, b, sa, sb, &out, 1, 1, 2, 2, 1);
  EXPECT_EQ(out, 3.0f * std::ldexp(1.0f, -23));
  volatile float product = 3.0f * up;
  EXPECT_NE(out, -3.0f + product); // what two roundings would give

  // bf16 at a tie: 1 + 3 * 2^-8 lies halfway between 1 + 2^-7 (0x3f81) and
  // 1 + 2^-6 (0x3f82); nearest even is 0x3f82 (truncation would give 0x3f81).
  const int8_t one[] = {1};
  const float s1[] = {1.0f + 3.0f * std::ldexp(1.0f, -8)};
  const float unit[] = {1.0f};
  uint16_t h = 0;
  groupedGemmReference(spec(1, ActScales::Token, GroupedGemmOut::BF16), one,
                       offsets, 1, one, s1, unit, &h, 1, 1, 1, 1, 1);
  EXPECT_EQ(h, 0x3f82);
  EXPECT_EQ(groupedGemmLoad(spec(1, ActScales::Token, GroupedGemmOut::BF16),
                            &h, 0),
            1.015625f);
  // fp16: 1 + 3 * 2^-11 is the tie between 1 + 2^-10 and 1 + 2^-9: 0x3c02.
  const float s2[] = {1.0f + 3.0f * std::ldexp(1.0f, -11)};
  groupedGemmReference(spec(1, ActScales::Token, GroupedGemmOut::F16), one,
                       offsets, 1, one, s2, unit, &h, 1, 1, 1, 1, 1);
  EXPECT_EQ(h, 0x3c02);
}

TEST(GroupedGemmReference, GroupDotsAreExactAtTheChainBound) {
  // 1024 products of -128 * -128: 2^24, the f16_exact bound.
  std::vector<int8_t> a(1024, -128), b(1024, -128);
  EXPECT_EQ(groupedGemmGroupDot(GroupedGemmSpec(), a.data(), b.data(), 0, 0, 0, 0, 1024, 1, 1024,
                                1024),
            1 << 24);
  b[5] = 127;
  EXPECT_EQ(groupedGemmGroupDot(GroupedGemmSpec(), a.data(), b.data(), 0, 0, 0, 0, 1024, 1, 1024,
                                1024),
            (1 << 24) - 128 * 128 - 128 * 127);
}

TEST(GroupedGemmReference, Int4NibblesDecodeAsTwosComplement) {
  // Every byte: the low nibble is the even row, the high nibble the odd
  // one; 0..7 stay, 8..15 are -8..-1.
  GroupedGemmSpec s;
  s.weights = GroupedGemmWeights::I4;
  std::vector<int8_t> b(256);
  for (int v = 0; v < 256; ++v)
    b[v] = int8_t(uint8_t(v)); // e = 0, n / 2 = 0, k = v (N = 2, K = 256)
  for (int v = 0; v < 256; ++v) {
    int lo = v & 15, hi = v >> 4;
    EXPECT_EQ(groupedGemmWeight(s, b.data(), 0, 0, v, 2, 256),
              lo < 8 ? lo : lo - 16) << v;
    EXPECT_EQ(groupedGemmWeight(s, b.data(), 0, 1, v, 2, 256),
              hi < 8 ? hi : hi - 16) << v;
  }
  // Expert 1, rows 2 and 3 (N = 4, K = 1): byte [1, 1, 0] = b[3].
  const int8_t pairs[] = {0, 0, 0, int8_t(0x9e)};
  EXPECT_EQ(groupedGemmWeight(s, pairs, 1, 2, 0, 4, 1), -2); // 0xe
  EXPECT_EQ(groupedGemmWeight(s, pairs, 1, 3, 0, 4, 1), -7); // 0x9
  // A dot over int4 weights: a = [1, 2], weights of row 1 (high nibbles)
  // 0x7 and 0x8: 1 * 7 + 2 * -8 = -9.
  const int8_t a[] = {1, 2};
  const int8_t w[] = {int8_t(0x70), int8_t(0x80)};
  EXPECT_EQ(groupedGemmGroupDot(s, a, w, 0, 0, 1, 0, 2, 2, 2, 2), -9);
  EXPECT_NE(groupedGemmShapeError(s, 4, 33, 128, 1, 128, 33).find("N (33) must be even"),
            std::string::npos);
}

TEST(GroupedGemmReference, SpecAndShapeRules) {
  GroupedGemmSpec s;
  EXPECT_EQ(groupedGemmSpecError(s), "");
  s.group = 96; // block_k 64 does not divide it
  EXPECT_NE(groupedGemmSpecError(s).find("block_k (64) must divide group (96)"),
            std::string::npos);
  s.blockK = 32;
  EXPECT_EQ(groupedGemmSpecError(s), "");
  s.group = 2048;
  EXPECT_NE(groupedGemmSpecError(s).find("f16_exact needs group <= 1024"),
            std::string::npos);
  s.precision = GroupedGemmPrecision::Native;
  EXPECT_EQ(groupedGemmSpecError(s), "");
  s = GroupedGemmSpec();
  s.group = 320;
  s.blockK = 64;
  EXPECT_EQ(groupedGemmShapeError(s, 10, 2880, 640, 4, 640, 2880), "");
  EXPECT_NE(groupedGemmShapeError(s, 10, 2880, 700, 4, 700, 2880)
                .find("K (700) is not a multiple of group (320)"),
            std::string::npos);
  EXPECT_NE(groupedGemmShapeError(s, 10, 2880, 640, 0, 640, 2880).find("E"),
            std::string::npos);
  EXPECT_EQ(groupedGemmGrid(s, 0, 2880, 4), 0);
  EXPECT_EQ(groupedGemmGrid(s, 65, 2880, 4), 2 * 23);
  // Tiles within experts: at most (M + E * (block_m - 1)) / block_m row
  // tiles (4 experts of 65 rows: 4 + 63 * 4 = 317 / 64 = 4), never more
  // than M (1 row over 4 experts: 1 tile), none for no rows.
  s.tileSchedule = TileSchedule::Experts;
  EXPECT_EQ(groupedGemmRowTiles(s, 65, 4), 4);
  EXPECT_EQ(groupedGemmRowTiles(s, 1, 4), 1);
  EXPECT_EQ(groupedGemmRowTiles(s, 0, 4), 0);
  EXPECT_EQ(groupedGemmRowTiles(s, 4096, 64), (4096 + 64 * 63) / 64);
  EXPECT_EQ(groupedGemmGrid(s, 65, 2880, 4), 4 * 23);
}

/// The tile tile-run and the Python package choose: tiles within experts
/// up to 32 rows an expert on average, SwiGLU's below 4 (the boundaries as
/// measured, bench/RESULTS.md 2026-12-02).
TEST(GroupedGemmReference, ChosenTileSchedule) {
  auto schedule = [](bool swiglu, long long M, long long E) {
    GroupedGemmSpec s;
    s.swiglu = swiglu;
    chooseGroupedGemmTile(s, M, E);
    return s.tileSchedule;
  };
  EXPECT_EQ(schedule(false, 64, 64), TileSchedule::Experts);
  EXPECT_EQ(schedule(false, 32 * 64, 64), TileSchedule::Experts);
  EXPECT_EQ(schedule(false, 32 * 64 + 1, 64), TileSchedule::Rows);
  EXPECT_EQ(schedule(false, 0, 1), TileSchedule::Experts);
  EXPECT_EQ(schedule(true, 4 * 64 - 1, 64), TileSchedule::Experts);
  EXPECT_EQ(schedule(true, 4 * 64, 64), TileSchedule::Rows);
  GroupedGemmSpec s;
  chooseGroupedGemmTile(s, 1, 1);
  EXPECT_EQ(s.blockM, 64);
  EXPECT_EQ(s.blockN, 128);
  EXPECT_EQ(s.numWarps, 4);
}

/// The auto stage count (num_stages = 0) never gives rings larger than an
/// sm_90 program's shared memory (227 KiB), for every tile, K step, group
/// and precision the spec allows with and without swiglu (the rule's 3 once
/// gave f16_exact's group of 512 at block_k 128 rings of 288 KiB, a kernel
/// the driver refused to launch), and keeps the 99 KiB rule's 3 or 4 where
/// the stages are small.
TEST(GroupedGemmReference, AutoStagesFitTheSharedMemory) {
  int checked = 0;
  for (int bm : {16, 64, 128, 256})
    for (int bn : {16, 64, 128, 256})
      for (int bk : {32, 64, 128, 256})
        for (int group : {128, 320, 512, 1024})
          for (bool swiglu : {false, true})
            for (auto precision : {GroupedGemmPrecision::Native,
                                   GroupedGemmPrecision::F16Exact}) {
              GroupedGemmSpec s;
              s.blockM = bm;
              s.blockN = bn;
              s.blockK = bk;
              s.group = group;
              s.swiglu = swiglu;
              s.precision = precision;
              s.numWarps = 8;
              if (!groupedGemmSpecError(s).empty())
                continue;
              ++checked;
              int stages = groupedGemmStages(s);
              int64_t bytes = groupedGemmStageBytes(s);
              SCOPED_TRACE(::testing::Message()
                           << bm << "x" << bn << "x" << bk << " group "
                           << group << (swiglu ? " swiglu" : ""));
              EXPECT_GE(stages, 1);
              EXPECT_TRUE(stages == 1 || stages * bytes <= 227 * 1024)
                  << stages << " stages of " << bytes << " bytes";
              if (4 * bytes <= 99 * 1024)
                EXPECT_GE(stages, 3);
            }
  EXPECT_GT(checked, 200);
}

TEST(GroupedGemmReference, SwigluShapeRules) {
  GroupedGemmSpec s;
  s.swiglu = true;
  s.blockN = 64;
  EXPECT_EQ(groupedGemmSpecError(s), "");
  s.blockM = 128;
  s.blockN = 256; // two 128 x 256 accumulators
  EXPECT_NE(groupedGemmSpecError(s).find("with swiglu, block_m * block_n"),
            std::string::npos);
  s.blockN = 128;
  EXPECT_EQ(groupedGemmSpecError(s), "");
  s = GroupedGemmSpec();
  s.swiglu = true;
  s.blockN = 64;
  // N = 2880: out has 1440 columns, ldo from 1440.
  EXPECT_EQ(groupedGemmShapeError(s, 10, 2880, 256, 4, 256, 1440), "");
  EXPECT_NE(groupedGemmShapeError(s, 10, 2880, 256, 4, 256, 1439)
                .find("ldo (1439) is smaller than out's N / 2 columns"),
            std::string::npos);
  EXPECT_NE(groupedGemmShapeError(s, 10, 2881, 256, 4, 256, 1440)
                .find("N (2881) must be even"),
            std::string::npos);
  EXPECT_EQ(groupedGemmOutCols(s, 2880), 1440);
  EXPECT_EQ(groupedGemmGrid(s, 65, 2880, 4), 2 * 23); // ceil(1440 / 64) = 23
}

TEST(GroupedGemmReference, SiluIsSiluMulQuants) {
  // The copy of silu_mul_quant's siluReference, bit for bit, over f32
  // values from -120 to 120 in steps that hit many significands.
  for (float g = -120.0f; g <= 120.0f; g += 0.0173f) {
    float want = siluReference(g), got = groupedGemmSilu(g);
    ASSERT_EQ(std::memcmp(&want, &got, 4), 0) << g;
  }
  EXPECT_EQ(groupedGemmSilu(0.0f), 0.0f);
  EXPECT_EQ(groupedGemmSilu(100.0f), 100.0f); // exp(-100) < half an ulp of 1
  EXPECT_TRUE(std::signbit(groupedGemmSilu(-200.0f))); // -200 / inf = -0
  EXPECT_EQ(groupedGemmSilu(-200.0f), 0.0f);
}

TEST(GroupedGemmReference, SwigluHandComputed) {
  // E = 1 owning rows 0 and 1, row 2 padding. N = 6: gate rows 0..2, up
  // rows 3..5; out has 3 columns, ldo = 4. K = 2, group = 2, scales of 1
  // but for sb of up row 5 (0.5): g and u are the plain dots.
  const int32_t offsets[] = {0, 2};
  const int8_t a[] = {1, 0,   // row 0: picks k = 0
                      0, 1,   // row 1: picks k = 1
                      7, 7};  // row 2 (no expert)
  const int8_t b[] = {0,    0,  // gate 0: g = 0
                      100, 1,   // gate 1: row 0 g = 100, row 1 g = 1
                      -100, 3,  // gate 2: row 0 g = -100, row 1 g = 3
                      5,    -3, // up 0
                      2,    7,  // up 1
                      -6,   4}; // up 2 (sb 0.5)
  const float sa[] = {1.0f, 1.0f, 1.0f};
  const float sb[] = {1.0f, 1.0f, 1.0f, 1.0f, 1.0f, 0.5f};
  GroupedGemmSpec s = spec(2, ActScales::TokenGroup, GroupedGemmOut::F32);
  s.swiglu = true;
  std::vector<float> out(3 * 4, -7.0f);
  groupedGemmReference(s, a, offsets, 1, b, sa, sb, out.data(), 3, 6, 2, 2, 4);
  // Row 0: silu(0) * 5 = 0; silu(100) * 2 = 200 (exp(-100) vanishes next
  // to 1); silu(-100) * -3 = -0 * -3 = +0 (exp(100) is inf).
  EXPECT_EQ(out[0], 0.0f);
  EXPECT_EQ(out[1], 200.0f);
  EXPECT_EQ(out[2], 0.0f);
  EXPECT_FALSE(std::signbit(out[2]));
  // Row 1: silu(0) * -3 = -0; silu(1) * 7; silu(3) * (4 * 0.5).
  EXPECT_EQ(out[4], 0.0f);
  EXPECT_EQ(out[5], groupedGemmSilu(1.0f) * 7.0f);
  EXPECT_NEAR(out[5], 7.0 / (1.0 + std::exp(-1.0)), 1e-5);
  EXPECT_EQ(out[6], groupedGemmSilu(3.0f) * 2.0f);
  EXPECT_NEAR(out[6], 6.0 / (1.0 + std::exp(-3.0)), 1e-5);
  // Column 3 (past N / 2) and the padding row stay.
  for (int i : {3, 7, 8, 9, 10, 11})
    EXPECT_EQ(out[i], -7.0f) << i;

  // bf16 out: y rounded once, to nearest even.
  s.out = GroupedGemmOut::BF16;
  std::vector<uint16_t> h(3 * 4, 0xffff);
  groupedGemmReference(s, a, offsets, 1, b, sa, sb, h.data(), 3, 6, 2, 2, 4);
  EXPECT_EQ(h[5], tile::numerics::floatToBf16(groupedGemmSilu(1.0f) * 7.0f));
  EXPECT_EQ(h[1], tile::numerics::floatToBf16(200.0f));
  EXPECT_EQ(h[3], 0xffff);
}

TEST(GroupedGemmReference, SwigluBoundOfTheGpusExp) {
  GroupedGemmSpec s;
  s.swiglu = true;
  s.out = GroupedGemmOut::F32;
  const float g = 1.0f, u = 3.0f, y = groupedGemmSwiglu(g, u);
  // f32: the bound is (1 + 16) * 2^-23 relative, about 2^-19.
  EXPECT_TRUE(groupedGemmSwigluAccepts(s, g, u, y));
  EXPECT_TRUE(groupedGemmSwigluAccepts(s, g, u, y * (1.0f + std::ldexp(1.0f, -20))));
  EXPECT_FALSE(groupedGemmSwigluAccepts(s, g, u, y * (1.0f + std::ldexp(1.0f, -17))));
  EXPECT_FALSE(groupedGemmSwigluAccepts(s, g, u, -y));
  EXPECT_FALSE(groupedGemmSwigluAccepts(s, g, u, NAN));
  // The gate and up swapped are far outside.
  EXPECT_FALSE(groupedGemmSwigluAccepts(s, g, u, groupedGemmSwiglu(u, g)));
  // Deep in silu's underflow (div.approx gives 0 past 2^126): 0 is fine.
  EXPECT_TRUE(groupedGemmSwigluAccepts(s, -95.0f, 1000.0f, 0.0f));
  EXPECT_TRUE(groupedGemmSwigluAccepts(s, -95.0f, 1000.0f,
                                       groupedGemmSwiglu(-95.0f, 1000.0f)));
  // bf16: exact unless y is within the bound of a rounding boundary; one
  // bf16 ulp off is refused away from a boundary...
  s.out = GroupedGemmOut::BF16;
  const float yb = groupedGemmRound(s, y);
  const float ulp = std::ldexp(1.0f, std::ilogb(yb) - 7);
  EXPECT_TRUE(groupedGemmSwigluAccepts(s, g, u, yb));
  if (std::fabs(y - yb) < ulp / 4) {
    EXPECT_FALSE(groupedGemmSwigluAccepts(s, g, u, yb + ulp));
    EXPECT_FALSE(groupedGemmSwigluAccepts(s, g, u, yb - ulp));
  }
  // ... and accepted at one: u chosen so that y is 1 + 2^-8 (the tie
  // between bf16's 1 and 1 + 2^-7) up to f32 rounding: both neighbours.
  const float tie = 1.0f + std::ldexp(1.0f, -8);
  const float ut = tie / groupedGemmSilu(4.0f);
  EXPECT_TRUE(groupedGemmSwigluAccepts(s, 4.0f, ut, 1.0f));
  EXPECT_TRUE(groupedGemmSwigluAccepts(s, 4.0f, ut, 1.0f + std::ldexp(1.0f, -7)));
  EXPECT_FALSE(groupedGemmSwigluAccepts(s, 4.0f, ut, 1.0f + std::ldexp(1.0f, -6)));
}

} // namespace
