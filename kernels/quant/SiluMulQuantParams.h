//===- SiluMulQuantParams.h - silu_mul_quant's parameters -------*- C++ -*-===//
//
// The compile-time parameters of silu_mul_quant, in the order --list shows
// them: the registry, tile-compile, tile-run and the AOT CMake's PARAMS all
// read this table (KernelParams.h). Defaults are SiluMulQuantSpec's.
//
// Plain C++: the GPU tests and the benchmark include this without MLIR.
//
//===----------------------------------------------------------------------===//

#ifndef TILE_KERNELS_QUANT_SILUMULQUANTPARAMS_H
#define TILE_KERNELS_QUANT_SILUMULQUANTPARAMS_H

#include "KernelParams.h"
#include "SiluMulQuantSpec.h"

namespace tile::kernels {

/// silu_mul_quant's parameters.
inline const SpecParams<SiluMulQuantSpec> &siluMulQuantParams() {
  using S = SiluMulQuantSpec;
  static const SpecParams<S> params = {
      intParam<S>("group", &S::group,
                  "elements per group (16..256, a power of two)"),
      outParam<S>(),
      roundingParam<S>(),
      scalesParam<S>(),
      ue8m0Param<S>(),
      boolParam<S>("up_first", &S::upFirst,
                   "x holds [up | gate] (TensorRT-LLM) instead of [gate | up]"),
      boolParam<S>("fp32_intermediate", &S::fp32Intermediate,
                   "keep y = silu(gate) * up in fp32"),
      boolParam<S>("masked", &S::masked, "x [E, T, 2H] with masked_m [E]"),
      epsParam<S>(),
      intParam<S>("groups_per_program", &S::groupsPerProgram,
                  "groups per program (0: 1024 elements)"),
      intParam<S>("stride_divisibility", &S::strideDivisibility,
                  "a power of two dividing the row strides"),
      numWarpsParam<S>()};
  return params;
}

} // namespace tile::kernels

#endif // TILE_KERNELS_QUANT_SILUMULQUANTPARAMS_H
