//===- LoweringUtils.cpp - Helpers shared by the tile-to-LLVM patterns ----===//

#include "LoweringUtils.h"

#include <map>

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/FormatVariadic.h"

using namespace mlir;
using namespace mlir::tile;

Value mlir::tile::i32Const(OpBuilder &b, Location loc, int64_t value) {
  return arith::ConstantIntOp::create(b, loc, b.getI32Type(), value);
}

ThreadCoords mlir::tile::getThreadCoords(OpBuilder &b, Location loc,
                                         BlockedLayoutAttr layout) {
  Type i32 = b.getI32Type();
  Value tid = NVVM::ThreadIdXOp::create(b, loc, i32);
  Value lane = arith::AndIOp::create(b, loc, tid, i32Const(b, loc, kWarpSize - 1));
  Value warp = arith::ShRUIOp::create(b, loc, tid, i32Const(b, loc, 5));
  unsigned rank = layout.getRank();
  ThreadCoords coords;
  coords.lane.resize(rank);
  coords.warp.resize(rank);
  coords.base.resize(rank);
  // Decompose lane and warp ids along the dimensions, fastest first.
  auto split = [&](Value id, ArrayRef<unsigned> sizes, SmallVector<Value> &out) {
    for (unsigned d : layout.getOrder()) {
      out[d] = arith::RemUIOp::create(b, loc, id, i32Const(b, loc, sizes[d]));
      id = arith::DivUIOp::create(b, loc, id, i32Const(b, loc, sizes[d]));
    }
  };
  split(lane, layout.getThreadsPerWarp(), coords.lane);
  split(warp, layout.getWarpsPerCTA(), coords.warp);
  for (unsigned d = 0; d < rank; ++d) {
    Value w = arith::MulIOp::create(
        b, loc, coords.warp[d], i32Const(b, loc, layout.getThreadsPerWarp()[d]));
    Value t = arith::AddIOp::create(b, loc, w, coords.lane[d]);
    coords.base[d] = arith::MulIOp::create(
        b, loc, t, i32Const(b, loc, layout.getSizePerThread()[d]));
  }
  return coords;
}

/// The blocked parent, the parent-shaped extents of `type`, and the sliced
/// dimension if any.
static std::tuple<BlockedLayoutAttr, SmallVector<int64_t>, std::optional<unsigned>>
parentView(RankedTensorType type) {
  Attribute layout = getLayout(type);
  SmallVector<int64_t> shape(type.getShape());
  if (auto slice = dyn_cast<SliceLayoutAttr>(layout)) {
    shape.insert(shape.begin() + slice.getDim(), 1);
    return {getBlockedParent(slice), shape, slice.getDim()};
  }
  return {cast<BlockedLayoutAttr>(layout), shape, std::nullopt};
}

/// The parent-layout multi-index of the thread's element `linear` of `type`.
static SmallVector<int64_t> parentElement(RankedTensorType type,
                                          int64_t linear) {
  Attribute layout = getLayout(type);
  SmallVector<int64_t> counts =
      getElemsPerThreadPerDim(layout, type.getShape());
  SmallVector<int64_t> e = delinearize(linear, counts, getLayoutOrder(layout));
  if (auto slice = dyn_cast<SliceLayoutAttr>(layout))
    e.insert(e.begin() + slice.getDim(), 0);
  return e;
}

/// The linear layout of a laid-out tile type.
static LinearLayout linearLayoutOf(RankedTensorType type) {
  return cast<DistributedLayoutInterface>(getLayout(type))
      .toLinearLayout(type.getShape());
}

std::pair<Value, Value> mlir::tile::getLaneAndWarp(OpBuilder &b, Location loc) {
  Value tid = NVVM::ThreadIdXOp::create(b, loc, b.getI32Type());
  Value lane = arith::AndIOp::create(b, loc, tid, i32Const(b, loc, kWarpSize - 1));
  Value warp = arith::ShRUIOp::create(b, loc, tid, i32Const(b, loc, 5));
  return {lane, warp};
}

