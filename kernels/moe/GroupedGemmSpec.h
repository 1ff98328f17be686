//===- GroupedGemmSpec.h - What grouped_gemm_i8 computes --------*- C++ -*-===//
//
// The grouped int8 GEMM of MoE experts (KERNELS.md section 5, seed 002):
// kernels/moe/GroupedGemm.cpp builds it, GroupedGemmReference.h computes it
// the obvious way. Plain C++: the GPU tests include it without MLIR.
//
// Arguments (the kernel's, in this order):
//   a              int8 [M, K], row stride lda; rows sorted by expert
//   group_offsets  int32 [E + 1], prefix sums: expert e owns rows
//                  [group_offsets[e], group_offsets[e + 1]) (empty experts
//                  allowed; rows outside every expert are neither read nor
//                  written)
//   b              int8 [E, N, K], K contiguous (expert stride N * K); or
//                  with weights=int4, bytes [E, N / 2, K] each holding two
//                  weights along N: the low nibble is row n = 2i, the high
//                  nibble row 2i + 1, two's complement -8..7 (mojo_opset's
//                  layout; N even)
//   sa             f32 [M] (act_scales=token) or [M, K / group]
//                  (act_scales=token_group), row-major
//   sb             f32 [E, N, K / group]
//   out            bf16 | fp16 | f32 [M, N], row stride ldo; with swiglu
//                  [M, N / 2]
//   M, N, K, E, lda, ldo   i32 scalars (N: rows of b per expert, also with
//                  swiglu)
// K is a multiple of `group` (a runtime shape rule: groupedGemmShapeError;
// the kernel computes over the K / group whole groups only, so a violation
// gives wrong numbers, never an access outside the buffers). Offsets of
// experts and rows are 64-bit (e * N * K, row * lda, row * ldo).
//
// Exact numerics (KERNELS.md section 5; the kernel on the GPU, the
// interpreter and the reference agree bit for bit). For each row m of expert
// e and each column n:
//
//   acc = 0 (f32)
//   for each K-group g in increasing order:
//     I   = the exact int32 dot of a[m, g*Gk : (g+1)*Gk] and b[e, n, same]
//     s   = sa[m] (or sa[m, g]) * sb[e, n, g]     one f32 multiply, RNE
//     acc = fma(f32(I), s, acc)                   one rounding (a real FMA)
//   out[m, n] = acc rounded to nearest even to the output type
//
// With swiglu (KERNELS.md section 5's fused epilogue), b's N rows per expert
// are [gate | up]: rows [0, N/2) the gate projection, [N/2, N) the up
// projection (N even; each row with its own sb), and out has N/2 columns.
// For each j < N/2, g = acc(m, j) and u = acc(m, N/2 + j), each the chain
// above, and
//
//   out[m, j] = (silu(g) * u) rounded to the output type,
//   silu(g)   = g / (1 + exp(-g))      in f32, as the DSL's silu
//
// (one f32 multiply, RNE, then the rounding to the output type). The
// interpreter and the reference share std::exp and agree bit for bit; on
// the GPU exp is ex2.approx and the division approximate, so there the
// output is checked against groupedGemmSwigluBounds (GroupedGemmReference.h)
// instead: within (min(|g|, 104) + 16) * 2^-23 relative of the reference's
// f32 value (plus 2^-100 * (|u| + 1) absolute, for silu's underflow), then
// rounded to the output type.
//
// f32(I) is I rounded to nearest even (exact while |I| <= 2^24, always for
// f16_exact). Precision `native` computes I with int8 MMA and an int32
// accumulator; `f16_exact` widens the operands to f16 and keeps one
// uninterrupted f32 chain per group on the f16 tensor cores, exact while the
// chain holds at most 1024 products (partial sums <= 1024 * 2^14 = 2^24), so
// f16_exact refuses group > 1024 (the tile.dot verifier would too).
//
// Programs: a 1-D grid of ceil(M / block_m) * ceil(Nout / block_n), Nout
// the columns of out (N, or N / 2 with swiglu); program p computes rows
// [t * block_m, t * block_m + block_m) of the global row space,
// t = p / tilesN, and out columns of tile p % tilesN (with swiglu from two
// accumulators, the gate and the up columns of b), for every expert whose
// rows meet the block (the experts are found on the device: no host sync,
// no padding of experts to the tile). M = 0 means no launch.
//
//===----------------------------------------------------------------------===//

