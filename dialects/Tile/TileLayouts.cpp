//===- TileLayouts.cpp - Layout arithmetic shared by passes and lowering --===//

#include "tile/Dialect/Tile/TileDialect.h"

#include "mlir/Dialect/Arith/IR/Arith.h"

using namespace mlir;
using namespace mlir::tile;

Attribute mlir::tile::getLayout(Type type) {
  auto tensor = dyn_cast<RankedTensorType>(type);
  if (!tensor)
    return {};
  Attribute encoding = tensor.getEncoding();
  if (isa_and_present<DistributedLayoutInterface>(encoding))
    return encoding;
  return {};
}

bool mlir::tile::isBlockedOrSlice(Attribute layout) {
  return bool(getBlockedParent(layout));
}

BlockedLayoutAttr mlir::tile::getBlockedParent(Attribute layout) {
  if (auto blocked = dyn_cast_if_present<BlockedLayoutAttr>(layout))
    return blocked;
  if (auto slice = dyn_cast_if_present<SliceLayoutAttr>(layout))
    return dyn_cast<BlockedLayoutAttr>(slice.getParent());
  return {};
}

SmallVector<int64_t> mlir::tile::getCTATile(BlockedLayoutAttr layout) {
  SmallVector<int64_t> tile;
  for (unsigned d = 0; d < layout.getRank(); ++d)
    tile.push_back(int64_t(layout.getSizePerThread()[d]) *
                   layout.getThreadsPerWarp()[d] * layout.getWarpsPerCTA()[d]);
  return tile;
}

static SmallVector<int64_t> blockedElemsPerDim(BlockedLayoutAttr layout,
                                               ArrayRef<int64_t> shape) {
  SmallVector<int64_t> cta = getCTATile(layout), counts;
  for (unsigned d = 0; d < layout.getRank(); ++d)
    counts.push_back(int64_t(layout.getSizePerThread()[d]) *
                     std::max<int64_t>(1, shape[d] / cta[d]));
  return counts;
}

SmallVector<int64_t> mlir::tile::getElemsPerThreadPerDim(Attribute layout,
                                                         ArrayRef<int64_t> shape) {
  if (auto blocked = dyn_cast<BlockedLayoutAttr>(layout))
    return blockedElemsPerDim(blocked, shape);
  auto slice = cast<SliceLayoutAttr>(layout);
  SmallVector<int64_t> parentShape(shape);
  parentShape.insert(parentShape.begin() + slice.getDim(), 1);
  SmallVector<int64_t> counts =
      blockedElemsPerDim(getBlockedParent(slice), parentShape);
  counts.erase(counts.begin() + slice.getDim());
  return counts;
}

int64_t mlir::tile::getNumElemsPerThread(RankedTensorType type) {
  Attribute layout = getLayout(type);
  if (!isBlockedOrSlice(layout))
    return cast<DistributedLayoutInterface>(layout)
        .toLinearLayout(type.getShape())
        .getInDimSize("register");
  int64_t n = 1;
  for (int64_t c : getElemsPerThreadPerDim(getLayout(type), type.getShape()))
    n *= c;
  return n;
}

SmallVector<unsigned> mlir::tile::getLayoutOrder(Attribute layout) {
  if (auto blocked = dyn_cast<BlockedLayoutAttr>(layout))
    return SmallVector<unsigned>(blocked.getOrder());
  if (!isBlockedOrSlice(layout)) {
    // Dimensions in the order a thread's registers first walk them over one
    // CTA tile, then the others, last dimension first.
    auto distributed = cast<DistributedLayoutInterface>(layout);
    SmallVector<int64_t> tile = distributed.getShapePerCTATile();
    LinearLayout ll = distributed.toLinearLayout(tile);
    unsigned rank = tile.size();
    SmallVector<unsigned> order;
    for (int i = 0; i < ll.getInDimSizeLog2("register"); ++i) {
      ArrayRef<int32_t> basis = ll.getBasis("register", i);
      for (unsigned d = 0; d < rank; ++d)
        if (basis[d] && !llvm::is_contained(order, d))
          order.push_back(d);
    }
    for (int d = rank - 1; d >= 0; --d)
      if (!llvm::is_contained(order, unsigned(d)))
        order.push_back(d);
    return order;
  }
  auto slice = cast<SliceLayoutAttr>(layout);
  SmallVector<unsigned> order;
  for (unsigned d : getBlockedParent(slice).getOrder()) {
    if (d == slice.getDim())
      continue;
    order.push_back(d > slice.getDim() ? d - 1 : d);
  }
  return order;
}

