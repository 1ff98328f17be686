//===- TargetInfo.h - num_warps, the target and what it can do --*- C++ -*-===//
//
// The launch facts of a kernel have one owner: the module attributes
// `tile.num_warps` (warps per program) and `tile.target` (the GPU, spelled
// "cuda:90a"), verified by the dialect and read only through the getters
// below, which supply the one default of each. The pipeline's `sm_*` option
// sets `tile.target` (the NVPTX and ptxas spelling "sm_90a" names the same
// GPU); convert-tile-to-llvm reads it.
//
// Lowering patterns never compare compute-capability numbers: they ask a
// TargetInfo whether an instruction exists, as Triton's patterns ask theirs
// (triton-lang/triton: third_party/nvidia/lib/TritonNVIDIAGPUToLLVM/
// TargetInfo.h). Each question names the PTX instruction it stands for and
// the first GPU that has it (PTX ISA, "Target ISA notes").
//
//===----------------------------------------------------------------------===//

#ifndef TILE_DIALECT_TILE_TARGETINFO_H
#define TILE_DIALECT_TILE_TARGETINFO_H

#include "tile/Support/TargetFacts.h"

#include "llvm/ADT/StringRef.h"

#include <optional>
#include <string>

namespace mlir {
class Operation;
} // namespace mlir

namespace mlir::tile {

/// Warps per program when the module has no `tile.num_warps`.
constexpr unsigned kDefaultNumWarps = 4;
/// The GPU when the module has no `tile.target`: Hopper with its
/// architecture-specific features (wgmma, setmaxnreg).
constexpr llvm::StringLiteral kDefaultTarget = "cuda:90a";

/// Shared buffers per pipelined K loop when the module has no
/// `tile.num_stages` (tile-pipeline): two tiles in flight while one computes.
constexpr unsigned kDefaultNumStages = 3;

/// The stages of the module holding `op` (or `op` itself):
/// `tile.num_stages`, else kDefaultNumStages.
unsigned getNumStages(Operation *op);

// kMaxProgramsPerSM, isValidMinProgramsPerSM, maxSharedBytesPerProgram and
// PipelineCopiesAt: tile/Support/TargetFacts.h (plain C++, for the kernels'
// specs too).

/// The programs per SM the module holding `op` (or `op` itself) asks ptxas
/// to fit (`tile.min_programs_per_sm`), else 0: no bound beyond the block
/// size, ptxas's own choice of registers.
unsigned getMinProgramsPerSM(Operation *op);

/// Whether the module holding `op` asks tile-pipeline to copy a K loop's
/// other loads ahead too (`tile.pipeline_other_loads`).
bool getPipelineOtherLoads(Operation *op);

/// Whether the module holding `op` asks convert-tile-to-llvm for shared
/// addresses with their constant offsets in the instruction's immediate
/// (`tile.shared_immediate_offsets`).
bool getSharedImmediateOffsets(Operation *op);

/// Whether the module holding `op` asks tile-accelerate-matmul for the
/// warpgroup tensor-core instructions (wgmma) where a dot allows them
/// (`tile.warpgroup_mma`; sm_90a only).
bool getWarpgroupMma(Operation *op);

/// A pass's `target` option: when `arch` (sm_90a, sm_90, sm_89, sm_86 or
/// sm_80) is not empty, sets `module`'s `tile.target` to it, so that this
/// pass and every later one see it (tile-coalesce, the first pass, and
/// convert-tile-to-llvm take the option). False, with an
/// error on the module, for any other name.
bool applyTargetOption(Operation *module, llvm::StringRef arch);

/// "top", "after_first_dot" or "bottom"; std::nullopt for anything else.
std::optional<PipelineCopiesAt> parsePipelineCopiesAt(llvm::StringRef text);
llvm::StringRef stringifyPipelineCopiesAt(PipelineCopiesAt at);

/// The placement of the module holding `op` (or `op` itself):
/// `tile.pipeline_copies_at`, else PipelineCopiesAt::Top.
PipelineCopiesAt getPipelineCopiesAt(Operation *op);

/// Whether `numWarps` may be a program's warp count: a power of two in
/// [1, 32] (at most 1024 threads per block).
bool isValidNumWarps(int64_t numWarps);

/// The warps per program of the module holding `op` (or `op` itself if it is
/// the module): `tile.num_warps`, else kDefaultNumWarps.
unsigned getNumWarps(Operation *op);

/// The GPU of the module holding `op` (or `op` itself): `tile.target` (e.g.
/// "cuda:90a"), else kDefaultTarget.
llvm::StringRef getTarget(Operation *op);

/// A GPU the compiler can target and the questions lowering asks of it.
class TargetInfo {
public:
  /// The GPU named in `tile.target` spelling: "cuda:80", "cuda:86",
  /// "cuda:89", "cuda:90" or "cuda:90a"; nullopt for any other.
  static std::optional<TargetInfo> fromTarget(llvm::StringRef target);
  /// The GPU named in NVPTX/ptxas spelling: "sm_80", "sm_86", "sm_89",
  /// "sm_90" or "sm_90a"; nullopt for any other.
  static std::optional<TargetInfo> fromArch(llvm::StringRef arch);
  /// The GPU of the module holding `op` (getTarget; the verifier has checked
  /// that it is known).
  static TargetInfo get(Operation *op);

