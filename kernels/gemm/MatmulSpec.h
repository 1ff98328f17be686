//===- MatmulSpec.h - What a matmul kernel computes -------------*- C++ -*-===//
//
// The dense matrix product of kernels/gemm/Matmul.cpp, with the tile it is
// built with. Plain C++: the GPU tests include it without MLIR.
//
//   c[m, n] = sum_k a[m, k] * b[k, n]
//
// a is M x K (row stride lda elements), b is K x N (row stride ldb), c is
// M x N (row stride ldc), all row-major; or, with b_layout = nk, b is given
// as its transpose, N rows of K (b[k, n] at n * ldb + k: the layout of a
// linear layer's weight, and K-major as 8-bit tensor-core operands want
// it); rows of any length, any M, N, K
// (ragged edges masked; nothing outside c's M x N written); M, N, K and
// the strides fit i32, row offsets are 64-bit. Operand and
// accumulator types (tile.dot's table):
//
//   operands  acc  precision    sum
//   fp16      f32  ieee         f32 (the tensor core's order of additions)
//   fp16      f16  ieee         f16
//   bf16      f32  ieee         f32
//   int8      i32  native       int32, wrapping (exact modulo 2^32)
//   int8      i32  f16_exact    each block_k-long dot exactly in f32 on the
//                               f16 tensor cores, added in int32: the same
//                               bits as native (KERNELS.md section 5)
//
//===----------------------------------------------------------------------===//

#ifndef TILE_KERNELS_GEMM_MATMULSPEC_H
#define TILE_KERNELS_GEMM_MATMULSPEC_H

#include "CopiesAt.h"
#include "MmaKind.h"

#include <cstddef>
#include <cstdint>
#include <string>

namespace tile::kernels {

enum class MatmulOperands { F16, BF16, I8 };
enum class MatmulAcc { F32, F16, I32 };
enum class MatmulPrecision { IEEE, Native, F16Exact };
/// How b is stored: K rows of N (kn), or N rows of K (nk: K contiguous).
enum class MatmulBLayout { KN, NK };

struct MatmulSpec {
  MatmulOperands operands = MatmulOperands::F16;
  MatmulAcc acc = MatmulAcc::F32;
  MatmulPrecision precision = MatmulPrecision::IEEE;
  MatmulBLayout bLayout = MatmulBLayout::KN;
  /// The tile of c one program computes, and the K step of its loop: powers
  /// of two, at least 16 (block_k at least 32 for int8, at most 1024 for
  /// f16_exact).
  int blockM = 64, blockN = 64, blockK = 32;
  int numWarps = 4;
  /// Shared buffers of the pipelined K loop (1: no pipelining).
  int numStages = 3;
  /// Where the pipelined K loop issues its copies of later tiles.
  CopiesAt copiesAt = CopiesAt::Top;
  /// mma.sync, or wgmma (MmaKind.h) for fp16/bf16 -> f32 and int8 native
  /// with b_layout nk, block_k * operand bytes 32, 64 or 128, block_m >= 64,
  /// num_stages >= 2 and divisibility 8 (16-bit) or 16 (int8), which the
  /// pipeline's 16-byte copies need.
  MmaKind mma = MmaKind::Sync;
  /// Programs that should fit on one SM at once (KernelOptions::
  /// minProgramsPerSM); 0: ptxas's choice.
  int minProgramsPerSM = 0;
  /// A power of two (at most 16) dividing K, N and the row strides lda, ldb,
  /// ldc: how wide the kernel's accesses along rows may be (the launch
  /// refuses arguments it does not divide).
  int divisibility = 1;
};

/// Why `spec` cannot be built (a combination the table above does not list,
/// or a tile out of range), or empty.
inline std::string matmulSpecError(const MatmulSpec &spec) {
  bool i8 = spec.operands == MatmulOperands::I8;
  bool typesOk =
      i8 ? spec.acc == MatmulAcc::I32 && spec.precision != MatmulPrecision::IEEE
         : spec.precision == MatmulPrecision::IEEE &&
               (spec.acc == MatmulAcc::F32 ||
                (spec.acc == MatmulAcc::F16 &&
                 spec.operands == MatmulOperands::F16));
  if (!typesOk)
    return "operands, acc and precision must be one of fp16/f32/ieee, "
           "fp16/f16/ieee, bf16/f32/ieee, int8/i32/native, "
           "int8/i32/f16_exact";
  auto isPow2 = [](int v) { return v > 0 && (v & (v - 1)) == 0; };
  for (int b : {spec.blockM, spec.blockN, spec.blockK})
    if (!isPow2(b) || b < 16 || b > 1024)
      return "block_m, block_n and block_k must be powers of two from 16 to "
             "1024";
  if (spec.numStages < 1 || spec.numStages > 8)
    return "num_stages must be from 1 to 8";
  if (!isPow2(spec.divisibility) || spec.divisibility > 16)
    return "divisibility must be a power of two from 1 to 16";
  if (spec.minProgramsPerSM != 0 &&
      !mlir::tile::isValidMinProgramsPerSM(spec.minProgramsPerSM))
    return "min_programs_per_sm must be from 1 to " +
           std::to_string(mlir::tile::kMaxProgramsPerSM) +
           ", or 0 (ptxas's choice of registers)";
  if (i8 && spec.blockK < 32)
    return "int8 operands need block_k >= 32 (mma.sync m16n8k32)";
  if (int64_t(spec.blockM) * spec.blockN > 128 * 256)
    return "block_m * block_n must be at most 32768 (the accumulator lives in "
           "registers)";
  return {};
}

/// The index of b[k, n] in b's buffer, whose rows are ldb elements apart.
inline size_t matmulBIndex(const MatmulSpec &spec, int k, int n, int ldb) {
  return spec.bLayout == MatmulBLayout::KN ? size_t(k) * ldb + n
                                           : size_t(n) * ldb + k;
}

/// Bytes of one operand element and of one element of c.
inline int operandBytes(const MatmulSpec &spec) {
  return spec.operands == MatmulOperands::I8 ? 1 : 2;
}
inline int accBytes(const MatmulSpec &spec) {
  return spec.acc == MatmulAcc::F16 ? 2 : 4;
}

/// The programs of an M x N product: one per block_m x block_n tile of c,
/// row-major (a 1-D grid along x).
inline long long matmulGrid(const MatmulSpec &spec, long long M, long long N) {
  return ((M + spec.blockM - 1) / spec.blockM) *
         ((N + spec.blockN - 1) / spec.blockN);
}

} // namespace tile::kernels

#endif // TILE_KERNELS_GEMM_MATMULSPEC_H
