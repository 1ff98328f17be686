//===- LoweringUtils.h - Helpers shared by the tile-to-LLVM patterns -*- C++ -*-===//
//
// Thread coordinates, the index of every element a thread holds, shared
// memory, shuffles and inline PTX: what several op families need.
//
//===----------------------------------------------------------------------===//

#ifndef TILE_LIB_CONVERSION_TILETOLLVM_LOWERINGUTILS_H
#define TILE_LIB_CONVERSION_TILETOLLVM_LOWERINGUTILS_H

#include "tile/Dialect/Tile/SharedBufferAlignment.h"
#include "tile/Dialect/Tile/TileDialect.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/Builders.h"
#include "mlir/Transforms/DialectConversion.h"

namespace mlir::tile {

/// The name of the module's dynamic shared memory buffer.
constexpr llvm::StringLiteral kSharedMemoryName = "tile_smem";

/// An i32 constant.
Value i32Const(OpBuilder &b, Location loc, int64_t value);

/// The thread's coordinates in a blocked layout: per dimension, its lane and
/// warp positions, and base[d] = (warp[d] * tpw[d] + lane[d]) * spt[d].
struct ThreadCoords {
  SmallVector<Value> lane, warp, base;
};
ThreadCoords getThreadCoords(OpBuilder &b, Location loc,
                             BlockedLayoutAttr layout);

/// The lane (threadIdx.x % 32) and warp (threadIdx.x / 32) of the thread.
std::pair<Value, Value> getLaneAndWarp(OpBuilder &b, Location loc);

/// `layout` applied to a runtime value of its input dimension `inDim` (the
/// other inputs 0): per output dimension, the XOR of the bases whose bit is
/// set in `id`, bit i contributing ((id >> i) & 1) * basis_i (i32 values).
SmallVector<Value> applyLinearLayout(OpBuilder &b, Location loc,
                                     const LinearLayout &layout,
                                     StringRef inDim, Value id);

/// The laid-out type's per-thread elements, each as its index along every
/// dimension of the tile (i32 values), in the layout's element order.
SmallVector<SmallVector<Value>> emitIndices(OpBuilder &b, Location loc,
                                            RankedTensorType type);

/// For each register of a `dst` tile, the register of a `src` tile that holds,
/// in the same thread, the element `project` maps dst's element to
/// (`project` drops or zeroes index components: it must be linear over
/// XOR). The two layouts must agree on what every lane and warp holds after
/// projection; std::nullopt where they do not (or a register of dst has no
/// source register). Broadcast and expand_dims of layouts known only by their
/// linear layout move no data with it.
std::optional<SmallVector<int64_t>>
mapRegistersInThread(RankedTensorType src, RankedTensorType dst,
                     llvm::function_ref<SmallVector<int32_t>(ArrayRef<int32_t>)>
                         project);

/// The index itself: the projection of a conversion that keeps the shape.
SmallVector<int32_t> sameIndex(ArrayRef<int32_t> index);

/// Whether a conversion from `src` to `dst` only renames registers: both
/// layouts give every lane and warp the same elements (register orders may
/// differ), so no data moves between threads (Triton's "register
/// permutation" case of convert_layout).
bool isRegisterPermutation(RankedTensorType src, RankedTensorType dst);

/// How many consecutive registers of a thread, from every multiple of that
/// count, hold consecutive elements along `dim` of a laid-out tile type (a
/// blocked layout's sizePerThread[dim]; 2 along N for an mma accumulator):
/// the longest run one vector access can move.
int64_t getContiguousRegisters(RankedTensorType type, unsigned dim);

/// Row-major linear index of `index` in `shape` (i32).
Value linearIndex(OpBuilder &b, Location loc, ArrayRef<Value> index,
                  ArrayRef<int64_t> shape);

/// Whether this thread's copy of its elements is the one to write (i1): in
/// a tile smaller than the layout's CTA tile several threads hold the same
/// elements. Null when every thread's copy is its own.
Value emitRepresentativePredicate(OpBuilder &b, Location loc,
                                  RankedTensorType type);

/// Whether the thread's element `linear` repeats an earlier element of the
/// same thread (a tile dimension smaller than sizePerThread).
bool isInThreadDuplicate(RankedTensorType type, int64_t linear);

/// The base of buffer `stage` (an i32) of a lowered ring (`!tile.memdesc`:
/// its base address), `type`'s stage bytes apart.
Value stageBase(OpBuilder &b, Location loc, Value ring, MemDescType type,
                Value stage);

/// A pointer to byte `offset` (i32) of the scratch space (the conversions'
/// and reductions', from byte 0): a GEP of `offset` off the scratch's base,
/// byte 0, so that removeRedundantBarriers can tell it from the rings
/// (getSharedBufferOffset).
Value scratchAddress(OpBuilder &b, Location loc, Operation *anchor,
                     Value byteOffset);

/// A pointer to byte `offset` (i32) of the dynamic shared memory.
Value sharedMemoryAddress(OpBuilder &b, Location loc, Operation *anchor,
                          Value byteOffset);

/// Replaces the single-result `op` by what a thread holds of its result:
/// `values` for a tile, `values.front()` for a scalar.
void replaceWithThreadValues(ConversionPatternRewriter &rewriter, Operation *op,
                             SmallVector<Value> values);

/// `__syncthreads()`.
void emitBarrier(OpBuilder &b, Location loc);

/// shfl.sync.bfly of `value` with lane `laneMask`, for 8- to 64-bit scalars.
Value shuffleXor(OpBuilder &b, Location loc, Value value, unsigned laneMask);
/// `value` (up to 64 bits) as lane `srcLane` (i32) of the warp holds it
/// (shfl.sync.idx over the whole warp).
Value shuffleIdx(OpBuilder &b, Location loc, Value value, Value srcLane);

/// How a convert_layout between layouts that agree on what each warp holds
/// (the same warp bases) moves elements within warps: result register j of
/// lane l is source register `registers[j]` of lane srcLane(l), where
/// srcLane(l) is the XOR of `laneBits[i]` over the bits i set in l (lanes
/// map linearly). std::nullopt where no such plan exists (elements change
/// warps, or a result register has no source register in the lane). Triton's
/// "warp shuffle" case of convert_layout.
struct LaneShufflePlan {
  SmallVector<int64_t> registers;
  SmallVector<int32_t> laneBits; ///< 5: one per lane bit
};
std::optional<LaneShufflePlan> planLaneShuffle(RankedTensorType src,
                                               RankedTensorType dst);

/// Whether shfl.sync carries elements of type `element` (integers and floats
/// of up to 64 bits, pointers as their addresses).
bool isShuffleable(Type element);

/// Whether a conversion from `src` to `dst` stays within warps (renamed
/// registers or warp shuffles): no shared memory, no barrier, no scratch.
/// The one rule for the lowering's patterns and computeSharedAllocation.
bool convertsWithinWarps(RankedTensorType src, RankedTensorType dst);

/// Inline PTX. `resultTypes` may be empty (side effects only) or several
/// (returned as the struct's fields).
SmallVector<Value> emitInlinePTX(OpBuilder &b, Location loc,
                                 TypeRange resultTypes, ValueRange operands,
                                 StringRef ptx, StringRef constraints,
                                 bool hasSideEffects);

/// Bytes `first` and `first + 1` (0 and 1, or 2 and 3) of `word`, four
/// int8, as the f16x2 word of their values, exactly, in three instructions
/// for the pair: the bytes flipped to x + 128 (0..255, one xor for the word)
/// and placed in the significands of two 1024.0s (0x6400, whose unit in the
/// last place is 1) are the f16s 1024 + 128 + x (one prmt); one f16x2
/// subtraction of 1152.0 (0x6480) leaves x (every step an integer below
/// 2048). The trick of CUTLASS's NumericArrayConverter<half_t, int8_t>.
Value widenBytesToF16(OpBuilder &b, Location loc, Value word, int first);


/// The LLVM type of a scalar of `type` in memory and in registers: fp8 and
/// other types LLVM lacks become integers of their width.
Type storageType(Type type);

/// Converts a value between `type` and storageType(type) (a no-op when they
/// are the same).
Value toStorage(OpBuilder &b, Location loc, Value value);
Value fromStorage(OpBuilder &b, Location loc, Value value, Type type);

/// The type a scalar of `type` has in shared memory: storageType(type), an
/// integer narrower than a byte or of a width that is no power of two (i1
/// booleans, the i4 of fp4) widened to the next power-of-two number of
/// bytes, so that every element has bytes of its own. Null for a type that
/// cannot go there (not an integer or float).
Type sharedMemoryType(Type type);

/// Bytes per element of `type` in shared memory (sharedMemoryType's);
/// 0 when it cannot go there.
int64_t sharedMemoryBytes(Type type);

/// Converts a value between its type and sharedMemoryType of it (bitcast to
/// the storage type, zero extension of the narrow integers, and back).
Value toSharedMemory(OpBuilder &b, Location loc, Value value);
Value fromSharedMemory(OpBuilder &b, Location loc, Value value, Type type);

/// The shared memory of a tile.reduce's exchange across warps: `warps`
/// warps along the axis hold distinct partials; each operand k has a region
/// of warps x resultSize slots of slotTypes[k] (sharedMemoryType of its
/// element type) at byte regionOffsets[k], aligned to the slot's size;
/// `bytes` in all (0 when one warp covers the axis: no exchange). What the
/// lowering addresses and what the kernel's tile.shared_bytes reserves both
/// come from here. With one warp, no regions. Null for a reduction the
/// lowering refuses: no blocked layout, or partials to exchange of a type
/// that cannot go to shared memory.
struct ReduceScratch {
  int64_t warps = 1;
  int64_t resultSize = 1;
  SmallVector<Type> slotTypes;
  SmallVector<int64_t> regionOffsets;
  int64_t bytes = 0;
};
std::optional<ReduceScratch> getReduceScratch(ReduceOp op);

/// The sizes per tile dimension of what a thread holds contiguously
/// (sizePerThread, read through a slice).
SmallVector<int64_t> getSizePerThread(Attribute layout);

/// Whether `op`'s result layout keeps every element in its thread and
/// register (getSplitLastDimLayout of its source's): it then moves nothing
/// and needs no shared memory.
bool isInPlaceReshape(ReshapeOp op);

} // namespace mlir::tile

#endif // TILE_LIB_CONVERSION_TILETOLLVM_LOWERINGUTILS_H