SmallVector<Value> mlir::tile::applyLinearLayout(OpBuilder &b, Location loc,
                                                 const LinearLayout &layout,
                                                 StringRef inDim, Value id) {
  SmallVector<Value> out;
  for (int d = 0; d < layout.getNumOutDims(); ++d) {
    Value acc = i32Const(b, loc, 0);
    for (int i = 0; i < layout.getInDimSizeLog2(inDim); ++i) {
      int32_t basis = layout.getBasis(inDim, i)[d];
      if (basis == 0)
        continue;
      Value bit = arith::AndIOp::create(
          b, loc, arith::ShRUIOp::create(b, loc, id, i32Const(b, loc, i)),
          i32Const(b, loc, 1));
      Value term =
          arith::MulIOp::create(b, loc, bit, i32Const(b, loc, basis));
      acc = arith::XOrIOp::create(b, loc, acc, term);
    }
    out.push_back(acc);
  }
  return out;
}

/// emitIndices for a layout known only by its linear layout: element j of
/// the thread is register j, its index the XOR of register j's constant part
/// and the lane's and warp's runtime parts.
static SmallVector<SmallVector<Value>>
emitLinearIndices(OpBuilder &b, Location loc, RankedTensorType type) {
  LinearLayout layout = linearLayoutOf(type);
  auto [lane, warp] = getLaneAndWarp(b, loc);
  SmallVector<Value> lanePart = applyLinearLayout(b, loc, layout, "lane", lane);
  SmallVector<Value> warpPart = applyLinearLayout(b, loc, layout, "warp", warp);
  SmallVector<Value> thread;
  for (auto [l, w] : llvm::zip_equal(lanePart, warpPart))
    thread.push_back(arith::XOrIOp::create(b, loc, l, w));
  SmallVector<SmallVector<Value>> indices;
  for (int32_t j = 0; j < layout.getInDimSize("register"); ++j) {
    SmallVector<Value> index;
    for (auto [d, coord] : llvm::enumerate(layout.apply(
             {{"register", j}, {"lane", 0}, {"warp", 0}})))
      index.push_back(arith::XOrIOp::create(b, loc, thread[d],
                                            i32Const(b, loc, coord.second)));
    indices.push_back(index);
  }
  return indices;
}

SmallVector<SmallVector<Value>> mlir::tile::emitIndices(OpBuilder &b,
                                                        Location loc,
                                                        RankedTensorType type) {
  if (!isBlockedOrSlice(getLayout(type)))
    return emitLinearIndices(b, loc, type);
  auto [parent, shape, sliceDim] = parentView(type);
  ThreadCoords coords = getThreadCoords(b, loc, parent);
  SmallVector<int64_t> cta = getCTATile(parent);
  int64_t n = getNumElemsPerThread(type);
  SmallVector<SmallVector<Value>> indices;
  for (int64_t j = 0; j < n; ++j) {
    SmallVector<int64_t> e = parentElement(type, j);
    SmallVector<Value> index;
    for (unsigned d = 0; d < shape.size(); ++d) {
      if (sliceDim && d == *sliceDim)
        continue;
      int64_t spt = parent.getSizePerThread()[d];
      int64_t offset = e[d] / spt * cta[d] + e[d] % spt;
      Value v = arith::AddIOp::create(b, loc, coords.base[d],
                                      i32Const(b, loc, offset));
      // Extents are powers of two: `mod` is a mask.
      index.push_back(
          arith::AndIOp::create(b, loc, v, i32Const(b, loc, shape[d] - 1)));
    }
    indices.push_back(index);
  }
  return indices;
}

/// The tile index `l` gives register `reg` of lane `lane` in warp 0.
static SmallVector<int32_t> coordsAt(const LinearLayout &l, int32_t reg,
                                     int32_t lane = 0) {
  SmallVector<int32_t> c;
  for (auto &[name, value] :
       l.apply({{"register", reg}, {"lane", lane}, {"warp", 0}}))
    c.push_back(value);
  return c;
}

