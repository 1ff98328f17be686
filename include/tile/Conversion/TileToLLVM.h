//===- TileToLLVM.h - Lowering tile IR to LLVM and NVVM ---------*- C++ -*-===//
//
// convert-tile-to-llvm turns every tile (a tensor with a layout encoding) into
// the scalars one thread holds, and every tile op into LLVM/NVVM ops (PTX
// inline asm where LLVM has no match: predicated vector loads and stores,
// fp8 and int8 conversions). Scalar arith/math/scf stay for the upstream
// lowerings that follow (see tile/Pipeline/Pipeline.h).
//
//===----------------------------------------------------------------------===//

#ifndef TILE_CONVERSION_TILETOLLVM_H
#define TILE_CONVERSION_TILETOLLVM_H

#include "tile/Dialect/Tile/TargetInfo.h"

#include "mlir/Pass/Pass.h"
#include "mlir/Transforms/DialectConversion.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"

namespace mlir::tile {

#define GEN_PASS_DECL_CONVERTTILETOLLVMPASS
#define GEN_PASS_DECL_TILETESTSHAREDALLOCATIONPASS
#include "tile/Conversion/Passes.h.inc"

/// Facts about the kernel that the patterns need and cannot see locally,
/// computed on the tile IR before conversion.
struct LoweringFacts {
  LoweringFacts(TargetInfo target, unsigned numWarps,
                unsigned minProgramsPerSM = 0)
      : target(target), numWarps(numWarps),
        minProgramsPerSM(minProgramsPerSM) {}