  /// major * 10 + minor: 90 for sm_90a.
  unsigned getComputeCapability() const { return computeCapability; }
  /// Whether the architecture-specific features of this exact GPU are on
  /// (the "a" of sm_90a): code for it runs on no other GPU.
  bool hasArchSpecificFeatures() const { return archSpecific; }
  /// The `tile.target` spelling, "cuda:90a".
  std::string getTarget() const;
  /// The NVPTX/ptxas spelling, "sm_90a".
  std::string getArch() const;

  /// `cvt.rn.satfinite.e4m3x2.f32` and `.e5m2x2` (PTX ISA 7.8): sm_89 and
  /// later. Without it, fp8 conversions are bit arithmetic.
  bool supportsFp8Conversion() const { return computeCapability >= 89; }
  /// `cvt.rn.satfinite.e2m1x2.f32` (PTX ISA 8.6): sm_100a and later. Without
  /// it, e2m1 conversions are integer and FMA arithmetic on the bits.
  bool supportsE2M1Conversion() const { return computeCapability >= 100; }
  /// `wgmma.mma_async` (PTX ISA 8.0): sm_90a only.
  bool supportsWgmma() const { return computeCapability == 90 && archSpecific; }
  /// `griddepcontrol.wait` and `.launch_dependents` (PTX ISA 7.8): sm_90 and
  /// later. With them a kernel can be launched while the one before it on
  /// the stream still runs (programmatic dependent launch).
  bool supportsGridDependencyControl() const { return computeCapability >= 90; }

  /// The threads and the programs (thread blocks) an SM holds at once
  /// (CUDA C++ Programming Guide, "Technical Specifications per Compute
  /// Capability"): 2048 threads on sm_80 and sm_90, 1536 on sm_86 and sm_89;
  /// 32 programs on sm_80 and sm_90, 16 on sm_86, 24 on sm_89.
  unsigned getMaxThreadsPerSM() const {
    return computeCapability == 86 || computeCapability == 89 ? 1536 : 2048;
  }
  unsigned getMaxProgramsPerSM() const {
    return computeCapability == 86 ? 16 : computeCapability == 89 ? 24 : 32;
  }
  /// The shared memory one program (thread block) may have, in bytes, with
  /// the launch's opt-in above 48 KiB (maxSharedBytesPerProgram).
  unsigned getMaxSharedBytesPerProgram() const {
    return unsigned(maxSharedBytesPerProgram(computeCapability));
  }

private:
  TargetInfo(unsigned computeCapability, bool archSpecific)
      : computeCapability(computeCapability), archSpecific(archSpecific) {}

  unsigned computeCapability;
  bool archSpecific;
};

} // namespace mlir::tile

#endif // TILE_DIALECT_TILE_TARGETINFO_H