/// For each register of `to`, the register of `from` whose own part of the
/// index is `project` of the `to` register's (lanes and warps left aside).
static std::optional<SmallVector<int64_t>> mapRegisterParts(
    const LinearLayout &from, const LinearLayout &to,
    llvm::function_ref<SmallVector<int32_t>(ArrayRef<int32_t>)> project) {
  std::map<SmallVector<int32_t>, int64_t> registerOf;
  for (int32_t r = from.getInDimSize("register") - 1; r >= 0; --r)
    registerOf[coordsAt(from, r)] = r; // the first register holding it wins
  SmallVector<int64_t> map;
  for (int32_t j = 0; j < to.getInDimSize("register"); ++j) {
    auto it = registerOf.find(project(coordsAt(to, j)));
    if (it == registerOf.end())
      return std::nullopt;
    map.push_back(it->second);
  }
  return map;
}

SmallVector<int32_t> mlir::tile::sameIndex(ArrayRef<int32_t> index) {
  return SmallVector<int32_t>(index);
}

std::optional<SmallVector<int64_t>> mlir::tile::mapRegistersInThread(
    RankedTensorType src, RankedTensorType dst,
    llvm::function_ref<SmallVector<int32_t>(ArrayRef<int32_t>)> project) {
  LinearLayout from = linearLayoutOf(src), to = linearLayoutOf(dst);
  for (StringRef dim : {"lane", "warp"}) {
    if (from.getInDimSizeLog2(dim) != to.getInDimSizeLog2(dim))
      return std::nullopt;
    for (int i = 0; i < to.getInDimSizeLog2(dim); ++i)
      if (project(to.getBasis(dim, i)) !=
          SmallVector<int32_t>(from.getBasis(dim, i)))
        return std::nullopt;
  }
  return mapRegisterParts(from, to, project);
}

bool mlir::tile::isRegisterPermutation(RankedTensorType src,
                                       RankedTensorType dst) {
  if (src.getShape() != dst.getShape() || !getLayout(src) || !getLayout(dst))
    return false;
  return mapRegistersInThread(src, dst, sameIndex).has_value();
}

bool mlir::tile::isShuffleable(Type element) {
  return isa<PtrType>(element) ||
         (element.isIntOrFloat() && element.getIntOrFloatBitWidth() <= 64);
}

bool mlir::tile::convertsWithinWarps(RankedTensorType src,
                                     RankedTensorType dst) {
  return isRegisterPermutation(src, dst) ||
         (isShuffleable(src.getElementType()) && planLaneShuffle(src, dst));
}

int64_t mlir::tile::getContiguousRegisters(RankedTensorType type,
                                           unsigned dim) {
  Attribute layout = getLayout(type);
  if (isBlockedOrSlice(layout))
    return getSizePerThread(layout)[dim];
  LinearLayout ll = linearLayoutOf(type);
  int64_t run = 1;
  for (int i = 0; i < ll.getInDimSizeLog2("register"); ++i) {
    ArrayRef<int32_t> basis = ll.getBasis("register", i);
    for (unsigned d = 0; d < basis.size(); ++d)
      if (basis[d] != (d == dim ? run : 0))
        return run;
    run *= 2;
  }
  return run;
}

Value mlir::tile::linearIndex(OpBuilder &b, Location loc, ArrayRef<Value> index,
                              ArrayRef<int64_t> shape) {
  Value linear = i32Const(b, loc, 0);
  int64_t stride = 1;
  for (int d = shape.size() - 1; d >= 0; --d) {
    Value term =
        arith::MulIOp::create(b, loc, index[d], i32Const(b, loc, stride));
    linear = arith::AddIOp::create(b, loc, linear, term);
    stride *= shape[d];
  }
  return linear;
}

