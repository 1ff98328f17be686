//===- GroupQuantParams.h - group_quant's parameters ------------*- C++ -*-===//
//
// The compile-time parameters of group_quant, in the order --list shows them:
// the registry, tile-compile, tile-run and the AOT CMake's PARAMS all read
// this table (KernelParams.h). Defaults are GroupQuantSpec's.
//
// Plain C++: the GPU tests and the benchmark include this without MLIR.
//
//===----------------------------------------------------------------------===//

#ifndef TILE_KERNELS_QUANT_GROUPQUANTPARAMS_H
#define TILE_KERNELS_QUANT_GROUPQUANTPARAMS_H

#include "GroupQuantSpec.h"
#include "KernelParams.h"

namespace tile::kernels {

/// group_quant's parameters.
inline const SpecParams<GroupQuantSpec> &groupQuantParams() {
  using S = GroupQuantSpec;
  static const SpecParams<S> params = {
      intParam<S>("group", &S::group,
                  "elements per group (16..256, a power of two)"),
      inParam<S>(),
      outParam<S>(),
      roundingParam<S>(),
      scalesParam<S>(),
      ue8m0Param<S>(),
      epsParam<S>(),
      intParam<S>("groups_per_program", &S::groupsPerProgram,
                  "groups per program (0: 1024 elements)"),
      intParam<S>("stride_divisibility", &S::strideDivisibility,
                  "a power of two dividing the row strides"),
      numWarpsParam<S>()};
  return params;
}

} // namespace tile::kernels

#endif // TILE_KERNELS_QUANT_GROUPQUANTPARAMS_H
