//===- GroupedGemmBench.cpp - tile-bench cases for grouped_gemm_i8 --------===//
//
// KERNELS.md section 5's benchmark shape: E = 16 experts of 512 rows, N =
// 4096, K = 7168, Gk = 128, native and f16_exact, in TOP/s (2 M N K per
// problem), each with its auto schedule (scale_prefetch, copies_at,
// num_stages: GroupedGemmSpec.h) unless a row names another: the default
// 64x128 tile on 4 warps (it spills) and on 8 (it does not), a 128x128
// tile of 8 warps, a 64x64 tile, and block_k 32; native's default and
// 128x128 tiles with scale_prefetch=pipelined, and f16_exact's with its
// scales pipelined and the copies at the top; the tiles where copies_at
// other than auto's measured faster (the fastest native: 128x128 w8, scales
// pipelined, copies at the end, 4 stages; f16_exact's auto schedule
// spelled out); the 64x64 tiles with 3 programs an SM
// (min_programs_per_sm: ptxas keeps 168 registers, not 220-234); the
// f16_exact default tile in one dot (n_split=1; its auto is two column
// halves) and native's with its scales pipelined in two; and the
// SwiGLU variants (b's N = 4096 rows as [gate | up], out 2048 columns; the
// same FLOPs) on their 64x64 tiles of 8 warps, and the fastest SwiGLU tiles
// (native 128x64 w8; f16_exact's group of 512 at block_k 128).
// Operands are random int8 over the whole range (never zeros), scales random
// and positive; a GEMM reuses its operands from L2 by design, so no
// rotation.
//
//===----------------------------------------------------------------------===//

#include "Bench.h"
#include "GroupedGemmParams.h"

#include "tile/aot/gg_f16exact.h"
#include "tile/aot/gg_f16exact_128x128w8.h"
#include "tile/aot/gg_f16exact_64x64.h"
#include "tile/aot/gg_f16exact_64x64_p3.h"
#include "tile/aot/gg_f16exact_k32.h"
#include "tile/aot/gg_f16exact_pipelined.h"
#include "tile/aot/gg_f16exact_pipelined_bottom_s3.h"
#include "tile/aot/gg_f16exact_swiglu_g512.h"
#include "tile/aot/gg_f16exact_swiglu_g512_k128.h"
#include "tile/aot/gg_f16exact_w8.h"
#include "tile/aot/gg_native.h"
#include "tile/aot/gg_native_128x128w8.h"
#include "tile/aot/gg_native_128x128w8_afterdot.h"
#include "tile/aot/gg_native_128x128w8_pipelined.h"
#include "tile/aot/gg_native_128x128w8_pipelined_bottom_s4.h"
#include "tile/aot/gg_native_64x64.h"
#include "tile/aot/gg_native_64x64_bottom.h"
#include "tile/aot/gg_native_64x64_bottom_p3.h"
#include "tile/aot/gg_native_k32.h"
#include "tile/aot/gg_native_pipelined.h"
#include "tile/aot/gg_native_swiglu.h"
#include "tile/aot/gg_native_swiglu_128x64w8.h"
#include "tile/aot/gg_native_w8.h"
#include "tile/aot/gg_native_w8_afterdot.h"
#include "tile/aot/gg_f16exact_nsplit1.h"
#include "tile/aot/gg_native_nsplit1.h"
#include "tile/aot/gg_native_wg.h"
#include "tile/aot/gg_native_128x128w8_wg.h"
#include "tile/aot/gg_native_128x128x128w8_wg.h"
#include "tile/aot/gg_native_g2_128x128x128w8_wg.h"
#include "tile/aot/gg_native_swiglu_g2_128x64x128w8_wg.h"
#include "tile/aot/gg_native_g2.h"
#include "tile/aot/gg_f16exact_g2.h"
#include "tile/aot/gg_native_swiglu_128x64x128w8_wg.h"
#include "tile/aot/gg_f16exact_wg.h"
#include "tile/aot/gg_f16exact_128x128x64w8_wg.h"
#include "tile/aot/gg_f16exact_128x128x64w8_wg_ahead.h"
#include "tile/aot/gg_f16exact_swiglu_128x64w8_wg.h"
#include "tile/aot/gg_native_experts.h"
#include "tile/aot/gg_f16exact_experts.h"
#include "tile/aot/gg_native_g2_128x128x128w8_wg_experts.h"
#include "tile/aot/gg_f16exact_128x128x64w8_wg_experts.h"

