//===- TileLayouts.h - Layout encodings and their arithmetic ----*- C++ -*-===//
//
// `#tile.blocked` and `#tile.slice`, and the arithmetic every pass and lowering
// shares: how many elements of a tile each thread holds, and in what order.
//
// A thread's elements of a tile with a blocked layout L and shape S are
// numbered by a multi-index e with e[d] in [0, n[d]), where
//   n[d] = sizePerThread[d] * max(1, S[d] / ctaTile[d]),
//   ctaTile[d] = sizePerThread[d] * threadsPerWarp[d] * warpsPerCTA[d];
// linearized with L's order (order[0] fastest), so each run of
// sizePerThread[order[0]] elements is contiguous in memory. Element e of the
// thread at (lane[d], warp[d]) is the tile element with index
//   (e[d] / spt[d] * ctaTile[d] + (warp[d] * tpw[d] + lane[d]) * spt[d]
//    + e[d] % spt[d]) mod S[d].
// A slice layout's elements are its parent's, for the shape with an extent-1
// dimension at `dim`, with that dimension dropped.
//
// Both encodings implement DistributedLayoutInterface, whose toLinearLayout
// gives the same map as a linear layout over GF(2) (register, lane, warp ->
// dim0..dimN-1): register j is the element j above, lane and warp the thread's
// ids (threadIdx.x % 32, threadIdx.x / 32). The tensor-core layouts (mma,
// dot_operand) are known only through it: the lowering indexes their
// elements from it (emitIndices), register j being the thread's element j.
//
//===----------------------------------------------------------------------===//

#ifndef TILE_DIALECT_TILE_TILELAYOUTS_H
#define TILE_DIALECT_TILE_TILELAYOUTS_H

#include "mlir/IR/Attributes.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/DialectImplementation.h"
#include "tile/Support/LinearLayout.h"

#include "tile/Dialect/Tile/TileLayoutInterfaces.h.inc"

#define GET_ATTRDEF_CLASSES
#include "tile/Dialect/Tile/TileAttrs.h.inc"

