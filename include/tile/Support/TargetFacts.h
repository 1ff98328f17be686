//===- TargetFacts.h - the supported GPUs' limits, plain C++ ----*- C++ -*-===//
//
// The numbers about the supported GPUs that both the compiler (TargetInfo,
// the dialect's verifier) and the kernels' specs need: the specs are plain
// C++ (the GPU tests, the benchmarks and the Python package include them
// without MLIR), so the facts live here, once, and TargetInfo.h includes
// them.
//
//===----------------------------------------------------------------------===//

#ifndef TILE_SUPPORT_TARGETFACTS_H
#define TILE_SUPPORT_TARGETFACTS_H

#include <cstdint>

namespace mlir::tile {

/// The most programs (CTAs) an SM holds at once on any target we support
/// (TargetInfo::getMaxProgramsPerSM: 32 on sm_80 and sm_90).
constexpr unsigned kMaxProgramsPerSM = 32;

/// Whether `programs` may be a kernel's `tile.min_programs_per_sm`: 1 to
/// kMaxProgramsPerSM.
constexpr bool isValidMinProgramsPerSM(int64_t programs) {
  return programs >= 1 && programs <= int64_t(kMaxProgramsPerSM);
}

/// The shared memory one program (thread block) may have on the GPU of
/// compute capability `computeCapability` (80, 86, 89 or 90), in bytes, with
/// the launch's opt-in above 48 KiB (CUDA C++ Programming Guide, "Technical
/// Specifications per Compute Capability", maximum shared memory per thread
/// block): 227 KiB on sm_90, 163 KiB on sm_80, 99 KiB on sm_86 and sm_89.
constexpr int64_t maxSharedBytesPerProgram(unsigned computeCapability) {
  return computeCapability == 90   ? 227 * 1024
         : computeCapability == 80 ? 163 * 1024
                                   : 99 * 1024;
}

/// The least of maxSharedBytesPerProgram over the supported GPUs (sm_86 and
/// sm_89): what a kernel meant to fit every target, or two programs an
/// sm_90 SM, may use.
constexpr int64_t kLeastMaxSharedBytesPerProgram = maxSharedBytesPerProgram(86);

/// Where tile-pipeline issues the copies of later tiles in a pipelined K
/// loop's body (`tile.pipeline_copies_at`). Every place is after the barrier
/// that ends the previous iteration's reads of the buffer being refilled, so
/// all are correct; they differ in what the copies' address arithmetic and
/// the cp.async issue overlap with (bench/RESULTS.md, 2026-12-01 00:18: no
/// place is fastest for every kernel).
enum class PipelineCopiesAt {
  /// Right after the barrier and the ldmatrix reads, before any math.
  Top,
  /// After the first op of the body that holds a tile.dot (at the top when
  /// none does).
  AfterFirstDot,
  /// At the end of the body, after the last dot.
  Bottom,
};

/// The attribute's word for `at`: "top", "after_first_dot" or "bottom".
constexpr const char *pipelineCopiesAtName(PipelineCopiesAt at) {
  return at == PipelineCopiesAt::Top             ? "top"
         : at == PipelineCopiesAt::AfterFirstDot ? "after_first_dot"
                                                 : "bottom";
}

} // namespace mlir::tile

#endif // TILE_SUPPORT_TARGETFACTS_H
