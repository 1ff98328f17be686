//===- TileOps.td - Operations of the tile dialect -------------*- tablegen -*-===//
//
// The logical tile ops. Every op checks that its tiles have static power-of-two
// extents (Tile_PowerOfTwoShapes) and has a verifier whose messages name the
// problem; dialects/Tile/TileOps.cpp holds them.
//
//===----------------------------------------------------------------------===//

#ifndef TILE_OPS_TD
#define TILE_OPS_TD

include "TileDialect.td"
include "TileAttrs.td"
include "TileEnums.td"
include "TileTypes.td"
include "mlir/IR/OpBase.td"
include "mlir/Interfaces/SideEffectInterfaces.td"
include "mlir/Interfaces/ControlFlowInterfaces.td"
include "mlir/Interfaces/InferIntRangeInterface.td"
include "mlir/Interfaces/InferTypeOpInterface.td"

//===----------------------------------------------------------------------===//
// Programs
//===----------------------------------------------------------------------===//

def Tile_ProgramIdOp : Tile_Op<"program_id", [Pure]> {
  let summary = "the index of this program instance along a grid axis";
  let description = [{
    ```mlir
    %pid = tile.program_id x : i32
    ```
  }];
  let arguments = (ins Tile_ProgramAxisAttr:$axis);
  let results = (outs I32:$result);
  let assemblyFormat = "$axis attr-dict `:` type($result)";
}

def Tile_NumProgramsOp : Tile_Op<"num_programs", [Pure]> {
  let summary = "the number of program instances along a grid axis";
  let description = [{
    ```mlir
    %n = tile.num_programs y : i32
    ```
  }];
  let arguments = (ins Tile_ProgramAxisAttr:$axis);
  let results = (outs I32:$result);
  let assemblyFormat = "$axis attr-dict `:` type($result)";
}

//===----------------------------------------------------------------------===//
// Making and shaping tiles
//===----------------------------------------------------------------------===//

def Tile_MakeRangeOp : Tile_Op<"make_range", [Pure]> {
  let summary = "the 1-D tile start, start + 1, ..., end - 1";
  let description = [{
    The tile of consecutive i32 values `[start, end)`; `end - start` is the
    result's extent, a power of two. A range of one element folds to a constant;
    longer ranges stay ops so that the axis analysis sees their contiguity.

    ```mlir
    %offs = tile.make_range {end = 128 : i32, start = 0 : i32} : tensor<128xi32>
    ```
  }];
  let arguments = (ins I32Attr:$start, I32Attr:$end);
  let results = (outs RankedTensorOf<[I32]>:$result);
  let assemblyFormat = "attr-dict `:` type($result)";
  let builders = [
    OpBuilder<(ins "int32_t":$start, "int32_t":$end)>
  ];
  let hasVerifier = 1;
  let hasFolder = 1;
}

def Tile_SplatOp : Tile_Op<"splat", [Pure]> {
  let summary = "a tile whose every element is the given scalar";
  let description = [{
    ```mlir
    %t = tile.splat %x : f32 -> tensor<64x128xf32>
    ```
    The splat of a constant folds to a dense constant.
  }];
  let arguments = (ins Tile_Scalar:$src);
  let results = (outs Tile_Tensor:$result);
  let assemblyFormat = "$src attr-dict `:` type($src) `->` type($result)";
  let hasVerifier = 1;
  let hasFolder = 1;
}

def Tile_BroadcastOp : Tile_Op<"broadcast", [Pure]> {
  let summary = "repeat a tile along its extent-1 dimensions";
  let description = [{
    Same rank in and out; every source extent equals the result's or is 1.

    ```mlir
    %b = tile.broadcast %row : tensor<1x128xf32> -> tensor<64x128xf32>
    ```
    Broadcasting a splat is a splat; a broadcast to the same type is its source.
  }];
  let arguments = (ins Tile_Tensor:$src);
  let results = (outs Tile_Tensor:$result);
  let assemblyFormat = "$src attr-dict `:` type($src) `->` type($result)";
  let hasVerifier = 1;
  let hasFolder = 1;
  let hasCanonicalizer = 1;
}

