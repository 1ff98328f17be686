//===- TokenQuantSpec.h - token_quant's parameters and reference -*- C++ -*-===//
//
// Per-token quantization (KERNELS.md 2): one scale per row of x [M, K]
// (bf16, fp16 or f32), K any positive size (1368 is a real hidden size,
// 28672 Llama-70B's intermediate size), any row stride (odd too: the kernel
// is compiled for the largest power of two, kDivisibility, dividing K and
// the strides), the rules of group_quant with one group of K. Up to
// blockK + tailK (at most 16384 + 8192) columns the row stays in registers
// between the absmax and the quantization: one read of device memory;
// longer rows take two passes (loopK). Scales are fp32 [M]
// (scales[t * scaleStride]). Row bases are 64-bit.
//
// Plain C++: the GPU tests and the benchmark include this without MLIR.
//
//===----------------------------------------------------------------------===//

#ifndef TILE_KERNELS_QUANT_TOKENQUANTSPEC_H
#define TILE_KERNELS_QUANT_TOKENQUANTSPEC_H

#include "QuantCommon.h"

namespace tile::kernels {

struct TokenQuantSpec {
  InType in = InType::BF16;
  OutType out = OutType::FP8;
  bool ue8m0 = false;
  float eps = 1e-10f;
  /// How int8 codes round (fp8 always rounds to nearest even).
  Int8Rounding int8Rounding = Int8Rounding::NearestEven;
  /// The tile's row length: a power of two >= K - tailK (at most 16384).
  int blockK = 8192;
  /// 0, or the width (a power of two) of a second tile holding columns
  /// [blockK, blockK + tailK) of the rows: K up to 1536 as 1024 + 512 instead
  /// of one 2048-wide tile a third masked off.
  int tailK = 0;
  /// Rows of any length: the row goes through the [rowsPerProgram, blockK]
  /// tile in chunks, once for the absmax and once to quantize (tailK must be
  /// 0).
  bool loopK = false;
  /// Rows per program.
  int rowsPerProgram = 1;
  /// A power of two dividing K and the row strides (elements), 1 for odd
  /// ones: the widest access is that many elements (capped at 16 bytes).
  int kDivisibility = 8;
  unsigned numWarps = 8;
};

/// Programs to launch for M rows.
inline int64_t tokenQuantGrid(const TokenQuantSpec &spec, int64_t M) {
  return (M + spec.rowsPerProgram - 1) / spec.rowsPerProgram;
}

/// Chunks for rows of any length (loopK, tailK 0, one row a program): past
/// 16384 columns 8192-wide chunks on 16 warps, else 4096-wide on 8. The
/// second pass re-reads the row from L2 only while every row in flight fits
/// there: at K = 28672 (57 KB of bf16 a row) the 4096-wide chunks on 8 warps
/// keep about 8 rows an SM in flight, 60 MB on an H200 (its whole L2), and
/// the second pass goes to DRAM (66% of copy); 8192 on 16 warps keeps about
/// a third of that, 94% of copy (bench/RESULTS.md, 2026-12-02 03:53-04:24).
inline void chooseTokenQuantChunks(TokenQuantSpec &spec, int64_t K) {
  spec.loopK = true;
  spec.tailK = 0;
  spec.rowsPerProgram = 1;
  spec.blockK = K > 16384 ? 8192 : 4096;
  spec.numWarps = K > 16384 ? 16 : 8;
}

/// The tile for rows of K that tile-run and the Python package choose (the
/// kernel's divisibility is the caller's): up to 16384 columns the row in
/// registers, a power of two wide, 2 rows of 4 warps up to 2048 columns and
/// a row of 8 warps above (measured best on an H200, bench/RESULTS.md); a
/// row within three quarters of that width as a half and a quarter tile
/// (1368 as 1024 + 512: fewer lanes masked off, the same speed on an H200);
/// longer rows in chunks (chooseTokenQuantChunks).
inline void chooseTokenQuantTile(TokenQuantSpec &spec, int64_t K) {
  if (K > 16384)
    return chooseTokenQuantChunks(spec, K);
  spec.loopK = false;
  int blockK = 16;
  while (blockK < K)
    blockK *= 2;
  spec.rowsPerProgram = blockK <= 2048 ? 2 : 1;
  spec.numWarps = blockK <= 2048 ? 4 : 8;
  spec.tailK = 0;
  if (blockK >= 256 && 4 * K <= 3 * int64_t(blockK)) {
    spec.tailK = blockK / 4;
    blockK /= 2;
  }
  spec.blockK = blockK;
}

/// The reference: x in its type's bits (row stride strideX), q codes (row
/// stride strideQ), scales fp32 [M] with stride scaleStride.
void tokenQuantReference(const TokenQuantSpec &spec, const void *x, void *q,
                         float *scales, int64_t M, int64_t K, int64_t strideX,
                         int64_t strideQ, int64_t scaleStride);

} // namespace tile::kernels

#endif // TILE_KERNELS_QUANT_TOKENQUANTSPEC_H
