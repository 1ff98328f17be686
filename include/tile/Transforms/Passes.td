//===- Passes.td - Tile-level passes ---------------------------*- tablegen -*-===//
//
// Passes on logical tile IR, kept alphabetical. None of them changes numerics
// unless its description says so.
//
//===----------------------------------------------------------------------===//

#ifndef TILE_TRANSFORMS_PASSES_TD
#define TILE_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def TileAccelerateMatmulPass : Pass<"tile-accelerate-matmul", "::mlir::ModuleOp"> {
  let summary = "Give tile.dot the tensor cores' layouts";
  let description = [{
    Runs after tile-assign-layouts. Each `tile.dot` that `mma.sync` computes
    (f16 x f16 -> f16 or f32, bf16 x bf16 -> f32, i8 x i8 `native` -> i32 and
    `f16_exact`) gets an `#tile.mma` (version 2, instrShape [16, 8]) result
    and accumulator, and `#tile.dot_operand` operands with kWidth 2 (16-bit)
    or 4 (int8: `native`, and `f16_exact`, whose int8 are widened to f16 in
    registers); the module's warps are spread over M and N by the
    number of m16n8 tiles each has. `tile.convert_layout` goes at the
    boundaries. An accumulator that an `scf.for` carries stays in the mma
    layout across iterations: the conversions move to the loop's init and
    result. Other dots keep their layouts. Numerics are unchanged.

    ```mlir
    %d = tile.dot %a, %b, %c : tensor<64x32xf16, #blocked> * tensor<32x64xf16, #blocked> -> tensor<64x64xf32, #blocked>
    ```
    =>
    ```mlir
    %a1 = tile.convert_layout %a : tensor<64x32xf16, #blocked> -> tensor<64x32xf16, #tile.dot_operand<opIdx = 0, parent = #mma, kWidth = 2>>
    ...
    %d1 = tile.dot %a1, %b1, %c1 : ... -> tensor<64x64xf32, #mma>
    %d = tile.convert_layout %d1 : tensor<64x64xf32, #mma> -> tensor<64x64xf32, #blocked>
    ```
  }];
  let dependentDialects = ["::mlir::tile::TileDialect",
                           "::mlir::scf::SCFDialect"];
}

