//===- GroupedGemm.h - The grouped int8 MoE GEMM in the DSL -----*- C++ -*-===//

#ifndef TILE_KERNELS_MOE_GROUPEDGEMM_H
#define TILE_KERNELS_MOE_GROUPEDGEMM_H

#include "GroupedGemmSpec.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/OwningOpRef.h"

namespace tile::kernels {

/// The `grouped_gemm_i8` kernel of `spec` (GroupedGemmSpec.h): arguments a,
/// group_offsets, b, sa, sb, out, M, N, K, E, lda, ldo (i32); a 1-D grid of
/// groupedGemmGrid(spec, M, N, E) programs. Fails, with the error reported
/// through `ctx`, for a spec groupedGemmSpecError refuses.
mlir::FailureOr<mlir::OwningOpRef<mlir::ModuleOp>>
buildGroupedGemm(mlir::MLIRContext &ctx, const GroupedGemmSpec &spec);

} // namespace tile::kernels

#endif // TILE_KERNELS_MOE_GROUPEDGEMM_H
