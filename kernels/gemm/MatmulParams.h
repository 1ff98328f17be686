//===- MatmulParams.h - matmul's parameters ---------------------*- C++ -*-===//
//
// The compile-time parameters of matmul, in the order --list shows them
// (KernelParams.h explains who reads the table). Defaults are MatmulSpec's.
// Plain C++.
//
//===----------------------------------------------------------------------===//

#ifndef TILE_KERNELS_GEMM_MATMULPARAMS_H
#define TILE_KERNELS_GEMM_MATMULPARAMS_H

#include "../quant/KernelParams.h"
#include "MatmulSpec.h"

namespace tile::kernels {

inline const SpecParams<MatmulSpec> &matmulParams() {
  using S = MatmulSpec;
  static const SpecParams<S> params = {
      choiceParam<S, MatmulOperands>("a", &S::operands,
                                     "operand type (a and b)",
                                     {{"fp16", MatmulOperands::F16},
                                      {"bf16", MatmulOperands::BF16},
                                      {"int8", MatmulOperands::I8}}),
      choiceParam<S, MatmulAcc>("acc", &S::acc, "accumulator and c type",
                                {{"f32", MatmulAcc::F32},
                                 {"f16", MatmulAcc::F16},
                                 {"i32", MatmulAcc::I32}}),
      choiceParam<S, MatmulPrecision>(
          "precision", &S::precision,
          "ieee (float operands), native (int8 MMA) or f16_exact (int8 "
          "widened to f16, exact per block_k)",
          {{"ieee", MatmulPrecision::IEEE},
           {"native", MatmulPrecision::Native},
           {"f16_exact", MatmulPrecision::F16Exact}}),
      choiceParam<S, MatmulBLayout>(
          "b_layout", &S::bLayout,
          "how b is stored: kn (K rows of N) or nk (N rows of K, K "
          "contiguous: a linear layer's weight; 8-bit b reads 16 bytes at a "
          "time only this way)",
          {{"kn", MatmulBLayout::KN}, {"nk", MatmulBLayout::NK}}),
      intParam<S>("block_m", &S::blockM, "rows of c per program (a power of two >= 16)"),
      intParam<S>("block_n", &S::blockN, "columns of c per program (a power of two >= 16)"),
      intParam<S>("block_k", &S::blockK,
                  "K step of the loop (a power of two >= 16; int8 >= 32)"),
      numWarpsParam<S>(),
      intParam<S>("num_stages", &S::numStages,
                  "shared buffers of the pipelined K loop, 1 to 8 (1: none)"),
      copiesAtParam<S>(),
      minProgramsPerSMParam<S>(),
      choiceParam<S, MmaKind>(
          "mma", &S::mma,
          "tensor-core instructions: sync (mma.sync) or warpgroup (wgmma, "
          "sm_90a: fp16/bf16 -> f32 and int8 native with b_layout nk, "
          "block_k * operand bytes 32, 64 or 128, block_m >= 64; other dots "
          "stay on mma.sync)",
          {{"sync", MmaKind::Sync}, {"warpgroup", MmaKind::Warpgroup}}),
      intParam<S>("divisibility", &S::divisibility,
                  "a power of two <= 16 dividing K, N, lda, ldb and ldc (the "
                  "width of the row accesses)")};
  return params;
}

} // namespace tile::kernels

#endif // TILE_KERNELS_GEMM_MATMULPARAMS_H
