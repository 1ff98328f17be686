//===- GroupedGemmParams.h - grouped_gemm_i8's parameters -------*- C++ -*-===//
//
// The compile-time parameters of grouped_gemm_i8, in the order --list shows
// them (quant/KernelParams.h explains who reads the table). Defaults are
// GroupedGemmSpec's. Plain C++.
//
//===----------------------------------------------------------------------===//

#ifndef TILE_KERNELS_MOE_GROUPEDGEMMPARAMS_H
#define TILE_KERNELS_MOE_GROUPEDGEMMPARAMS_H

#include "../quant/KernelParams.h"
#include "GroupedGemmSpec.h"

namespace tile::kernels {

inline const SpecParams<GroupedGemmSpec> &groupedGemmParams() {
  using S = GroupedGemmSpec;
  static const SpecParams<S> params = {
      choiceParam<S, GroupedGemmPrecision>(
          "precision", &S::precision,
          "native (int8 MMA, int32 group dots) or f16_exact (int8 widened to "
          "f16, one f32 chain per group, group <= 1024)",
          {{"native", GroupedGemmPrecision::Native},
           {"f16_exact", GroupedGemmPrecision::F16Exact}}),
      intParam<S>("group", &S::group,
                  "K elements per quant group (a multiple of block_k; any "
                  "divisor of K, 320 included)"),
      choiceParam<S, ActScales>("act_scales", &S::actScales,
                                "activation scales per token [M] or per token "
                                "and K-group [M, K/group]",
                                {{"token", ActScales::Token},
                                 {"token_group", ActScales::TokenGroup}}),
      choiceParam<S, GroupedGemmOut>("out", &S::out, "output type",
                                     {{"bf16", GroupedGemmOut::BF16},
                                      {"fp16", GroupedGemmOut::F16},
                                      {"f32", GroupedGemmOut::F32}}),
      choiceParam<S, GroupedGemmWeights>(
          "weights", &S::weights,
          "b as int8 [E, N, K] or int4 pairs along N [E, N/2, K] (low "
          "nibble = even row)",
          {{"int8", GroupedGemmWeights::I8}, {"int4", GroupedGemmWeights::I4}}),
      boolParam<S>("swiglu", &S::swiglu,
                   "SwiGLU epilogue: b's N rows are [gate | up] halves (N "
                   "even), out [M, N/2] = silu(gate) * up"),
      intParam<S>("block_m", &S::blockM,
                  "rows of out per program (a power of two, 16 to 256)"),
      intParam<S>("block_n", &S::blockN,
                  "columns of out per program (a power of two, 16 to 256)"),
      intParam<S>("block_k", &S::blockK,
                  "K step of the loop (a power of two >= 32 dividing group)"),
      numWarpsParam<S>(),
      intParam<S>("num_stages", &S::numStages,
                  "shared buffers of the pipelined K loop, 1 to 8 (1: none), "
                  "or 0: 3 for native with copies after the first dot and "
                  "for f16_exact with its scales pipelined and copies at the "
                  "end, else 4 where they fit in 99 KiB, else 3 (fewer where 3 "
                  "do not fit 227 KiB)"),
      choiceParam<S, ScalePrefetch>(
          "scale_prefetch", &S::scalePrefetch,
          "when a quant group's scales are loaded: ahead (one group early, "
          "carried in registers), in_group, pipelined (in the group, copied "
          "ahead through shared memory by the compiler's pipeliner), or auto "
          "(where groups are at most 4 K tiles: pipelined for f16_exact "
          "on 4 warps or 128+ rows, and for native with swiglu, int4 "
          "weights, tiles of 128x128+ on 8+ warps or in two column halves "
          "(n_split); otherwise "
          "ahead for native and in_group for f16_exact: what measured "
          "faster on an H200)",
          {{"auto", ScalePrefetch::Auto},
           {"ahead", ScalePrefetch::Ahead},
           {"in_group", ScalePrefetch::InGroup},
           {"pipelined", ScalePrefetch::Pipelined}}),
      copiesAtParam<S>("after_first_dot for native with its scales loaded "
                       "ahead, no swiglu and block_k >= 64, bottom with "
                       "the scales pipelined (native with swiglu: on tiles "
                       "of 8192+ outputs; native in two column halves: "
                       "top), top otherwise (what measured "
                       "faster on an H200 without spills in the K loop)"),
      minProgramsPerSMParam<S>(),
      intParam<S>("n_split", &S::nSplit,
                  "2: the tile's columns as two halves, each its own B "
                  "tile, dot and accumulators (one A tile); 1: one dot; 0 "
                  "(auto): 2 without swiglu on tiles of <= 64 rows and >= "
                  "128 columns, for native only with int8 weights, <= 4 "
                  "warps, block_k >= 64 and its scales pipelined and copies "
                  "at the top (what measured faster on an H200)"),
      choiceParam<S, ImmediateOffsets>(
          "shared_immediate_offsets", &S::immediateOffsets,
          "on: each shared-memory access of a thread addressed as one "
          "register plus the access's constant offset in the instruction "
          "(fewer registers; ptxas's schedule changes, faster or slower by "
          "kernel); off: one address register per offset; auto: on for "
          "f16_exact in two column halves with block_k >= 64 and its "
          "scales pipelined (what measured faster on an H200)",
          {{"auto", ImmediateOffsets::Auto},
           {"off", ImmediateOffsets::Off},
           {"on", ImmediateOffsets::On}}),
      choiceParam<S, MmaKind>(
          "mma", &S::mma,
          "tensor-core instructions: sync (mma.sync) or warpgroup (wgmma, "
          "sm_90a, int8 weights, block_m >= 64, num_warps a multiple of 4: "
          "native with block_k 32..128, f16_exact with block_k 16..64, its "
          "int8 tiles widened to f16 in shared memory)",
          {{"sync", MmaKind::Sync}, {"warpgroup", MmaKind::Warpgroup}}),
      intParam<S>("groups_per_step", &S::groupsPerStep,
                  "quant groups one iteration of the K loop computes, 1 or "
                  "2 (2: one copy wait and barrier for two groups, and on "
                  "wgmma the second group's dots run while the first is "
                  "dequantized; groups of at most 4 K tiles, scales not "
                  "ahead)"),
      choiceParam<S, TileSchedule>(
          "tile_schedule", &S::tileSchedule,
          "rows: program tiles of the global rows (a tile may straddle "
          "experts: its K loop runs once per expert met; ceil(M / block_m) "
          "row tiles); experts: each tile within one expert's rows "
          "(min(M, (M + E * (block_m - 1)) / block_m) row tiles, those past "
          "the last return): decode's small experts in parallel",
          {{"rows", TileSchedule::Rows}, {"experts", TileSchedule::Experts}}),
      intParam<S>("divisibility", &S::divisibility,
                  "a power of two <= 16 dividing K, N (N/2 with swiglu), lda "
                  "and ldo (the width of the row accesses)")};
  return params;
}

} // namespace tile::kernels

#endif // TILE_KERNELS_MOE_GROUPEDGEMMPARAMS_H
