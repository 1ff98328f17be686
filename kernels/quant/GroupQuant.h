//===- GroupQuant.h - group_quant, built with the DSL -----------*- C++ -*-===//

#ifndef TILE_KERNELS_QUANT_GROUPQUANT_H
#define TILE_KERNELS_QUANT_GROUPQUANT_H

#include "GroupQuantSpec.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/OwningOpRef.h"

namespace tile::kernels {

/// The kernel `group_quant(x, q, scales, M, K, stride_x, stride_q,
/// scale_stride_m, scale_stride_g)` (scale strides as scaleStrides() gives
/// them); grid: groupQuantGrid(). Fails (with diagnostics) on a spec it
/// cannot build.
mlir::FailureOr<mlir::OwningOpRef<mlir::ModuleOp>>
buildGroupQuant(mlir::MLIRContext &ctx, const GroupQuantSpec &spec);

} // namespace tile::kernels

#endif // TILE_KERNELS_QUANT_GROUPQUANT_H