def Tile_ExpandDimsOp : Tile_Op<"expand_dims", [Pure]> {
  let summary = "insert an extent-1 dimension at `axis`";
  let description = [{
    ```mlir
    %col = tile.expand_dims %r {axis = 1 : i32} : tensor<64xi32> -> tensor<64x1xi32>
    ```
  }];
  let arguments = (ins Tile_Tensor:$src, I32Attr:$axis);
  let results = (outs Tile_Tensor:$result);
  let assemblyFormat = "$src attr-dict `:` type($src) `->` type($result)";
  let builders = [
    OpBuilder<(ins "::mlir::Value":$src, "int32_t":$axis)>
  ];
  let hasVerifier = 1;
  let hasFolder = 1;
  let hasCanonicalizer = 1;
}

def Tile_ReshapeOp : Tile_Op<"reshape", [Pure]> {
  let summary = "view a tile's elements, in row-major order, with another shape";
  let description = [{
    ```mlir
    %g = tile.reshape %x : tensor<1024xf32> -> tensor<8x128xf32>
    ```
  }];
  let arguments = (ins Tile_Tensor:$src);
  let results = (outs Tile_Tensor:$result);
  let assemblyFormat = "$src attr-dict `:` type($src) `->` type($result)";
  let hasVerifier = 1;
  let hasFolder = 1;
  let hasCanonicalizer = 1;
}

def Tile_ConvertLayoutOp : Tile_Op<"convert_layout", [Pure]> {
  let summary = "move a tile's elements to another layout";
  let description = [{
    Same shape and element type, another layout encoding: the elements move
    between threads (through shared memory). Inserted by tile-assign-layouts
    where two layout requirements meet; converting to the same layout folds
    away, and two conversions in a row are one.

    ```mlir
    %y = tile.convert_layout %x : tensor<64xf32, #slice0> -> tensor<64xf32, #blocked1>
    ```
  }];
  let arguments = (ins Tile_Tensor:$src);
  let results = (outs Tile_Tensor:$result);
  let assemblyFormat = "$src attr-dict `:` type($src) `->` type($result)";
  let hasVerifier = 1;
  let hasFolder = 1;
  let hasCanonicalizer = 1;
}

//===----------------------------------------------------------------------===//
// Pointers and memory
//===----------------------------------------------------------------------===//

def Tile_AddPtrOp : Tile_Op<"addptr", [Pure, AllTypesMatch<["ptr", "result"]>]> {
  let summary = "offset pointers by a number of elements";
  let description = [{
    `result = ptr + offset * sizeof(T)` for `!tile.ptr<T>`, elementwise for
    tiles (pointer and offset tiles have the same shape). Adding zero folds away.

    ```mlir
    %p = tile.addptr %base, %offs : tensor<128x!tile.ptr<f32>>, tensor<128xi32>
    ```
  }];
  let arguments = (ins Tile_PtrLike:$ptr, Tile_IntLike:$offset);
  let results = (outs Tile_PtrLike:$result);
  let assemblyFormat = "$ptr `,` $offset attr-dict `:` type($ptr) `,` type($offset)";
  let hasVerifier = 1;
  let hasFolder = 1;
}