SmallVector<int64_t> mlir::tile::delinearize(int64_t linear,
                                             ArrayRef<int64_t> counts,
                                             ArrayRef<unsigned> order) {
  SmallVector<int64_t> index(counts.size(), 0);
  for (unsigned d : order) {
    index[d] = linear % counts[d];
    linear /= counts[d];
  }
  return index;
}

int64_t mlir::tile::linearize(ArrayRef<int64_t> index, ArrayRef<int64_t> counts,
                              ArrayRef<unsigned> order) {
  int64_t linear = 0, stride = 1;
  for (unsigned d : order) {
    linear += index[d] * stride;
    stride *= counts[d];
  }
  return linear;
}

RankedTensorType mlir::tile::withLayout(RankedTensorType type,
                                        Attribute layout) {
  return RankedTensorType::get(type.getShape(), type.getElementType(), layout);
}

void mlir::tile::setTileLayout(Value v, Attribute layout) {
  auto type = withLayout(cast<RankedTensorType>(v.getType()), layout);
  v.setType(type);
  if (auto constant = v.getDefiningOp<arith::ConstantOp>())
    if (auto dense = dyn_cast<DenseElementsAttr>(constant.getValue()))
      constant.setValueAttr(dense.reshape(type));
}

BlockedLayoutAttr mlir::tile::getSplitLastDimLayout(BlockedLayoutAttr src,
                                                    ArrayRef<int64_t> srcShape,
                                                    ArrayRef<int64_t> dstShape) {
  unsigned rank = srcShape.size();
  if (!src || rank == 0 || dstShape.size() != rank + 1 ||
      src.getOrder()[0] != rank - 1 ||
      !llvm::equal(srcShape.drop_back(), dstShape.drop_back(2)) ||
      dstShape[rank - 1] * dstShape[rank] != srcShape[rank - 1])
    return {};
  int64_t inner = dstShape[rank];
  unsigned spt = src.getSizePerThread()[rank - 1];
  if (spt % inner != 0)
    return {};
  SmallVector<unsigned> sizePerThread(src.getSizePerThread());
  SmallVector<unsigned> threads(src.getThreadsPerWarp());
  SmallVector<unsigned> warps(src.getWarpsPerCTA());
  sizePerThread[rank - 1] = spt / inner;
  sizePerThread.push_back(inner);
  threads.push_back(1);
  warps.push_back(1);
  SmallVector<unsigned> order = {rank};
  order.append(src.getOrder().begin(), src.getOrder().end());
  return BlockedLayoutAttr::get(src.getContext(), sizePerThread, threads, warps,
                                order);
}

/// `layout` with the elements a thread along the last dimension scaled by
/// `num / den`, where the last dimension is the fastest and the scaled count a
/// whole number.
static BlockedLayoutAttr scaleLastDimPerThread(BlockedLayoutAttr layout,
                                               unsigned num, unsigned den) {
  if (!layout || num == 0 || den == 0)
    return {};
  unsigned last = layout.getRank() - 1;
  if (layout.getOrder()[0] != last)
    return {};
  unsigned spt = layout.getSizePerThread()[last];
  if (spt * num % den != 0)
    return {};
  SmallVector<unsigned> sizePerThread(layout.getSizePerThread());
  sizePerThread[last] = spt * num / den;
  return BlockedLayoutAttr::get(layout.getContext(), sizePerThread,
                                layout.getThreadsPerWarp(),
                                layout.getWarpsPerCTA(), layout.getOrder());
}

BlockedLayoutAttr mlir::tile::getPackedLastDimLayout(BlockedLayoutAttr src,
                                                     unsigned factor) {
  return scaleLastDimPerThread(src, 1, factor);
}

