//===- TileDialect.td - The tile dialect and its base classes -*- tablegen -*-===//
//
// The `tile` dialect: Triton-style tile programs. Tiles are builtin ranked tensors
// with static power-of-two shapes; elementwise math is `arith`/`math` on them and
// control flow is `scf`. The dialect adds pointers, program ids, tile shaping,
// masked memory access, reductions, dots and explicitly rounded conversions.
//
//===----------------------------------------------------------------------===//

#ifndef TILE_DIALECT_TD
#define TILE_DIALECT_TD

include "mlir/IR/OpBase.td"
include "mlir/IR/AttrTypeBase.td"

def Tile_Dialect : Dialect {
  let name = "tile";
  let cppNamespace = "::mlir::tile";
  let summary = "Triton-style tile programs for GPUs";
  let description = [{
    A kernel is a `func.func` run once per program instance of a 1- to 3-D grid.
    Each instance works on tiles: ranked tensors with static power-of-two extents
    (ragged edges are handled with masks). Global memory is addressed through
    `!tile.ptr<T>` values and tensors of them.

    Discardable attributes the dialect understands:
    - `tile.num_warps` (module): warps per program, a power of two in [1, 32];
    - `tile.target` (module): the GPU, `"cuda:90a"` or `"cuda:80"`;
    - `tile.num_stages` (module): shared buffers of each software-pipelined
      K loop, 1 to 8 (tile-pipeline; 1 turns pipelining off);
    - `tile.pipeline_other_loads` (module, unit): tile-pipeline also copies a
      K loop's other loads (a GEMM's per-group scales) ahead;
    - `tile.pipeline_copies_at` (module): where in a pipelined K loop's body
      tile-pipeline issues the copies of later tiles: `"top"` (the default,
      right after the barrier), `"after_first_dot"` or `"bottom"`;
    - `tile.shared_immediate_offsets` (module, unit): convert-tile-to-llvm
      addresses each shared-memory access of a thread as one register plus
      the access's constant offset (folded into the instruction's
      immediate) wherever the layouts allow, instead of one address
      register per offset (fewer registers and instructions; ptxas's
      schedule of the result is faster for some kernels, slower for others);
    - `tile.warpgroup_mma` (module, unit): tile-accelerate-matmul gives
      the dots that wgmma can compute from shared memory (getMmaV3Layout)
      its accumulator layout, and tile-pipeline makes them
      `tile.warpgroup_dot`s over its rings (sm_90a; off: mma.sync);
    - `tile.min_programs_per_sm` (module): programs (CTAs) of each kernel
      that should fit on one SM at once, 1 to 32; the lowering gives the
      kernel `nvvm.minctasm`, PTX's `.minnctapersm`, so ptxas keeps each
      thread's registers within 64K / (programs x threads per program)
      (CUDA's `__launch_bounds__` second argument), spilling if it must;
    - `tile.divisibility` (kernel argument): a power of two the argument (a
      pointer's address in bytes, or an integer's value) is known to divide;
    - `tile.layout` (load/store, set by tile-coalesce): the `#tile.blocked`
      layout the access's tiles should get;
    - `tile.shared_bytes` (lowered kernel, set by convert-tile-to-llvm): the
      dynamic shared memory the kernel needs, in bytes.
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect"];
  let useDefaultTypePrinterParser = 1;
  let useDefaultAttributePrinterParser = 1;
  let hasConstantMaterializer = 1;
  let hasOperationAttrVerify = 1;
  let hasRegionArgAttrVerify = 1;
  let extraClassDeclaration = [{
    static constexpr ::llvm::StringLiteral kNumWarpsAttrName = "tile.num_warps";
    static constexpr ::llvm::StringLiteral kNumStagesAttrName = "tile.num_stages";
    static constexpr ::llvm::StringLiteral kPipelineOtherLoadsAttrName = "tile.pipeline_other_loads";
    static constexpr ::llvm::StringLiteral kPipelineCopiesAtAttrName = "tile.pipeline_copies_at";
    static constexpr ::llvm::StringLiteral kMinProgramsPerSMAttrName = "tile.min_programs_per_sm";
    static constexpr ::llvm::StringLiteral kSharedImmediateOffsetsAttrName = "tile.shared_immediate_offsets";
    static constexpr ::llvm::StringLiteral kWarpgroupMmaAttrName = "tile.warpgroup_mma";
    static constexpr ::llvm::StringLiteral kTargetAttrName = "tile.target";
    static constexpr ::llvm::StringLiteral kDivisibilityAttrName = "tile.divisibility";
    static constexpr ::llvm::StringLiteral kLayoutHintAttrName = "tile.layout";
    static constexpr ::llvm::StringLiteral kSharedBytesAttrName = "tile.shared_bytes";
  private:
    void registerTypes();
    void registerAttributes();
  public:
  }];
}

/// Every tensor operand and result of the op has a static, power-of-two shape.
def Tile_PowerOfTwoShapes : NativeOpTrait<"PowerOfTwoShapes"> {
  let cppNamespace = "::mlir::tile::OpTrait";
}

class Tile_Op<string mnemonic, list<Trait> traits = []>
    : Op<Tile_Dialect, mnemonic, !listconcat(traits, [Tile_PowerOfTwoShapes])>;

#endif // TILE_DIALECT_TD