Value mlir::tile::emitRepresentativePredicate(OpBuilder &b, Location loc,
                                              RankedTensorType type) {
  if (!isBlockedOrSlice(getLayout(type))) {
    // Lanes and warps with zero bases hold copies: the one whose such bits
    // are all zero writes.
    LinearLayout layout = linearLayoutOf(type);
    uint64_t laneMask = layout.getFreeVariableMask("lane");
    uint64_t warpMask = layout.getFreeVariableMask("warp");
    if (!laneMask && !warpMask)
      return {};
    auto [lane, warp] = getLaneAndWarp(b, loc);
    Value copyBits = arith::OrIOp::create(
        b, loc,
        arith::AndIOp::create(b, loc, lane, i32Const(b, loc, laneMask)),
        arith::ShLIOp::create(
            b, loc,
            arith::AndIOp::create(b, loc, warp, i32Const(b, loc, warpMask)),
            i32Const(b, loc, 5)));
    return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, copyBits,
                                 i32Const(b, loc, 0));
  }
  auto [parent, shape, sliceDim] = parentView(type);
  SmallVector<int64_t> cta = getCTATile(parent);
  SmallVector<unsigned> replicated;
  for (unsigned d = 0; d < shape.size(); ++d)
    if (shape[d] < cta[d])
      replicated.push_back(d);
  if (replicated.empty())
    return {};
  ThreadCoords coords = getThreadCoords(b, loc, parent);
  Value pred;
  for (unsigned d : replicated) {
    // Threads whose first element along d wraps past the extent repeat
    // another thread's elements.
    Value ok = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult,
                                     coords.base[d], i32Const(b, loc, shape[d]));
    pred = pred ? arith::AndIOp::create(b, loc, pred, ok).getResult() : ok;
  }
  return pred;
}

bool mlir::tile::isInThreadDuplicate(RankedTensorType type, int64_t linear) {
  if (!isBlockedOrSlice(getLayout(type)))
    return linear & linearLayoutOf(type).getFreeVariableMask("register");
  auto [parent, shape, sliceDim] = parentView(type);
  SmallVector<int64_t> e = parentElement(type, linear);
  for (unsigned d = 0; d < shape.size(); ++d)
    if (e[d] % parent.getSizePerThread()[d] >= shape[d])
      return true;
  return false;
}

Value mlir::tile::sharedMemoryAddress(OpBuilder &b, Location loc,
                                      Operation *anchor, Value byteOffset) {
  auto module = anchor->getParentOfType<ModuleOp>();
  auto global = module.lookupSymbol<LLVM::GlobalOp>(kSharedMemoryName);
  if (!global) {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(module.getBody());
    auto arrayType = LLVM::LLVMArrayType::get(b.getI8Type(), 0);
    global = LLVM::GlobalOp::create(
        b, loc, arrayType, /*isConstant=*/false, LLVM::Linkage::External,
        kSharedMemoryName, Attribute(), /*alignment=*/16, /*addrSpace=*/3);
  }
  auto ptrType = LLVM::LLVMPointerType::get(b.getContext(), 3);
  Value base = LLVM::AddressOfOp::create(b, loc, ptrType, global.getSymName());
  return LLVM::GEPOp::create(b, loc, ptrType, b.getI8Type(), base,
                             ValueRange{byteOffset});
}

Value mlir::tile::stageBase(OpBuilder &b, Location loc, Value ring,
                            MemDescType type, Value stage) {
  Value byteOffset = arith::MulIOp::create(
      b, loc, stage, i32Const(b, loc, type.getStageBytes()));
  return LLVM::GEPOp::create(b, loc, ring.getType(), b.getI8Type(), ring,
                             ValueRange{byteOffset});
}

Value mlir::tile::scratchAddress(OpBuilder &b, Location loc,
                                 Operation *anchor, Value byteOffset) {
  Value base = sharedMemoryAddress(b, loc, anchor, i32Const(b, loc, 0));
  return LLVM::GEPOp::create(b, loc, base.getType(), b.getI8Type(), base,
                             ValueRange{byteOffset});
}

