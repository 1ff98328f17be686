//===- GroupQuantSpec.h - group_quant's parameters and reference -*- C++ -*-===//
//
// Per-token-group quantization (KERNELS.md 1): x [M, K] (bf16, fp16 or f32;
// row stride strideX) -> q [M, K] (fp8 e4m3fn or int8; row stride strideQ)
// and one fp32 (or UE8M0) scale per group of `group` consecutive elements of
// a row:
//   absmax = max(max |x| over the group, eps); scale = absmax / QMAX
//   (UE8M0: rounded up to a power of two); q = convert(x * (1 / scale)).
// NaN in a group propagates to its absmax: the f32 scale is NaN (the UE8M0
// byte 0xFF, E8M0's NaN) and every code of the group is NaN (fp8 0x7f; int8
// codes of NaN are 0). +-inf gives an inf scale (2^127, byte 254, with
// UE8M0), and inf * (1 / inf) is a NaN code.
// Every scale slot the layout allocates is written: the TMA-aligned layouts'
// padding rows [M, align(M, 4)) get 1.0 (byte 127), so the grid covers
// align(M, 4) rows there. Row bases are 64-bit: any M * K the GPU holds.
//
// Plain C++: the GPU tests and the benchmark include this without MLIR.
//
//===----------------------------------------------------------------------===//

#ifndef TILE_KERNELS_QUANT_GROUPQUANTSPEC_H
#define TILE_KERNELS_QUANT_GROUPQUANTSPEC_H

#include "QuantCommon.h"

namespace tile::kernels {

/// The kernel's compile-time parameters (like Triton's constexprs).
struct GroupQuantSpec {
  int group = 128; ///< 16, 32, 64, 128 or 256
  InType in = InType::BF16;
  OutType out = OutType::FP8;
  ScaleLayout scales = ScaleLayout::RowMajor;
  /// Round scales up to powers of two (UE8M0); implied by UE8M0Packed, and
  /// available with fp32 scales too.
  bool ue8m0 = false;
  float eps = 1e-10f;
  /// How int8 codes round (fp8 always rounds to nearest even).
  Int8Rounding int8Rounding = Int8Rounding::NearestEven;
  /// Groups per program; 0 chooses from the group size (1024 elements).
  int groupsPerProgram = 0;
  /// A power of two dividing both row strides (elements): 16-byte accesses
  /// need 8 (bf16) or 4 (f32).
  int strideDivisibility = 16;
  /// 2 warps and 8 groups of 128 per program measured best on an H200
  /// (bench/RESULTS.md).
  unsigned numWarps = 2;
};

/// Groups per program that buildGroupQuant uses for `spec`.
int groupQuantGroupsPerProgram(const GroupQuantSpec &spec);

/// Programs to launch for M rows of K elements.
int64_t groupQuantGrid(const GroupQuantSpec &spec, int64_t M, int64_t K);

/// The C++ reference, literally KERNELS.md: x is in its input type's bits;
/// q receives fp8 codes or int8 values; scales is float* or, for
/// UE8M0Packed, bytes (the caller zero-fills; this writes every byte of
/// every word the layout owns).
void groupQuantReference(const GroupQuantSpec &spec, const void *x, void *q,
                         void *scales, int64_t M, int64_t K, int64_t strideX,
                         int64_t strideQ);

/// Checks a problem before anything runs: K divisible by the group, row
/// strides at least K, and buffers (in bytes) large enough for M rows and the
/// scale layout. Empty when fine, else one line naming the parameter.
std::string checkGroupQuantProblem(const GroupQuantSpec &spec, int64_t M,
                                   int64_t K, int64_t strideX, int64_t strideQ,
                                   int64_t xBytes, int64_t qBytes,
                                   int64_t scaleBytes);

} // namespace tile::kernels

#endif // TILE_KERNELS_QUANT_GROUPQUANTSPEC_H