namespace mlir::tile {

/// The number of threads in a warp.
constexpr unsigned kWarpSize = 32;

/// The distributed layout encoding of `type` (blocked, slice, mma or
/// dot_operand: a DistributedLayoutInterface), or null.
Attribute getLayout(Type type);

/// Whether `layout` is `#tile.blocked` or a `#tile.slice` of one: the layouts
/// whose per-dimension element counts (getElemsPerThreadPerDim) exist. Other
/// layouts (mma, dot_operand, slices of mma) are known by their linear layout.
bool isBlockedOrSlice(Attribute layout);

/// The blocked layout that `layout` (blocked or a slice of blocked)
/// distributes with; null for any other layout.
BlockedLayoutAttr getBlockedParent(Attribute layout);

/// Per dimension of a tile of `shape` with `layout`, how many elements each
/// thread holds (n[d] above).
SmallVector<int64_t> getElemsPerThreadPerDim(Attribute layout,
                                             ArrayRef<int64_t> shape);

/// How many elements of a `type` tile (with a layout) each thread holds: the
/// size of its linear layout's "register" dimension.
int64_t getNumElemsPerThread(RankedTensorType type);

/// The tile extent one CTA of `layout` covers, per dimension.
SmallVector<int64_t> getCTATile(BlockedLayoutAttr layout);

/// Multi-index of a thread's element `linear` (order[0] fastest) for per-dim
/// counts `counts` and dimension order `order`.
SmallVector<int64_t> delinearize(int64_t linear, ArrayRef<int64_t> counts,
                                 ArrayRef<unsigned> order);

/// The inverse of delinearize.
int64_t linearize(ArrayRef<int64_t> index, ArrayRef<int64_t> counts,
                  ArrayRef<unsigned> order);

/// The dimension order of `layout`, fastest first: a blocked layout's own, or
/// its parent's without `dim` (renumbered) for a slice of one; for any other
/// layout, the order in which a thread's registers first walk the dimensions
/// over one CTA tile (mma: [1, 0]).
SmallVector<unsigned> getLayoutOrder(Attribute layout);

/// `type` with layout encoding `layout`.
RankedTensorType withLayout(RankedTensorType type, Attribute layout);

/// Gives tile `v` layout `layout` in place: its type, and where it is a
/// dense arith.constant, the constant's value, which carries the type too.
void setTileLayout(Value v, Attribute layout);

/// For a reshape of a `srcShape` tile with blocked layout `src` into
/// `dstShape`, the same shape with its last dimension split in two: the
/// layout under which every thread holds the same elements in the same
/// order, so that the reshape moves nothing. It exists when the last
/// dimension is the fastest and its elements per thread are a multiple of
/// the new innermost extent (each thread's runs split evenly); null
/// otherwise.
BlockedLayoutAttr getSplitLastDimLayout(BlockedLayoutAttr src,
                                        ArrayRef<int64_t> srcShape,
                                        ArrayRef<int64_t> dstShape);

/// For an op that packs `factor` neighbours along the last dimension into one
/// element (fp_to_e2m1x2: two e2m1 codes a byte), the result layout under
/// which every thread packs pairs it holds: `src` with 1/factor as many
/// elements a thread along the last dimension (the same threads and warps).
/// It exists when the last dimension is the fastest and its elements per
/// thread are a multiple of `factor`; null otherwise.
BlockedLayoutAttr getPackedLastDimLayout(BlockedLayoutAttr src, unsigned factor);
/// The inverse: the source layout that packs into `packed` in place (`factor`
/// times the elements a thread along the last dimension), or null where the
/// last dimension is not the fastest.
BlockedLayoutAttr getUnpackedLastDimLayout(BlockedLayoutAttr packed,
                                           unsigned factor);

/// The linear layout of a `#tile.slice<dim, parent>` of `shape` (rank of
/// parent - 1), for any parent layout: the parent's for `shape` with extent 1
/// inserted at `dim`, without output `dim` and without the register bits that
/// walk `dim` (those the parent's layout of its CTA tile's extent along `dim`
/// moves along it). Lanes and warps along `dim` keep zero bases: copies.
LinearLayout sliceLinearLayout(DistributedLayoutInterface parent, unsigned dim,
                               ArrayRef<int64_t> shape);

/// The standard output dimension names of a rank-`rank` layout: dim0, dim1...
SmallVector<std::string> getLayoutOutDimNames(unsigned rank);

/// A distributed layout given by its bases: per input dimension ("register",
/// "lane", "warp"), one basis (an output coordinate per tensor dimension) per
/// input bit, onto `shape` (output dimensions dim0..dimN-1, surjective).
LinearLayout
makeDistributedLayout(const std::vector<std::vector<int32_t>> &registerBases,
                      const std::vector<std::vector<int32_t>> &laneBases,
                      const std::vector<std::vector<int32_t>> &warpBases,
                      ArrayRef<int64_t> shape);

/// The swizzled shared layout for a rank-2 tile of `shape` with `bytes`-byte
/// elements, contiguous along `fastest`: 16-byte chunks (vec elements), the
/// chunk of row r XORed with (r / perPhase) % maxPhase, so that the same
/// chunk of 8 consecutive rows falls in 8 different 16-byte bank groups
/// (rows of 128 bytes or more: phase r % 8; of 64: (r / 2) % 4; ...): what
/// ldmatrix reads without bank conflicts (Triton's mma v2 swizzle).
SharedLayoutAttr getSwizzledSharedLayout(MLIRContext *ctx,
                                         ArrayRef<int64_t> shape,
                                         int64_t bytes, unsigned fastest);

/// Where an mma.sync operand `dst` of `bits`-bit elements is staged when its
/// tile arrives in `srcType`'s layout: K-contiguous (ldmatrix), or for
/// 16-bit elements whose source runs along M or N, M/N-contiguous
/// (ldmatrix.trans), so that the source stores whole vectors.
SharedLayoutAttr getOperandSharedLayout(RankedTensorType srcType,
                                        DotOperandLayoutAttr dst,
                                        int64_t bits);

/// How many consecutive registers of a `type` tile (its first ones, and so
/// every aligned run) land at consecutive offsets of a buffer with `shared`
/// layout: the elements one vector store, or one cp.async, moves (a power of
/// two, at most `maxElements`).
int64_t getSharedStoreVector(RankedTensorType type, SharedLayoutAttr shared,
                             int64_t maxElements);

} // namespace mlir::tile

#endif // TILE_DIALECT_TILE_TILELAYOUTS_H