BlockedLayoutAttr mlir::tile::getUnpackedLastDimLayout(BlockedLayoutAttr packed,
                                                       unsigned factor) {
  return scaleLastDimPerThread(packed, factor, 1);
}

//===----------------------------------------------------------------------===//
// Linear layouts (DistributedLayoutInterface)
//===----------------------------------------------------------------------===//

#include "tile/Dialect/Tile/TileLayoutInterfaces.cpp.inc"

SmallVector<std::string> mlir::tile::getLayoutOutDimNames(unsigned rank) {
  SmallVector<std::string> names;
  for (unsigned d = 0; d < rank; ++d)
    names.push_back("dim" + std::to_string(d));
  return names;
}

namespace {
/// Bases of a layout being built: per input dimension, in order.
using Bases = std::vector<std::vector<int32_t>>;

} // namespace

LinearLayout mlir::tile::makeDistributedLayout(const Bases &regs,
                                               const Bases &lanes,
                                               const Bases &warps,
                                               ArrayRef<int64_t> shape) {
  SmallVector<std::string> names = getLayoutOutDimNames(shape.size());
  SmallVector<std::pair<StringRef, int32_t>> outs;
  for (auto [name, extent] : llvm::zip_equal(names, shape))
    outs.push_back({name, int32_t(extent)});
  std::pair<StringRef, Bases> ins[] = {
      {"register", regs}, {"lane", lanes}, {"warp", warps}};
  return LinearLayout::fromBases(ins, outs, /*requireSurjective=*/true);
}

LinearLayout BlockedLayoutAttr::toLinearLayout(ArrayRef<int64_t> shape) const {
  unsigned rank = getRank();
  assert(shape.size() == rank && "shape of another rank than the layout");
  SmallVector<int64_t> cta = getCTATile(*this);
  SmallVector<int64_t> counts = blockedElemsPerDim(*this, shape);
  // The index along d of every step below is taken mod shape[d] (a power of
  // two), as emitIndices masks it: a step of shape[d] or more is a zero basis.
  auto basis = [&](unsigned d, int64_t step) {
    std::vector<int32_t> b(rank, 0);
    b[d] = step < shape[d] ? int32_t(step) : 0;
    return b;
  };
  Bases regs, lanes, warps;
  // Registers: the thread's elements linearized with order[0] fastest (see
  // TileLayouts.h); along d, the first sizePerThread[d] are consecutive and
  // the rest repeat the CTA tile.
  for (unsigned d : getOrder()) {
    int64_t spt = getSizePerThread()[d];
    for (int64_t e = 1; e < counts[d]; e *= 2)
      regs.push_back(basis(d, e < spt ? e : e / spt * cta[d]));
  }
  // Lane and warp ids split along the dimensions in order, fastest first
  // (getThreadCoords).
  for (unsigned d : getOrder())
    for (int64_t t = 1; t < getThreadsPerWarp()[d]; t *= 2)
      lanes.push_back(basis(d, t * getSizePerThread()[d]));
  for (unsigned d : getOrder())
    for (int64_t w = 1; w < getWarpsPerCTA()[d]; w *= 2)
      warps.push_back(
          basis(d, w * getThreadsPerWarp()[d] * getSizePerThread()[d]));
  return makeDistributedLayout(regs, lanes, warps, shape);
}

SmallVector<int64_t> BlockedLayoutAttr::getShapePerCTATile() const {
  return getCTATile(*this);
}

unsigned BlockedLayoutAttr::getLayoutRank() const { return getRank(); }