void mlir::tile::replaceWithThreadValues(ConversionPatternRewriter &rewriter,
                                         Operation *op,
                                         SmallVector<Value> values) {
  if (isa<RankedTensorType>(op->getResult(0).getType()))
    rewriter.replaceOpWithMultiple(op, {std::move(values)});
  else
    rewriter.replaceOp(op, values.front());
}

void mlir::tile::emitBarrier(OpBuilder &b, Location loc) {
  NVVM::Barrier0Op::create(b, loc);
}

/// shfl.sync of any scalar of up to 64 bits or pointer (two shuffles for 64), in
/// `kind` mode with lane operand `lane` (a mask for bfly, a lane for idx).
static Value shuffle(OpBuilder &b, Location loc, Value value, Value lane,
                     NVVM::ShflKind kind) {
  Type type = value.getType();
  // A pointer travels as its 64-bit address.
  if (isa<LLVM::LLVMPointerType>(type)) {
    Value address = LLVM::PtrToIntOp::create(b, loc, b.getI64Type(), value);
    return LLVM::IntToPtrOp::create(
        b, loc, type, shuffle(b, loc, address, lane, kind));
  }
  Type i32 = b.getI32Type();
  unsigned bits = type.getIntOrFloatBitWidth();
  // idx: the whole warp (c = 31); bfly: the same clamp.
  auto shfl = [&](Value v) {
    return NVVM::ShflOp::create(b, loc, i32, i32Const(b, loc, -1), v, lane,
                                i32Const(b, loc, kWarpSize - 1), kind,
                                UnitAttr())
        .getResult();
  };
  if (bits == 64) {
    Type i64 = b.getI64Type();
    Value asInt = LLVM::BitcastOp::create(b, loc, i64, value);
    Value lo = LLVM::TruncOp::create(b, loc, i32, asInt);
    Value hi = LLVM::TruncOp::create(
        b, loc, i32,
        LLVM::LShrOp::create(b, loc, asInt,
                             LLVM::ConstantOp::create(b, loc, i64, 32)));
    Value lo2 = LLVM::ZExtOp::create(b, loc, i64, shfl(lo));
    Value hi2 = LLVM::ShlOp::create(b, loc,
                                    LLVM::ZExtOp::create(b, loc, i64, shfl(hi)),
                                    LLVM::ConstantOp::create(b, loc, i64, 32));
    Value joined = LLVM::OrOp::create(b, loc, lo2, hi2);
    return LLVM::BitcastOp::create(b, loc, type, joined);
  }
  Value asInt = value;
  Type intType = b.getIntegerType(bits);
  if (!type.isInteger(bits))
    asInt = LLVM::BitcastOp::create(b, loc, intType, value);
  if (bits < 32)
    asInt = LLVM::ZExtOp::create(b, loc, i32, asInt);
  Value shuffled = shfl(asInt);
  if (bits < 32)
    shuffled = LLVM::TruncOp::create(b, loc, intType, shuffled);
  if (!type.isInteger(bits))
    shuffled = LLVM::BitcastOp::create(b, loc, type, shuffled);
  return shuffled;
}

Value mlir::tile::shuffleXor(OpBuilder &b, Location loc, Value value,
                             unsigned laneMask) {
  return shuffle(b, loc, value, i32Const(b, loc, laneMask),
                 NVVM::ShflKind::bfly);
}

Value mlir::tile::shuffleIdx(OpBuilder &b, Location loc, Value value,
                             Value srcLane) {
  return shuffle(b, loc, value, srcLane, NVVM::ShflKind::idx);
}

