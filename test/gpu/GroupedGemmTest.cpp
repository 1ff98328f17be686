//===- GroupedGemmTest.cpp - grouped_gemm_i8 on the GPU -------------------===//
//
// Every AOT variant of kernels/moe/GroupedGemm.cpp (native and f16_exact,
// per-token and per-token-and-group activation scales, bf16/fp16/f32 out,
// groups of 128, 320 and 1024, int8 and int4 weights, any N with
// divisibility 1) against
// GroupedGemmReference.h bit for bit (KERNELS.md section 5: the numerics
// are exact by construction), on fresh random int8 operands over the whole
// -128..127 range and random positive scales: experts with zero rows, all
// experts empty, 256 experts, rows past the last expert, N = 2880 (not a
// multiple of the tile), padded strides. out is poisoned and every byte is
// compared: the experts' rows must hold the reference's values and every
// other byte (rows of no expert, the padding columns) must stay poisoned.
// Each launch runs twice and must give identical bits. M = 0 launches
// nothing (the runtime refuses an empty grid). The adversarial test puts
// operands at -128/127 (sums up to 2^24, signs that cancel) into groups of
// exactly 1024 and requires native and f16_exact to give the exact dots;
// another decodes every int4 nibble.
//
// The SwiGLU variants (swiglu=1: b's rows [gate | up], out N/2 columns of
// silu(gate) * up) on the same kind of problems, N = 2880 (out 1440) among
// them, each also with scales 4 times larger (gates up to a few hundred:
// exp's overflow and silu's underflow on both sides). The GPU's exp is
// ex2.approx and silu's division approximate, so an element need not be
// bit-exact: each is checked against groupedGemmSwigluAccepts's bound
// (within (min(|g|, 104) + 16) * 2^-23 relative of the reference's f32
// silu(g) * u, plus 2^-100 * (|u| + 1), then rounded to the out type: an
// ulp at a rounding boundary), and at most 1% of bf16/fp16 elements may be
// off at all; every byte outside the experts' rows and out's N/2 columns
// must stay poisoned.
//
//===----------------------------------------------------------------------===//

#include "GpuTest.h"

#include "GroupedGemmParams.h"
#include "GroupedGemmReference.h"

#include "tile/aot/gg_f16exact.h"
#include "tile/aot/gg_f16exact_128x128w8.h"
#include "tile/aot/gg_f16exact_d1.h"
#include "tile/aot/gg_f16exact_f32.h"
#include "tile/aot/gg_f16exact_g1024.h"
#include "tile/aot/gg_f16exact_g320.h"
#include "tile/aot/gg_f16exact_i4_g320.h"
#include "tile/aot/gg_f16exact_pipelined.h"
#include "tile/aot/gg_f16exact_pipelined_bottom_s3.h"
#include "tile/aot/gg_f16exact_swiglu_g512.h"
#include "tile/aot/gg_f16exact_swiglu_g512_k128.h"
#include "tile/aot/gg_f16exact_token_f16.h"
#include "tile/aot/gg_native.h"
#include "tile/aot/gg_native_128x128w8.h"
#include "tile/aot/gg_native_128x128w8_afterdot.h"
#include "tile/aot/gg_native_128x128w8_pipelined.h"
#include "tile/aot/gg_native_128x128w8_pipelined_bottom_s4.h"
#include "tile/aot/gg_f16exact_64x64.h"
#include "tile/aot/gg_f16exact_64x64_p3.h"
#include "tile/aot/gg_f16exact_k32.h"
#include "tile/aot/gg_native_64x64_bottom.h"
#include "tile/aot/gg_native_64x64_bottom_p3.h"
#include "tile/aot/gg_native_d1.h"
#include "tile/aot/gg_native_f16.h"
#include "tile/aot/gg_native_g1024.h"
#include "tile/aot/gg_native_g320.h"
#include "tile/aot/gg_native_i4.h"
#include "tile/aot/gg_native_pipelined.h"
#include "tile/aot/gg_native_swiglu.h"
#include "tile/aot/gg_native_swiglu_128x64w8.h"
#include "tile/aot/gg_native_swiglu_i4_d1.h"
#include "tile/aot/gg_native_token_f32.h"
#include "tile/aot/gg_native_w8_afterdot.h"
#include "tile/aot/gg_f16exact_nsplit1.h"
#include "tile/aot/gg_native_nsplit1.h"
#include "tile/aot/gg_native_wg.h"
#include "tile/aot/gg_native_128x128w8_wg.h"
#include "tile/aot/gg_native_128x128x128w8_wg.h"
#include "tile/aot/gg_native_swiglu_128x64x128w8_wg.h"
#include "tile/aot/gg_native_g2_128x128x128w8_wg.h"
#include "tile/aot/gg_native_swiglu_g2_128x64x128w8_wg.h"
#include "tile/aot/gg_native_g2.h"
#include "tile/aot/gg_f16exact_g2.h"
#include "tile/aot/gg_f16exact_wg.h"
#include "tile/aot/gg_f16exact_128x128x64w8_wg.h"
#include "tile/aot/gg_f16exact_128x128x64w8_wg_ahead.h"
#include "tile/aot/gg_f16exact_swiglu_128x64w8_wg.h"
#include "tile/aot/gg_f16exact_g1024_wg.h"
#include "tile/aot/gg_native_experts.h"
#include "tile/aot/gg_f16exact_experts.h"
#include "tile/aot/gg_native_g2_128x128x128w8_wg_experts.h"
#include "tile/aot/gg_f16exact_128x128x64w8_wg_experts.h"
#include "tile/aot/gg_native_swiglu_i4_experts.h"
#include "tile/aot/gg_native_nsplit2_ahead.h"
#include "tile/aot/gg_f16exact_d1_nsplit2.h"