def Tile_LoadOp : Tile_Op<"load", [AttrSizedOperandSegments,
                                  MemoryEffects<[MemRead]>]> {
  let summary = "load a scalar or a tile from global memory, with an optional mask";
  let description = [{
    Loads the element behind each pointer. Where `mask` is false nothing is
    read and the result is `other` (undefined without `other`: the GPU keeps
    what the register held, the interpreter reads NaN or the integer bits
    0xa5a5..., so that a kernel using such lanes shows it). The mask has the
    pointers' shape; `other` has the result's type and needs a mask. `cache`
    is a PTX cache operator for loads (`none`, `ca`, `cg`, `cs`, `cv`), `evict`
    an L1 eviction priority (PTX `.L1::evict_first`, `.L1::evict_last`).

    ```mlir
    %x = tile.load %p, %m, %zero cache = cg evict = evict_first : tensor<128x!tile.ptr<bf16>>
    ```
  }];
  let arguments = (ins
    Tile_PtrLike:$ptr,
    Optional<Tile_BoolLike>:$mask,
    Optional<Tile_Value>:$other,
    DefaultValuedAttr<Tile_CacheModifierAttr, "::mlir::tile::CacheModifier::None">:$cache,
    DefaultValuedAttr<Tile_EvictionPolicyAttr, "::mlir::tile::EvictionPolicy::Normal">:$evict);
  let results = (outs Tile_Value:$result);
  let builders = [
    OpBuilder<(ins "::mlir::Value":$ptr, CArg<"::mlir::Value", "{}">:$mask,
                   CArg<"::mlir::Value", "{}">:$other,
                   CArg<"::mlir::tile::CacheModifier", "::mlir::tile::CacheModifier::None">:$cache,
                   CArg<"::mlir::tile::EvictionPolicy", "::mlir::tile::EvictionPolicy::Normal">:$evict)>
  ];
  let hasCustomAssemblyFormat = 1;
  let hasVerifier = 1;
}