#ifndef TILE_KERNELS_MOE_GROUPEDGEMMSPEC_H
#define TILE_KERNELS_MOE_GROUPEDGEMMSPEC_H

#include "../gemm/CopiesAt.h"
#include "../gemm/MmaKind.h"

#include <cstdint>
#include <string>

namespace tile::kernels {

enum class GroupedGemmPrecision { Native, F16Exact };
enum class ActScales { Token, TokenGroup };
enum class GroupedGemmOut { BF16, F16, F32 };
enum class GroupedGemmWeights { I8, I4 };
/// When a quant group's scales are loaded: Ahead (one group ahead, carried
/// in registers into the group that uses them), InGroup (in the group's own
/// iteration), or Auto: Ahead for native, InGroup for f16_exact. Measured on
/// an H200 (bench/RESULTS.md, 2026-11-30 13:45): loaded in the group, a
/// native group's scales arrive after its mma.sync (2 warps a scheduler do
/// not hide the global latency); ahead, native runs 6-15% faster on every
/// tile, while f16_exact, whose group is twice the mma.sync and hides the
/// load, ranges from 5-14% slower to 4% faster (the registers the carried
/// scales take).
/// Pipelined: loaded in the group by the kernel, and copied ahead through
/// shared memory by tile-pipeline (tile.pipeline_other_loads), read back
/// in the mma slices; not yet measured on a GPU.
enum class ScalePrefetch { Auto, Ahead, InGroup, Pipelined };

/// Whether each shared-memory access of a thread is addressed as one
/// register plus a constant offset in the instruction
/// (KernelOptions::sharedImmediateOffsets); Auto:
/// groupedGemmSharedImmediateOffsets's rule.
enum class ImmediateOffsets { Auto, Off, On };

/// Which rows a program's block_m rows are. Rows: rows p * block_m on of
/// the global [M] (sorted by expert, not padded), so a tile may straddle
/// experts and then runs its K loop once for each expert it meets; grid
/// ceil(M / block_m) row tiles. Experts: tile j of one expert's rows,
/// rows offsets[e] + j * block_m on (up to offsets[e + 1]), never two
/// experts (the tile schedule of vLLM's fused MoE after
/// moe_align_block_size, without padding the rows); grid min(M, (M +
/// E * (block_m - 1)) / block_m) row tiles, an upper bound of sum_e
/// ceil(rows_e / block_m), the programs past the last tile return.
/// Decode's many experts of a few rows each then run in parallel.
enum class TileSchedule { Rows, Experts };

struct GroupedGemmSpec {
  GroupedGemmPrecision precision = GroupedGemmPrecision::F16Exact;
  /// Gk: K elements per quant group (a multiple of block_k; f16_exact: at
  /// most 1024).
  int group = 128;
  ActScales actScales = ActScales::TokenGroup;
  GroupedGemmOut out = GroupedGemmOut::BF16;
  GroupedGemmWeights weights = GroupedGemmWeights::I8;
  /// The SwiGLU epilogue: b's rows are [gate | up] halves, out has N / 2
  /// columns, out = silu(gate) * up. A program then holds two accumulators
  /// and two chains of block_m x block_n, twice the registers of a plain
  /// tile: tile-run's default and the AOT variants use block_n = 64 with it
  /// (the table's default stays 128).
  bool swiglu = false;
  /// The tile of out one program computes (powers of two, at least 16) and
  /// the K step (a power of two, at least 32: int8 MMA steps K by 32).
  int blockM = 64, blockN = 128, blockK = 64;
  int numWarps = 4;
  /// Shared buffers of the pipelined K loop (1: no pipelining); 0:
  /// groupedGemmStages's rule.
  int numStages = 0;
  ScalePrefetch scalePrefetch = ScalePrefetch::Auto;
  /// Where the pipelined K loop issues its copies of later tiles; Auto:
  /// groupedGemmCopiesAt's rule.
  CopiesAt copiesAt = CopiesAt::Auto;
  /// Programs that should fit on one SM at once (KernelOptions::
  /// minProgramsPerSM); 0: ptxas's choice. A 64x64 tile of 4 warps runs 3
  /// (168 registers, its spills outside the K loop) about 10% faster than
  /// ptxas's 2 (bench/RESULTS.md, 2026-12-01 06:30).
  int minProgramsPerSM = 0;
  /// 2: the tile's columns as two halves of block_n / 2, each its own B
  /// tile, dot, chain and master accumulator (one A tile for both, as
  /// SwiGLU's gate and up); 1: one dot over block_n; 0: groupedGemmNSplit's
  /// rule. Not with swiglu (already two dots).
  int nSplit = 0;
  ImmediateOffsets immediateOffsets = ImmediateOffsets::Auto;
  /// mma.sync, or wgmma (MmaKind.h; int8 weights, block_m >= 64, num_warps
  /// a multiple of 4): the group's dots read their tiles from the
  /// pipeline's shared buffers, `native` with block_k 32, 64 or 128,
  /// `f16_exact` with block_k 16, 32 or 64 (its int8 tiles widened to f16
  /// into buffers of their own, which an f16 wgmma reads). Elsewhere the
  /// dots stay on mma.sync.
  MmaKind mma = MmaKind::Sync;
  /// Quant groups one iteration of the K loop computes, 1 or 2: with 2 one
  /// copy wait and one barrier serve two groups (their tiles in rings of
  /// their own), and on wgmma the second group's dots run while the first
  /// group is dequantized (tile-pipeline's async-warpgroup-dots); past an
  /// odd group count the second group's loads are masked off (its
  /// products and scales 0, adding exact zeros). Needs groups of at most 4
  /// K tiles (written out in the body) and the scales not loaded ahead.
  int groupsPerStep = 1;
  TileSchedule tileSchedule = TileSchedule::Rows;
  /// A power of two (at most 16) dividing K, N, lda and ldo (with swiglu:
  /// K, N / 2, lda and ldo, so N's hint is twice it): how wide the kernel's
  /// row accesses may be (the launch refuses arguments it does not divide).
  int divisibility = 16;
};

/// A quant group of at most this many K tiles is written out in the loop
/// over groups (GroupedGemm.cpp); a longer one runs as a loop of its own.
constexpr int kGroupedGemmMaxUnrolledTiles = 4;

/// Whether `spec`'s quant group is written out in the loop body (at most
/// kGroupedGemmMaxUnrolledTiles K tiles).
inline bool groupedGemmGroupWrittenOut(const GroupedGemmSpec &spec) {
  return spec.group / spec.blockK <= kGroupedGemmMaxUnrolledTiles;
}

/// Why `spec` cannot be built, or empty.
inline std::string groupedGemmSpecError(const GroupedGemmSpec &spec) {
  auto isPow2 = [](int v) { return v > 0 && (v & (v - 1)) == 0; };
  if (!isPow2(spec.blockM) || !isPow2(spec.blockN) || spec.blockM < 16 ||
      spec.blockN < 16 || spec.blockM > 256 || spec.blockN > 256)
    return "block_m and block_n must be powers of two from 16 to 256";
  if (!isPow2(spec.blockK) || spec.blockK < 32 || spec.blockK > 1024)
    return "block_k must be a power of two from 32 to 1024 (int8 MMA steps K "
           "by 32)";
  if (int64_t(spec.blockM) * spec.blockN * (spec.swiglu ? 2 : 1) > 128 * 256)
    return spec.swiglu
               ? "with swiglu, block_m * block_n must be at most 16384 (two "
                 "accumulators, gate and up, live in registers)"
               : "block_m * block_n must be at most 32768 (the accumulator "
                 "lives in registers)";
  if (spec.group <= 0 || spec.group % spec.blockK != 0)
    return "block_k (" + std::to_string(spec.blockK) +
           ") must divide group (" + std::to_string(spec.group) + ")";
  if (spec.precision == GroupedGemmPrecision::F16Exact && spec.group > 1024)
    return "f16_exact needs group <= 1024: one quant group is one "
           "uninterrupted f32 chain of group int8 products, exact only while "
           "it holds at most 1024 of them (partial sums up to 1024 * 2^14 = "
           "2^24; KERNELS.md section 5); use precision=native";
  if (!isPow2(spec.numWarps) || spec.numWarps > 16)
    return "num_warps must be a power of two from 1 to 16";
  if (spec.numStages < 0 || spec.numStages > 8)
    return "num_stages must be from 1 to 8, or 0 (the kernel's rule: 3 for "
           "native with copies after the first dot and for f16_exact with "
           "its scales pipelined and copies at the end, else 4 where they "
           "fit in 99 KiB, else 3; fewer where 3 do not fit 227 KiB)";
  if (spec.nSplit < 0 || spec.nSplit > 2)
    return "n_split must be 1 (one dot over block_n), 2 (two halves) or 0 "
           "(auto: 2 for f16_exact's tiles of 64 or fewer rows and 128+ "
           "columns)";
  if (spec.nSplit == 2 && (spec.swiglu || spec.blockN < 32))
    return "n_split=2 needs block_n >= 32 (halves of at least 16) and no "
           "swiglu (whose gate and up are already two dots)";
  if (!isPow2(spec.divisibility) || spec.divisibility > 16)
    return "divisibility must be a power of two from 1 to 16";
  if (spec.groupsPerStep != 1 && spec.groupsPerStep != 2)
    return "groups_per_step must be 1 or 2";
  if (spec.groupsPerStep == 2 &&
      (!groupedGemmGroupWrittenOut(spec) ||
       spec.scalePrefetch == ScalePrefetch::Ahead))
    return "groups_per_step=2 needs groups of at most " +
           std::to_string(kGroupedGemmMaxUnrolledTiles) +
           " K tiles (group / block_k) and scale_prefetch other than ahead";
  if (spec.minProgramsPerSM != 0 &&
      !mlir::tile::isValidMinProgramsPerSM(spec.minProgramsPerSM))
    return "min_programs_per_sm must be from 1 to " +
           std::to_string(mlir::tile::kMaxProgramsPerSM) +
           ", or 0 (ptxas's choice of registers)";
  return {};
}

/// The bytes of one stage of the pipelined loop's rings: the A tile and the
/// B tile (two with swiglu) of each K tile the loop body holds (the group's
/// Gk / block_k tiles when it writes out at most 4, else one; for each of
/// groups_per_step groups).
inline int64_t groupedGemmStageBytes(const GroupedGemmSpec &spec) {
  int tilesPerStage =
      groupedGemmGroupWrittenOut(spec) ? spec.group / spec.blockK : 1;
  return int64_t(tilesPerStage) * spec.groupsPerStep * spec.blockK *
         (spec.blockM + int64_t(spec.swiglu ? 2 : 1) * spec.blockN);
}

/// The shared memory an sm_90 program may have (227 KiB), the most of the
/// supported GPUs.
constexpr int64_t kGroupedGemmMaxSharedBytes =
    mlir::tile::maxSharedBytesPerProgram(90);

/// The dots a K tile issues over the tile's columns (GroupedGemmSpec::
/// nSplit): as given, or for 0: 2 for f16_exact without swiglu on tiles of
/// at most 64 rows and at least 128 columns and for native on
/// groupedGemmNativeSplitTile's tiles, else 1. On an H200
/// (bench/RESULTS.md, 2026-12-01 11:33, every case's auto schedule), split
/// against one dot: f16_exact 64x128 w4 304.4 against 278.7 TFLOP/s (the
/// default tile, with the copies at the end; its K loop spilled one register
/// until groupedGemmSharedImmediateOffsets: 301.2 without a spill,
/// 2026-12-01 14:29), 64x128 w8 +3.4%,
/// 64x128x32 +5%; slower: f16_exact 128x128 w8 -5%, 64x64 w4 -8.5%;
/// native 64x128 w4 -4% (417.9 -> 402.4) with its schedule of one dot,
/// 128x128 w8 -7%.
inline int groupedGemmNSplit(const GroupedGemmSpec &spec);

/// Whether a native tile gets the schedule of two column halves, its scales
/// pipelined and the copies at the top (where its other parameters leave
/// them to the rules): int8 weights, no swiglu, at most 64 rows, at least
/// 128 columns, at most 4 warps, block_k >= 64, groups written out. On an
/// H200 the default tile (64x128x64 w4) ran 428.0 against 417.9 TOP/s with
/// the schedule before (scales ahead, copies after the first dot, one dot;
/// bench/RESULTS.md 2026-12-01 11:33), and 430.5 against 418.1 in another
/// lease (14:29); one dot with the scales pipelined and the copies at the
/// top ran 344.1.
inline bool groupedGemmNativeSplitTile(const GroupedGemmSpec &spec) {
  return spec.precision == GroupedGemmPrecision::Native && !spec.swiglu &&
         spec.weights == GroupedGemmWeights::I8 && spec.blockM <= 64 &&
         spec.blockN >= 128 && spec.numWarps <= 4 && spec.blockK >= 64 &&
         groupedGemmGroupWrittenOut(spec) && spec.nSplit != 1 &&
         (spec.scalePrefetch == ScalePrefetch::Auto ||
          spec.scalePrefetch == ScalePrefetch::Pipelined) &&
         (spec.copiesAt == CopiesAt::Auto || spec.copiesAt == CopiesAt::Top);
}

inline int groupedGemmNSplit(const GroupedGemmSpec &spec) {
  if (spec.nSplit)
    return spec.nSplit;
  if (groupedGemmNativeSplitTile(spec))
    return 2;
  return spec.precision == GroupedGemmPrecision::F16Exact && !spec.swiglu &&
                 spec.blockM <= 64 && spec.blockN >= 128
             ? 2
             : 1;
}

/// Whether a group's scales are loaded in its iteration and copied ahead
/// through shared memory by the pipeliner (ScalePrefetch::Pipelined). Auto:
/// for f16_exact whose groups are written out in the loop body (group /
/// block_k <= kGroupedGemmMaxUnrolledTiles) on tiles of 4 warps or of at
/// least 128 rows, with the copies at the end of the body and
/// 3 stages (groupedGemmCopiesAt, groupedGemmStages). On an H200
/// (bench/RESULTS.md, 2026-12-01 07:18) that schedule ran every such
/// f16_exact tile faster than the scales in the group with the copies at the
/// top: the default tile +2.1% (272.9 -> 278.5 TFLOP/s), 128x128 w8 +8%,
/// 64x64 +2.5%, block_k 32 +3.4%, f32 out +2%, scales per token +13%, int4
/// weights +12%; and its K loop holds no spill, where the default tile's
/// had 11 reloads (the 128x128's 8). It ran 64x128 w8 9% and swiglu's 64x64
/// w8 4% slower: those keep the scales in the group. With swiglu (its A
/// tile pipelined since 2026-12-01 10:46; 11:15, group 128): 64x64 w4 297.6
/// against 232.3 in the group, 128x64 w8 251.7 against 223.1.
/// Auto also pipelines native's scales (groups written out),
/// with the copies at the end, for int4 weights, whose unpacking leaves no
/// registers for scales carried a group ahead (the default tile had 5 spill
/// reloads in its K loop and ran 161.2 TOP/s, against 213.4 and none:
/// 07:36), and on tiles of at least 128 x 128 with 8 or more warps
/// (128x128 w8: 422.1 -> 454.4 with 3 stages, 03:57; 64x256 w8 397 against
/// 390 with 4 stages, the same with 3, 07:48; 128x64 w8 ran 8-12% slower
/// and keeps its scales ahead); and with swiglu, on every measured tile
/// (2026-12-01 10:50, its A tile pipelined since 10:46; f32 out): 64x64 w4
/// 410.6 against 400.1 ahead, 64x64 w8 341.8 against 321.9, 64x128 w8
/// 448.0 against 380.4, 128x64 w8 483.5 against 399.5; and on
/// groupedGemmNativeSplitTile's tiles (with the copies at the top).
inline bool groupedGemmScalesPipelined(const GroupedGemmSpec &spec) {
  if (spec.scalePrefetch != ScalePrefetch::Auto)
    return spec.scalePrefetch == ScalePrefetch::Pipelined;
  if (!groupedGemmGroupWrittenOut(spec))
    return false;
  if (spec.precision == GroupedGemmPrecision::Native)
    return spec.swiglu || spec.weights == GroupedGemmWeights::I4 ||
           groupedGemmNativeSplitTile(spec) ||
           (spec.blockM >= 128 && spec.blockN >= 128 && spec.numWarps >= 8);
  return spec.numWarps <= 4 || spec.blockM >= 128;
}

/// Whether a group's scales are loaded one group ahead (ScalePrefetch);
/// auto: native's one group a step, unless groupedGemmScalesPipelined.
inline bool groupedGemmScalesAhead(const GroupedGemmSpec &spec) {
  return spec.scalePrefetch == ScalePrefetch::Ahead ||
         (spec.scalePrefetch == ScalePrefetch::Auto &&
          spec.precision == GroupedGemmPrecision::Native &&
          spec.groupsPerStep == 1 && !groupedGemmScalesPipelined(spec));
}

/// Where the pipelined loop issues its copies: spec.copiesAt, or for Auto
/// after the first dot for native with its scales ahead, one dot a K tile
/// (no swiglu) and block_k >= 64; at the end of the body for either
/// precision with its scales pipelined, without swiglu (swiglu: below;
/// native: 64x128 w4 362.8 against 344.1 at the top with 4 stages, 128x128
/// w8 454.4 against 441.0 with 3; 03:57), but at the top on
/// groupedGemmNativeSplitTile's tiles; else at the top. On an H200 (bench/RESULTS.md,
/// 2026-12-01 03:57 and 04:08), such native kernels ran 3-9% faster with
/// copies after the first dot and 3 stages than with copies at the top
/// (64x128 w4: 389.9 -> 418.1 TOP/s, 128x128 w8: 396.2 -> 425.6, 64x128 w8
/// +8.7%, 64x64 +3.2%), while block_k 32 (four dots a group) ran 4% slower
/// and swiglu (the copies between the gate's dot and the up's) slower too;
/// f16_exact with pipelined scales, 278.5 at the end against 269.8 at the
/// top (07:18; groupedGemmScalesPipelined).
inline CopiesAt groupedGemmCopiesAt(const GroupedGemmSpec &spec) {
  if (spec.copiesAt != CopiesAt::Auto)
    return spec.copiesAt;
  // Swiglu (two dots a K tile) with the scales pipelined: the end of the
  // body for f16_exact (11:15: 64x64 w4 297.6 against 249.6 at the top,
  // 128x64 w8 251.7 against 247.8), and for native on tiles of 8192+ outputs
  // a half, else the top (10:50: 128x64 w8 483.5 at the end against 432.6
  // at the top, 64x128 w8 448.0; 64x64 w8 341.8 at the top against 303.0,
  // 64x64 w4 410.6 against 394.0). Otherwise the top (04:12: native 201.1
  // against 179.9 after the first dot).
  if (spec.swiglu)
    return groupedGemmScalesPipelined(spec) &&
                   (spec.precision == GroupedGemmPrecision::F16Exact ||
                    spec.blockM * spec.blockN >= 8192)
               ? CopiesAt::Bottom
               : CopiesAt::Top;
  // (f16_exact in two column halves also goes to the end: 2026-12-01 14:29,
  // 301.2 TFLOP/s against 294.3 at the top, with
  // groupedGemmSharedImmediateOffsets, without which the end's K loop
  // spilled and the top ran 285.7; block_k 32: 267.7 at the end, 234.9 at
  // the top, 11:33 and 12:04.)
  if (groupedGemmNativeSplitTile(spec))
    return CopiesAt::Top;
  if (groupedGemmScalesPipelined(spec))
    return CopiesAt::Bottom;
  return spec.precision == GroupedGemmPrecision::Native &&
                 groupedGemmScalesAhead(spec) && spec.blockK >= 64
             ? CopiesAt::AfterFirstDot
             : CopiesAt::Top;
}

/// Whether the kernel addresses each shared-memory access of a thread as
/// one register plus the access's constant offset
/// (KernelOptions::sharedImmediateOffsets): spec.immediateOffsets, or for
/// Auto: for f16_exact in two column
/// halves (groupedGemmNSplit) with block_k >= 64 and its scales pipelined.
/// There it frees the registers that kept the K loop with the copies at the
/// end from spilling (ptxas reloaded the scale ring's shared address in the
/// loop): on an H200 (bench/RESULTS.md, 2026-12-01 14:29) the default tile
/// ran 301.2 TFLOP/s with the copies at the end, against 285.7 at the top
/// without it (the schedule before). Elsewhere it moved speeds both ways
/// (ptxas's schedule changes with the registers): native 64x128 w4 418.1
/// -> 398.4 TOP/s, 128x128 w8 454.2 -> 474.0; f16_exact 128x128 w8 280.6 ->
/// 263.2, block_k 32 267.6 -> 252.5; so it is not the default.
inline bool groupedGemmSharedImmediateOffsets(const GroupedGemmSpec &spec) {
  if (spec.immediateOffsets != ImmediateOffsets::Auto)
    return spec.immediateOffsets == ImmediateOffsets::On;
  return spec.precision == GroupedGemmPrecision::F16Exact &&
         groupedGemmNSplit(spec) == 2 && spec.blockK >= 64 &&
         groupedGemmScalesPipelined(spec);
}

/// The pipelined loop's stages by the measured rules: spec.numStages, or
/// for 0: 3 for native with the copies after the first dot
/// (groupedGemmCopiesAt) and for f16_exact with its scales pipelined and the
/// copies at the end, else 4 where their rings fit in 99 KiB (the shared
/// memory a CTA may have on sm_86 and sm_89, the least of the supported
/// targets; two such CTAs fit an sm_90 SM), else 3 (groupedGemmStages caps
/// it). One stage is groupedGemmStageBytes. The default tile, 24 KiB a
/// stage, gets 4; 128x128, 32 KiB, keeps 3. On an H200 (bench/RESULTS.md,
/// 2026-11-30 14:09) 4 stages against 3: f16_exact at the default tile +12%,
/// native +2%; at 128x128 native 4 stages were 1.5% slower.
inline int groupedGemmRuleStages(const GroupedGemmSpec &spec) {
  if (spec.numStages)
    return spec.numStages;
  // Native with copies after the first dot: 3 stages measured as fast as 4
  // or faster on every tile and scale placement (2026-12-01 03:57: 64x128
  // w4 with scales ahead 419.2 against 352.9); f16_exact's were slower with
  // 3 (03:49: 223.0 against 269.6), so it keeps the rule below.
  if (spec.precision == GroupedGemmPrecision::Native &&
      groupedGemmCopiesAt(spec) == CopiesAt::AfterFirstDot)
    return 3;
  // f16_exact with its scales pipelined and the copies at the end: 3 stages
  // (03:49, the default tile: 278.7 against 257.6 with 4; every other
  // placement of scales and copies 210.7-272.8; in two column halves,
  // 2026-12-01 14:29: 301.2 against 283.5 with 4); and in two column halves
  // with the copies at the top (11:43: 285.6 against 267.3 with 4).
  if (spec.precision == GroupedGemmPrecision::F16Exact &&
      groupedGemmScalesPipelined(spec)) {
    CopiesAt at = groupedGemmCopiesAt(spec);
    if (at == CopiesAt::Bottom ||
        (at == CopiesAt::Top && groupedGemmNSplit(spec) == 2))
      return 3;
  }
  if (4 * groupedGemmStageBytes(spec) <=
      mlir::tile::kLeastMaxSharedBytesPerProgram)
    return 4;
  return 3;
}

/// The pipelined loop's stages (groupedGemmRuleStages), never more than fit
/// the shared memory of an sm_90 program (kGroupedGemmMaxSharedBytes), down
/// to 1 (no pipelining): a stage of 4 written-out K tiles of 128 (f16_exact's
/// group of 512 at block_k 128) is 96 KiB, and 3 of them failed to launch.
/// An explicit num_stages is taken as given (the compiler refuses a kernel
/// whose rings do not fit its GPU, naming them).
inline int groupedGemmStages(const GroupedGemmSpec &spec) {
  int stages = groupedGemmRuleStages(spec);
  if (spec.numStages)
    return stages;
  while (stages > 1 &&
         stages * groupedGemmStageBytes(spec) > kGroupedGemmMaxSharedBytes)
    --stages;
  return stages;
}

/// Columns of out: N, or N / 2 with swiglu.
inline int64_t groupedGemmOutCols(const GroupedGemmSpec &spec, int64_t N) {
  return spec.swiglu ? N / 2 : N;
}

/// Why a problem of these sizes cannot run with `spec`, or empty: K a
/// positive multiple of group, at least one expert, non-negative sizes,
/// strides at least the rows (ldo: the out columns, N / 2 with swiglu), N
/// even with swiglu or int4, and everything the kernel takes as i32.
inline std::string groupedGemmShapeError(const GroupedGemmSpec &spec,
                                         int64_t M, int64_t N, int64_t K,
                                         int64_t E, int64_t lda, int64_t ldo) {
  if (M < 0 || N <= 0 || K <= 0)
    return "M must be >= 0, N and K > 0";
  if (E < 1)
    return "E must be at least 1";
  if (K % spec.group != 0)
    return "K (" + std::to_string(K) + ") is not a multiple of group (" +
           std::to_string(spec.group) + ")";
  if (lda < K)
    return "lda (" + std::to_string(lda) + ") is smaller than K (" +
           std::to_string(K) + ")";
  if (spec.weights == GroupedGemmWeights::I4 && N % 2 != 0)
    return "int4 weights pack two rows of N per byte: N (" +
           std::to_string(N) + ") must be even";
  if (spec.swiglu && N % 2 != 0)
    return "swiglu splits b's N rows into [gate | up] halves: N (" +
           std::to_string(N) + ") must be even";
  if (spec.swiglu && ldo < N / 2)
    return "ldo (" + std::to_string(ldo) +
           ") is smaller than out's N / 2 columns with swiglu (" +
           std::to_string(N / 2) + ")";
  if (!spec.swiglu && ldo < N)
    return "ldo (" + std::to_string(ldo) + ") is smaller than N (" +
           std::to_string(N) + ")";
  for (int64_t v : {M, N, K, E + 1, lda, ldo})
    if (v > INT32_MAX)
      return "a size or stride (" + std::to_string(v) +
             ") does not fit the kernel's i32 arguments";
  return {};
}

/// Bytes of b: E * N * K int8 weights, or half as many bytes of int4 pairs.
inline int64_t groupedGemmWeightBytes(const GroupedGemmSpec &spec, int64_t E,
                                      int64_t N, int64_t K) {
  return spec.weights == GroupedGemmWeights::I4 ? E * (N / 2) * K : E * N * K;
}

/// Bytes of one out element.
inline int groupedGemmOutBytes(const GroupedGemmSpec &spec) {
  return spec.out == GroupedGemmOut::F32 ? 4 : 2;
}

/// Elements of sa per row: 1 (per token) or K / group.
inline int64_t actScalesPerRow(const GroupedGemmSpec &spec, int64_t K) {
  return spec.actScales == ActScales::Token ? 1 : K / spec.group;
}

/// The tile tile-run and the Python package choose for M rows over E
/// experts (spec's swiglu and group set): 64 x 128 on 4 warps (the
/// fastest 64-row tile on an H200), SwiGLU's 64 x 64 on 8; K steps of 64,
/// 32 where 64 does not divide the group. Each tile within one expert
/// (TileSchedule::Experts) up to 32 rows an expert on average, else tiles
/// of the rows: on an H200 (bench/RESULTS.md 2026-12-02 07:24) the experts'
/// tiles are 4.3x (native) and 4.7x (f16_exact) faster at 1 row an expert
/// over 64 experts, 1.7-2.6% faster at 8, level to 1.6% faster at 32, level
/// to 1.4% slower at 64 and 1.5-3.4% slower at 512. SwiGLU's 64 x 64 tile
/// was measured at neither 8 nor 32 rows: below 4 rows an expert, as first
/// measured (2026-12-02 04:27-04:43).
inline void chooseGroupedGemmTile(GroupedGemmSpec &spec, long long M,
                                  long long E) {
  spec.blockM = 64;
  spec.blockN = spec.swiglu ? 64 : 128;
  spec.blockK = spec.group % 64 == 0 ? 64 : 32;
  spec.numWarps = spec.swiglu ? 8 : 4;
  bool experts = spec.swiglu ? M < 4 * E : M <= 32 * E;
  spec.tileSchedule = experts ? TileSchedule::Experts : TileSchedule::Rows;
}

/// The row tiles of a problem of M rows over E experts (TileSchedule).
inline long long groupedGemmRowTiles(const GroupedGemmSpec &spec, long long M,
                                     long long E) {
  if (spec.tileSchedule == TileSchedule::Rows)
    return (M + spec.blockM - 1) / spec.blockM;
  long long bound = (M + E * (spec.blockM - 1)) / spec.blockM;
  return bound < M ? bound : M;
}

/// The programs of a problem of M rows over E experts and N rows of b per
/// expert (N / 2 out columns with swiglu): a 1-D grid along x, the row
/// tiles times the column tiles.
inline long long groupedGemmGrid(const GroupedGemmSpec &spec, long long M,
                                 long long N, long long E) {
  long long cols = groupedGemmOutCols(spec, N);
  return groupedGemmRowTiles(spec, M, E) *
         ((cols + spec.blockN - 1) / spec.blockN);
}

} // namespace tile::kernels

#endif // TILE_KERNELS_MOE_GROUPEDGEMMSPEC_H