LinearLayout mlir::tile::sliceLinearLayout(DistributedLayoutInterface parent,
                                           unsigned dim,
                                           ArrayRef<int64_t> shape) {
  SmallVector<int64_t> parentShape(shape);
  parentShape.insert(parentShape.begin() + dim, 1);
  LinearLayout sliced = parent.toLinearLayout(parentShape);
  // The register bits that walk `dim`: those that move along it in the
  // parent's layout of one CTA tile's extent there (the same registers: the
  // parent neither repeats nor broadcasts along `dim` at that extent).
  parentShape[dim] = parent.getShapePerCTATile()[dim];
  LinearLayout full = parent.toLinearLayout(parentShape);
  if (full.getInDimSize("register") != sliced.getInDimSize("register"))
    llvm::report_fatal_error("sliceLinearLayout: the parent's registers "
                             "depend on its extent along the sliced dim");
  std::string dimName = "dim" + std::to_string(dim);
  auto drop = [&](ArrayRef<int32_t> b) {
    std::vector<int32_t> out(b.begin(), b.end());
    out.erase(out.begin() + dim);
    return out;
  };
  Bases regs, lanes, warps;
  for (int i = 0; i < sliced.getInDimSizeLog2("register"); ++i)
    if (full.getBasis("register", i, dimName) == 0)
      regs.push_back(drop(sliced.getBasis("register", i)));
  for (int i = 0; i < sliced.getInDimSizeLog2("lane"); ++i)
    lanes.push_back(drop(sliced.getBasis("lane", i)));
  for (int i = 0; i < sliced.getInDimSizeLog2("warp"); ++i)
    warps.push_back(drop(sliced.getBasis("warp", i)));
  return makeDistributedLayout(regs, lanes, warps, shape);
}

LinearLayout SliceLayoutAttr::toLinearLayout(ArrayRef<int64_t> shape) const {
  return sliceLinearLayout(getParent(), getDim(), shape);
}

SmallVector<int64_t> SliceLayoutAttr::getShapePerCTATile() const {
  SmallVector<int64_t> tile = getParent().getShapePerCTATile();
  tile.erase(tile.begin() + getDim());
  return tile;
}

unsigned SliceLayoutAttr::getLayoutRank() const {
  return getParent().getLayoutRank() - 1;
}

//===----------------------------------------------------------------------===//
// Shared layouts for tensor-core operands
//===----------------------------------------------------------------------===//

SharedLayoutAttr mlir::tile::getSwizzledSharedLayout(MLIRContext *ctx,
                                                    ArrayRef<int64_t> shape,
                                                    int64_t bytes,
                                                    unsigned fastest) {
  int64_t rowBytes = shape[fastest] * bytes;
  unsigned vec = unsigned(16 / bytes);
  unsigned perPhase = unsigned(std::max<int64_t>(1, 128 / rowBytes));
  unsigned maxPhase = std::max(1u, 8 / perPhase);
  return SharedLayoutAttr::get(ctx, vec, perPhase, maxPhase,
                               {fastest, 1 - fastest});
}

SharedLayoutAttr mlir::tile::getOperandSharedLayout(RankedTensorType srcType,
                                                   DotOperandLayoutAttr dst,
                                                   int64_t bits) {
  unsigned kDim = dst.getOpIdx() == 0 ? 1 : 0, mnDim = 1 - kDim;
  LinearLayout srcLL = cast<DistributedLayoutInterface>(getLayout(srcType))
                           .toLinearLayout(srcType.getShape());
  // 16-bit operands whose source runs along M or N are stored that way and
  // read with ldmatrix.trans; everything else is stored K-contiguous.
  bool srcAlongMN = srcLL.getInDimSizeLog2("register") > 0 &&
                    srcLL.getBasis("register", 0)[mnDim] == 1 &&
                    srcLL.getBasis("register", 0)[kDim] == 0;
  unsigned fastest = bits == 16 && srcAlongMN ? mnDim : kDim;
  return getSwizzledSharedLayout(srcType.getContext(), srcType.getShape(),
                                 std::max<int64_t>(1, bits / 8), fastest);
}


int64_t mlir::tile::getSharedStoreVector(RankedTensorType type,
                                         SharedLayoutAttr shared,
                                         int64_t maxElements) {
  LinearLayout map = cast<DistributedLayoutInterface>(getLayout(type))
                         .toLinearLayout(type.getShape())
                         .compose(shared.toLinearLayout(type.getShape()).invert());
  int64_t vec = 1;
  int regBits = map.getInDimSizeLog2("register");
  while (vec < maxElements && llvm::Log2_64(vec) < uint64_t(regBits) &&
         map.getBasis("register", llvm::Log2_64(vec))[0] == vec)
    vec *= 2;
  return vec;
}