std::optional<LaneShufflePlan>
mlir::tile::planLaneShuffle(RankedTensorType src, RankedTensorType dst) {
  if (src.getShape() != dst.getShape() || !getLayout(src) || !getLayout(dst))
    return std::nullopt;
  LinearLayout from = linearLayoutOf(src), to = linearLayoutOf(dst);
  if (from.getInDimSizeLog2("lane") != 5 || to.getInDimSizeLog2("lane") != 5 ||
      from.getInDimSizeLog2("warp") != to.getInDimSizeLog2("warp"))
    return std::nullopt;
  for (int i = 0; i < to.getInDimSizeLog2("warp"); ++i)
    if (SmallVector<int32_t>(to.getBasis("warp", i)) !=
        SmallVector<int32_t>(from.getBasis("warp", i)))
      return std::nullopt;
  LaneShufflePlan plan;
  // Each of the result's lane bits: the source lane holding that part of the
  // element (source lanes are linear too, so the bits compose by XOR).
  for (int i = 0; i < 5; ++i) {
    SmallVector<int32_t> want = coordsAt(to, 0, 1 << i);
    int32_t found = -1;
    for (int32_t lane = 0; lane < kWarpSize && found < 0; ++lane)
      if (coordsAt(from, 0, lane) == want)
        found = lane;
    if (found < 0)
      return std::nullopt;
    plan.laneBits.push_back(found);
  }
  // Registers: the source register holding the result register's part.
  std::optional<SmallVector<int64_t>> registers =
      mapRegisterParts(from, to, sameIndex);
  if (!registers)
    return std::nullopt;
  plan.registers = std::move(*registers);
  return plan;
}

SmallVector<Value> mlir::tile::emitInlinePTX(OpBuilder &b, Location loc,
                                             TypeRange resultTypes,
                                             ValueRange operands, StringRef ptx,
                                             StringRef constraints,
                                             bool hasSideEffects) {
  Type resultType;
  if (resultTypes.size() == 1)
    resultType = resultTypes.front();
  else if (resultTypes.size() > 1)
    resultType = LLVM::LLVMStructType::getLiteral(b.getContext(),
                                                  SmallVector<Type>(resultTypes));
  auto asmOp = LLVM::InlineAsmOp::create(
      b, loc, resultType ? TypeRange(resultType) : TypeRange(), operands, ptx,
      constraints, hasSideEffects, /*is_align_stack=*/false,
      LLVM::tailcallkind::TailCallKind::None,
      LLVM::AsmDialectAttr::get(b.getContext(), LLVM::AsmDialect::AD_ATT),
      ArrayAttr());
  SmallVector<Value> results;
  if (resultTypes.size() == 1)
    results.push_back(asmOp.getResult(0));
  else
    for (unsigned i = 0; i < resultTypes.size(); ++i)
      results.push_back(
          LLVM::ExtractValueOp::create(b, loc, asmOp.getResult(0), i));
  return results;
}

Type mlir::tile::storageType(Type type) {
  if (isa<Float8E4M3FNType, Float8E5M2Type, Float4E2M1FNType>(type))
    return IntegerType::get(type.getContext(), type.getIntOrFloatBitWidth());
  return type;
}

Value mlir::tile::toStorage(OpBuilder &b, Location loc, Value value) {
  Type storage = storageType(value.getType());
  if (storage == value.getType())
    return value;
  return arith::BitcastOp::create(b, loc, storage, value);
}

Value mlir::tile::fromStorage(OpBuilder &b, Location loc, Value value,
                              Type type) {
  if (value.getType() == type)
    return value;
  return arith::BitcastOp::create(b, loc, type, value);
}

Type mlir::tile::sharedMemoryType(Type type) {
  Type storage = storageType(type);
  if (!storage.isIntOrFloat())
    return {};
  unsigned bits = storage.getIntOrFloatBitWidth();
  if (bits >= 8 && llvm::isPowerOf2_32(bits))
    return storage;
  if (!isa<IntegerType>(storage))
    return {};
  return IntegerType::get(type.getContext(),
                          std::max<unsigned>(8, llvm::PowerOf2Ceil(bits)));
}

int64_t mlir::tile::sharedMemoryBytes(Type type) {
  Type shared = sharedMemoryType(type);
  return shared ? shared.getIntOrFloatBitWidth() / 8 : 0;
}