  /// The module's GPU (`tile.target`): patterns ask it which instructions
  /// exist.
  TargetInfo target;
  /// Warps per program (`tile.num_warps`).
  unsigned numWarps;
  /// Programs an SM should hold at once (`tile.min_programs_per_sm`); 0:
  /// no bound.
  unsigned minProgramsPerSM;
  /// Elements per global access of each tile load and store.
  llvm::DenseMap<Operation *, unsigned> vectorWidth;
  /// Loads whose memory no store of the kernel writes: `ld.global.nc`.
  llvm::DenseSet<Operation *> readOnlyLoads;
  /// Byte offset in the kernel's dynamic shared memory of each
  /// tile.local_alloc: after the scratch space, 128-byte aligned.
  llvm::DenseMap<Operation *, int64_t> sharedOffset;
  /// The local_allocs that start with a barrier
  /// (SharedAllocation::afterScratch).
  llvm::DenseSet<Operation *> barrierBeforeAlloc;
  /// f32 exps whose every use adds a constant of magnitude >= 2^-100:
  /// `ex2.approx.ftz` gives the same bits (findFlushSafeMath).
  llvm::DenseSet<Operation *> flushSafeExps;
  /// afn f32 divisions by exp(..) + c, c >= 2^-126: `rcp.approx.ftz` and a
  /// multiply give div.approx's bits (findFlushSafeMath).
  llvm::DenseSet<Operation *> reciprocalDivisions;
};

/// Fills facts.flushSafeExps and facts.reciprocalDivisions for the ops of
/// `kernel`: where the flush-to-zero forms of the approximate instructions
/// give the bits of the full forms (the reasoning: FlushSafeMath.cpp).
void findFlushSafeMath(Operation *kernel, LoweringFacts &facts);

/// A kernel's dynamic shared memory (`tile.shared_bytes`): the scratch space
/// that every convert_layout, reshape and cross-warp reduction uses from byte
/// 0 (each use between barriers), and each tile.local_alloc's buffer ring,
/// 128-byte aligned, after the scratch that is used while the rings live
/// (from the first alloc to the end of the last op using one); scratch users
/// before or after that share the rings' bytes (a pipelined loop ends with
/// its copies waited for and a barrier). The total is the larger of the two
/// ends. The lowering places memory by it; tile-test-shared-allocation
/// prints it.
struct SharedAllocation {
  /// The largest scratch use anywhere (all from byte 0).
  int64_t scratchBytes = 0;
  /// Each local_alloc and its byte offset, in program order.
  SmallVector<std::pair<Operation *, int64_t>> bufferOffsets;
  int64_t totalBytes = 0;
  /// The local_allocs whose bytes a scratch user before every ring's life
  /// (a reduction or conversion before the pipelined loop) also uses: the
  /// ring's first copies must wait, behind a barrier, for that user's last
  /// reads in the other warps (racecheck found it: grouped_gemm_i8's tile
  /// search at 64 experts a step, whose sums go across warps).
  llvm::DenseSet<Operation *> afterScratch;
};
SharedAllocation computeSharedAllocation(Operation *kernel);

/// On each mma.sync the dot lowering emits (an llvm.inline_asm): how many
/// mma.sync instructions one K step of its dot issues (the warp's m16 tiles
/// times its n8 tiles). sinkSharedLoadsToFirstUse reads it;
/// dropMmaPerKStepAttrs removes it.
inline constexpr llvm::StringLiteral kMmaPerKStepAttrName =
    "tile.mma_per_k_step";

/// After the lowering (convert-tile-to-llvm's sink-shared-loads, on by
/// default): moves each ldmatrix of `kernel` (and the pure ops unpacking its
/// registers) down to just before its first use, never past a barrier, a
/// cp.async wait or a write to shared memory, so that an mma's fragments are
/// read when it needs them instead of a dot's whole K tile at once; then,
/// with `prefetchKSteps` > 0, each ldmatrix alone goes back up past the
/// mma.sync of that many K steps before its first use (kMmaPerKStepAttrName),
/// so its latency hides behind them (Triton's prefetch of the next ldmatrix
/// slice). SinkSharedLoads.cpp.
void sinkSharedLoadsToFirstUse(Operation *kernel, unsigned prefetchKSteps);

/// Removes kMmaPerKStepAttrName from every op of `kernel`.
void dropMmaPerKStepAttrs(Operation *kernel);

/// Tiles become their per-thread scalars; `!tile.ptr` becomes `!llvm.ptr<1>`;
/// scalars stay.
class TileToLLVMTypeConverter : public TypeConverter {
public:
  explicit TileToLLVMTypeConverter(MLIRContext *ctx);
};

/// The op families of convert-tile-to-llvm, one per file.
void populateProgramOpToLLVMPatterns(TypeConverter &converter,
                                     RewritePatternSet &patterns);
void populateShapeOpToLLVMPatterns(TypeConverter &converter,
                                   RewritePatternSet &patterns);
void populateMemoryOpToLLVMPatterns(TypeConverter &converter,
                                    RewritePatternSet &patterns,
                                    const LoweringFacts &facts);
void populateElementwiseOpToLLVMPatterns(TypeConverter &converter,
                                         RewritePatternSet &patterns,
                                         const LoweringFacts &facts);
void populateSharedMemoryToLLVMPatterns(TypeConverter &converter,
                                        RewritePatternSet &patterns,
                                        const LoweringFacts &facts);
/// `kInnermost`: issue each accumulator fragment's whole K chain of
/// mma.sync before the next fragment's (convert-tile-to-llvm's
/// mma-k-innermost), instead of K steps outermost.
void populateDotOpToLLVMPatterns(TypeConverter &converter,
                                 RewritePatternSet &patterns,
                                 bool kInnermost = false);
/// tile.warpgroup_dot as wgmma.mma_async over shared-memory descriptors, and
/// tile.fence_async_shared.
void populateWarpgroupDotOpToLLVMPatterns(TypeConverter &converter,
                                          RewritePatternSet &patterns);
void populateReduceOpToLLVMPatterns(TypeConverter &converter,
                                    RewritePatternSet &patterns);
void populateConversionOpToLLVMPatterns(TypeConverter &converter,
                                        RewritePatternSet &patterns,
                                        const LoweringFacts &facts);

/// registerTileConversionPasses(): registers convert-tile-to-llvm and
/// tile-test-shared-allocation.
#define GEN_PASS_REGISTRATION
#include "tile/Conversion/Passes.h.inc"

} // namespace mlir::tile

#endif // TILE_CONVERSION_TILETOLLVM_H
