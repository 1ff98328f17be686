//===- ScaleLayouts.h - The quant kernels' scale tensors --------*- C++ -*-===//
//
// Checks a scale tensor against the layout a call asked for (KERNELS.md,
// "Scale layouts") and gives the strides the kernel takes:
//
//   row           float32 [M, G], strides (s, 1), s >= G
//   col           float32 [M, G], strides (1, s), s >= M
//   col_tma       float32 [M, G], strides (1, align(M, 4)) (DeepGEMM's)
//   ue8m0_packed  int32 [M, ceil(G / 4)], strides (1, align(M, 4)); the byte
//                 of (t, g) is byte g % 4 of word (t, g / 4)
//
// The TMA-aligned layouts write their padding rows [M, align(M, 4)) too, so
// the storage behind such a view holds align(M, 4) rows (what DeepGEMM and
// the engines allocate); a tensor of align(M, 4) rows is taken as well. The
// masked form of silu_mul_quant adds a leading expert dimension [E, T, ...]
// whose stride is at least one expert's scales.
//
//===----------------------------------------------------------------------===//

#ifndef TILE_PYTHON_SCALELAYOUTS_H
#define TILE_PYTHON_SCALELAYOUTS_H

#include "Checks.h"

#include "QuantCommon.h"

namespace tile::python {

/// The layout of option value `index` (0 row, 1 col, 2 col_tma,
/// 3 ue8m0_packed), checked.
kernels::ScaleLayout scaleLayoutOf(Checker &c, int64_t index);

/// The kernel's scale strides (elements of f32, or bytes for the packed
/// layout) and the bytes of the scales the kernel writes.
struct ScaleArgs {
  int64_t strideE = 0, strideM = 0, strideG = 0;
  int64_t bytes = 0;
};

/// Checks `scales` for M rows of G groups in `layout` (with `experts` > 0: a
/// leading dimension of that many experts of M rows each).
ScaleArgs checkScales(Checker &c, const char *arg, const TensorView &scales,
                      kernels::ScaleLayout layout, int64_t M, int64_t G,
                      int64_t experts = 0);

} // namespace tile::python

#endif // TILE_PYTHON_SCALELAYOUTS_H