#include <cmath>
#include <random>

using namespace tile;
using namespace tile::kernels;

namespace {

using Launch = decltype(&aot::gg_native::grouped_gemm_i8);

rt::Status groupedGemm(bench::BenchContext &ctx, const char *name,
                       Launch launch, const GroupedGemmSpec &spec, int E,
                       int rowsPerExpert, int N, int K) {
  const int64_t M = int64_t(E) * rowsPerExpert, G = K / spec.group;
  std::mt19937 rng(11);
  std::vector<int8_t> a = bench::randomBytes(size_t(M) * K, 11),
                      b = bench::randomBytes(size_t(E) * N * K, 12);
  std::vector<int32_t> offsets(E + 1);
  for (int e = 0; e <= E; ++e)
    offsets[e] = e * rowsPerExpert;
  std::uniform_real_distribution<float> scale(0.001f, 0.01f);
  std::vector<float> sa(size_t(M * actScalesPerRow(spec, K))),
      sb(size_t(E) * N * G);
  for (float &v : sa)
    v = scale(rng);
  for (float &v : sb)
    v = scale(rng);
  auto da = bench::allocateSets(1, a.size(), a.data());
  auto db = bench::allocateSets(1, b.size(), b.data());
  auto doff = bench::allocateSets(1, offsets.size() * 4, offsets.data());
  auto dsa = bench::allocateSets(1, sa.size() * 4, sa.data());
  auto dsb = bench::allocateSets(1, sb.size() * 4, sb.data());
  auto dout = bench::allocateSets(1, size_t(M) * N * groupedGemmOutBytes(spec));
  for (auto *r : {&da, &db, &doff, &dsa, &dsb, &dout})
    if (!*r)
      return r->status();
  const uint32_t grid = uint32_t(groupedGemmGrid(spec, M, N, E));
  auto m = ctx.time([&](int, const rt::Stream &stream) {
    return launch(rt::Dim3{grid}, (*da)[0].address(), (*doff)[0].address(),
                  (*db)[0].address(), (*dsa)[0].address(), (*dsb)[0].address(),
                  (*dout)[0].address(), M, N, K, E, K, N, stream);
  });
  if (!m)
    return m.status();
  ctx.reportFlops(name,
                  "E=" + std::to_string(E) + "x" + std::to_string(rowsPerExpert) +
                      " N=" + std::to_string(N) + " K=" + std::to_string(K) +
                      " Gk=" + std::to_string(spec.group),
                  m->medianUs, 2.0 * double(M) * N * K);
  return rt::Status::ok();
}

GroupedGemmSpec specOf(std::map<std::string, std::string> params) {
  return specFrom(groupedGemmParams(), params);
}

/// A compiled variant: its name in the table, its kernel and parameters.
struct Variant {
  const char *name;
  Launch launch;
  std::map<std::string, std::string> params;
};

rt::Status runAll(bench::BenchContext &ctx, const std::vector<Variant> &all) {
  for (const Variant &v : all)
    if (rt::Status s = groupedGemm(ctx, v.name, v.launch, specOf(v.params), 16,
                                   512, 4096, 7168);
        !s)
      return s;
  return rt::Status::ok();
}

rt::Status native(bench::BenchContext &ctx) {
  using P = std::map<std::string, std::string>;
  return runAll(
      ctx,
      {{"grouped_gemm_i8 native 64x128x64 w4", aot::gg_native::grouped_gemm_i8,
        P{{"precision", "native"}}},
       {"grouped_gemm_i8 native 64x128x64 w8",
        aot::gg_native_w8::grouped_gemm_i8,
        P{{"precision", "native"}, {"num_warps", "8"}}},
       {"grouped_gemm_i8 native 128x128x64 w8",
        aot::gg_native_128x128w8::grouped_gemm_i8,
        P{{"precision", "native"},
          {"block_m", "128"},
          {"block_n", "128"},
          {"num_warps", "8"}}},
       {"grouped_gemm_i8 native 64x64x64 w4",
        aot::gg_native_64x64::grouped_gemm_i8,
        P{{"precision", "native"}, {"block_n", "64"}}},
       {"grouped_gemm_i8 native 64x128x32 w4",
        aot::gg_native_k32::grouped_gemm_i8,
        P{{"precision", "native"}, {"block_k", "32"}}},
       {"grouped_gemm_i8 native 64x128x64 w4 scales pipelined copies top "
        "one dot",
        aot::gg_native_pipelined::grouped_gemm_i8,
        P{{"precision", "native"},
          {"scale_prefetch", "pipelined"},
          {"copies_at", "top"},
          {"n_split", "1"}}},
       {"grouped_gemm_i8 native 128x128x64 w8 scales pipelined copies top",
        aot::gg_native_128x128w8_pipelined::grouped_gemm_i8,
        P{{"precision", "native"},
          {"block_m", "128"},
          {"block_n", "128"},
          {"num_warps", "8"},
          {"scale_prefetch", "pipelined"},
          {"copies_at", "top"}}},
       {"grouped_gemm_i8 native 128x128x64 w8 scales pipelined copies bottom "
        "4 stages",
        aot::gg_native_128x128w8_pipelined_bottom_s4::grouped_gemm_i8,
        P{{"precision", "native"},
          {"block_m", "128"},
          {"block_n", "128"},
          {"num_warps", "8"},
          {"scale_prefetch", "pipelined"},
          {"copies_at", "bottom"},
          {"num_stages", "4"}}},
       {"grouped_gemm_i8 native 128x128x64 w8 scales ahead copies after_first_dot",
        aot::gg_native_128x128w8_afterdot::grouped_gemm_i8,
        P{{"precision", "native"},
          {"block_m", "128"},
          {"block_n", "128"},
          {"num_warps", "8"},
          {"scale_prefetch", "ahead"},
          {"copies_at", "after_first_dot"}}},
       {"grouped_gemm_i8 native 64x128x64 w8 copies after_first_dot",
        aot::gg_native_w8_afterdot::grouped_gemm_i8,
        P{{"precision", "native"},
          {"num_warps", "8"},
          {"copies_at", "after_first_dot"}}},
       {"grouped_gemm_i8 native 64x64x64 w4 copies bottom",
        aot::gg_native_64x64_bottom::grouped_gemm_i8,
        P{{"precision", "native"},
          {"block_n", "64"},
          {"copies_at", "bottom"}}},
       {"grouped_gemm_i8 native 64x64x64 w4 copies bottom 3 programs/SM",
        aot::gg_native_64x64_bottom_p3::grouped_gemm_i8,
        P{{"precision", "native"},
          {"block_n", "64"},
          {"copies_at", "bottom"},
          {"min_programs_per_sm", "3"}}},
       {"grouped_gemm_i8 native 64x128x64 w4 one dot (n_split 1)",
        aot::gg_native_nsplit1::grouped_gemm_i8,
        P{{"precision", "native"}, {"n_split", "1"}}},
       {"grouped_gemm_i8 native 64x128x64 w4 wgmma",
        aot::gg_native_wg::grouped_gemm_i8,
        P{{"precision", "native"}, {"mma", "warpgroup"}}},
       {"grouped_gemm_i8 native 128x128x64 w8 wgmma",
        aot::gg_native_128x128w8_wg::grouped_gemm_i8,
        P{{"precision", "native"},
          {"block_m", "128"},
          {"block_n", "128"},
          {"num_warps", "8"},
          {"mma", "warpgroup"}}},
       {"grouped_gemm_i8 native 128x128x128 w8 scales pipelined copies top "
        "4 stages wgmma",
        aot::gg_native_128x128x128w8_wg::grouped_gemm_i8,
        P{{"precision", "native"},
          {"block_m", "128"},
          {"block_n", "128"},
          {"block_k", "128"},
          {"num_warps", "8"},
          {"scale_prefetch", "pipelined"},
          {"copies_at", "top"},
          {"num_stages", "4"},
          {"mma", "warpgroup"}}},
       {"grouped_gemm_i8 native 128x128x128 w8 scales pipelined copies top "
        "2 stages wgmma 2 groups a step",
        aot::gg_native_g2_128x128x128w8_wg::grouped_gemm_i8,
        P{{"precision", "native"},
          {"block_m", "128"},
          {"block_n", "128"},
          {"block_k", "128"},
          {"num_warps", "8"},
          {"scale_prefetch", "pipelined"},
          {"copies_at", "top"},
          {"num_stages", "2"},
          {"mma", "warpgroup"},
          {"groups_per_step", "2"}}},
       {"grouped_gemm_i8 native 64x128x64 w4 2 groups a step",
        aot::gg_native_g2::grouped_gemm_i8,
        P{{"precision", "native"}, {"groups_per_step", "2"}}}});
}

rt::Status f16Exact(bench::BenchContext &ctx) {
  using P = std::map<std::string, std::string>;
  return runAll(
      ctx,
      {{"grouped_gemm_i8 f16_exact 64x128x64 w4",
        aot::gg_f16exact::grouped_gemm_i8, P{}},
       {"grouped_gemm_i8 f16_exact 64x128x64 w4 wgmma",
        aot::gg_f16exact_wg::grouped_gemm_i8, P{{"mma", "warpgroup"}}},
       {"grouped_gemm_i8 f16_exact 128x128x64 w8 scales pipelined copies "
        "after_first_dot 3 stages immediate offsets wgmma",
        aot::gg_f16exact_128x128x64w8_wg::grouped_gemm_i8,
        P{{"block_m", "128"},
          {"block_n", "128"},
          {"num_warps", "8"},
          {"scale_prefetch", "pipelined"},
          {"copies_at", "after_first_dot"},
          {"num_stages", "3"},
          {"shared_immediate_offsets", "on"},
          {"mma", "warpgroup"}}},
       {"grouped_gemm_i8 f16_exact 128x128x64 w8 scales pipelined copies top "
        "3 stages wgmma widened ahead",
        aot::gg_f16exact_128x128x64w8_wg_ahead::grouped_gemm_i8,
        P{{"block_m", "128"},
          {"block_n", "128"},
          {"num_warps", "8"},
          {"scale_prefetch", "pipelined"},
          {"copies_at", "top"},
          {"num_stages", "3"},
          {"mma", "warpgroup"}}},
       {"grouped_gemm_i8 f16_exact 64x128x64 w4 2 groups a step",
        aot::gg_f16exact_g2::grouped_gemm_i8, P{{"groups_per_step", "2"}}},
       {"grouped_gemm_i8 f16_exact 64x128x64 w4 one dot (n_split 1)",
        aot::gg_f16exact_nsplit1::grouped_gemm_i8, P{{"n_split", "1"}}},
       {"grouped_gemm_i8 f16_exact 64x128x64 w8",
        aot::gg_f16exact_w8::grouped_gemm_i8, P{{"num_warps", "8"}}},
       {"grouped_gemm_i8 f16_exact 128x128x64 w8",
        aot::gg_f16exact_128x128w8::grouped_gemm_i8,
        P{{"block_m", "128"}, {"block_n", "128"}, {"num_warps", "8"}}},
       {"grouped_gemm_i8 f16_exact 64x64x64 w4",
        aot::gg_f16exact_64x64::grouped_gemm_i8, P{{"block_n", "64"}}},
       {"grouped_gemm_i8 f16_exact 64x64x64 w4 3 programs/SM scales pipelined copies top",
        aot::gg_f16exact_64x64_p3::grouped_gemm_i8,
        P{{"block_n", "64"},
          {"min_programs_per_sm", "3"},
          {"scale_prefetch", "pipelined"},
          {"copies_at", "top"}}},
       {"grouped_gemm_i8 f16_exact 64x128x32 w4",
        aot::gg_f16exact_k32::grouped_gemm_i8, P{{"block_k", "32"}}},
       {"grouped_gemm_i8 f16_exact 64x128x64 w4 scales pipelined copies top",
        aot::gg_f16exact_pipelined::grouped_gemm_i8,
        P{{"scale_prefetch", "pipelined"}, {"copies_at", "top"}}},
       {"grouped_gemm_i8 f16_exact 64x128x64 w4 scales pipelined copies "
        "bottom 3 stages one dot",
        aot::gg_f16exact_pipelined_bottom_s3::grouped_gemm_i8,
        P{{"scale_prefetch", "pipelined"},
          {"copies_at", "bottom"},
          {"num_stages", "3"},
          {"n_split", "1"}}}});
}

rt::Status swiglu(bench::BenchContext &ctx) {
  using P = std::map<std::string, std::string>;
  return runAll(
      ctx,
      {{"grouped_gemm_i8 native swiglu f32 64x64x64 w8",
        aot::gg_native_swiglu::grouped_gemm_i8,
        P{{"precision", "native"}, {"swiglu", "1"}, {"block_n", "64"},
          {"num_warps", "8"}, {"out", "f32"}}},
       {"grouped_gemm_i8 native swiglu 128x64x64 w8",
        aot::gg_native_swiglu_128x64w8::grouped_gemm_i8,
        P{{"precision", "native"}, {"swiglu", "1"}, {"block_m", "128"},
          {"block_n", "64"}, {"num_warps", "8"}}},
       {"grouped_gemm_i8 native swiglu 128x64x128 w8 scales pipelined copies "
        "top 3 stages wgmma",
        aot::gg_native_swiglu_128x64x128w8_wg::grouped_gemm_i8,
        P{{"precision", "native"}, {"swiglu", "1"}, {"block_m", "128"},
          {"block_n", "64"}, {"block_k", "128"}, {"num_warps", "8"},
          {"scale_prefetch", "pipelined"}, {"copies_at", "top"},
          {"num_stages", "3"}, {"mma", "warpgroup"}}},
       {"grouped_gemm_i8 native swiglu 128x64x128 w8 scales pipelined copies "
        "top 3 stages wgmma 2 groups a step",
        aot::gg_native_swiglu_g2_128x64x128w8_wg::grouped_gemm_i8,
        P{{"precision", "native"}, {"swiglu", "1"}, {"block_m", "128"},
          {"block_n", "64"}, {"block_k", "128"}, {"num_warps", "8"},
          {"scale_prefetch", "pipelined"}, {"copies_at", "top"},
          {"num_stages", "3"}, {"mma", "warpgroup"}, {"groups_per_step", "2"}}},
       {"grouped_gemm_i8 f16_exact swiglu 128x64x64 w8 wgmma",
        aot::gg_f16exact_swiglu_128x64w8_wg::grouped_gemm_i8,
        P{{"swiglu", "1"}, {"block_m", "128"}, {"block_n", "64"},
          {"num_warps", "8"}, {"mma", "warpgroup"}}},
       {"grouped_gemm_i8 f16_exact swiglu 64x64x64 w8 (Gk 512)",
        aot::gg_f16exact_swiglu_g512::grouped_gemm_i8,
        P{{"swiglu", "1"}, {"group", "512"}, {"block_n", "64"},
          {"num_warps", "8"}}},
       {"grouped_gemm_i8 f16_exact swiglu 64x64x128 w8 (Gk 512)",
        aot::gg_f16exact_swiglu_g512_k128::grouped_gemm_i8,
        P{{"swiglu", "1"}, {"group", "512"}, {"block_n", "64"},
          {"num_warps", "8"}, {"block_k", "128"}}}});
}

/// Decode (KERNELS.md 5: E = 64 experts of 1 to 32 rows): the default tiles
/// (mma.sync, 64 rows) and the fastest wgmma tiles (128 rows) of the
/// prefill shape, each on tiles of the global rows (tile_schedule=rows) and
/// within experts (experts), with 1, 8 and 32 rows an expert; then E = 16
/// with 64 and 192 rows (not multiples of the 128-row tile) and 512. All of
/// an expert's 29 MB of weights is read whatever its rows: TOP/s are low by
/// nature at decode, the µs are what compare.
rt::Status decode(bench::BenchContext &ctx) {
  using P = std::map<std::string, std::string>;
  const Variant variants[] = {
      {"grouped_gemm_i8 native 64x128x64 w4 (decode)", aot::gg_native::grouped_gemm_i8,
       P{{"precision", "native"}}},
      {"grouped_gemm_i8 native 128x128x128 w8 wgmma 2 groups a step (decode)",
       aot::gg_native_g2_128x128x128w8_wg::grouped_gemm_i8,
       P{{"precision", "native"}, {"block_m", "128"}, {"block_n", "128"},
         {"block_k", "128"}, {"num_warps", "8"}, {"scale_prefetch", "pipelined"},
         {"copies_at", "top"}, {"num_stages", "2"}, {"mma", "warpgroup"},
         {"groups_per_step", "2"}}},
      {"grouped_gemm_i8 f16_exact 64x128x64 w4 (decode)", aot::gg_f16exact::grouped_gemm_i8,
       P{}},
      {"grouped_gemm_i8 f16_exact 128x128x64 w8 wgmma (decode)",
       aot::gg_f16exact_128x128x64w8_wg::grouped_gemm_i8,
       P{{"block_m", "128"}, {"block_n", "128"}, {"num_warps", "8"},
         {"scale_prefetch", "pipelined"}, {"copies_at", "after_first_dot"},
         {"num_stages", "3"}, {"shared_immediate_offsets", "on"},
         {"mma", "warpgroup"}}},
      {"grouped_gemm_i8 native 64x128x64 w4 tiles within experts (decode)",
       aot::gg_native_experts::grouped_gemm_i8,
       P{{"precision", "native"}, {"tile_schedule", "experts"}}},
      {"grouped_gemm_i8 native 128x128x128 w8 wgmma 2 groups a step tiles within experts "
       "(decode)",
       aot::gg_native_g2_128x128x128w8_wg_experts::grouped_gemm_i8,
       P{{"precision", "native"}, {"block_m", "128"}, {"block_n", "128"},
         {"block_k", "128"}, {"num_warps", "8"}, {"scale_prefetch", "pipelined"},
         {"copies_at", "top"}, {"num_stages", "2"}, {"mma", "warpgroup"},
         {"groups_per_step", "2"}, {"tile_schedule", "experts"}}},
      {"grouped_gemm_i8 f16_exact 64x128x64 w4 tiles within experts (decode)",
       aot::gg_f16exact_experts::grouped_gemm_i8, P{{"tile_schedule", "experts"}}},
      {"grouped_gemm_i8 f16_exact 128x128x64 w8 wgmma tiles within experts (decode)",
       aot::gg_f16exact_128x128x64w8_wg_experts::grouped_gemm_i8,
       P{{"block_m", "128"}, {"block_n", "128"}, {"num_warps", "8"},
         {"scale_prefetch", "pipelined"}, {"copies_at", "after_first_dot"},
         {"num_stages", "3"}, {"shared_immediate_offsets", "on"},
         {"mma", "warpgroup"}, {"tile_schedule", "experts"}}}};
  for (int rows : {1, 8, 32})
    for (const Variant &v : variants)
      if (rt::Status s = groupedGemm(ctx, v.name, v.launch, specOf(v.params), 64, rows,
                                     4096, 7168);
          !s)
        return s;
  for (int rows : {64, 192, 512})
    for (const Variant &v : variants)
      if (rt::Status s = groupedGemm(ctx, v.name, v.launch, specOf(v.params), 16, rows,
                                     4096, 7168);
          !s)
        return s;
  return rt::Status::ok();
}

TILE_BENCH_CASE("moe/grouped_gemm_i8_native", "moe", native);
TILE_BENCH_CASE("moe/grouped_gemm_i8_decode", "moe", decode);
TILE_BENCH_CASE("moe/grouped_gemm_i8_f16exact", "moe", f16Exact);
TILE_BENCH_CASE("moe/grouped_gemm_i8_swiglu", "moe", swiglu);

} // namespace