def TilePipelinePass : Pass<"tile-pipeline", "::mlir::ModuleOp"> {
  let summary = "Software-pipeline K loops: cp.async into a ring of shared buffers";
  let description = [{
    Runs after tile-accelerate-matmul. In each scf.for, a tile loaded from
    global memory whose only use is a conversion to an mma.sync operand
    (#tile.dot_operand), whose address arithmetic depends only on the
    induction variable and values from outside the loop, whose masked lanes
    read 0, and whose thread accesses come in 16-byte runs, is instead
    copied with cp.async (tile.async_copy) into a ring of S shared buffers
    (tile.local_alloc, swizzled for ldmatrix) S - 1 iterations ahead and read
    with tile.local_load:

    ```
    prologue:  copy tiles 0 .. S-2, one group each
    iteration i:  tile.async_wait {pending = S-2}; tile.barrier;
                  tile.local_load buffer i % S;
                  copy tile i + S - 1 into buffer (i + S - 1) % S (masked
                  off past the end); tile.async_commit; ... the dot
    epilogue:  tile.async_wait {pending = 0}; tile.barrier
    ```

    With `other-loads` (off by default; a module asks for it with
    `tile.pipeline_other_loads`; see the pass's source for what was
    measured), in a loop pipelined so with no loop inside it, every other load
    with the same properties but of 4-byte or wider elements in runs of 4, 8
    or 16 bytes (a GEMM's per-group scales) rides in the same groups, into a
    ring of its own unswizzled buffers (`cp.async.ca` below 16 bytes), and is
    read where it was, in its own layout: its latency hidden S - 1
    iterations deep instead of exposed within one.

    A dot tile-accelerate-matmul gave a wgmma accumulator (`#tile.mma`
    version 3) whose operands became rings is made a tile.warpgroup_dot
    reading them, with a tile.fence_async_shared before the barrier.
    Where a body holds two or more such dots whose operands are all computed
    before the first (a grouped GEMM computing two quant groups an
    iteration, each from a constant), they are issued together with
    `isAsync` where the first was, and each result goes through a
    `tile.warpgroup_dot_wait {pendings = n - k}` (the k-th of n; groups
    complete in order) just before its first use, so the first group's
    dequantization runs while the later groups' dots compute
    (`async-warpgroup-dots`, on by default). Every dot is waited for within
    the body: the next iteration's barrier still ends every read of the
    buffers. A chain of dots (each the next one's accumulator: a quant
    group's K tiles) is issued likewise, in flight, with one wait for its
    last dot.

    An `f16_exact` dot with a wgmma accumulator reads f16 buffers: each of
    its int8 tiles is read from its ring, converted to f16 (exactly) and
    written (`tile.local_store`) into an f16 buffer in wgmma's swizzle,
    fenced for the async proxy and carried by a barrier; the dot is then an
    f16 one (ieee) over them, the same products and f32 chain. With
    `widen-ahead` (off by default: bench/RESULTS.md, 2026-12-02), where the dots are issued together, at
    least one group of copies stays in flight after the widening's wait and
    a second set of f16 buffers fits the GPU's shared memory, tile i + 1 is
    widened in iteration i, right after the dots are issued (while they
    compute), into the other buffer of the set (tile 0 before the loop),
    each thread reading back exactly the bytes it copied.

    Where the body issues the copies of tile i + S - 1 is the `copies-at`
    option, else the module's `tile.pipeline_copies_at`, else `top` (as
    above, before the dot); `after_first_dot` issues them after the first op
    of the body holding a `tile.dot`, `bottom` at the end of the body. Every
    place is after the barrier, so all are correct; which is fastest depends
    on the kernel (bench/RESULTS.md, 2026-12-01 00:18).

    S is the `num-stages` option, else the module's `tile.num_stages`, else
    3; 1 turns pipelining off. Numerics are unchanged: a copy past the end
    or under a false mask writes zeros, as the load's `other` 0.
  }];
  let options = [
    Option<"numStages", "num-stages", "unsigned", /*default=*/"0",
           "buffers per pipelined loop (2 to 8; 1: off); 0 keeps the "
           "module's tile.num_stages (default 3)">,
    Option<"otherLoads", "other-loads", "bool", /*default=*/"false",
           "also copy the K loop's other loads (4-byte or wider elements) "
           "ahead through rings of their own, in every module (a module with "
           "tile.pipeline_other_loads asks for it itself)">,
    Option<"copiesAt", "copies-at", "std::string", /*default=*/"\"\"",
           "where the body issues the copies of later tiles: top, "
           "after_first_dot or bottom (default: the module's "
           "tile.pipeline_copies_at, else top)">,
    Option<"asyncWarpgroupDots", "async-warpgroup-dots", "bool",
           /*default=*/"true",
           "issue a K loop body's warpgroup dots (wgmma) together, "
           "asynchronously, where all their operands are computed before "
           "the first, each waited for just before its first use (a "
           "grouped GEMM's groups of one iteration: the first group's "
           "dequantization runs while the later ones compute); false keeps "
           "each synchronous">,
    Option<"widenAhead", "widen-ahead", "bool", /*default=*/"false",
           "widen f16_exact's int8 tiles for wgmma one iteration ahead, "
           "while the dots compute, into a second set of f16 buffers, "
           "where the dots are issued together, at least one group of "
           "copies stays in flight and the buffers fit (default: each tile "
           "in its own iteration, which measured as fast)">,
  ];
  let dependentDialects = ["::mlir::tile::TileDialect",
                           "::mlir::arith::ArithDialect",
                           "::mlir::scf::SCFDialect"];
}

def TileAssignLayoutsPass : Pass<"tile-assign-layouts", "::mlir::ModuleOp"> {
  let summary = "Give every tile a layout encoding, converting only where needed";
  let description = [{
    Propagates the layouts that tile-coalesce chose for memory accesses to
    every tile of each kernel. Tiles tied together (elementwise operands and
    results, addptr, load/store operands, loop-carried values, broadcast, a
    dot's accumulator and result) share one layout; the accumulator of a dot
    mma.sync can compute takes its `#tile.mma` layout first (its loop, an
    epilogue and the store compute there). A reduction's result takes the
    slice of its operand's layout and an expand_dims operand the slice of
    its result's. Tiles no access reaches get the function's coalesced
    layout of their rank (or a default). Index arithmetic and splats that
    tiles wanting different layouts share are copied for each first, and a
    transposing store's value is converted at the store. Where two
    requirements meet, index arithmetic (or a small 1-D load) is computed
    again, or else a `tile.convert_layout` is inserted. A kernel written
    with every tile laid out already is left as its author wrote it:

    ```mlir
    %r = tile.reduce %x axis = 1 : (tensor<8x128xf32>) -> tensor<8xf32>
    ```
    =>
    ```mlir
    %r = tile.reduce %x axis = 1 : (tensor<8x128xf32, #blocked>) -> tensor<8xf32, #tile.slice<dim = 1, parent = #blocked>>
    ```
    Numerics are unchanged.
  }];
  let dependentDialects = ["::mlir::tile::TileDialect"];
}

def TileCoalescePass : Pass<"tile-coalesce", "::mlir::ModuleOp"> {
  let summary = "Choose layouts that make global accesses wide and coalesced";
  let description = [{
    From the axis info of the pointers (contiguity, divisibility from
    `tile.divisibility` arguments), chooses per kernel and tile rank a
    `#tile.blocked` layout in which each thread accesses up to 16 contiguous
    bytes and a warp's accesses are contiguous, and records it on every load
    and store of that rank as the hint `tile.layout`; tile-assign-layouts
    then spreads it. The warps per program come from the module's
    `tile.num_warps` (getNumWarps: default 4). Loads decide; stores follow unless a rank
    has only stores. A load whose tile only feeds a dot's a or b, and a
    store contiguous along another dimension than its rank's layout (a
    transpose's), take a layout of their own access instead. Warps go to
    the dimensions no reduction runs along first; a reduced contiguous
    dimension gets only the lanes that make a warp's access whole 128-byte
    lines when the other dimensions can take the rest, so that each thread
    holds more of every reduced row (group_quant's [8, 128] bf16 tile on 2
    warps: 8 lanes and one group a thread). Numerics are unchanged.

    ```mlir
    %x = tile.load %p : tensor<1024x!tile.ptr<bf16>>
    ```
    =>
    ```mlir
    %x = tile.load %p {tile.layout = #tile.blocked<sizePerThread = [8], threadsPerWarp = [32], warpsPerCTA = [4], order = [0]>} : tensor<1024x!tile.ptr<bf16>>
    ```
  }];
  let options = [
    Option<"target", "target", "std::string", /*default=*/"\"\"",
           "GPU architecture (sm_90a, sm_90, sm_89, sm_86, sm_80): sets the "
           "module's tile.target, which the later passes read (empty: the "
           "module's)">,
    Option<"numWarps", "num-warps", "unsigned", /*default=*/"0",
           "warps per program; 0 keeps the module's tile.num_warps (default "
           "4), anything else sets it">,
  ];
  let dependentDialects = ["::mlir::tile::TileDialect"];
}

def TileIntToFloatPass : Pass<"tile-int-to-float"> {
  let summary = "i32 to f32 conversions of small proven ranges without the conversion unit";
  let description = [{
    An `arith.sitofp` from i32 to f32 whose operand the integer range
    analysis (MLIR's `IntegerRangeAnalysis`, with `tile.dot`'s
    `InferIntRangeInterface`) proves within [-2^22, 2^22] becomes

        bitcast<f32>(x + 0x4B400000) - 12582912.0

    0x4B400000 is the bits of the f32 1.5 * 2^23 = 12582912, whose unit in
    the last place is 1: for such x, adding x to its bits adds x to its value
    (the sum stays in [2^23, 2^24], one binade, at 2^24 exactly the next
    binade's first value), and the f32 subtraction of 12582912 is exact. The
    result is the same f32 the conversion gives (every such x is exact in
    f32), from an integer add and an f32 add, both full rate, instead of a
    conversion, which sm_80 and sm_90 run at 16 results per clock per SM (the
    CUDA C++ Programming Guide's arithmetic instruction throughput table; f32
    add: 64 on sm_86, 128 on sm_80 and sm_90). This is the per-quant-group
    conversion of a native int8 group dot: with K = 128, |dot| <= 2^21.
    `tile-combine` then moves the integer add into the dot's accumulator,
    where it folds into the fresh zero.
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect"];
}

def TileCombinePass : Pass<"tile-combine"> {
  let summary = "Tile-level peephole combines run before layout assignment";
  let description = [{
    Rewrites that canonicalization leaves alone because they trade one op for
    another rather than removing one:

    - a chain of pointer offsets becomes one offset:
      `addptr(addptr(p, a), b)` => `addptr(p, a + b)` (same offset type);
    - a select that supplies a masked load's inactive lanes becomes the load's
      `other`: `select(m, load(p, m), x)` => `load(p, m, x)` (the load has no
      `other` and no other use);
    - a constant added to an integer dot's result is added to its
      accumulator instead: `addi(dot(a, b, c), k)` => `dot(a, b, addi(c, k))`
      (the dot has no other use; with a constant `c`, the add folds away);
    - a sign extension masked back to its source's bits is a zero extension:
      `andi(extsi(x : iN), 2^N - 1)` => `extui(x)` (LLVM sees through the
      latter; of the former it keeps the shifts: e2m1 codes packed two a byte).

    Offsets are element counts in the offset's integer type, so the sum wraps
    exactly as the two separate additions would, and an integer dot adds in
    wrapping i32 arithmetic, in which the order of additions does not matter.
    Numerics are unchanged.
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::tile::TileDialect"];
}

#endif // TILE_TRANSFORMS_PASSES_TD