def Tile_StoreOp : Tile_Op<"store", [MemoryEffects<[MemWrite]>]> {
  let summary = "store a scalar or a tile to global memory, with an optional mask";
  let description = [{
    Writes each element of `value` through its pointer where `mask` is true.
    `cache` is a PTX cache operator for stores (`none`, `wb`, `cg`, `cs`, `wt`).

    ```mlir
    tile.store %p, %q, %m cache = cs : tensor<128x!tile.ptr<f8E4M3FN>>
    ```
  }];
  let arguments = (ins
    Tile_PtrLike:$ptr,
    Tile_Value:$value,
    Optional<Tile_BoolLike>:$mask,
    DefaultValuedAttr<Tile_CacheModifierAttr, "::mlir::tile::CacheModifier::None">:$cache,
    DefaultValuedAttr<Tile_EvictionPolicyAttr, "::mlir::tile::EvictionPolicy::Normal">:$evict);
  let builders = [
    OpBuilder<(ins "::mlir::Value":$ptr, "::mlir::Value":$value,
                   CArg<"::mlir::Value", "{}">:$mask,
                   CArg<"::mlir::tile::CacheModifier", "::mlir::tile::CacheModifier::None">:$cache,
                   CArg<"::mlir::tile::EvictionPolicy", "::mlir::tile::EvictionPolicy::Normal">:$evict)>
  ];
  let hasCustomAssemblyFormat = 1;
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//

def Tile_ReduceOp : Tile_Op<"reduce", [RecursiveMemoryEffects, SingleBlock]> {
  let summary = "reduce one axis of tiles with a combiner region";
  let description = [{
    Reduces N tiles of one shape along `axis` with the combiner, which takes
    2N scalars (the N accumulated values, then the N new ones) and yields N
    with `tile.reduce.return`. Each result drops `axis`; reducing a 1-D tile
    gives a scalar. The combiner must be associative and commutative: the
    order of combination is the implementation's.

    ```mlir
    %m = tile.reduce %x axis = 1 : (tensor<64x128xf32>) -> tensor<64xf32> {
    ^bb0(%a: f32, %b: f32):
      %r = arith.maxnumf %a, %b : f32
      tile.reduce.return %r : f32
    }
    ```
  }];
  let arguments = (ins Variadic<Tile_Tensor>:$srcs, I32Attr:$axis);
  let results = (outs Variadic<Tile_Value>:$results);
  let regions = (region SizedRegion<1>:$combiner);
  let assemblyFormat = [{
    $srcs `axis` `=` $axis attr-dict `:` functional-type($srcs, $results) $combiner
  }];
  let builders = [
    // Builds the op with an empty combiner block of the right arguments.
    OpBuilder<(ins "::mlir::ValueRange":$srcs, "int32_t":$axis)>
  ];
  let hasVerifier = 1;
  let hasRegionVerifier = 1;
}

def Tile_ReduceReturnOp : Tile_Op<"reduce.return",
    [HasParent<"ReduceOp">, Pure, Terminator, ReturnLike]> {
  let summary = "yield the combined values of a tile.reduce combiner";
  let arguments = (ins Variadic<AnyType>:$result);
  let assemblyFormat = "attr-dict ($result^ `:` type($result))?";
}

//===----------------------------------------------------------------------===//
// Dot
//===----------------------------------------------------------------------===//

def Tile_DotOp : Tile_Op<"dot", [Pure, AllTypesMatch<["c", "d"]>,
    DeclareOpInterfaceMethods<InferIntRangeInterface, ["inferResultRanges"]>]> {
  let summary = "matrix product with accumulation: d = a * b + c";
  let description = [{
    `a` is `MxK`, `b` is `KxN`, `c` and `d` are `MxN`; every extent is at least
    16, and K at least 32 for 8-bit operands (an 8-bit MMA steps K by 32:
    `mma.sync m16n8k32`, `wgmma` k32). Operand and accumulator types go
    together as follows:

    | a, b         | c, d     | inputPrecision      |
    |--------------|----------|---------------------|
    | f32          | f32      | `ieee`, `tf32`      |
    | f16          | f16, f32 | `ieee`              |
    | bf16         | f32      | `ieee`              |
    | f8E4M3FN/E5M2| f32      | `ieee`              |
    | i8           | i32      | `native`            |
    | i8           | f32, i32 | `f16_exact`         |

    `tf32` rounds each f32 operand to tf32 (10 significand bits, to nearest
    even) before the products. `native` is int8 MMA with int32 accumulation,
    wrapping as int32 arithmetic does. `f16_exact` widens the int8 operands to
    f16 (exactly) and accumulates their products in f32 on the f16 tensor
    cores. A chain of L such products has integer partial sums of magnitude
    at most L * 2^14, exact in f32 while L <= 1024 (KERNELS.md section 5), so
    the verifier refuses any `f16_exact` dot whose uninterrupted fp32 chain
    can exceed 1024 products. The chain of a dot is:

    - with an i32 accumulator, its own K: the f32 sum is converted to i32 and
      added to `c` in integer arithmetic (an interruption);
    - with an f32 accumulator, its K plus the chain `c` carries: the chain of
      `c` when `c` is the result of another `f16_exact` dot with an f32
      accumulator, and through an `scf.for` iter arg that such dots extend,
      the chain of its init plus the trip count (which must then be a
      constant) times the products one iteration adds. Any other `c`
      (a constant, a load, an arith result) starts a new chain.

    So one fp32 chain per quant group is written as a fresh zero accumulator
    per group, a loop over the group's K tiles with a constant trip count,
    and one FFMA into an f32 master accumulator after it.

    An integer `d` lies in `c`'s range plus K times the range of one product
    (`InferIntRangeInterface`; none where that leaves i32), which is how
    `tile-int-to-float` knows a group dot converts to f32 without the
    conversion unit.

    The interpreter adds the products in k order; the tensor core promises no
    order, so float results agree with the GPU within rounding except where
    every order is exact (`native`, and `f16_exact` within its bound).

    ```mlir
    %d = tile.dot %a, %b, %c, inputPrecision = native : tensor<64x64xi8> * tensor<64x128xi8> -> tensor<64x128xi32>
    ```
  }];
  let arguments = (ins Tile_Tensor:$a, Tile_Tensor:$b, Tile_Tensor:$c,
    DefaultValuedAttr<Tile_InputPrecisionAttr, "::mlir::tile::InputPrecision::IEEE">:$inputPrecision);
  let results = (outs Tile_Tensor:$d);
  let assemblyFormat = [{
    $a `,` $b `,` $c (`,` `inputPrecision` `=` $inputPrecision^)? attr-dict
      `:` type($a) `*` type($b) `->` type($d)
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Shared memory and asynchronous copies
//===----------------------------------------------------------------------===//

def Tile_LocalAllocOp : Tile_Op<"local_alloc", [MemoryEffects<[MemAlloc]>]> {
  let summary = "a ring of buffers in the kernel's shared memory";
  let description = [{
    Allocates a `!tile.memdesc` (S buffers of one tile each) for the whole
    kernel; the lowering places every allocation after the scratch space the
    conversions and reductions use (tile.shared_bytes covers both).

    ```mlir
    %buf = tile.local_alloc : !tile.memdesc<3x64x32xf16, #shared>
    ```
  }];
  let results = (outs Tile_MemDescType:$result);
  let assemblyFormat = "attr-dict `:` qualified(type($result))";
}

def Tile_AsyncCopyOp : Tile_Op<"async_copy",
    [MemoryEffects<[MemRead, MemWrite]>]> {
  let summary = "copy a tile from global memory into a shared buffer, asynchronously";
  let description = [{
    Starts copying the elements behind `ptr` (a tile of pointers of the
    buffer's tile shape) into buffer `stage` of `buffer`; where `mask` is
    false the element is written as zero and nothing is read. The copy joins
    the current group of this thread; `tile.async_commit` closes the group and
    `tile.async_wait` waits for groups (cp.async.commit_group / wait_group).
    The lowering copies 16 bytes per instruction (cp.async.cg): the pointers'
    contiguity, alignment and the mask's constancy along the tile's fastest
    dimension must allow it (tile-pipeline checks before making one).

    The result is the copy's `!tile.async_token`.

    ```mlir
    %t = tile.async_copy %ptrs, %buf[%stage] mask %m : tensor<64x32xi1, #blocked> : tensor<64x32x!tile.ptr<f16>, #blocked>, !tile.memdesc<3x64x32xf16, #shared>
    ```
  }];
  let arguments = (ins Tile_PtrTensor:$ptr, Tile_MemDescType:$buffer, I32:$stage,
                       Optional<RankedTensorOf<[I1]>>:$mask);
  let results = (outs Tile_AsyncTokenType:$token);
  let assemblyFormat = [{
    $ptr `,` $buffer `[` $stage `]` (`mask` $mask^ `:` type($mask))? attr-dict `:` type($ptr) `,` qualified(type($buffer))
  }];
  let hasVerifier = 1;
}

def Tile_AsyncCommitOp : Tile_Op<"async_commit", [MemoryEffects<[MemWrite]>]> {
  let summary = "close this thread's group of asynchronous copies";
  let description = [{
    Closes the group of the copies issued since the last commit (whose
    tokens it takes, when given) and returns the group's token.

    ```mlir
    %g = tile.async_commit tokens %t0, %t1
    ```
  }];
  let arguments = (ins Variadic<Tile_AsyncTokenType>:$tokens);
  let results = (outs Tile_AsyncTokenType:$token);
  let assemblyFormat = "(`tokens` $tokens^)? attr-dict";
}

def Tile_AsyncWaitOp : Tile_Op<"async_wait", [MemoryEffects<[MemRead, MemWrite]>]> {
  let summary = "wait until at most `pending` groups of copies are in flight";
  let description = [{
    Blocks the thread until all but the `pending` most recent groups of its
    asynchronous copies have landed in shared memory. Other threads' copies
    are visible only after a `tile.barrier` that follows. It takes the
    tokens of groups it is known to cover (none: the count says which) and
    returns a token that the reads after it name.

    ```mlir
    %w = tile.async_wait {pending = 1 : i32}
    ```
  }];
  let arguments = (ins Variadic<Tile_AsyncTokenType>:$tokens, I32Attr:$pending);
  let results = (outs Tile_AsyncTokenType:$token);
  let assemblyFormat = "(`tokens` $tokens^)? attr-dict";
}

def Tile_BarrierOp : Tile_Op<"barrier", [MemoryEffects<[MemRead, MemWrite]>]> {
  let summary = "wait for every thread of the program (bar.sync 0)";
  let assemblyFormat = "attr-dict";
}

def Tile_LocalLoadOp : Tile_Op<"local_load", [MemoryEffects<[MemRead]>]> {
  let summary = "read buffer `stage` of a shared ring into a register tile";
  let description = [{
    The result has the buffer's tile shape and element type and any
    distributed layout; an mma.sync operand (#tile.dot_operand) is read with
    ldmatrix where its layout and the buffer's swizzle allow.

    A read of copied data names the wait it follows (`token`).

    ```mlir
    %a = tile.local_load %buf[%stage] token %w : !tile.memdesc<3x64x32xf16, #shared> -> tensor<64x32xf16, #dot_a>
    ```
  }];
  let arguments = (ins Tile_MemDescType:$buffer, I32:$stage,
                       Optional<Tile_AsyncTokenType>:$token);
  let results = (outs Tile_Tensor:$result);
  let assemblyFormat = [{
    $buffer `[` $stage `]` (`token` $token^)? attr-dict `:` qualified(type($buffer)) `->` type($result)
  }];
  let hasVerifier = 1;
}

def Tile_LocalStoreOp : Tile_Op<"local_store", [MemoryEffects<[MemWrite]>]> {
  let summary = "write a register tile into buffer `stage` of a shared ring";
  let description = [{
    The inverse of `tile.local_load`: `value` (the buffer's tile shape and
    element type, any distributed layout) is written into buffer `stage`,
    each thread's runs of registers that the buffer's layout keeps
    contiguous as one vector store (up to 16 bytes). Other threads read it
    after a `tile.barrier`; the tensor cores (wgmma) after a
    `tile.fence_async_shared` and then a barrier. tile-pipeline makes one
    where a wgmma operand is computed from a copied tile (f16_exact's int8
    widened to f16); Triton's counterpart is ttg.local_store.

    ```mlir
    tile.local_store %h, %wide[%c0] : tensor<128x64xf16, #blocked> -> !tile.memdesc<1x128x64xf16, #shared>
    ```
  }];
  let arguments = (ins Tile_Tensor:$value, Tile_MemDescType:$buffer, I32:$stage);
  let assemblyFormat = [{
    $value `,` $buffer `[` $stage `]` attr-dict `:` type($value) `->` qualified(type($buffer))
  }];
  let hasVerifier = 1;
}

def Tile_WarpgroupDotOp : Tile_Op<"warpgroup_dot",
    [MemoryEffects<[MemRead]>, AllTypesMatch<["c", "d"]>]> {
  let summary = "d = a * b + c on the Hopper tensor cores, operands read from shared memory";
  let description = [{
    The product of buffer `aStage` of `a` (M x K) and buffer `bStage` of `b`
    (K x N), added to `c` (M x N, an `#tile.mma` version 3 accumulator):
    what `tile.dot` computes, made by tile-pipeline from a dot whose
    operands it copies into shared rings, so that `wgmma.mma_async` reads
    them there (no ldmatrix, no operand registers). Each warpgroup (4
    consecutive warps) computes its 64-row slices of the accumulator as
    the layout gives them; the lowering fences the accumulator's registers
    (wgmma.fence), issues one wgmma per 64-row slice, instruction column
    block and K step, commits them as one group and waits for it, so the
    buffers are free once the op is done (the op reads them synchronously,
    as tile.local_load does).

    With `isAsync` the group is committed and not waited for: the result's
    registers are still being written, and the buffers read, until a
    `tile.warpgroup_dot_wait` that takes the result says the group is done;
    only that wait's result may be read, and the result may be the `c` of a
    later isAsync dot (wgmma accumulates in flight, in order, in the same
    registers: a chain of K tiles). tile-pipeline issues a K loop body's
    dots together so.

    Both operands are K-major (K contiguous) with rows of 32, 64 or 128
    bytes, in the `#tile.shared` swizzle of that row length (16-byte chunks
    XORed with the row's phase; the wgmma descriptor's 32-, 64- and
    128-byte swizzle modes); operand and accumulator types: f16 or bf16
    into f32 (m64nNk16), i8 into i32 (`native`, m64nNk32, wrapping).
    Shared memory written by threads (cp.async) is read by the tensor cores
    through the async proxy: a `tile.fence_async_shared` between the
    writers' wait and the barrier before this op makes the writes visible.
    PTX ISA 9.7.15 ("Asynchronous Warpgroup Level Matrix Multiply-Accumulate
    Instructions"); Triton's counterpart is ttng.warp_group_dot.

    ```mlir
    %d = tile.warpgroup_dot %a[%s], %b[%s], %c, inputPrecision = native : !tile.memdesc<3x128x64xi8, #sa>, !tile.memdesc<3x64x128xi8, #sb> -> tensor<128x128xi32, #mma3>
    ```
  }];
  let arguments = (ins Tile_MemDescType:$a, I32:$aStage,
                       Tile_MemDescType:$b, I32:$bStage, Tile_Tensor:$c,
    DefaultValuedAttr<Tile_InputPrecisionAttr, "::mlir::tile::InputPrecision::IEEE">:$inputPrecision,
    UnitAttr:$isAsync);
  let results = (outs Tile_Tensor:$d);
  let assemblyFormat = [{
    $a `[` $aStage `]` `,` $b `[` $bStage `]` `,` $c
      (`,` `inputPrecision` `=` $inputPrecision^)? attr-dict
      `:` qualified(type($a)) `,` qualified(type($b)) `->` type($d)
  }];
  let hasVerifier = 1;
}

def Tile_WarpgroupDotWaitOp : Tile_Op<"warpgroup_dot_wait",
    [MemoryEffects<[MemRead, MemWrite]>,
     DeclareOpInterfaceMethods<InferTypeOpInterface>]> {
  let summary = "wait until at most `pendings` groups of wgmma are in flight";
  let description = [{
    `wgmma.wait_group.sync.aligned pendings`: blocks the warpgroup until all
    but the `pendings` most recently committed groups of wgmma (one a
    `tile.warpgroup_dot`) are done, and gives back `inputs`, results of
    `isAsync` warpgroup dots whose groups are among the done ones, now
    readable (the lowering passes their registers through the wait, so
    nothing reads them before it). Groups complete in the order they were
    committed; the buffers those groups read are free once it returns.
    PTX ISA 9.7.15.7.4 ("wgmma.wait_group"); Triton's counterpart is
    ttng.warp_group_dot_wait.

    ```mlir
    %ready = tile.warpgroup_dot_wait %pending {pendings = 1 : i32} : tensor<128x128xi32, #mma3>
    ```
  }];
  let arguments = (ins Variadic<Tile_Tensor>:$inputs, I32Attr:$pendings);
  let results = (outs Variadic<Tile_Tensor>:$outputs);
  let assemblyFormat = "$inputs attr-dict `:` type($inputs)";
  let hasVerifier = 1;
}

def Tile_FenceAsyncSharedOp : Tile_Op<"fence_async_shared",
    [MemoryEffects<[MemRead, MemWrite]>]> {
  let summary = "order this thread's shared-memory writes before async-proxy reads";
  let description = [{
    `fence.proxy.async.shared::cta`: the shared-memory writes this thread
    made through the generic proxy (stores, cp.async once waited for) are
    ordered before later reads of the async proxy (wgmma's operands, TMA),
    once a barrier has carried them to the reading threads (PTX ISA
    "Memory Consistency Model: proxies"; CUTLASS's fence_view_async_shared,
    Triton's fence_async_shared).
  }];
  let assemblyFormat = "attr-dict";
}

//===----------------------------------------------------------------------===//
// Conversions that say what happens out of range
//===----------------------------------------------------------------------===//

def Tile_FpToFpOp : Tile_Op<"fp_to_fp", [Pure]> {
  let summary = "float conversion with explicit rounding and saturation";
  let description = [{
    Converts between f32, f16, bf16, f8E4M3FN, f8E5M2 and f4E2M1FN. A
    narrowing conversion names its `rounding` (`rtne` or `rtz`); with
    `saturate`, finite values beyond the target's range become its largest
    finite value of the same sign (448 for f8E4M3FN, 6 for f4E2M1FN) instead of
    inf or NaN. A widening conversion is exact and takes neither.

    ```mlir
    %q = tile.fp_to_fp %v, rounding = rtne, saturate : tensor<128xf32> -> tensor<128xf8E4M3FN>
    ```
  }];
  let arguments = (ins Tile_FloatLike:$src,
                       OptionalAttr<Tile_RoundingModeAttr>:$rounding,
                       UnitAttr:$saturate);
  let results = (outs Tile_FloatLike:$result);
  let assemblyFormat = [{
    $src (`,` `rounding` `=` $rounding^)? (`,` `saturate` $saturate^)? attr-dict
      `:` type($src) `->` type($result)
  }];
  let hasVerifier = 1;
}

def Tile_FpToE2M1x2Op : Tile_Op<"fp_to_e2m1x2", [Pure]> {
  let summary = "convert to e2m1 and pack pairs along the last dimension into bytes";
  let description = [{
    Converts each value to e2m1 (f4E2M1FN) as `fp_to_fp` with `rounding =
    rtne, saturate` does (the nearest of {0, 0.5, 1, 1.5, 2, 3, 4, 6}, ties to
    the even code, saturating to +-6, NaN to a zero of its sign) and packs each
    pair of neighbours along the last dimension into one byte, the even element
    in the low nibble (PTX `cvt.rn.satfinite.e2m1x2.f32`, CUTLASS's packed
    `float_e2m1_t` arrays and the NVFP4 formats of vLLM and sglang order them
    so): a last dimension of 2n becomes n. Each thread converts pairs it
    holds, so a laid-out source keeps both elements of a pair in one thread
    (an even number of elements a thread along the last dimension, which is
    the layout's fastest); tile-assign-layouts chooses so.

    ```mlir
    %q = tile.fp_to_e2m1x2 %v : tensor<128x16xf32> -> tensor<128x8xi8>
    ```
  }];
  let arguments = (ins Tile_Tensor:$src);
  let results = (outs Tile_Tensor:$result);
  let assemblyFormat = "$src attr-dict `:` type($src) `->` type($result)";
  let hasVerifier = 1;
}

def Tile_FpToIntOp : Tile_Op<"fp_to_int", [Pure]> {
  let summary = "saturating float to signed integer conversion";
  let description = [{
    Rounds each value with `rounding` (`rtne`, `rtz` or `rna`, ties away from
    zero), then clamps it to the signed range of the result (for i8, [-128, 127];
    PTX `cvt.rni.sat.s8.f32` for `rtne`). NaN becomes 0. Unlike `arith.fptosi`,
    out-of-range values are defined.

    ```mlir
    %q = tile.fp_to_int %v, rounding = rtne : tensor<128xf32> -> tensor<128xi8>
    ```
  }];
  let arguments = (ins Tile_FloatLike:$src, Tile_RoundingModeAttr:$rounding);
  let results = (outs Tile_IntLike:$result);
  let assemblyFormat = [{
    $src `,` `rounding` `=` $rounding attr-dict `:` type($src) `->` type($result)
  }];
  let hasVerifier = 1;
}

#endif // TILE_OPS_TD
