//===- TileLayouts.cpp - Layout arithmetic shared by passes and lowering --===//

#include "tile/Dialect/Tile/TileDialect.h"

using namespace mlir;
using namespace mlir::tile;

Attribute mlir::tile::getLayout(Type type) {
  auto tensor = dyn_cast<RankedTensorType>(type);
  if (!tensor)
    return {};
  Attribute encoding = tensor.getEncoding();
  if (isa_and_present<BlockedLayoutAttr, SliceLayoutAttr>(encoding))
    return encoding;
  return {};
}

BlockedLayoutAttr mlir::tile::getBlockedParent(Attribute layout) {
  if (auto blocked = dyn_cast_if_present<BlockedLayoutAttr>(layout))
    return blocked;
  if (auto slice = dyn_cast_if_present<SliceLayoutAttr>(layout))
    return slice.getParent();
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
  SmallVector<int64_t> counts = blockedElemsPerDim(slice.getParent(), parentShape);
  counts.erase(counts.begin() + slice.getDim());
  return counts;
}

int64_t mlir::tile::getNumElemsPerThread(RankedTensorType type) {
  int64_t n = 1;
  for (int64_t c : getElemsPerThreadPerDim(getLayout(type), type.getShape()))
    n *= c;
  return n;
}

SmallVector<unsigned> mlir::tile::getLayoutOrder(Attribute layout) {
  if (auto blocked = dyn_cast<BlockedLayoutAttr>(layout))
    return SmallVector<unsigned>(blocked.getOrder());
  auto slice = cast<SliceLayoutAttr>(layout);
  SmallVector<unsigned> order;
  for (unsigned d : slice.getParent().getOrder()) {
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
