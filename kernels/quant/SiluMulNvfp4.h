//===- SiluMulNvfp4.h - silu_mul_nvfp4, built with the DSL ------*- C++ -*-===//

#ifndef TILE_KERNELS_QUANT_SILUMULNVFP4_H
#define TILE_KERNELS_QUANT_SILUMULNVFP4_H

#include "SiluMulNvfp4Spec.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/OwningOpRef.h"

namespace tile::kernels {

/// `silu_mul_nvfp4(x, q, scales, offsets, sf_offsets, global_scales, M, K, E,
/// stride_x)`; grid: siluMulNvfp4Grid(). Any expert count E.
mlir::FailureOr<mlir::OwningOpRef<mlir::ModuleOp>>
buildSiluMulNvfp4(mlir::MLIRContext &ctx, const SiluMulNvfp4Spec &spec);

} // namespace tile::kernels

#endif // TILE_KERNELS_QUANT_SILUMULNVFP4_H
