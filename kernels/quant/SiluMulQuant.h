//===- SiluMulQuant.h - silu_mul_quant, built with the DSL ------*- C++ -*-===//

#ifndef TILE_KERNELS_QUANT_SILUMULQUANT_H
#define TILE_KERNELS_QUANT_SILUMULQUANT_H

#include "SiluMulQuantSpec.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/OwningOpRef.h"

namespace tile::kernels {

/// Contiguous: `silu_mul_quant(x, q, scales, M, H, stride_x, stride_q,
/// scale_stride_m, scale_stride_g)`. Masked: `silu_mul_quant(x, q, scales,
/// masked_m, T, H, stride_x, stride_q, scale_stride_e, scale_stride_t,
/// scale_stride_g)` over E * T rows (row = e * T + t; x and q rows of all
/// experts are consecutive). Grid: siluMulQuantGrid().
mlir::FailureOr<mlir::OwningOpRef<mlir::ModuleOp>>
buildSiluMulQuant(mlir::MLIRContext &ctx, const SiluMulQuantSpec &spec);

} // namespace tile::kernels

#endif // TILE_KERNELS_QUANT_SILUMULQUANT_H
