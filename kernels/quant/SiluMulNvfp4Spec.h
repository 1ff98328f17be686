//===- SiluMulNvfp4Spec.h - silu_mul_nvfp4's parameters and reference -*- C++ -*-===//
//
// NVFP4 fused SiLU-and-mul expert quantization (KERNELS.md 4): x [M, 2K] bf16
// ([gate | up], or [up | gate] with upFirst), rows sorted by expert with
// offsets [E + 1] (prefix sums; any E, experts may be empty); per-expert
// global scale gs [E] fp32. Rows m >= offsets[E] (a padded CUDA-graph batch)
// are neither read nor written.
//   y = bf16(bf16(silu(f32(gate))) * f32(up))               (as in family 3)
//   per block of 16 along K: sf = e4m3(gs[e] * absmax(block) / 6) (RNE, sat)
//   q = e2m1(y * (1 / (f32(sf) / gs[e])))   (0 when sf is 0; RNE, saturating
//       to +-6), two per byte, the even element in the low nibble.
// Scale layout, per expert, as the CUTLASS NVFP4 MoE GEMM of vLLM and sglang
// reads it: expert e's scale rows start at row sf_offsets[e] =
// sum_{i<e} align(rows_i, 128) (an input, nvfp4ScaleOffsets() computes it),
// and the byte of scale row j (= sf_offsets[e] + the row's index in its
// expert), block c is at
//   ((j / 128) * ceil(K/64) + c / 4) * 512 + (j % 32) * 16 + (j % 128 / 32) * 4
//   + c % 4.
// Every padding byte is written 0: the columns c in [K/16, align(K/16, 4))
// of every row, and the rows from an expert's last row to the end of its
// last 128-row block. The buffer holds sf_offsets[E] rows.
// A NaN in a block (a NaN input, or silu(-inf)) propagates to its absmax:
// the scale byte is 0x7f (e4m3 NaN) and every code of the block is 0; an inf
// saturates the scale to 0x7e (448). Row bases are 64-bit.
//
// Plain C++: the GPU tests and the benchmark include this without MLIR.
//
//===----------------------------------------------------------------------===//

#ifndef TILE_KERNELS_QUANT_SILUMULNVFP4SPEC_H
#define TILE_KERNELS_QUANT_SILUMULNVFP4SPEC_H

#include "QuantCommon.h"
#include "tile/Support/LaunchGrid.h"

#include <algorithm>
#include <random>
#include <string>
#include <vector>

namespace tile::kernels {

struct SiluMulNvfp4Spec {
  bool upFirst = false;
  /// Blocks of 16 per program: 128 (2048 columns) on 4 warps (a block a
  /// thread) measured best on an H200 of 32/64/128 x 2/4 since the packed
  /// e2m1 pairs (bench/RESULTS.md, 2026-11-30 18:35); rows longer than a
  /// program covers run best on 2 (siluMulNvfp4WarpsFor).
  int blocksPerProgram = 128;
  /// Offsets the expert search reads per step (a power of two): E up to
  /// this takes one step, any E works. 32, a warp's lanes: every warp holds
  /// all of a step's offsets, so the count is summed by shuffles alone (no
  /// shared memory, no barrier).
  int expertsPerStep = 32;
  int strideDivisibility = 16;
  unsigned numWarps = 4;
};

/// The warps to run rows of K columns on, `blocksPerProgram` blocks of 16 a
/// program: 4 where one program covers a row (a block a thread), 2 where a
/// row takes several (measured on an H200, bench/RESULTS.md 2026-11-30
/// 19:40: K = 2048 43.4 µs on 4 against 45.7 on 2; K = 7168 148.5 on 2
/// against 152.3 on 4). tile-run and the Python package choose by it.
inline unsigned siluMulNvfp4WarpsFor(int64_t K, int blocksPerProgram = 128) {
  return K > 16 * int64_t(blocksPerProgram) ? 2 : 4;
}

/// Why blocks_per_program is refused, empty where it is fine: a power of two
/// in [1, 1024].
inline std::string siluMulNvfp4BlocksError(int64_t blocks) {
  if (blocks >= 1 && blocks <= 1024 && (blocks & (blocks - 1)) == 0)
    return "";
  return "blocks_per_program must be a power of two in [1, 1024], got " +
         std::to_string(blocks);
}

/// Why `spec` cannot be built, empty where it can (the registry and tile-run
/// ask this one rule).
inline std::string siluMulNvfp4SpecError(const SiluMulNvfp4Spec &spec) {
  if (std::string why = siluMulNvfp4BlocksError(spec.blocksPerProgram);
      !why.empty())
    return why;
  const int experts = spec.expertsPerStep;
  if (experts < 1 || (experts & (experts - 1)) != 0)
    return "experts_per_step must be a power of two, got " +
           std::to_string(experts);
  return "";
}

/// The grid for M rows of K outputs and E experts: x the rows' programs and
/// one padding program per expert, y the chunks of blocksPerProgram blocks
/// of a row (program_id(1); no program divides its id).
LaunchGrid siluMulNvfp4Grid(const SiluMulNvfp4Spec &spec, int64_t M, int64_t K,
                            int64_t E);

/// sf_offsets [E + 1] for `offsets` [E + 1]: sf_offsets[e] =
/// sum_{i<e} align(offsets[i+1] - offsets[i], 128).
std::vector<int32_t> nvfp4ScaleOffsets(const std::vector<int32_t> &offsets);

/// Bytes of the swizzled scale buffer for `scaleRows` (sf_offsets[E]) rows
/// and K outputs.
int64_t nvfp4ScaleBytes(int64_t scaleRows, int64_t K);

/// The byte offset of the scale of (scale row j, block c).
int64_t nvfp4ScaleOffset(int64_t j, int64_t c, int64_t K);

/// The reference. q: [M, K/2] bytes (row stride K/2); scales: the swizzled
/// per-expert bytes (sfOffsets as nvfp4ScaleOffsets gives).
void siluMulNvfp4Reference(const SiluMulNvfp4Spec &spec, const uint16_t *x,
                           const std::vector<int32_t> &offsets,
                           const std::vector<int32_t> &sfOffsets,
                           const std::vector<float> &globalScales, uint8_t *q,
                           uint8_t *scales, int64_t M, int64_t K,
                           int64_t strideX);

/// Random inputs for tests and tile-run: M rows split among E experts at
/// random cut points (some experts empty; offsets[0] = 0, offsets[E] = M),
/// and a global scale per expert in [0.5, 200).
template <typename Rng>
void randomExperts(Rng &rng, int64_t M, int64_t E, std::vector<int32_t> &offsets,
                   std::vector<float> &globalScales) {
  offsets.assign(E + 1, 0);
  std::uniform_int_distribution<int64_t> cut(0, M);
  for (int64_t e = 1; e < E; ++e)
    offsets[e] = int32_t(cut(rng));
  offsets[E] = int32_t(M);
  std::sort(offsets.begin(), offsets.end());
  globalScales.resize(E);
  std::uniform_real_distribution<float> scale(0.5f, 200.0f);
  for (float &g : globalScales)
    g = scale(rng);
}

} // namespace tile::kernels

#endif // TILE_KERNELS_QUANT_SILUMULNVFP4SPEC_H
