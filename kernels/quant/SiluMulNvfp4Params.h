//===- SiluMulNvfp4Params.h - silu_mul_nvfp4's parameters -------*- C++ -*-===//
//
// The compile-time parameters of silu_mul_nvfp4, in the order --list shows
// them: the registry, tile-compile, tile-run and the AOT CMake's PARAMS all
// read this table (KernelParams.h). Defaults are SiluMulNvfp4Spec's.
//
// Plain C++: the GPU tests and the benchmark include this without MLIR.
//
//===----------------------------------------------------------------------===//

#ifndef TILE_KERNELS_QUANT_SILUMULNVFP4PARAMS_H
#define TILE_KERNELS_QUANT_SILUMULNVFP4PARAMS_H

#include "KernelParams.h"
#include "SiluMulNvfp4Spec.h"

namespace tile::kernels {

/// silu_mul_nvfp4's parameters.
inline const SpecParams<SiluMulNvfp4Spec> &siluMulNvfp4Params() {
  using S = SiluMulNvfp4Spec;
  static const SpecParams<S> params = {
      boolParam<S>("up_first", &S::upFirst,
                   "x holds [up | gate] instead of [gate | up]"),
      intParam<S>("blocks_per_program", &S::blocksPerProgram,
                  "blocks of 16 per program (a power of two)"),
      intParam<S>("experts_per_step", &S::expertsPerStep,
                  "expert offsets the row's expert search reads per step (a "
                  "power of two; any expert count works)"),
      intParam<S>("stride_divisibility", &S::strideDivisibility,
                  "a power of two dividing the row stride"),
      numWarpsParam<S>()};
  return params;
}

} // namespace tile::kernels

#endif // TILE_KERNELS_QUANT_SILUMULNVFP4PARAMS_H
