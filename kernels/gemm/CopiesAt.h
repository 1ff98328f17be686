//===- CopiesAt.h - where a pipelined K loop issues its copies --*- C++ -*-===//
//
// The GEMM kernels' copies_at parameter. Plain C++: the specs, the GPU tests
// and the benchmarks include it without MLIR.
//
//===----------------------------------------------------------------------===//

#ifndef TILE_KERNELS_GEMM_COPIESAT_H
#define TILE_KERNELS_GEMM_COPIESAT_H

#include "tile/Support/TargetFacts.h"

namespace tile::kernels {

/// Where the compiler's pipeliner issues a K loop's copies of later tiles
/// (`tile.pipeline_copies_at`, TargetFacts.h's PipelineCopiesAt): right after
/// the iteration's barrier (top, the compiler's default), after the body's
/// first dot, or at the end of the body. Numerics do not change; which is
/// fastest depends on the tile (bench/RESULTS.md, 2026-12-01 00:18). Auto
/// leaves the choice to the kernel family's rule (grouped_gemm_i8:
/// groupedGemmCopiesAt); it is never a module's attribute.
enum class CopiesAt { Auto, Top, AfterFirstDot, Bottom };

/// The attribute's word for `at` (PipelineCopiesAt's: "top",
/// "after_first_dot", "bottom"; "auto" only for messages).
inline const char *copiesAtName(CopiesAt at) {
  using mlir::tile::PipelineCopiesAt;
  return at == CopiesAt::Auto ? "auto"
         : mlir::tile::pipelineCopiesAtName(
               at == CopiesAt::Top             ? PipelineCopiesAt::Top
               : at == CopiesAt::AfterFirstDot ? PipelineCopiesAt::AfterFirstDot
                                               : PipelineCopiesAt::Bottom);
}

} // namespace tile::kernels

#endif // TILE_KERNELS_GEMM_COPIESAT_H
