//===- Pipeline.h - From tile IR to LLVM IR, PTX and cubin ------*- C++ -*-===//
//
// The compiler's one entry point: the pass pipeline from logical tile IR to the
// LLVM dialect, and the steps after it (LLVM IR, PTX through LLVM's NVPTX
// backend, cubin through ptxas). Each stage can be printed.
//
//===----------------------------------------------------------------------===//

#ifndef TILE_PIPELINE_PIPELINE_H
#define TILE_PIPELINE_PIPELINE_H

#include "tile/Dialect/Tile/TargetInfo.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Pass/PassManager.h"

#include <optional>
#include <string>
#include <vector>

namespace mlir::tile {

/// Options of the pipeline.
struct PipelineOptions {
  /// GPU architecture: sm_90a, sm_90, sm_89, sm_86 or sm_80 sets the
  /// module's `tile.target`, which decides the lowering; empty keeps it
  /// (default cuda:90a).
  std::string target;
  /// Warps per program; 0 keeps the module's `tile.num_warps` (default 4).
  unsigned numWarps = 0;
  /// Shared buffers of each pipelined K loop (tile-pipeline's num-stages,
  /// 1 to 8); 0 keeps the module's `tile.num_stages` (default 3).
  unsigned numStages = 0;
  /// Programs (CTAs) that should fit on one SM at once, 1 to 32
  /// (convert-tile-to-llvm's min-programs-per-sm: PTX `.minnctapersm`, so
  /// ptxas bounds each thread's registers); 0 keeps the module's
  /// `tile.min_programs_per_sm` (default: no bound).
  unsigned minProgramsPerSM = 0;
  /// convert-tile-to-llvm's shared-immediate-offsets: each shared-memory
  /// access of a thread addressed as one register plus a constant offset in
  /// the instruction (`tile.shared_immediate_offsets`); false keeps the
  /// module's (default: one address register per offset).
  bool sharedImmediateOffsets = false;
  /// convert-tile-to-llvm's ldmatrix schedule (its options of the same
  /// names, include/tile/Conversion/Passes.td); unset keeps the pass's
  /// default. For A/B runs of the schedule without rebuilding the compiler,
  /// and for a kernel that runs faster with another.
  std::optional<bool> sinkSharedLoads;
  std::optional<unsigned> prefetchKSteps;
  std::optional<bool> mmaKInnermost;
  /// Whether tile-int-to-float runs (unset: it does). Off only to measure
  /// what it buys.
  std::optional<bool> intToFloat;
  /// tile-pipeline's other-loads (unset: the module's
  /// `tile.pipeline_other_loads`, else off).
  std::optional<bool> pipelineOtherLoads;
  /// tile-pipeline's copies-at: "top", "after_first_dot" or "bottom"; empty
  /// keeps the module's `tile.pipeline_copies_at` (default "top"). Anything
  /// else fails the pass with a message.
  std::string pipelineCopiesAt;
  /// tile-pipeline's async-warpgroup-dots: a K loop body's wgmma dots whose
  /// operands are all ready at the first are issued together,
  /// asynchronously, each waited for before its first use (unset: the
  /// pass's default, on). Off to measure it.
  std::optional<bool> asyncWarpgroupDots;
  /// tile-pipeline's widen-ahead: f16_exact's int8 tiles widened for wgmma
  /// one iteration ahead, while the dots compute (unset: the pass's
  /// default, off: it measured no faster).
  std::optional<bool> widenAhead;
};

/// Whether `target` is an architecture the compiler supports.
bool isSupportedTarget(llvm::StringRef target);

/// Canonicalize, int-to-float, combine, coalesce, assign layouts,
/// convert-tile-to-llvm, then the upstream lowerings of scf/arith/math/cf/func
/// to the LLVM dialect.
void buildTileToLLVMPipeline(OpPassManager &pm, const PipelineOptions &options);

/// Registers `--tile-to-llvm` (with `target=` and `num-warps=` options) for
/// tile-opt.
void registerTilePipelines();

/// Every dialect and translation the compiler uses, for a context that parses
/// tile IR and lowers it to LLVM IR.
void registerCompilerDialects(DialectRegistry &registry);

/// A kernel parameter as the launcher sees it.
struct KernelParam {
  enum class Kind { Pointer, I32, I64, F32 };
  Kind kind;
  std::string name;
  /// For pointers: the alignment in bytes the kernel assumes (0 = none).
  unsigned alignment = 0;
  /// For integers: the kernel assumes the value is a multiple of this (its
  /// `tile.divisibility`; 0 = none).
  unsigned divisibility = 0;
};

/// What a launcher needs to know about a compiled kernel.
struct KernelInfo {
  std::string name;
  std::vector<KernelParam> params;
  unsigned numWarps = kDefaultNumWarps;
  unsigned sharedBytes = 0;
  /// The kernel executes `griddepcontrol.wait` before it touches memory (the
  /// lowering puts it first for sm_90 and later), so it may be launched
  /// while the kernel before it on the stream still runs
  /// (rt::Stream::setProgrammaticLaunch).
  bool waitsForPrerequisites = false;
};

/// The kernels of a module lowered to the LLVM dialect, with what each
/// assumes of its arguments (a pointer's `llvm.align`, an integer's
/// `tile.divisibility`), for the launcher to check.
FailureOr<std::vector<KernelInfo>> getKernelInfo(ModuleOp llvmModule);

/// The architecture (`sm_90a`) of a module's `tile.target`: what the
/// translations below and ptxas take for a module the pipeline lowered.
std::string getTargetArch(ModuleOp module);

/// LLVM IR text of a module lowered to the LLVM dialect.
FailureOr<std::string> translateToLLVMIR(ModuleOp llvmModule,
                                         llvm::StringRef target);

/// PTX of a module lowered to the LLVM dialect: LLVM's O3 pipeline, then the
/// NVPTX backend.
FailureOr<std::string> translateToPTX(ModuleOp llvmModule,
                                      llvm::StringRef target);

/// The ptxas assemblePTX runs: `$TILE_PTXAS`, /usr/local/cuda/bin/ptxas or
/// ptxas on PATH; "" when there is none.
std::string findPtxas();

/// Assembles `ptx` with ptxas (`$TILE_PTXAS`, /usr/local/cuda/bin/ptxas or
/// ptxas on PATH) into a cubin. `info` receives ptxas's resource report
/// (registers, shared memory, spills).
FailureOr<std::string> assemblePTX(llvm::StringRef ptx, llvm::StringRef target,
                                   std::string *info, Location loc);

} // namespace mlir::tile

#endif // TILE_PIPELINE_PIPELINE_H
