//===- TileCoalesce.cpp - The tile-coalesce pass --------------------------===//
//
// One blocked layout per tile rank from the loads' access patterns (the
// stores' where a rank has no loads), and layouts of their own for a dot
// operand's load and a transposing store (Passes.td says why).
//
//===----------------------------------------------------------------------===//

#include "tile/Analysis/AxisInfo.h"
#include "tile/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallBitVector.h"

namespace mlir::tile {
#define GEN_PASS_DEF_TILECOALESCEPASS
#include "tile/Transforms/Passes.h.inc"
} // namespace mlir::tile

using namespace mlir;
using namespace mlir::tile;

namespace {

/// The per-access facts the layout is chosen from.
struct AccessInfo {
  RankedTensorType ptrType;
  SmallVector<unsigned> order; // fastest first
  int64_t vector;              // elements per thread along order[0]
  int64_t elementBytes;        // of the pointee
};

/// Dimensions by decreasing contiguity; ties go to the later dimension
/// (row-major tiles are contiguous along their last dimension).
static SmallVector<unsigned> orderByContiguity(const AxisInfo &info) {
  SmallVector<unsigned> order(info.getRank());
  for (unsigned d = 0; d < order.size(); ++d)
    order[d] = order.size() - 1 - d;
  llvm::stable_sort(order, [&](unsigned a, unsigned b) {
    return info.contiguity[a] > info.contiguity[b];
  });
  return order;
}

static AccessInfo analyzeAccess(Value ptr, const AxisInfoAnalysis &axis,
                                unsigned numThreads) {
  AccessInfo access;
  access.ptrType = cast<RankedTensorType>(ptr.getType());
  AxisInfo info = axis.get(ptr);
  access.order = orderByContiguity(info);
  unsigned fastest = access.order.front();
  Type pointee =
      cast<PtrType>(access.ptrType.getElementType()).getPointeeType();
  int64_t bytes = std::max<int64_t>(1, pointee.getIntOrFloatBitWidth() / 8);
  access.elementBytes = bytes;
  int64_t alignment = std::max<int64_t>(1, info.divisibility[fastest] / bytes);
  int64_t perThread = std::max<int64_t>(
      1, access.ptrType.getNumElements() / int64_t(numThreads));
  access.vector = std::min({info.contiguity[fastest], alignment,
                            int64_t(16) / bytes, perThread});
  access.vector = std::max<int64_t>(access.vector, 1);
  return access;
}

/// The lanes to give the fastest dimension `d` of a tile when a reduction
/// runs along it: as few as keep each warp access whole 128-byte lines (a
/// line per group of lanes: the same sectors and requests as spreading all 32
/// lanes along `d`), provided the other dimensions have room for the lanes
/// and the warps (which go to the dimensions no reduction runs along first)
/// this frees. Each thread then holds more of every reduced row, so the
/// reduction does more of its work in registers and fewer shuffle rounds,
/// and whatever a row's result feeds (a quantization group's scale: a
/// division and a reciprocal) is computed by fewer lanes, each for fewer
/// rows. group_quant's [8, 128] bf16 tile on 2 warps: 8 lanes a group and one
/// group a thread (two 16-byte vectors 128 bytes apart) instead of 16 lanes a
/// group and two groups a thread: 3 shuffle rounds instead of 4 and one
/// division and reciprocal a thread instead of two.
///
/// A reduced row of at most one 32-byte sector goes to one lane whole: the
/// sector is the unit the memory system moves, so a warp access that reads
/// every other 16 bytes of 32 sectors moves the same sectors as the lane's
/// next vector, which reads the other halves (L1 hits), and the row's
/// result needs no shuffle and is computed once, not by every lane that held
/// a piece (silu_mul_nvfp4's [128, 16] bf16 blocks on 2 warps: one block a
/// lane, two blocks a thread instead of four half blocks, and each block's
/// 8 bytes of codes stored by the lane that computed them).
static int64_t lanesAlongReducedFastest(ArrayRef<int64_t> shape, unsigned d,
                                        int64_t vector, int64_t elementBytes,
                                        unsigned lanes, unsigned warps) {
  constexpr int64_t kSectorBytes = 32;
  int64_t lineLanes =
      shape[d] * elementBytes <= kSectorBytes
          ? 1
          : std::max<int64_t>(1, 128 / std::max<int64_t>(1, vector * elementBytes));
  int64_t otherRoom = 1;
  for (unsigned o = 0; o < shape.size(); ++o)
    if (o != d)
      otherRoom *= shape[o];
  // Threads the other dimensions cannot take would replicate (or put warps
  // on d, making the reduction cross warps): keep their lanes on d.
  int64_t threads = int64_t(lanes) * warps;
  int64_t needed = (threads + otherRoom - 1) / otherRoom;
  return std::max(lineLanes, needed);
}

/// A blocked layout with `vector` elements per thread along order[0], lanes
/// spread over the dimensions fastest first, and warps over the dimensions no
/// reduction runs along first (then the reduced ones, fastest first), without
/// replicating `shape` where it is large enough. Warps off the reduced
/// dimensions make a reduction end in shuffles: no shared memory, no barrier,
/// and each warp goes on to its stores without waiting for the others.
static BlockedLayoutAttr makeBlocked(MLIRContext *ctx, ArrayRef<int64_t> shape,
                                     ArrayRef<unsigned> order, int64_t vector,
                                     int64_t elementBytes, unsigned numWarps,
                                     const llvm::SmallBitVector &reduced) {
  unsigned rank = shape.size();
  SmallVector<unsigned> spt(rank, 1), tpw(rank, 1), wpc(rank, 1);
  spt[order[0]] = vector;
  unsigned lanes = kWarpSize, warps = numWarps;
  for (unsigned i = 0; i < rank; ++i) {
    unsigned d = order[i];
    int64_t room = std::max<int64_t>(1, shape[d] / spt[d]);
    if (i == 0 && reduced.test(d))
      room = std::min(room, lanesAlongReducedFastest(shape, d, vector,
                                                     elementBytes, lanes,
                                                     numWarps));
    tpw[d] = i + 1 == rank ? lanes : std::min<int64_t>(lanes, room);
    lanes /= tpw[d];
  }
  SmallVector<unsigned> warpOrder;
  for (bool wantReduced : {false, true})
    for (unsigned d : order)
      if (reduced.test(d) == wantReduced)
        warpOrder.push_back(d);
  for (unsigned i = 0; i < rank; ++i) {
    unsigned d = warpOrder[i];
    int64_t room = std::max<int64_t>(1, shape[d] / (int64_t(spt[d]) * tpw[d]));
    wpc[d] = i + 1 == rank ? warps : std::min<int64_t>(warps, room);
    warps /= wpc[d];
  }
  // Lanes or warps left over (a tile smaller than the program) replicate
  // along the slowest dimension, which the loop above already gave them.
  return BlockedLayoutAttr::get(ctx, spt, tpw, wpc, order);
}

/// Whether `load`'s tile is only an operand a or b of tile.dot.
static bool feedsDotOperand(LoadOp load) {
  Value result = load.getResult();
  return isa<RankedTensorType>(result.getType()) && !result.use_empty() &&
         llvm::all_of(result.getUses(), [](OpOperand &use) {
           auto dot = dyn_cast<DotOp>(use.getOwner());
           return dot && use.getOperandNumber() < 2;
         });
}

struct TileCoalescePass
    : mlir::tile::impl::TileCoalescePassBase<TileCoalescePass> {
  using Base::Base;
  void runOnOperation() override {
    ModuleOp module = getOperation();
    if (!applyTargetOption(module, target))
      return signalPassFailure();
    if (numWarps != 0) {
      if (!isValidNumWarps(numWarps)) {
        module.emitError("num-warps must be a power of two in [1, 32], got ")
            << numWarps;
        return signalPassFailure();
      }
      module->setAttr(TileDialect::kNumWarpsAttrName,
                      IntegerAttr::get(IntegerType::get(&getContext(), 32),
                                       numWarps));
    }
    unsigned warps = getNumWarps(module);
    for (auto func : module.getOps<func::FuncOp>()) {
      if (func.isExternal())
        continue;
      AxisInfoAnalysis axis(func);
      // Memory ops of tile rank R, loads first.
      std::map<unsigned, SmallVector<Operation *>> loads, stores;
      // Dimensions some reduction of a tile of that rank runs along.
      std::map<unsigned, llvm::SmallBitVector> reduced;
      func.walk([&](ReduceOp reduce) {
        auto type = cast<RankedTensorType>(reduce.getSrcs()[0].getType());
        auto &dims = reduced[type.getRank()];
        dims.resize(type.getRank());
        dims.set(reduce.getAxisAttr().getInt());
      });
      func.walk([&](Operation *op) {
        Value ptr;
        if (auto load = dyn_cast<LoadOp>(op); load && feedsDotOperand(load)) {
          // A dot's operand tile goes to shared memory on its own (the
          // tensor cores never read it in the load's layout): its layout
          // follows only its own access, so that a K-major b (8-bit
          // operands) is read 16 bytes at a time as a row-major a is.
          load->setAttr(kLayoutHintAttrName,
                        chooseLayout({op}, axis, warps * kWarpSize, warps,
                                     llvm::SmallBitVector(
                                         cast<RankedTensorType>(
                                             load.getPtr().getType())
                                             .getRank())));
          return;
        }
        if (auto load = dyn_cast<LoadOp>(op))
          ptr = load.getPtr();
        else if (auto store = dyn_cast<StoreOp>(op))
          ptr = store.getPtr();
        if (!ptr || !isa<RankedTensorType>(ptr.getType()))
          return;
        unsigned rank = cast<RankedTensorType>(ptr.getType()).getRank();
        (isa<LoadOp>(op) ? loads : stores)[rank].push_back(op);
      });
      std::set<unsigned> ranks;
      for (auto &entry : loads)
        ranks.insert(entry.first);
      for (auto &entry : stores)
        ranks.insert(entry.first);
      for (unsigned rank : ranks) {
        auto &deciders = loads.count(rank) ? loads[rank] : stores[rank];
        llvm::SmallBitVector &dims = reduced[rank];
        dims.resize(rank);
        BlockedLayoutAttr layout =
            chooseLayout(deciders, axis, warps * kWarpSize, warps, dims);
        for (auto *group : {&loads, &stores})
          if (group->count(rank))
            for (Operation *op : (*group)[rank])
              op->setAttr(kLayoutHintAttrName, layout);
        // A store contiguous along another dimension than that layout's
        // fastest (a transpose's) takes a layout of its own access; the
        // value it stores is converted once (tile-assign-layouts), instead
        // of every thread storing its elements one at a time.
        if (stores.count(rank))
          for (Operation *op : stores[rank]) {
            AccessInfo own =
                analyzeAccess(op->getOperand(0), axis, warps * kWarpSize);
            if (own.vector > 1 && own.order.front() != layout.getOrder()[0])
              op->setAttr(kLayoutHintAttrName,
                          chooseLayout({op}, axis, warps * kWarpSize, warps,
                                       dims));
          }
      }
    }
  }

  /// One layout for all `ops` (of one rank): the order of the first, the
  /// narrowest vector among those with that order, the largest tile's shape.
  static BlockedLayoutAttr chooseLayout(ArrayRef<Operation *> ops,
                                        const AxisInfoAnalysis &axis,
                                        unsigned numThreads,
                                        unsigned numWarps,
                                        const llvm::SmallBitVector &reduced) {
    SmallVector<AccessInfo> accesses;
    for (Operation *op : ops)
      accesses.push_back(analyzeAccess(op->getOperand(0), axis, numThreads));
    ArrayRef<unsigned> order = accesses.front().order;
    int64_t vector = accesses.front().vector;
    const AccessInfo *largest = &accesses.front();
    for (const AccessInfo &access : accesses) {
      if (access.order == order)
        vector = std::min(vector, access.vector);
      if (access.ptrType.getNumElements() > largest->ptrType.getNumElements())
        largest = &access;
    }
    return makeBlocked(largest->ptrType.getContext(),
                       largest->ptrType.getShape(), order, vector,
                       largest->elementBytes, numWarps, reduced);
  }
};

} // namespace
