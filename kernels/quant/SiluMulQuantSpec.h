//===- SiluMulQuantSpec.h - silu_mul_quant's parameters and reference -*- C++ -*-===//
//
// Fused SiLU-and-mul + group quantization (KERNELS.md 3): x [M, 2H] bf16 holds
// [gate | up] (or [up | gate] with upFirst);
//   y = bf16(bf16(silu(f32(gate))) * f32(up)),  silu(g) = g / (1 + exp(-g))
// (y stays fp32 with fp32Intermediate), then y [M, H] is group-quantized as
// group_quant does. The masked form takes x [E, T, 2H] and masked_m [E]
// (clamped to [0, T]): rows t >= masked_m[e] are neither read nor written
// but for their scale slots; its scales are per expert [T, G] in the chosen
// layout, experts scaleStrides(...).size apart. Every scale slot the layout
// allocates is written (KERNELS.md): masked-off rows and the TMA padding
// rows get 1.0 (UE8M0 byte 127; 0 in a partial last word). NaN in a group:
// as group_quant (NaN scale, byte 0xFF). Row bases are 64-bit.
//
// Plain C++: the GPU tests and the benchmark include this without MLIR.
//
//===----------------------------------------------------------------------===//

#ifndef TILE_KERNELS_QUANT_SILUMULQUANTSPEC_H
#define TILE_KERNELS_QUANT_SILUMULQUANTSPEC_H

#include "QuantCommon.h"

#include <vector>

namespace tile::kernels {

struct SiluMulQuantSpec {
  int group = 128;
  OutType out = OutType::FP8;
  ScaleLayout scales = ScaleLayout::RowMajor;
  bool ue8m0 = false;
  bool upFirst = false;
  bool fp32Intermediate = false;
  bool masked = false;
  float eps = 1e-10f;
  /// How int8 codes round (fp8 always rounds to nearest even).
  Int8Rounding int8Rounding = Int8Rounding::NearestEven;
  int groupsPerProgram = 0; ///< 0: 1024 elements per program
  int strideDivisibility = 16;
  /// 2 warps and 8 groups of 128 per program: the default; tunedFor() below
  /// picks the shape measured best for a problem.
  unsigned numWarps = 2;
};

int siluMulQuantGroupsPerProgram(const SiluMulQuantSpec &spec);

/// The block shape for a contiguous problem of M rows of H outputs: `spec`
/// with groupsPerProgram and numWarps set as measured best on an H200. Today
/// the defaults, 8 groups of 128 on 2 warps, for every measured shape
/// (bench/RESULTS.md, 2026-11-30 07:50, without L1 eviction hints: M =
/// 32768, H = 2048 97.3% of copy against 93.0% with 4 groups on one warp,
/// which was the better shape with the hints, 2026-11-22 03:45). The one
/// place a shape choice goes: tile-run, tile-bench and the Python package
/// ask it.
inline SiluMulQuantSpec tunedFor(SiluMulQuantSpec spec, int64_t M, int64_t H) {
  (void)M;
  (void)H;
  return spec;
}

/// Programs to launch: the scale rows (M, or E * T when masked, each padded
/// to a multiple of 4 in the TMA-aligned layouts) times the blocks of groups
/// of a row. `rows` is M, or E * T with T given when masked.
int64_t siluMulQuantGrid(const SiluMulQuantSpec &spec, int64_t rows, int64_t H,
                         int64_t T = 0);

/// silu(g) = g / (1 + exp(-g)) in fp32, as the kernel computes it.
float siluReference(float g);

/// The reference, literally KERNELS.md. x: bf16 bits; q: codes (stride
/// strideQ); scales: float or bytes in the spec's layout (for `rows` rows,
/// or per expert of T rows when masked). maskedM is used when masked
/// (rows = E * T, row r = e * T + t).
void siluMulQuantReference(const SiluMulQuantSpec &spec, const uint16_t *x,
                           void *q, void *scales, int64_t rows, int64_t H,
                           int64_t strideX, int64_t strideQ, int64_t T = 0,
                           const std::vector<int32_t> &maskedM = {});

} // namespace tile::kernels

#endif // TILE_KERNELS_QUANT_SILUMULQUANTSPEC_H