#include <cmath>
#include <cstring>
#include <numeric>

using namespace tile;
using namespace tile::testing;
using namespace tile::kernels;

namespace {

using Launch = decltype(&aot::gg_native::grouped_gemm_i8);

struct Variant {
  const char *name;
  Launch launch;
  std::map<std::string, std::string> params; // the variant's PARAMS
};

const Variant kVariants[] = {
    {"f16exact", aot::gg_f16exact::grouped_gemm_i8, {}},
    {"native", aot::gg_native::grouped_gemm_i8, {{"precision", "native"}}},
    {"f16exact_token_f16", aot::gg_f16exact_token_f16::grouped_gemm_i8,
     {{"act_scales", "token"}, {"out", "fp16"}}},
    {"native_token_f32", aot::gg_native_token_f32::grouped_gemm_i8,
     {{"precision", "native"}, {"act_scales", "token"}, {"out", "f32"}}},
    {"f16exact_f32", aot::gg_f16exact_f32::grouped_gemm_i8, {{"out", "f32"}}},
    {"native_f16", aot::gg_native_f16::grouped_gemm_i8,
     {{"precision", "native"}, {"out", "fp16"}}},
    {"f16exact_g320", aot::gg_f16exact_g320::grouped_gemm_i8, {{"group", "320"}}},
    {"native_g320", aot::gg_native_g320::grouped_gemm_i8,
     {{"precision", "native"}, {"group", "320"}, {"act_scales", "token"}}},
    {"native_d1", aot::gg_native_d1::grouped_gemm_i8,
     {{"precision", "native"}, {"block_m", "32"}, {"block_n", "64"},
      {"block_k", "32"}, {"divisibility", "1"}}},
    {"f16exact_d1", aot::gg_f16exact_d1::grouped_gemm_i8,
     {{"block_m", "32"}, {"block_n", "64"}, {"block_k", "32"},
      {"divisibility", "1"}, {"out", "f32"}}},
    {"f16exact_g1024", aot::gg_f16exact_g1024::grouped_gemm_i8,
     {{"group", "1024"}, {"act_scales", "token"}, {"out", "f32"}}},
    {"native_g1024", aot::gg_native_g1024::grouped_gemm_i8,
     {{"precision", "native"}, {"group", "1024"}, {"act_scales", "token"},
      {"out", "f32"}}},
    {"native_i4", aot::gg_native_i4::grouped_gemm_i8,
     {{"precision", "native"}, {"weights", "int4"}, {"out", "f32"}}},
    {"f16exact_i4_g320", aot::gg_f16exact_i4_g320::grouped_gemm_i8,
     {{"weights", "int4"}, {"group", "320"}, {"act_scales", "token"}}},
    {"native_128x128w8", aot::gg_native_128x128w8::grouped_gemm_i8,
     {{"precision", "native"}, {"block_m", "128"}, {"block_n", "128"},
      {"num_warps", "8"}}},
    {"f16exact_128x128w8", aot::gg_f16exact_128x128w8::grouped_gemm_i8,
     {{"block_m", "128"}, {"block_n", "128"}, {"num_warps", "8"}}},
    {"native_pipelined", aot::gg_native_pipelined::grouped_gemm_i8,
     {{"precision", "native"}, {"scale_prefetch", "pipelined"},
      {"copies_at", "top"}, {"n_split", "1"}}},
    {"native_128x128w8_pipelined",
     aot::gg_native_128x128w8_pipelined::grouped_gemm_i8,
     {{"precision", "native"}, {"block_m", "128"}, {"block_n", "128"},
      {"num_warps", "8"}, {"scale_prefetch", "pipelined"},
      {"copies_at", "top"}}},
    // f16_exact's auto schedule (scales pipelined, copies at the end, 3
    // stages) on a 64x64 tile and with block_k 32.
    {"f16exact_64x64", aot::gg_f16exact_64x64::grouped_gemm_i8,
     {{"block_n", "64"}}},
    {"f16exact_k32", aot::gg_f16exact_k32::grouped_gemm_i8, {{"block_k", "32"}}},
    {"f16exact_pipelined", aot::gg_f16exact_pipelined::grouped_gemm_i8,
     {{"scale_prefetch", "pipelined"}, {"copies_at", "top"}}},
    // The pipelined K loop's copies issued after the first dot or at the
    // end of the body (copies_at).
    {"native_128x128w8_pipelined_bottom_s4",
     aot::gg_native_128x128w8_pipelined_bottom_s4::grouped_gemm_i8,
     {{"precision", "native"}, {"block_m", "128"}, {"block_n", "128"},
      {"num_warps", "8"}, {"scale_prefetch", "pipelined"},
      {"copies_at", "bottom"}, {"num_stages", "4"}}},
    {"native_128x128w8_afterdot",
     aot::gg_native_128x128w8_afterdot::grouped_gemm_i8,
     {{"precision", "native"}, {"block_m", "128"}, {"block_n", "128"},
      {"num_warps", "8"}, {"scale_prefetch", "ahead"},
      {"copies_at", "after_first_dot"}}},
    {"native_w8_afterdot", aot::gg_native_w8_afterdot::grouped_gemm_i8,
     {{"precision", "native"}, {"num_warps", "8"},
      {"copies_at", "after_first_dot"}}},
    {"native_64x64_bottom", aot::gg_native_64x64_bottom::grouped_gemm_i8,
     {{"precision", "native"}, {"block_n", "64"}, {"copies_at", "bottom"}}},
    {"f16exact_pipelined_bottom_s3",
     aot::gg_f16exact_pipelined_bottom_s3::grouped_gemm_i8,
     {{"scale_prefetch", "pipelined"}, {"copies_at", "bottom"},
      {"num_stages", "3"}, {"n_split", "1"}}},
    // Registers bounded for 3 programs an SM (spills outside the K loop).
    {"native_64x64_bottom_p3", aot::gg_native_64x64_bottom_p3::grouped_gemm_i8,
     {{"precision", "native"}, {"block_n", "64"}, {"copies_at", "bottom"},
      {"min_programs_per_sm", "3"}}},
    {"f16exact_64x64_p3", aot::gg_f16exact_64x64_p3::grouped_gemm_i8,
     {{"block_n", "64"}, {"min_programs_per_sm", "3"},
      {"scale_prefetch", "pipelined"}, {"copies_at", "top"}}},
    // One dot or two column halves against each precision's auto choice,
    // and two halves of a ragged 32x64 tile for any N.
    {"f16exact_nsplit1", aot::gg_f16exact_nsplit1::grouped_gemm_i8,
     {{"n_split", "1"}}},
    {"native_nsplit1", aot::gg_native_nsplit1::grouped_gemm_i8,
     {{"precision", "native"}, {"n_split", "1"}}},
    {"native_nsplit2_ahead", aot::gg_native_nsplit2_ahead::grouped_gemm_i8,
     {{"precision", "native"}, {"n_split", "2"}, {"scale_prefetch", "ahead"}}},
    {"f16exact_d1_nsplit2", aot::gg_f16exact_d1_nsplit2::grouped_gemm_i8,
     {{"block_m", "32"}, {"block_n", "64"}, {"block_k", "32"},
      {"divisibility", "1"}, {"n_split", "2"}, {"act_scales", "token"}}},
    // wgmma (mma=warpgroup).
    {"native_wg", aot::gg_native_wg::grouped_gemm_i8,
     {{"precision", "native"}, {"mma", "warpgroup"}}},
    {"native_128x128w8_wg", aot::gg_native_128x128w8_wg::grouped_gemm_i8,
     {{"precision", "native"}, {"block_m", "128"}, {"block_n", "128"},
      {"num_warps", "8"}, {"mma", "warpgroup"}}},
    {"native_128x128x128w8_wg",
     aot::gg_native_128x128x128w8_wg::grouped_gemm_i8,
     {{"precision", "native"}, {"block_m", "128"}, {"block_n", "128"},
      {"block_k", "128"}, {"num_warps", "8"}, {"scale_prefetch", "pipelined"},
      {"copies_at", "top"}, {"num_stages", "4"}, {"mma", "warpgroup"}}},
    // Two groups a step: odd group counts mask the second off.
    {"native_g2_128x128x128w8_wg",
     aot::gg_native_g2_128x128x128w8_wg::grouped_gemm_i8,
     {{"precision", "native"}, {"block_m", "128"}, {"block_n", "128"},
      {"block_k", "128"}, {"num_warps", "8"}, {"scale_prefetch", "pipelined"},
      {"copies_at", "top"}, {"num_stages", "2"}, {"mma", "warpgroup"},
      {"groups_per_step", "2"}}},
    {"native_g2", aot::gg_native_g2::grouped_gemm_i8,
     {{"precision", "native"}, {"groups_per_step", "2"}}},
    {"f16exact_g2", aot::gg_f16exact_g2::grouped_gemm_i8,
     {{"groups_per_step", "2"}}},
    // f16_exact on wgmma: the int8 tiles widened into f16 buffers, a
    // group's K tiles chained in flight (two halves of the default tile:
    // two chains issued together).
    {"f16exact_wg", aot::gg_f16exact_wg::grouped_gemm_i8,
     {{"mma", "warpgroup"}}},
    {"f16exact_128x128x64w8_wg",
     aot::gg_f16exact_128x128x64w8_wg::grouped_gemm_i8,
     {{"block_m", "128"}, {"block_n", "128"}, {"num_warps", "8"},
      {"scale_prefetch", "pipelined"}, {"copies_at", "after_first_dot"},
      {"num_stages", "3"}, {"shared_immediate_offsets", "on"},
      {"mma", "warpgroup"}}},
    // The tiles widened one iteration ahead (tile-compile --widen-ahead).
    {"f16exact_128x128x64w8_wg_ahead",
     aot::gg_f16exact_128x128x64w8_wg_ahead::grouped_gemm_i8,
     {{"block_m", "128"}, {"block_n", "128"}, {"num_warps", "8"},
      {"scale_prefetch", "pipelined"}, {"copies_at", "top"},
      {"num_stages", "3"}, {"mma", "warpgroup"}}},
    {"f16exact_g1024_wg", aot::gg_f16exact_g1024_wg::grouped_gemm_i8,
     {{"group", "1024"}, {"act_scales", "token"}, {"out", "f32"},
      {"mma", "warpgroup"}}},
    // Tiles within one expert each (tile_schedule=experts): the grid's
    // spare programs return, no tile meets two experts (SwiGLU's below).
    {"native_experts", aot::gg_native_experts::grouped_gemm_i8,
     {{"precision", "native"}, {"tile_schedule", "experts"}}},
    {"f16exact_experts", aot::gg_f16exact_experts::grouped_gemm_i8,
     {{"tile_schedule", "experts"}}},
    {"native_g2_128x128x128w8_wg_experts",
     aot::gg_native_g2_128x128x128w8_wg_experts::grouped_gemm_i8,
     {{"precision", "native"}, {"block_m", "128"}, {"block_n", "128"},
      {"block_k", "128"}, {"num_warps", "8"}, {"scale_prefetch", "pipelined"},
      {"copies_at", "top"}, {"num_stages", "2"}, {"mma", "warpgroup"},
      {"groups_per_step", "2"}, {"tile_schedule", "experts"}}},
    {"f16exact_128x128x64w8_wg_experts",
     aot::gg_f16exact_128x128x64w8_wg_experts::grouped_gemm_i8,
     {{"block_m", "128"}, {"block_n", "128"}, {"num_warps", "8"},
      {"scale_prefetch", "pipelined"}, {"copies_at", "after_first_dot"},
      {"num_stages", "3"}, {"shared_immediate_offsets", "on"},
      {"mma", "warpgroup"}, {"tile_schedule", "experts"}}},
};

/// Rows per expert (empty ones too), rows past the last expert, N, and K in
/// quant groups.
struct Shape {
  const char *name;
  std::vector<int> counts;
  int pad, N, groups;
};

const Shape kShapes[] = {
    {"E4_37_0_64_1_N256", {37, 0, 64, 1}, 0, 256, 2},
    {"E4_N2880", {5, 100, 0, 27}, 0, 2880, 2},
    {"E7_zeros_N200_pad3", {0, 0, 70, 0, 0, 3, 0}, 3, 200, 1},
    {"all_empty_pad5", {0, 0, 0}, 5, 128, 1},
    {"E2_300_129_N384_K4", {300, 129}, 0, 384, 4},
    {"E1_1_N16", {1}, 0, 16, 1},
    {"E3_N33", {17, 2, 40}, 0, 33, 3},
    {"E256", {}, 0, 64, 1}, // 256 experts of 0 to 3 rows, drawn
};

using Case = std::tuple<int, int>; // variant, shape

class GroupedGemmGpu : public ::testing::TestWithParam<Case> {
protected:
  const Variant &variant() const { return kVariants[std::get<0>(GetParam())]; }
  const Shape &shape() const { return kShapes[std::get<1>(GetParam())]; }
  GroupedGemmSpec spec() const {
    return specFrom(groupedGemmParams(), variant().params);
  }
};

/// A positive f32 with a random significand, 2^lo to 2^hi.
float randomScale(std::mt19937 &rng, int lo, int hi) {
  std::uniform_real_distribution<float> mantissa(1.0f, 2.0f);
  std::uniform_int_distribution<int> exponent(lo, hi - 1);
  return std::ldexp(mantissa(rng), exponent(rng));
}

/// The inputs of one problem, on the host.
struct Problem {
  std::vector<int32_t> offsets;
  std::vector<int8_t> a, b;
  std::vector<float> sa, sb;
  int64_t M, N, K, E, lda, ldo;
};

/// Runs `launch` on `p` (out poisoned with 0xff, launched twice) and
/// requires every byte of out to be what the reference writes over the same
/// poison; with swiglu, an element of the experts' rows that is not may
/// still be within groupedGemmSwigluAccepts's bound. Returns (after the
/// failure) on a mismatch.
void runAndCompare(const char *what, Launch launch, const GroupedGemmSpec &s,
                   const Problem &p) {
  const int ob = groupedGemmOutBytes(s);
  const size_t outBytes = size_t(std::max<int64_t>(1, p.M * p.ldo)) * ob;
  std::vector<uint8_t> want(outBytes, 0xff);
  groupedGemmReference(s, p.a.data(), p.offsets.data(), p.E, p.b.data(),
                       p.sa.data(), p.sb.data(), want.data(), p.M, p.N, p.K,
                       p.lda, p.ldo);
  rt::DeviceBuffer da = upload(p.a), db = upload(p.b), doff = upload(p.offsets);
  rt::DeviceBuffer dsa = upload(p.sa), dsb = upload(p.sb);
  rt::DeviceBuffer dout = poisoned<uint8_t>(outBytes, 0xff);
  const uint32_t grid = uint32_t(groupedGemmGrid(s, p.M, p.N, p.E));
  auto go = [&](uint32_t programs) {
    return launch(rt::Dim3{programs}, da.address(), doff.address(),
                  db.address(), dsa.address(), dsb.address(), dout.address(),
                  p.M, p.N, p.K, p.E, p.lda, p.ldo, rt::Stream());
  };
  if (p.M == 0) {
    // No programs: the caller launches nothing, and the runtime refuses an
    // empty grid rather than launch it.
    ASSERT_EQ(grid, 0u);
    EXPECT_EQ(go(0).name(), "TILE_BAD_LAUNCH") << what;
    return;
  }
  ASSERT_NO_FATAL_FAILURE(launchTwice([&] { return go(grid); }, {{dout, 0xff}}))
      << what;
  std::vector<uint8_t> got = download<uint8_t>(dout, outBytes);
  const int64_t outN = groupedGemmOutCols(s, p.N);
  int64_t compared = 0, inexact = 0;
  for (int64_t m = 0; m < p.M; ++m)
    for (int64_t n = 0; n < p.ldo; ++n) {
      size_t at = size_t(m * p.ldo + n) * ob;
      bool real = m >= p.offsets[0] && m < p.offsets[p.E] && n < outN;
      compared += real;
      if (std::memcmp(&got[at], &want[at], ob) == 0)
        continue;
      if (!real)
        FAIL() << what << ": out[" << m << ", " << n
               << "] is outside every expert's rows and was written";
      const float value = groupedGemmLoad(s, got.data(), m * p.ldo + n);
      std::string gateUp;
      if (s.swiglu) {
        // The GPU's exp: within the bound of the reference's value?
        int64_t e = groupedGemmExpertOf(p.offsets.data(), p.E, m);
        auto acc = [&](int64_t row) {
          return groupedGemmAccumulator(s, p.a.data(), p.b.data(),
                                        p.sa.data(), p.sb.data(), m, e, row,
                                        p.N, p.K, p.lda);
        };
        const float g = acc(n), u = acc(p.N / 2 + n);
        if (groupedGemmSwigluAccepts(s, g, u, value)) {
          ++inexact;
          continue;
        }
        gateUp = ", gate " + std::to_string(g) + ", up " + std::to_string(u) +
                 ": outside the bound of the GPU's exp";
      }
      FAIL() << what << ": out[" << m << ", " << n << "] is " << value
             << " instead of "
             << groupedGemmLoad(s, want.data(), m * p.ldo + n) << gateUp
             << " (M = " << p.M << ", N = " << p.N << ", K = " << p.K
             << ", E = " << p.E << ")";
    }
  if (s.swiglu) {
    // Off by an ulp only at a rounding boundary of the out type: rare for
    // the 16-bit types (f32 keeps the GPU's own last bits).
    ::testing::Test::RecordProperty(
        "inexact", std::to_string(inexact) + " of " + std::to_string(compared));
    if (s.out != GroupedGemmOut::F32)
      EXPECT_LE(inexact, compared / 100 + 1)
          << what << ": " << inexact << " of " << compared
          << " elements are not bit-exact";
  }
}

/// A problem of shape `sh` for spec `s` on fresh random operands: int8
/// over -128..127, scales of 2^-9 to 2^-6 (times 2^scaleShift), padded
/// strides as wide as the spec's divisibility allows.
Problem drawProblem(const GroupedGemmSpec &s, const Shape &sh,
                    std::mt19937 &rng, int scaleShift = 0) {
  Problem p;
  std::vector<int> counts = sh.counts;
  if (counts.empty()) {
    std::uniform_int_distribution<int> rows(0, 3);
    counts.resize(256);
    for (int &c : counts)
      c = rows(rng);
  }
  p.E = int64_t(counts.size());
  p.offsets.assign(p.E + 1, 0);
  for (int64_t e = 0; e < p.E; ++e)
    p.offsets[e + 1] = p.offsets[e] + counts[e];
  p.M = p.offsets[p.E] + sh.pad;
  p.N = sh.N;
  p.K = int64_t(sh.groups) * s.group;
  // Padded rows, as wide as the variant's divisibility allows.
  const int d = s.divisibility;
  auto roundUp = [&](int64_t v) { return (v + d - 1) / d * d; };
  p.lda = roundUp(p.K + 16);
  p.ldo = roundUp(groupedGemmOutCols(s, p.N) + 8);
  std::uniform_int_distribution<int> byte(-128, 127);
  p.a.resize(size_t(std::max<int64_t>(1, p.M * p.lda)));
  p.b.resize(size_t(groupedGemmWeightBytes(s, p.E, p.N, p.K)));
  for (int8_t &v : p.a)
    v = int8_t(byte(rng));
  for (int8_t &v : p.b)
    v = int8_t(byte(rng));
  const int64_t G = p.K / s.group;
  p.sa.resize(size_t(std::max<int64_t>(1, p.M * actScalesPerRow(s, p.K))));
  p.sb.resize(size_t(p.E * p.N * G));
  for (float &v : p.sa)
    v = randomScale(rng, -9 + scaleShift, -6 + scaleShift);
  for (float &v : p.sb)
    v = randomScale(rng, -9 + scaleShift, -6 + scaleShift);
  return p;
}

/// Draws a problem of shape `sh` for the variant and checks it; a shape
/// whose N (out's N/2 columns with swiglu) or K the variant's divisibility
/// does not divide must be refused at launch.
void drawRunAndCompare(const Variant &v, const Shape &sh, int scaleShift = 0) {
  const GroupedGemmSpec s = specFrom(groupedGemmParams(), v.params);
  std::mt19937 rng(freshSeed());
  Problem p = drawProblem(s, sh, rng, scaleShift);
  const int d = s.divisibility;
  // With swiglu N's hint is 2d (d dividing out's N / 2 columns): an odd N
  // is refused whatever d.
  const bool nRefused = s.swiglu ? p.N % (2 * d) != 0 : p.N % d != 0;
  if (nRefused || p.K % d != 0) {
    // The variant assumes d divides N (N / 2 with swiglu) and K: the launch
    // must refuse.
    rt::DeviceBuffer dummy = poisoned<uint8_t>(64);
    rt::Status status = v.launch(
        rt::Dim3{1}, dummy.address(), dummy.address(), dummy.address(),
        dummy.address(), dummy.address(), dummy.address(), p.M, p.N, p.K, p.E,
        p.lda, p.ldo, rt::Stream());
    EXPECT_EQ(status.name(), "TILE_BAD_ARGUMENTS")
        << v.name << " took N = " << p.N << " with divisibility " << d;
    return;
  }
  runAndCompare(v.name, v.launch, s, p);
}

TEST_P(GroupedGemmGpu, MatchesReferenceBitExactly) {
  TILE_REQUIRE_GPU();
  drawRunAndCompare(variant(), shape());
}

std::string caseName(const ::testing::TestParamInfo<Case> &info) {
  return std::string(kVariants[std::get<0>(info.param)].name) + "_" +
         kShapes[std::get<1>(info.param)].name;
}

INSTANTIATE_TEST_SUITE_P(
    Variants, GroupedGemmGpu,
    ::testing::Combine(::testing::Range(0, int(std::size(kVariants))),
                       ::testing::Range(0, int(std::size(kShapes)))),
    caseName);

// The SwiGLU variants: b's N rows are [gate | up], out has N / 2 columns.
const Variant kSwigluVariants[] = {
    {"native_swiglu", aot::gg_native_swiglu::grouped_gemm_i8,
     {{"precision", "native"}, {"swiglu", "1"}, {"block_n", "64"},
      {"num_warps", "8"}, {"out", "f32"}}},
    {"f16exact_swiglu_g512", aot::gg_f16exact_swiglu_g512::grouped_gemm_i8,
     {{"swiglu", "1"}, {"group", "512"}, {"block_n", "64"},
      {"num_warps", "8"}}},
    {"native_swiglu_128x64w8", aot::gg_native_swiglu_128x64w8::grouped_gemm_i8,
     {{"precision", "native"}, {"swiglu", "1"}, {"block_m", "128"},
      {"block_n", "64"}, {"num_warps", "8"}}},
    {"f16exact_swiglu_g512_k128",
     aot::gg_f16exact_swiglu_g512_k128::grouped_gemm_i8,
     {{"swiglu", "1"}, {"group", "512"}, {"block_n", "64"}, {"num_warps", "8"},
      {"block_k", "128"}}},
    {"native_swiglu_128x64x128w8_wg",
     aot::gg_native_swiglu_128x64x128w8_wg::grouped_gemm_i8,
     {{"precision", "native"}, {"swiglu", "1"}, {"block_m", "128"},
      {"block_n", "64"}, {"block_k", "128"}, {"num_warps", "8"},
      {"scale_prefetch", "pipelined"}, {"copies_at", "top"},
      {"num_stages", "3"}, {"mma", "warpgroup"}}},
    {"native_swiglu_g2_128x64x128w8_wg",
     aot::gg_native_swiglu_g2_128x64x128w8_wg::grouped_gemm_i8,
     {{"precision", "native"}, {"swiglu", "1"}, {"block_m", "128"},
      {"block_n", "64"}, {"block_k", "128"}, {"num_warps", "8"},
      {"scale_prefetch", "pipelined"}, {"copies_at", "top"},
      {"num_stages", "3"}, {"mma", "warpgroup"}, {"groups_per_step", "2"}}},
    {"f16exact_swiglu_128x64w8_wg",
     aot::gg_f16exact_swiglu_128x64w8_wg::grouped_gemm_i8,
     {{"swiglu", "1"}, {"block_m", "128"}, {"block_n", "64"},
      {"num_warps", "8"}, {"mma", "warpgroup"}}},
    {"native_swiglu_i4_d1", aot::gg_native_swiglu_i4_d1::grouped_gemm_i8,
     {{"precision", "native"}, {"weights", "int4"}, {"swiglu", "1"},
      {"block_m", "32"}, {"block_n", "32"}, {"block_k", "32"},
      {"divisibility", "1"}, {"out", "fp16"}, {"act_scales", "token"}}},
    // Tiles within one expert each (tile_schedule=experts).
    {"native_swiglu_i4_experts", aot::gg_native_swiglu_i4_experts::grouped_gemm_i8,
     {{"precision", "native"}, {"swiglu", "1"}, {"weights", "int4"},
      {"block_n", "64"}, {"num_warps", "8"}, {"tile_schedule", "experts"}}},
};

/// N counts b's rows (gate and up): out has N / 2 columns.
const Shape kSwigluShapes[] = {
    {"E4_N2880", {5, 100, 0, 27}, 0, 2880, 2},  // out 1440 columns
    {"E4_37_0_64_1_N256", {37, 0, 64, 1}, 0, 256, 2},
    {"E7_zeros_N200_pad3", {0, 0, 70, 0, 0, 3, 0}, 3, 200, 1}, // out 100
    {"all_empty_pad5", {0, 0, 0}, 5, 128, 1},
    {"E2_300_129_N384_K3", {300, 129}, 0, 384, 3},
    {"E1_1_N64", {1}, 0, 64, 1},
    {"E3_N66", {17, 2, 40}, 0, 66, 2}, // out 33 columns: N / 2 odd
    {"E256", {}, 0, 128, 1},
};

using SwigluCase = std::tuple<int, int, int>; // variant, shape, scale shift

class GroupedGemmSwigluGpu : public ::testing::TestWithParam<SwigluCase> {};

TEST_P(GroupedGemmSwigluGpu, WithinTheBoundOfTheGpusExp) {
  TILE_REQUIRE_GPU();
  drawRunAndCompare(kSwigluVariants[std::get<0>(GetParam())],
                    kSwigluShapes[std::get<1>(GetParam())],
                    std::get<2>(GetParam()));
}

std::string swigluCaseName(const ::testing::TestParamInfo<SwigluCase> &info) {
  return std::string(kSwigluVariants[std::get<0>(info.param)].name) + "_" +
         kSwigluShapes[std::get<1>(info.param)].name +
         (std::get<2>(info.param) ? "_wide_scales" : "");
}

// Scales of 2^-9 to 2^-6 (gates of a few units: silu's curve), and 4
// times larger (gates up to a few hundred: exp's overflow on both sides).
INSTANTIATE_TEST_SUITE_P(
    Variants, GroupedGemmSwigluGpu,
    ::testing::Combine(::testing::Range(0, int(std::size(kSwigluVariants))),
                       ::testing::Range(0, int(std::size(kSwigluShapes))),
                       ::testing::Values(0, 2)),
    swigluCaseName);

/// M = 0 (every expert empty and no padding rows): no programs, no launch,
/// out untouched.
TEST(GroupedGemmGpuEdges, NoRowsLaunchesNothing) {
  TILE_REQUIRE_GPU();
  Problem p;
  p.offsets = {0, 0, 0};
  p.E = 2;
  p.M = 0;
  p.N = 256;
  p.K = 256;
  p.lda = p.K;
  p.ldo = p.N;
  p.b.assign(size_t(p.E * p.N * p.K), 1);
  p.a.assign(1, 0);
  p.sa.assign(1, 1.0f);
  p.sb.assign(size_t(p.E * p.N * 2), 1.0f);
  GroupedGemmSpec s;
  runAndCompare("native, M = 0", aot::gg_native::grouped_gemm_i8,
                specFrom(groupedGemmParams(), {{"precision", "native"}}), p);
  runAndCompare("f16_exact, M = 0", aot::gg_f16exact::grouped_gemm_i8, s, p);
}

// int4 weights: every byte value in b (along K), one-hot rows of a, scales
// of 1: out[m, 2i] is the low nibble of byte m as -8..7, out[m, 2i + 1] the
// high one; with the reference's values spelled out.
TEST(GroupedGemmGpuInt4, EveryNibbleDecodes) {
  TILE_REQUIRE_GPU();
  const GroupedGemmSpec s = specFrom(
      groupedGemmParams(),
      {{"precision", "native"}, {"weights", "int4"}, {"out", "f32"}});
  Problem p;
  p.E = 2;
  p.M = 256;
  p.offsets = {0, 100, 256};
  p.N = 32;
  p.K = 256;
  p.lda = p.K;
  p.ldo = p.N;
  p.a.assign(size_t(p.M * p.K), 0);
  for (int m = 0; m < p.M; ++m)
    p.a[size_t(m) * p.K + m] = 1;
  p.b.resize(size_t(groupedGemmWeightBytes(s, p.E, p.N, p.K)));
  for (size_t i = 0; i < p.b.size(); ++i)
    p.b[i] = int8_t(uint8_t(i % p.K)); // byte k at [e, i, k]
  p.sa.assign(size_t(p.M * (p.K / s.group)), 1.0f);
  p.sb.assign(size_t(p.E * p.N * (p.K / s.group)), 1.0f);
  std::vector<float> want(size_t(p.M * p.N));
  groupedGemmReference(s, p.a.data(), p.offsets.data(), p.E, p.b.data(),
                       p.sa.data(), p.sb.data(), want.data(), p.M, p.N, p.K,
                       p.lda, p.ldo);
  for (int m = 0; m < p.M; ++m)
    for (int n = 0; n < p.N; ++n) {
      int nibble = n % 2 == 0 ? m & 15 : m >> 4;
      ASSERT_EQ(want[size_t(m) * p.N + n], float(nibble < 8 ? nibble : nibble - 16))
          << m << ", " << n;
    }
  runAndCompare("int4 nibbles", aot::gg_native_i4::grouped_gemm_i8, s, p);
}

// KERNELS.md section 5: f16_exact is exact while a chain holds at most 1024
// int8 products (partial sums up to 1024 * 2^14 = 2^24), and must give the
// same group dots as native. Adversarial operands at the bound (every
// product +-16384 or +-16129, signs that cancel), groups of exactly 1024,
// scales of 1 so that out (f32) holds the dot itself for K = 1024, and the
// f32 sum of two group dots for K = 2048; the rows split among 3 experts.
struct AdversarialCase {
  const char *name;
  std::function<int(int m, int k)> a;
  std::function<int(int n, int k)> b;
};

TEST(GroupedGemmGpuExactness, F16ExactEqualsNativeAtTheChainBound) {
  TILE_REQUIRE_GPU();
  std::mt19937 rng(freshSeed());
  std::uniform_int_distribution<int> coin(0, 1);
  std::vector<int> randomSigns(2048 * 67);
  for (int &v : randomSigns)
    v = coin(rng) ? 127 : -128;
  const AdversarialCase cases[] = {
      {"all -128 x -128 (group dots 2^24)", [](int, int) { return -128; },
       [](int, int) { return -128; }},
      {"-128 x 127", [](int, int) { return -128; }, [](int, int) { return 127; }},
      {"127 x 127", [](int, int) { return 127; }, [](int, int) { return 127; }},
      {"alternating signs that cancel",
       [](int, int k) { return k % 2 ? 127 : -128; }, [](int, int) { return -128; }},
      {"half the chain up, half down",
       [](int, int k) { return (k % 1024) < 512 ? -128 : 127; },
       [](int n, int) { return n % 2 ? 127 : -128; }},
      {"random -128 / 127",
       [&](int m, int k) { return randomSigns[(m * 2048 + k) % randomSigns.size()]; },
       [&](int n, int k) {
         return randomSigns[(n * 2048 + k + 7) % randomSigns.size()];
       }},
  };
  const GroupedGemmSpec native = specFrom(
      groupedGemmParams(), {{"precision", "native"}, {"group", "1024"},
                            {"act_scales", "token"}, {"out", "f32"}});
  const GroupedGemmSpec exact = specFrom(
      groupedGemmParams(),
      {{"group", "1024"}, {"act_scales", "token"}, {"out", "f32"}});
  const GroupedGemmSpec exactWgmma = specFrom(
      groupedGemmParams(), {{"group", "1024"}, {"act_scales", "token"},
                            {"out", "f32"}, {"mma", "warpgroup"}});
  for (int K : {1024, 2048})
    for (const AdversarialCase &c : cases) {
      Problem p;
      p.offsets = {0, 20, 20, 67};
      p.E = 3;
      p.M = 67;
      p.N = 48;
      p.K = K;
      p.lda = K;
      p.ldo = p.N;
      p.a.resize(size_t(p.M * K));
      p.b.resize(size_t(p.E * p.N * K));
      for (int m = 0; m < p.M; ++m)
        for (int k = 0; k < K; ++k)
          p.a[size_t(m) * K + k] = int8_t(c.a(m, k));
      for (int e = 0; e < p.E; ++e)
        for (int n = 0; n < p.N; ++n)
          for (int k = 0; k < K; ++k)
            p.b[(size_t(e) * p.N + n) * K + k] = int8_t(c.b(n + 5 * e, k));
      p.sa.assign(size_t(p.M), 1.0f);
      p.sb.assign(size_t(p.E * p.N * (K / 1024)), 1.0f);
      if (K == 1024) {
        // out holds the group dot exactly: check the reference says so.
        GroupedGemmSpec s = native;
        std::vector<float> ref(size_t(p.M * p.N));
        groupedGemmReference(s, p.a.data(), p.offsets.data(), p.E, p.b.data(),
                             p.sa.data(), p.sb.data(), ref.data(), p.M, p.N,
                             p.K, p.lda, p.ldo);
        ASSERT_EQ(double(ref[0]),
                  double(groupedGemmGroupDot(native, p.a.data(), p.b.data(), 0, 0, 0,
                                             0, 1024, p.N, p.K, p.lda)))
            << c.name;
      }
      std::string what = std::string(c.name) + ", K = " + std::to_string(K);
      ASSERT_NO_FATAL_FAILURE(runAndCompare(
          (what + ", native").c_str(), aot::gg_native_g1024::grouped_gemm_i8,
          native, p));
      ASSERT_NO_FATAL_FAILURE(runAndCompare(
          (what + ", f16_exact").c_str(),
          aot::gg_f16exact_g1024::grouped_gemm_i8, exact, p));
      ASSERT_NO_FATAL_FAILURE(runAndCompare(
          (what + ", f16_exact on wgmma").c_str(),
          aot::gg_f16exact_g1024_wg::grouped_gemm_i8, exactWgmma, p));
    }
}

} // namespace
