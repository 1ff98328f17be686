//===- TokenQuant.h - token_quant, built with the DSL -----------*- C++ -*-===//

#ifndef TILE_KERNELS_QUANT_TOKENQUANT_H
#define TILE_KERNELS_QUANT_TOKENQUANT_H

#include "TokenQuantSpec.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/OwningOpRef.h"

namespace tile::kernels {

/// `token_quant(x, q, scales, M, K, stride_x, stride_q, scale_stride)`;
/// grid: tokenQuantGrid(). K must be at most spec.blockK.
mlir::FailureOr<mlir::OwningOpRef<mlir::ModuleOp>>
buildTokenQuant(mlir::MLIRContext &ctx, const TokenQuantSpec &spec);

} // namespace tile::kernels

#endif // TILE_KERNELS_QUANT_TOKENQUANT_H