std::optional<unsigned> mlir::tile::getMmaV2KWidth(DotOp dot) {
  Type ab = dot.getA().getType().getElementType();
  Type acc = dot.getType().getElementType();
  if (ab.isF16() && (acc.isF16() || acc.isF32()))
    return 2;
  if (ab.isBF16() && acc.isF32())
    return 2;
  if (ab.isInteger(8))
    return 4;
  return std::nullopt;
}

MmaLayoutAttr mlir::tile::getMmaV2Layout(DotOp dot, unsigned numWarps) {
  if (!getMmaV2KWidth(dot))
    return {};
  RankedTensorType type = dot.getType();
  int64_t m = type.getDimSize(0), n = type.getDimSize(1);
  // Warps beyond the m16n8 tiles hold copies.
  unsigned wm = 1, wn = 1;
  while (wm * wn < numWarps) {
    int64_t tilesM = m / (16 * wm), tilesN = n / (8 * wn);
    if (tilesM >= tilesN ? tilesM > 1 : tilesN <= 1)
      wm *= 2;
    else
      wn *= 2;
  }
  return MmaLayoutAttr::get(dot.getContext(), 2, {wm, wn}, {16, 8});
}

MmaLayoutAttr mlir::tile::getMmaV3Layout(DotOp dot, unsigned numWarps) {
  Type ab = dot.getA().getType().getElementType();
  Type acc = dot.getType().getElementType();
  InputPrecision precision = dot.getInputPrecision();
  bool floats = (ab.isF16() || ab.isBF16()) && acc.isF32() &&
                precision == InputPrecision::IEEE;
  bool ints = ab.isInteger(8) && acc.isInteger(32) &&
              precision == InputPrecision::Native;
  // f16_exact into f32: tile-pipeline widens the int8 tiles into f16
  // buffers, which an f16 wgmma reads (its rows are the f16 ones).
  bool exact = ab.isInteger(8) && acc.isF32() &&
               precision == InputPrecision::F16Exact;
  if ((!floats && !ints && !exact) || numWarps % 4 != 0)
    return {};
  int64_t m = dot.getType().getDimSize(0), n = dot.getType().getDimSize(1);
  int64_t k = dot.getA().getType().getDimSize(1);
  int64_t rowBytes = k * (exact ? 2 : ab.getIntOrFloatBitWidth() / 8);
  if (m < 64 || (rowBytes != 32 && rowBytes != 64 && rowBytes != 128))
    return {};
  // Warpgroups along M while each has 64 rows, then along N.
  unsigned wm = 4;
  while (wm * 2 <= numWarps && 16 * int64_t(wm) * 2 <= m)
    wm *= 2;
  unsigned wn = numWarps / wm;
  if (n % wn != 0 || n / wn < 8)
    return {};
  unsigned instrN = unsigned(std::min<int64_t>(256, n / wn));
  return MmaLayoutAttr::get(dot.getContext(), 3, {wm, wn}, {64, instrN});
}

std::optional<int64_t> mlir::tile::getWgmmaSwizzleBytes(MemDescType buffer,
                                                        unsigned kDim) {
  auto shared = dyn_cast<SharedLayoutAttr>(buffer.getEncoding());
  ArrayRef<int64_t> shape = buffer.getTileShape();
  if (!shared || shape.size() != 2 || kDim > 1)
    return std::nullopt;
  int64_t bytes = buffer.getElementType().getIntOrFloatBitWidth() / 8;
  int64_t rowBytes = shape[kDim] * bytes;
  if ((rowBytes != 32 && rowBytes != 64 && rowBytes != 128) ||
      shape[1 - kDim] < 8 ||
      shared != getSwizzledSharedLayout(buffer.getContext(), shape, bytes, kDim))
    return std::nullopt;
  return rowBytes;
}

MmaLayoutAttr mlir::tile::getMmaLayout(DotOp dot, unsigned numWarps) {
  if (getWarpgroupMma(dot) && TargetInfo::get(dot).supportsWgmma())
    if (MmaLayoutAttr v3 = getMmaV3Layout(dot, numWarps))
      return v3;
  return getMmaV2Layout(dot, numWarps);
}
