//===- Matmul.h - A dense matrix product in the DSL -------------*- C++ -*-===//

#ifndef TILE_KERNELS_GEMM_MATMUL_H
#define TILE_KERNELS_GEMM_MATMUL_H

#include "MatmulSpec.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/OwningOpRef.h"

namespace tile::kernels {

/// The `matmul` kernel of `spec` (MatmulSpec.h): arguments a, b, c, M, N, K,
/// lda, ldb, ldc (i32); a 1-D grid of matmulGrid(spec, M, N) programs. Fails, with the error
/// reported through `ctx`, for a combination MatmulSpec.h does not list or a
/// tile that is not a power of two of the allowed size.
mlir::FailureOr<mlir::OwningOpRef<mlir::ModuleOp>>
buildMatmul(mlir::MLIRContext &ctx, const MatmulSpec &spec);

} // namespace tile::kernels

#endif // TILE_KERNELS_GEMM_MATMUL_H
