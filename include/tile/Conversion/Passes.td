//===- Passes.td - Conversion passes of tile ------------------*- tablegen -*-===//

#ifndef TILE_CONVERSION_PASSES_TD
#define TILE_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def ConvertTileToLLVMPass : Pass<"convert-tile-to-llvm", "::mlir::ModuleOp"> {
  let summary = "Lower tiles with layouts to per-thread LLVM and NVVM ops";
  let description = [{
    Needs every tile to carry a layout (run tile-coalesce and
    tile-assign-layouts first). Each tile value becomes the scalars its
    layout gives one thread; tile ops become LLVM/NVVM ops:

    - program_id/num_programs: `%ctaid`/`%nctaid`; make_range, splat,
      broadcast, expand_dims: per-element index arithmetic, no data movement;
    - load/store: predicated `ld.global[.nc].v4.b32` / `st.global.v4.b32`
      (inline PTX) as wide as contiguity, alignment and masks allow;
    - reduce: in-thread, then `shfl.sync.bfly` within the warp, then across
      warps through shared memory; convert_layout and reshape through shared
      memory;
    - fp_to_fp to f8E4M3FN: `cvt.rn.satfinite.e4m3x2.f32` on sm_89 and later,
      integer arithmetic before; to f4E2M1FN and from fp8: arithmetic;
      fp_to_int: `cvt.rni.sat.s8.f32` and friends; math.exp: `ex2.approx.f32`.

    The GPU is the module's `tile.target` (default cuda:90a), which the
    `target` option sets when given; patterns ask its TargetInfo which
    instructions exist.

    Kernels get `nvvm.kernel`, `nvvm.reqntid`, `nvvm.minctasm` where the
    module has `tile.min_programs_per_sm` (which the `min-programs-per-sm`
    option sets) and, for pointer arguments,
    `llvm.noalias` and `llvm.align`; `tile.shared_bytes` records the dynamic
    shared memory they need. Scalar arith/math/scf remain for the upstream
    lowerings. An op it cannot lower is reported with the reason.

    Numerics: math.exp and math.exp2 on f32 use the hardware's approximate
    `ex2` (within 2 ulp), as Triton does. Where the flush-to-zero forms give
    the same bits (an exp only added to a constant of at least 2^-100; an
    afn division by exp(..) + c, c >= 2^-126, as in SiLU), `ex2.approx.ftz`
    and `rcp.approx.ftz` with a multiply replace the full forms' fix-ups.
  }];
  let options = [
    Option<"target", "target", "std::string", /*default=*/"\"\"",
           "GPU architecture: sm_90a, sm_90, sm_89, sm_86 or sm_80 sets the "
           "module's tile.target; empty keeps it (default cuda:90a)">,
    Option<"minProgramsPerSM", "min-programs-per-sm", "unsigned",
           /*default=*/"0",
           "programs (CTAs) that should fit on one SM at once, 1 to 32: sets "
           "the module's tile.min_programs_per_sm, which becomes the "
           "kernels' nvvm.minctasm (PTX .minnctapersm: ptxas keeps the "
           "registers per thread within what that many programs leave); 0 "
           "keeps the module's">,
    Option<"sharedImmediateOffsets", "shared-immediate-offsets", "bool",
           /*default=*/"false",
           "address each shared-memory access of a thread as one register "
           "plus the access's constant offset, folded into the instruction's "
           "immediate, where the layouts allow (sets the module's "
           "tile.shared_immediate_offsets; off keeps the module's)">,
    Option<"sinkSharedLoads", "sink-shared-loads", "bool", /*default=*/"true",
           "move each ldmatrix (and the pure ops unpacking it) down to its "
           "first use, never past a barrier, a cp.async wait or a shared "
           "store, so a dot's K tile is not live in registers at once">,
    Option<"prefetchKSteps", "prefetch-k-steps", "unsigned", /*default=*/"1",
           "with sink-shared-loads: move each ldmatrix back up past the "
           "mma.sync of this many K steps before its first use (0: leave it "
           "at its first use)">,
    Option<"mmaKInnermost", "mma-k-innermost", "bool", /*default=*/"false",
           "issue each accumulator fragment's whole K chain of mma.sync "
           "before the next fragment's, instead of K steps outermost (an "
           "experiment: session 7's sink reordered the mma this way by "
           "accident and measured faster grouped GEMMs; off until a GPU "
           "run compares it)">,
  ];
  let dependentDialects = ["::mlir::LLVM::LLVMDialect",
                           "::mlir::NVVM::NVVMDialect",
                           "::mlir::arith::ArithDialect",
                           "::mlir::math::MathDialect",
                           "::mlir::scf::SCFDialect"];
}

def TileTestSharedAllocationPass
    : Pass<"tile-test-shared-allocation", "::mlir::ModuleOp"> {
  let summary = "Print each kernel's shared-memory allocation (a test pass)";
  let description = [{
    For every kernel, prints to stderr what convert-tile-to-llvm will place
    in dynamic shared memory (computeSharedAllocation): the scratch bytes,
    the offset and size of each tile.local_alloc, and the total that becomes
    `tile.shared_bytes`. The IR is unchanged.

    ```
    shared allocation of @matmul: scratch 65536 bytes
      buffer 0 at 65536: 3 x 8192 bytes (!tile.memdesc<3x128x32xf16, ...>)
      total 114688 bytes
    ```
  }];
}

#endif // TILE_CONVERSION_PASSES_TD
