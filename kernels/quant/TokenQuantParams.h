//===- TokenQuantParams.h - token_quant's parameters ------------*- C++ -*-===//
//
// The compile-time parameters of token_quant, in the order --list shows them:
// the registry, tile-compile, tile-run and the AOT CMake's PARAMS all read
// this table (KernelParams.h). Defaults are TokenQuantSpec's.
//
// Plain C++: the GPU tests and the benchmark include this without MLIR.
//
//===----------------------------------------------------------------------===//

#ifndef TILE_KERNELS_QUANT_TOKENQUANTPARAMS_H
#define TILE_KERNELS_QUANT_TOKENQUANTPARAMS_H

#include "KernelParams.h"
#include "TokenQuantSpec.h"

namespace tile::kernels {

/// token_quant's parameters.
inline const SpecParams<TokenQuantSpec> &tokenQuantParams() {
  using S = TokenQuantSpec;
  static const SpecParams<S> params = {
      inParam<S>(),
      outParam<S>(),
      roundingParam<S>(),
      ue8m0Param<S>(),
      epsParam<S>(),
      intParam<S>("block_k", &S::blockK,
                  "the tile's row length, a power of two >= K - tail_k (<= "
                  "16384), or the chunk with loop_k"),
      boolParam<S>("loop_k", &S::loopK,
                   "rows of any length in block_k chunks, read twice "
                   "(absmax, then quantize)"),
      intParam<S>("tail_k", &S::tailK,
                  "0, or a second tile of this width (a power of two < "
                  "block_k) for columns from block_k on: K = 1368 as 1024 + "
                  "512"),
      intParam<S>("rows_per_program", &S::rowsPerProgram,
                  "rows per program (a power of two)"),
      intParam<S>("k_divisibility", &S::kDivisibility,
                  "a power of two dividing K and the row strides"),
      numWarpsParam<S>()};
  return params;
}

} // namespace tile::kernels

#endif // TILE_KERNELS_QUANT_TOKENQUANTPARAMS_H