Value mlir::tile::toSharedMemory(OpBuilder &b, Location loc, Value value) {
  Value stored = toStorage(b, loc, value);
  Type shared = sharedMemoryType(value.getType());
  if (shared == stored.getType())
    return stored;
  return arith::ExtUIOp::create(b, loc, shared, stored);
}

Value mlir::tile::fromSharedMemory(OpBuilder &b, Location loc, Value value,
                                   Type type) {
  Type storage = storageType(type);
  if (storage != value.getType())
    value = arith::TruncIOp::create(b, loc, storage, value);
  return fromStorage(b, loc, value, type);
}

std::optional<ReduceScratch> mlir::tile::getReduceScratch(ReduceOp op) {
  auto srcType = cast<RankedTensorType>(op.getSrcs().front().getType());
  auto layout = dyn_cast_if_present<BlockedLayoutAttr>(getLayout(srcType));
  if (!layout)
    return std::nullopt;
  unsigned axis = op.getAxisAttr().getInt();
  int64_t spt = layout.getSizePerThread()[axis];
  int64_t tpw = layout.getThreadsPerWarp()[axis];
  ReduceScratch scratch;
  scratch.warps = std::clamp<int64_t>(srcType.getDimSize(axis) / (spt * tpw), 1,
                                      layout.getWarpsPerCTA()[axis]);
  scratch.resultSize = srcType.getNumElements() / srcType.getDimSize(axis);
  if (scratch.warps == 1)
    return scratch;
  int64_t offset = 0;
  for (Value src : op.getSrcs()) {
    Type slot = sharedMemoryType(getElementTypeOrSelf(src.getType()));
    if (!slot)
      return std::nullopt;
    int64_t bytes = slot.getIntOrFloatBitWidth() / 8;
    offset = llvm::alignTo(offset, bytes);
    scratch.slotTypes.push_back(slot);
    scratch.regionOffsets.push_back(offset);
    offset += scratch.warps * scratch.resultSize * bytes;
  }
  scratch.bytes = offset;
  return scratch;
}

SmallVector<int64_t> mlir::tile::getSizePerThread(Attribute layout) {
  BlockedLayoutAttr parent = getBlockedParent(layout);
  SmallVector<int64_t> spt(parent.getSizePerThread().begin(),
                           parent.getSizePerThread().end());
  if (auto slice = dyn_cast<SliceLayoutAttr>(layout))
    spt.erase(spt.begin() + slice.getDim());
  return spt;
}

bool mlir::tile::isInPlaceReshape(ReshapeOp op) {
  auto srcType = cast<RankedTensorType>(op.getSrc().getType());
  auto src = dyn_cast_if_present<BlockedLayoutAttr>(getLayout(srcType));
  BlockedLayoutAttr inPlace = getSplitLastDimLayout(
      src, srcType.getShape(), op.getType().getShape());
  return inPlace && inPlace == getLayout(op.getType());
}

Value mlir::tile::widenBytesToF16(OpBuilder &b, Location loc, Value word, int first) {
  Value biased = arith::XOrIOp::create(b, loc, word,
                                       i32Const(b, loc, int64_t(0x80808080)));
  // prmt selector nibbles, low byte first: byte `first`, 0x64, byte
  // `first + 1`, 0x64 (bytes 4..7 are the second operand's).
  std::string ptx = llvm::formatv("prmt.b32 $0, $1, $2, {0:x};",
                                  0x4040 | first | (first + 1) << 8)
                        .str();
  Value placed = emitInlinePTX(b, loc, {b.getI32Type()},
                               {biased, i32Const(b, loc, 0x64646464)}, ptx,
                               "=r,r,r", /*hasSideEffects=*/false)
                     .front();
  auto half2 = VectorType::get({2}, b.getF16Type());
  Value halves = LLVM::BitcastOp::create(b, loc, half2, placed);
  Value bias =
      LLVM::BitcastOp::create(b, loc, half2, i32Const(b, loc, 0x64806480));
  Value x = LLVM::FSubOp::create(b, loc, halves, bias);
  return LLVM::BitcastOp::create(b, loc, b.getI32Type(), x);
}
