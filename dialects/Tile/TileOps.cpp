//===- TileOps.cpp - Operations of the tile dialect -----------------------===//
//
// Builders, verifiers and the custom syntax of the tile ops. Folders and
// canonicalization patterns are in TileFolders.cpp.
//
//===----------------------------------------------------------------------===//

#include "tile/Dialect/Tile/TileDialect.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/IR/TypeUtilities.h"
#include "llvm/ADT/STLExtras.h"

using namespace mlir;
using namespace mlir::tile;

#define GET_OP_CLASSES
#include "tile/Dialect/Tile/TileOps.cpp.inc"

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

/// The shape of a tile type; empty for a scalar.
static ArrayRef<int64_t> shapeOf(Type type) {
  if (auto tensor = dyn_cast<RankedTensorType>(type))
    return tensor.getShape();
  return {};
}

static bool isTensor(Type type) { return isa<RankedTensorType>(type); }

/// Equal types but for the layout encoding, which passes choose.
static bool haveSameShapeAndElementType(Type a, Type b) {
  auto ta = dyn_cast<RankedTensorType>(a), tb = dyn_cast<RankedTensorType>(b);
  if (!ta || !tb)
    return a == b;
  return ta.getShape() == tb.getShape() &&
         ta.getElementType() == tb.getElementType();
}

/// Checks that `a` and `b` are both scalars or both tiles of one shape.
static LogicalResult verifySameShape(Operation *op, Type a, StringRef aName,
                                     Type b, StringRef bName) {
  if (isTensor(a) != isTensor(b) || shapeOf(a) != shapeOf(b))
    return op->emitOpError() << aName << " type " << a
                             << " and " << bName << " type " << b
                             << " have different shapes";
  return success();
}

//===----------------------------------------------------------------------===//
// MakeRangeOp
//===----------------------------------------------------------------------===//

void MakeRangeOp::build(OpBuilder &builder, OperationState &state,
                        int32_t start, int32_t end) {
  auto type = RankedTensorType::get({int64_t(end) - start}, builder.getI32Type());
  build(builder, state, type, start, end);
}

LogicalResult MakeRangeOp::verify() {
  // Read signed: the generated getters return uint32_t.
  int64_t start = getStartAttr().getInt(), end = getEndAttr().getInt();
  if (end <= start)
    return emitOpError() << "end (" << end << ") must be greater than start ("
                         << start << ")";
  auto type = getType();
  if (type.getRank() != 1)
    return emitOpError() << "result must be a 1-D tile, got " << type;
  if (type.getDimSize(0) != end - start)
    return emitOpError() << "result has " << type.getDimSize(0)
                         << " elements but the range [" << start << ", " << end
                         << ") has " << end - start;
  return success();
}

//===----------------------------------------------------------------------===//
// SplatOp
//===----------------------------------------------------------------------===//

LogicalResult SplatOp::verify() {
  Type element = getType().getElementType();
  if (element != getSrc().getType())
    return emitOpError() << "result element type " << element
                         << " does not match the source type "
                         << getSrc().getType();
  return success();
}

//===----------------------------------------------------------------------===//
// BroadcastOp
//===----------------------------------------------------------------------===//

LogicalResult BroadcastOp::verify() {
  auto srcType = getSrc().getType();
  auto resultType = getType();
  if (srcType.getElementType() != resultType.getElementType())
    return emitOpError() << "result element type " << resultType.getElementType()
                         << " does not match the source element type "
                         << srcType.getElementType();
  if (srcType.getRank() != resultType.getRank())
    return emitOpError() << "source rank " << srcType.getRank()
                         << " differs from result rank " << resultType.getRank()
                         << " (insert dimensions with tile.expand_dims first)";
  for (auto [dim, pair] :
       llvm::enumerate(llvm::zip(srcType.getShape(), resultType.getShape()))) {
    auto [from, to] = pair;
    if (from != 1 && from != to)
      return emitOpError() << "source extent " << from << " in dimension "
                           << dim << " is neither 1 nor the result extent "
                           << to;
  }
  return success();
}

//===----------------------------------------------------------------------===//
// ExpandDimsOp
//===----------------------------------------------------------------------===//

/// `type` with an extent-1 dimension inserted at `axis` (assumed in range).
static RankedTensorType expandedType(RankedTensorType type, int64_t axis) {
  SmallVector<int64_t> shape(type.getShape());
  shape.insert(shape.begin() + axis, 1);
  return type.clone(shape);
}

void ExpandDimsOp::build(OpBuilder &builder, OperationState &state, Value src,
                         int32_t axis) {
  auto srcType = cast<RankedTensorType>(src.getType());
  int64_t clamped = std::clamp<int64_t>(axis, 0, srcType.getRank());
  build(builder, state, expandedType(srcType, clamped), src, axis);
}

LogicalResult ExpandDimsOp::verify() {
  auto srcType = getSrc().getType();
  int64_t axis = getAxisAttr().getInt();
  if (axis < 0 || axis > srcType.getRank())
    return emitOpError() << "axis " << axis << " is out of range for a rank-"
                         << srcType.getRank() << " source (expected 0.."
                         << srcType.getRank() << ")";
  auto expected = expandedType(srcType, axis);
  if (!haveSameShapeAndElementType(getType(), expected))
    return emitOpError() << "result type " << getType()
                         << " is not the source with an extent-1 dimension at "
                         << "axis " << axis << " (expected " << expected << ")";
  return success();
}

//===----------------------------------------------------------------------===//
// ReshapeOp
//===----------------------------------------------------------------------===//

LogicalResult ReshapeOp::verify() {
  auto srcType = getSrc().getType();
  auto resultType = getType();
  if (srcType.getElementType() != resultType.getElementType())
    return emitOpError() << "result element type " << resultType.getElementType()
                         << " does not match the source element type "
                         << srcType.getElementType();
  if (srcType.getNumElements() != resultType.getNumElements())
    return emitOpError() << "source has " << srcType.getNumElements()
                         << " elements but the result has "
                         << resultType.getNumElements();
  return success();
}

//===----------------------------------------------------------------------===//
// ConvertLayoutOp
//===----------------------------------------------------------------------===//

LogicalResult ConvertLayoutOp::verify() {
  if (!haveSameShapeAndElementType(getSrc().getType(), getType()))
    return emitOpError() << "converts " << getSrc().getType() << " to "
                         << getType()
                         << ": only the layout encoding may change";
  return success();
}

//===----------------------------------------------------------------------===//
// AddPtrOp
//===----------------------------------------------------------------------===//

LogicalResult AddPtrOp::verify() {
  Type ptrType = getPtr().getType(), offsetType = getOffset().getType();
  if (!isTensor(ptrType) && isTensor(offsetType))
    return emitOpError() << "a scalar pointer takes a scalar offset, got "
                         << offsetType << " (splat the pointer first)";
  return verifySameShape(*this, ptrType, "pointer", offsetType, "offset");
}

//===----------------------------------------------------------------------===//
// LoadOp and StoreOp
//===----------------------------------------------------------------------===//

static bool isLoadCacheModifier(CacheModifier c) {
  return c == CacheModifier::None || c == CacheModifier::CA ||
         c == CacheModifier::CG || c == CacheModifier::CS ||
         c == CacheModifier::CV;
}

static bool isStoreCacheModifier(CacheModifier c) {
  return c == CacheModifier::None || c == CacheModifier::WB ||
         c == CacheModifier::CG || c == CacheModifier::CS ||
         c == CacheModifier::WT;
}

/// PTX accesses take a cache operator or an L1 eviction priority, not both.
template <typename OpT>
static LogicalResult verifyCacheAndEvict(OpT op) {
  if (op.getCache() != CacheModifier::None &&
      op.getEvict() != EvictionPolicy::Normal)
    return op.emitOpError() << "takes a cache modifier or an eviction policy, "
                               "not both (PTX has no access with both)";
  return success();
}

static LogicalResult verifyMask(Operation *op, Value ptr, Value mask) {
  if (!mask)
    return success();
  Type expected = getI1SameShape(ptr.getType());
  if (mask.getType() != expected)
    return op->emitOpError() << "mask type " << mask.getType()
                             << " does not match the pointer shape (expected "
                             << expected << ")";
  return success();
}

void LoadOp::build(OpBuilder &builder, OperationState &state, Value ptr,
                   Value mask, Value other, CacheModifier cache,
                   EvictionPolicy evict) {
  build(builder, state, getPointeeTypeOrTensor(ptr.getType()), ptr, mask, other,
        cache, evict);
}

LogicalResult LoadOp::verify() {
  Type expected = getPointeeTypeOrTensor(getPtr().getType());
  if (getType() != expected)
    return emitOpError() << "result type " << getType()
                         << " does not match the pointee type " << expected;
  if (failed(verifyMask(*this, getPtr(), getMask())))
    return failure();
  if (getOther() && !getMask())
    return emitOpError() << "'other' needs a mask";
  if (getOther() && getOther().getType() != getType())
    return emitOpError() << "'other' type " << getOther().getType()
                         << " does not match the result type " << getType();
  if (!isLoadCacheModifier(getCache()))
    return emitOpError() << "cache modifier '" << stringifyEnum(getCache())
                         << "' is for stores; a load takes none, ca, cg, cs or cv";
  return verifyCacheAndEvict(*this);
}

void StoreOp::build(OpBuilder &builder, OperationState &state, Value ptr,
                    Value value, Value mask, CacheModifier cache,
                    EvictionPolicy evict) {
  build(builder, state, TypeRange{}, ptr, value, mask, cache, evict);
}

LogicalResult StoreOp::verify() {
  Type expected = getPointeeTypeOrTensor(getPtr().getType());
  if (getValue().getType() != expected)
    return emitOpError() << "value type " << getValue().getType()
                         << " does not match the pointee type " << expected;
  if (failed(verifyMask(*this, getPtr(), getMask())))
    return failure();
  if (!isStoreCacheModifier(getCache()))
    return emitOpError() << "cache modifier '" << stringifyEnum(getCache())
                         << "' is for loads; a store takes none, wb, cg, cs or wt";
  return verifyCacheAndEvict(*this);
}

/// Parses the optional `cache = X` and `evict = Y` clauses of load and store.
template <typename OpT>
static ParseResult parseMemoryClauses(OpAsmParser &parser,
                                      OperationState &state) {
  Builder &b = parser.getBuilder();
  if (succeeded(parser.parseOptionalKeyword("cache"))) {
    StringRef word;
    SMLoc loc = parser.getCurrentLocation();
    if (parser.parseEqual() || parser.parseKeyword(&word))
      return failure();
    std::optional<CacheModifier> cache = symbolizeCacheModifier(word);
    if (!cache)
      return parser.emitError(loc) << "unknown cache modifier '" << word
                                   << "' (expected none, ca, cg, cs, cv, wb or wt)";
    state.addAttribute(OpT::getCacheAttrName(state.name),
                       CacheModifierAttr::get(b.getContext(), *cache));
  }
  if (succeeded(parser.parseOptionalKeyword("evict"))) {
    StringRef word;
    SMLoc loc = parser.getCurrentLocation();
    if (parser.parseEqual() || parser.parseKeyword(&word))
      return failure();
    std::optional<EvictionPolicy> evict = symbolizeEvictionPolicy(word);
    if (!evict)
      return parser.emitError(loc)
             << "unknown eviction policy '" << word
             << "' (expected evict_normal, evict_first or evict_last)";
    state.addAttribute(OpT::getEvictAttrName(state.name),
                       EvictionPolicyAttr::get(b.getContext(), *evict));
  }
  return parser.parseOptionalAttrDict(state.attributes);
}

template <typename OpT>
static void printMemoryClauses(OpAsmPrinter &p, OpT op) {
  if (op.getCache() != CacheModifier::None)
    p << " cache = " << stringifyEnum(op.getCache());
  if (op.getEvict() != EvictionPolicy::Normal)
    p << " evict = " << stringifyEnum(op.getEvict());
  p.printOptionalAttrDict(op->getAttrs(),
                          {op.getCacheAttrName(), op.getEvictAttrName(),
                           "operandSegmentSizes"});
}

/// Parses `: type` where `type` is a pointer or a tile of pointers.
static ParseResult parsePointerType(OpAsmParser &parser, Type &ptrType) {
  SMLoc loc = parser.getCurrentLocation();
  if (parser.parseColonType(ptrType))
    return failure();
  if (!getPointeeTypeOrTensor(ptrType))
    return parser.emitError(loc)
           << "expected a !tile.ptr or a tensor of them, got " << ptrType;
  return success();
}

// tile.load %ptr [, %mask [, %other]] [cache = X] [evict = Y] attr-dict : type
ParseResult LoadOp::parse(OpAsmParser &parser, OperationState &state) {
  SmallVector<OpAsmParser::UnresolvedOperand, 3> operands;
  SMLoc operandsLoc = parser.getCurrentLocation();
  Type ptrType;
  if (parser.parseOperandList(operands) ||
      parseMemoryClauses<LoadOp>(parser, state) ||
      parsePointerType(parser, ptrType))
    return failure();
  if (operands.empty() || operands.size() > 3)
    return parser.emitError(operandsLoc)
           << "expected 1 to 3 operands (pointer, mask, other), got "
           << operands.size();
  Type resultType = getPointeeTypeOrTensor(ptrType);
  SmallVector<Type, 3> types = {ptrType, getI1SameShape(ptrType), resultType};
  types.resize(operands.size());
  if (parser.resolveOperands(operands, types, operandsLoc, state.operands))
    return failure();
  auto &props = state.getOrAddProperties<LoadOp::Properties>();
  props.operandSegmentSizes = {1, operands.size() > 1 ? 1 : 0,
                               operands.size() > 2 ? 1 : 0};
  state.addTypes(resultType);
  return success();
}

void LoadOp::print(OpAsmPrinter &p) {
  p << ' ' << getPtr();
  if (getMask())
    p << ", " << getMask();
  if (getOther())
    p << ", " << getOther();
  printMemoryClauses(p, *this);
  p << " : " << getPtr().getType();
}

// tile.store %ptr, %value [, %mask] [cache = X] [evict = Y] attr-dict : type
ParseResult StoreOp::parse(OpAsmParser &parser, OperationState &state) {
  SmallVector<OpAsmParser::UnresolvedOperand, 3> operands;
  SMLoc operandsLoc = parser.getCurrentLocation();
  Type ptrType;
  if (parser.parseOperandList(operands) ||
      parseMemoryClauses<StoreOp>(parser, state) ||
      parsePointerType(parser, ptrType))
    return failure();
  if (operands.size() < 2 || operands.size() > 3)
    return parser.emitError(operandsLoc)
           << "expected 2 or 3 operands (pointer, value, mask), got "
           << operands.size();
  SmallVector<Type, 3> types = {ptrType, getPointeeTypeOrTensor(ptrType),
                                getI1SameShape(ptrType)};
  types.resize(operands.size());
  return parser.resolveOperands(operands, types, operandsLoc, state.operands);
}

void StoreOp::print(OpAsmPrinter &p) {
  p << ' ' << getPtr() << ", " << getValue();
  if (getMask())
    p << ", " << getMask();
  printMemoryClauses(p, *this);
  p << " : " << getPtr().getType();
}

//===----------------------------------------------------------------------===//
// ReduceOp
//===----------------------------------------------------------------------===//

/// The type of `srcType` reduced along `axis`: a tile of one dimension fewer,
/// or the element type when `srcType` is 1-D.
static Type reducedType(RankedTensorType srcType, int64_t axis) {
  if (srcType.getRank() == 1)
    return srcType.getElementType();
  SmallVector<int64_t> shape(srcType.getShape());
  shape.erase(shape.begin() + axis);
  return srcType.clone(shape);
}

void ReduceOp::build(OpBuilder &builder, OperationState &state, ValueRange srcs,
                     int32_t axis) {
  SmallVector<Type> resultTypes, elementTypes;
  for (Value src : srcs) {
    auto type = cast<RankedTensorType>(src.getType());
    resultTypes.push_back(reducedType(type, axis));
    elementTypes.push_back(type.getElementType());
  }
  build(builder, state, resultTypes, srcs, axis);
  SmallVector<Type> argTypes(elementTypes);
  argTypes.append(elementTypes);
  SmallVector<Location> argLocs(argTypes.size(), state.location);
  OpBuilder::InsertionGuard guard(builder);
  builder.createBlock(state.regions.front().get(), {}, argTypes, argLocs);
}

LogicalResult ReduceOp::verify() {
  if (getSrcs().empty())
    return emitOpError() << "needs at least one tile to reduce";
  auto first = cast<RankedTensorType>(getSrcs().front().getType());
  for (auto [i, src] : llvm::enumerate(getSrcs())) {
    auto type = cast<RankedTensorType>(src.getType());
    if (type.getShape() != first.getShape())
      return emitOpError() << "operand #" << i << " type " << type
                           << " has another shape than operand #0 type "
                           << first;
  }
  int64_t axis = getAxisAttr().getInt();
  if (axis < 0 || axis >= first.getRank())
    return emitOpError() << "axis " << axis << " is out of range for rank-"
                         << first.getRank() << " tiles (expected 0.."
                         << first.getRank() - 1 << ")";
  if (getNumResults() != getSrcs().size())
    return emitOpError() << "has " << getNumResults() << " results for "
                         << getSrcs().size() << " operands";
  for (auto [i, pair] : llvm::enumerate(llvm::zip(getSrcs(), getResults()))) {
    auto [src, result] = pair;
    Type expected = reducedType(cast<RankedTensorType>(src.getType()), axis);
    if (!haveSameShapeAndElementType(result.getType(), expected))
      return emitOpError() << "result #" << i << " type " << result.getType()
                           << " is not operand #" << i << " reduced along axis "
                           << axis << " (expected " << expected << ")";
  }
  return success();
}

LogicalResult ReduceOp::verifyRegions() {
  Block &body = getCombiner().front();
  size_t n = getSrcs().size();
  if (body.getNumArguments() != 2 * n)
    return emitOpError() << "combiner takes " << body.getNumArguments()
                         << " arguments, expected " << 2 * n
                         << " (the accumulated values, then the new ones)";
  for (auto [i, arg] : llvm::enumerate(body.getArguments())) {
    Type expected = getElementTypeOrSelf(getSrcs()[i % n].getType());
    if (arg.getType() != expected)
      return emitOpError() << "combiner argument #" << i << " has type "
                           << arg.getType() << ", expected " << expected;
  }
  auto ret = body.empty() ? nullptr : dyn_cast<ReduceReturnOp>(body.back());
  if (!ret)
    return emitOpError() << "combiner must end with tile.reduce.return";
  if (ret.getResult().size() != n)
    return ret.emitOpError() << "yields " << ret.getResult().size()
                             << " values, expected " << n;
  for (auto [i, value] : llvm::enumerate(ret.getResult())) {
    Type expected = getElementTypeOrSelf(getSrcs()[i].getType());
    if (value.getType() != expected)
      return ret.emitOpError() << "yields " << value.getType() << " as value #"
                               << i << ", expected " << expected;
  }
  return success();
}

//===----------------------------------------------------------------------===//
// DotOp
//===----------------------------------------------------------------------===//

/// The longest uninterrupted fp32 chain of int8 products that stays exact: its
/// partial sums are integers of magnitude at most L * 128 * 128, exact in f32
/// while L * 2^14 <= 2^24 (KERNELS.md section 5).
static constexpr int64_t kMaxF16ExactChain = 1024;
/// A chain known only to be longer than any bound (a saturating "infinity").
static constexpr int64_t kUnboundedChain = int64_t(1) << 40;

namespace {
/// The length of the fp32 chain of f16_exact products that a value carries:
/// the K extents of the f16_exact dots with an f32 accumulator that
/// accumulated into it without interruption, following accumulators through
/// dots and through values carried by `scf.for` loops (the dialect does not
/// link SCF, so the loop is recognized by its name and its fixed operand
/// layout: lb, ub, step, inits; body arguments iv, iter args; results and
/// yielded values one per iter arg). Any other value starts a new chain.
struct F16ExactChain {
  /// Iter args being measured, with the chain they stand for.
  llvm::SmallDenseMap<Value, int64_t, 4> bound;
  /// Set when a loop with no constant trip count carries a chain.
  bool dynamicLoop = false;

  static int64_t add(int64_t a, int64_t b) {
    return std::min(a + b, kUnboundedChain);
  }

  int64_t of(Value v) {
    auto it = bound.find(v);
    if (it != bound.end())
      return it->second;
    if (auto dot = v.getDefiningOp<DotOp>()) {
      if (dot.getInputPrecision() != InputPrecision::F16Exact ||
          !dot.getType().getElementType().isF32())
        return 0;
      return add(of(dot.getC()), dot.getA().getType().getDimSize(1));
    }
    if (auto arg = dyn_cast<BlockArgument>(v)) {
      Operation *loop = arg.getOwner()->getParentOp();
      if (isForLoop(loop) && arg.getArgNumber() >= 1 &&
          arg.getOwner() == &loop->getRegion(0).front())
        return carried(loop, arg.getArgNumber() - 1, /*atEnd=*/false);
      return 0;
    }
    Operation *def = v.getDefiningOp();
    if (isForLoop(def))
      return carried(def, cast<OpResult>(v).getResultNumber(), /*atEnd=*/true);
    return 0;
  }

  static bool isForLoop(Operation *op) {
    if (!op || op->getName().getStringRef() != "scf.for" ||
        op->getNumRegions() != 1 || op->getRegion(0).empty())
      return false;
    Block &body = op->getRegion(0).front();
    return !body.empty() && op->getNumOperands() >= 3 &&
           body.getNumArguments() == op->getNumOperands() - 2 &&
           body.getTerminator()->getNumOperands() == op->getNumResults() &&
           op->getNumResults() == op->getNumOperands() - 3;
  }

  /// The longest chain iter arg `i` of `loop` holds at the start of an
  /// iteration, or (`atEnd`) after the loop.
  int64_t carried(Operation *loop, unsigned i, bool atEnd) {
    Block &body = loop->getRegion(0).front();
    Value arg = body.getArgument(i + 1);
    Value yielded = body.getTerminator()->getOperand(i);
    int64_t init = of(loop->getOperand(3 + i));
    // Measure the yielded chain with the iter arg standing for two lengths:
    // the difference says whether (and by how much) an iteration extends
    // the chain it was given.
    auto measure = [&](int64_t given) {
      auto saved = bound;
      bound[arg] = given;
      int64_t length = of(yielded);
      bound = saved;
      return length;
    };
    int64_t y0 = measure(0), y1 = measure(1);
    if (y0 == y1) // each iteration starts its own chain (or keeps none)
      return std::max(init, y0);
    int64_t step = y0; // the chain one iteration adds
    if (step == 0)
      return init;
    APInt lb, ub, st;
    if (!matchPattern(loop->getOperand(0), m_ConstantInt(&lb)) ||
        !matchPattern(loop->getOperand(1), m_ConstantInt(&ub)) ||
        !matchPattern(loop->getOperand(2), m_ConstantInt(&st)) ||
        st.getSExtValue() <= 0) {
      dynamicLoop = true;
      return kUnboundedChain;
    }
    int64_t span = ub.getSExtValue() - lb.getSExtValue();
    int64_t trips =
        span <= 0 ? 0 : (span + st.getSExtValue() - 1) / st.getSExtValue();
    int64_t iterations = atEnd ? trips : std::max<int64_t>(trips - 1, 0);
    if (iterations > kUnboundedChain / step)
      return kUnboundedChain;
    return add(init, iterations * step);
  }
};
} // namespace

/// An integer d = a * b + c: c's range plus K products, each within the
/// extremes of the corners of a's and b's ranges; the whole i32 range when
/// that does not fit (the accumulation wraps). Float results get none.
void DotOp::inferResultRanges(ArrayRef<ConstantIntRanges> argRanges,
                              SetIntRangeFn setResultRange) {
  unsigned width = getType().getElementType().getIntOrFloatBitWidth();
  if (!getType().getElementType().isInteger() ||
      !getA().getType().getElementType().isInteger() ||
      !getB().getType().getElementType().isInteger())
    return;
  const ConstantIntRanges &a = argRanges[0], &b = argRanges[1],
                          &c = argRanges[2];
  int64_t k = getA().getType().getDimSize(1);
  int64_t corners[4] = {
      a.smin().getSExtValue() * b.smin().getSExtValue(),
      a.smin().getSExtValue() * b.smax().getSExtValue(),
      a.smax().getSExtValue() * b.smin().getSExtValue(),
      a.smax().getSExtValue() * b.smax().getSExtValue()};
  int64_t lo = *llvm::min_element(corners), hi = *llvm::max_element(corners);
  int64_t dLo = 0, dHi = 0;
  bool overflow = __builtin_mul_overflow(lo, k, &dLo) ||
                  __builtin_mul_overflow(hi, k, &dHi) ||
                  __builtin_add_overflow(dLo, c.smin().getSExtValue(), &dLo) ||
                  __builtin_add_overflow(dHi, c.smax().getSExtValue(), &dHi);
  int64_t limit = int64_t(1) << (std::min(width, 32u) - 1);
  if (overflow || width > 32 || dLo < -limit || dHi >= limit) {
    setResultRange(getD(), ConstantIntRanges::maxRange(width));
    return;
  }
  setResultRange(getD(), ConstantIntRanges::fromSigned(APInt(width, dLo, true),
                                                       APInt(width, dHi, true)));
}

LogicalResult DotOp::verify() {
  auto aType = getA().getType(), bType = getB().getType(), dType = getType();
  if (aType.getRank() != 2 || bType.getRank() != 2 || dType.getRank() != 2)
    return emitOpError() << "operands must be 2-D tiles, got " << aType
                         << " * " << bType << " -> " << dType;
  int64_t m = aType.getDimSize(0), k = aType.getDimSize(1);
  int64_t n = bType.getDimSize(1);
  if (bType.getDimSize(0) != k)
    return emitOpError() << "a is " << m << "x" << k << " but b is "
                         << bType.getDimSize(0) << "x" << n
                         << ": the K extents differ";
  if (dType.getDimSize(0) != m || dType.getDimSize(1) != n)
    return emitOpError() << "accumulator type " << dType << " is not " << m
                         << "x" << n << " (a is " << m << "x" << k
                         << ", b is " << k << "x" << n << ")";
  if (m < 16 || n < 16 || k < 16)
    return emitOpError() << "every dot extent must be at least 16, got M=" << m
                         << " N=" << n << " K=" << k;

  Type ab = aType.getElementType(), acc = dType.getElementType();
  if (bType.getElementType() != ab)
    return emitOpError() << "operand element types differ: " << ab << " and "
                         << bType.getElementType();
  InputPrecision precision = getInputPrecision();
  bool isI8 = ab.isInteger(8);
  if (isI8 != (precision == InputPrecision::Native ||
               precision == InputPrecision::F16Exact))
    return emitOpError() << "inputPrecision " << stringifyEnum(precision)
                         << " does not go with " << ab
                         << " operands (i8 takes native or f16_exact, "
                         << "other types ieee, f32 also tf32)";
  if (precision == InputPrecision::TF32 && !ab.isF32())
    return emitOpError() << "inputPrecision tf32 needs f32 operands, got " << ab;

  bool accOk = false;
  const char *expected = "f32";
  if (precision == InputPrecision::F16Exact) {
    accOk = acc.isF32() || acc.isInteger(32);
    expected = "f32 or i32";
  } else if (isI8) {
    accOk = acc.isInteger(32);
    expected = "i32";
  } else if (ab.isF16()) {
    accOk = acc.isF16() || acc.isF32();
    expected = "f16 or f32";
  } else if (ab.isF32() || ab.isBF16() ||
             isa<Float8E4M3FNType, Float8E5M2Type>(ab)) {
    accOk = acc.isF32();
  } else {
    return emitOpError() << "unsupported operand element type " << ab
                         << " (expected f32, f16, bf16, f8E4M3FN, f8E5M2 or i8)";
  }
  if (!accOk)
    return emitOpError() << "accumulator element type " << acc
                         << " does not go with " << ab << " operands"
                         << (precision == InputPrecision::F16Exact
                                 ? " and inputPrecision f16_exact"
                                 : "")
                         << " (expected " << expected << ")";
  if (ab.getIntOrFloatBitWidth() == 8 && k < 32)
    return emitOpError() << "8-bit operands (" << ab
                         << ") need K tiles of at least 32, got K = " << k
                         << ": an 8-bit MMA steps K by 32 (mma.sync m16n8k32, "
                            "wgmma k32)";
  if (precision != InputPrecision::F16Exact)
    return success();
  if (acc.isInteger(32)) { // each dot's chain ends at its int32 conversion
    if (k > kMaxF16ExactChain)
      return emitOpError()
             << "inputPrecision f16_exact: this dot's fp32 chain of K = " << k
             << " int8 products can exceed 2^24 and lose exactness (partial "
                "sums reach K * 2^14; at most "
             << kMaxF16ExactChain << " products)";
    return success();
  }
  F16ExactChain chain;
  int64_t length = F16ExactChain::add(chain.of(getC()), k);
  if (chain.dynamicLoop)
    return emitOpError()
           << "inputPrecision f16_exact: the f32 accumulator carries this "
              "dot's fp32 chain through an scf.for with no constant trip "
              "count, so the chain can exceed "
           << kMaxF16ExactChain
           << " int8 products and lose exactness (partial sums reach "
              "length * 2^14 > 2^24); start each chain from a fresh "
              "accumulator inside the loop";
  if (length > kMaxF16ExactChain) {
    auto diag = emitOpError()
                << "inputPrecision f16_exact: the uninterrupted fp32 chain "
                   "reaching this dot holds ";
    if (length >= kUnboundedChain)
      diag << "more than " << kMaxF16ExactChain;
    else
      diag << length;
    diag << " int8 products (this dot's K = " << k
         << "); partial sums reach length * 2^14, exact in f32 only up to "
            "2^24, so a chain holds at most "
         << kMaxF16ExactChain << " products";
    return diag;
  }
  return success();
}

//===----------------------------------------------------------------------===//
// Shared memory ops
//===----------------------------------------------------------------------===//

LogicalResult AsyncCopyOp::verify() {
  auto ptrType = cast<RankedTensorType>(getPtr().getType());
  MemDescType buffer = getBuffer().getType();
  if (ptrType.getShape() != buffer.getTileShape())
    return emitOpError() << "copies a " << ptrType << " tile into buffers of "
                         << buffer << ": the tile shapes differ";
  Type pointee = cast<PtrType>(ptrType.getElementType()).getPointeeType();
  if (pointee != buffer.getElementType())
    return emitOpError() << "copies " << pointee << " elements into a buffer of "
                         << buffer.getElementType();
  if (getMask() && getMask().getType().getShape() != ptrType.getShape())
    return emitOpError() << "mask " << getMask().getType()
                         << " does not have the pointers' shape";
  return success();
}

LogicalResult LocalLoadOp::verify() {
  MemDescType buffer = getBuffer().getType();
  RankedTensorType type = getType();
  if (type.getShape() != buffer.getTileShape() ||
      type.getElementType() != buffer.getElementType())
    return emitOpError() << "reads " << type << " from buffers of " << buffer
                         << ": shape and element type must be the buffer's";
  return success();
}

LogicalResult LocalStoreOp::verify() {
  MemDescType buffer = getBuffer().getType();
  RankedTensorType type = getValue().getType();
  if (type.getShape() != buffer.getTileShape() ||
      type.getElementType() != buffer.getElementType())
    return emitOpError() << "writes " << type << " into buffers of " << buffer
                         << ": shape and element type must be the buffer's";
  if (!isa_and_present<DistributedLayoutInterface>(getLayout(type)))
    return emitOpError() << "writes " << type
                         << ": the value needs a distributed layout";
  return success();
}

LogicalResult WarpgroupDotOp::verify() {
  MemDescType a = getA().getType(), b = getB().getType();
  RankedTensorType d = getType();
  ArrayRef<int64_t> aShape = a.getTileShape(), bShape = b.getTileShape();
  if (aShape.size() != 2 || bShape.size() != 2 || d.getRank() != 2 ||
      aShape[1] != bShape[0] || aShape[0] != d.getDimSize(0) ||
      bShape[1] != d.getDimSize(1))
    return emitOpError() << "needs buffers of M x K and K x N tiles and an "
                            "M x N accumulator, got "
                         << a << ", " << b << " and " << d;
  Type ab = a.getElementType(), acc = d.getElementType();
  InputPrecision precision = getInputPrecision();
  bool floats = (ab.isF16() || ab.isBF16()) && acc.isF32() &&
                precision == InputPrecision::IEEE;
  bool ints = ab.isInteger(8) && acc.isInteger(32) &&
              precision == InputPrecision::Native;
  if (b.getElementType() != ab || (!floats && !ints))
    return emitOpError() << "computes f16 or bf16 into f32 (ieee) and i8 "
                            "into i32 (native), got "
                         << ab << " x " << b.getElementType() << " -> " << acc
                         << " (" << stringifyInputPrecision(precision) << ")";
  auto mma = dyn_cast_if_present<MmaLayoutAttr>(d.getEncoding());
  if (!mma || mma.getVersion() != 3)
    return emitOpError() << "needs an #tile.mma version 3 accumulator, got "
                         << d;
  ArrayRef<unsigned> warps = mma.getWarpsPerCTA();
  if (d.getDimSize(0) < 16 * int64_t(warps[0]) ||
      d.getDimSize(1) < int64_t(mma.getInstrShape()[1]) * warps[1])
    return emitOpError() << "accumulator " << d << " is smaller than its "
                            "layout's tile of warpgroup instructions";
  for (auto [buffer, kDim, name] :
       {std::tuple{a, 1u, "a"}, std::tuple{b, 0u, "b"}}) {
    std::optional<int64_t> row = getWgmmaSwizzleBytes(buffer, kDim);
    if (!row || *row < 32)
      return emitOpError()
             << "operand " << name << " must be K-major with rows of 32, 64 or "
             << "128 bytes in the swizzle of that row length "
                "(getWgmmaSwizzleBytes), got "
             << buffer;
  }
  if (getIsAsync())
    for (OpOperand &use : getResult().getUses()) {
      Operation *user = use.getOwner();
      // A wait, a loop or yield carrying it to one, or the accumulator of
      // a later isAsync dot (wgmma accumulates in flight, in order).
      auto next = dyn_cast<WarpgroupDotOp>(user);
      if (next && next.getIsAsync() &&
          use.getOperandNumber() == next.getCMutable().getOperandNumber())
        continue;
      if (!isa<WarpgroupDotWaitOp>(user) && user->getNumRegions() == 0 &&
          !user->hasTrait<::mlir::OpTrait::IsTerminator>())
        return emitOpError() << "isAsync: its result is read before a "
                                "tile.warpgroup_dot_wait, by "
                             << user->getName();
    }
  return success();
}

LogicalResult WarpgroupDotWaitOp::inferReturnTypes(
    MLIRContext *, std::optional<Location>, ValueRange operands,
    DictionaryAttr, OpaqueProperties, RegionRange,
    SmallVectorImpl<Type> &inferred) {
  llvm::append_range(inferred, operands.getTypes());
  return success();
}

LogicalResult WarpgroupDotWaitOp::verify() {
  // Read signed: the generated getter returns uint32_t.
  if (int32_t(getPendings()) < 0)
    return emitOpError() << "pendings must be 0 or more, got "
                         << int32_t(getPendings());
  for (Value input : getInputs()) {
    auto dot = input.getDefiningOp<WarpgroupDotOp>();
    // A loop-carried value is a block argument: what flows in is checked
    // where it is made.
    if (dot && !dot.getIsAsync())
      return emitOpError() << "waits for a warpgroup_dot that is not "
                              "isAsync (its result is ready already)";
    auto mma = dyn_cast_if_present<MmaLayoutAttr>(
        cast<RankedTensorType>(input.getType()).getEncoding());
    if (!mma || mma.getVersion() != 3)
      return emitOpError() << "waits for wgmma accumulators (#tile.mma "
                              "version 3), got "
                           << input.getType();
  }
  return success();
}

//===----------------------------------------------------------------------===//
// FpToFpOp and FpToIntOp
//===----------------------------------------------------------------------===//

static bool isConvertibleFloat(Type type) {
  return isa<Float32Type, Float16Type, BFloat16Type, Float8E4M3FNType,
             Float8E5M2Type, Float4E2M1FNType>(type);
}

LogicalResult FpToFpOp::verify() {
  Type src = getSrc().getType(), dst = getType();
  if (failed(verifySameShape(*this, src, "source", dst, "result")))
    return failure();
  Type from = getElementTypeOrSelf(src), to = getElementTypeOrSelf(dst);
  for (Type t : {from, to})
    if (!isConvertibleFloat(t))
      return emitOpError() << "unsupported element type " << t
                           << " (expected f32, f16, bf16, f8E4M3FN, f8E5M2 or "
                              "f4E2M1FN)";
  if (from == to)
    return emitOpError() << "converts " << from << " to itself";
  // Among these types a wider one holds every value of a narrower one.
  bool widening = from.getIntOrFloatBitWidth() < to.getIntOrFloatBitWidth();
  if (widening && (getRounding() || getSaturate()))
    return emitOpError() << "widening conversion from " << from << " to " << to
                         << " is exact: it takes no rounding mode or saturate";
  if (!widening && !getRounding())
    return emitOpError() << "narrowing conversion from " << from << " to " << to
                         << " needs an explicit rounding mode (rtne or rtz)";
  if (getRounding() == RoundingMode::RNA)
    return emitOpError()
           << "rounding mode 'rna' is for float-to-integer conversions";
  return success();
}

LogicalResult FpToE2M1x2Op::verify() {
  RankedTensorType srcType = getSrc().getType(), resultType = getType();
  Type from = srcType.getElementType();
  if (!isa<Float32Type, Float16Type, BFloat16Type>(from))
    return emitOpError() << "source element type must be f32, f16 or bf16, got "
                         << from;
  if (!resultType.getElementType().isInteger(8))
    return emitOpError() << "result element type must be i8 (two e2m1 codes a "
                            "byte), got "
                         << resultType.getElementType();
  ArrayRef<int64_t> src = srcType.getShape(), result = resultType.getShape();
  if (src.size() != result.size() ||
      !llvm::equal(src.drop_back(), result.drop_back()) ||
      src.back() != 2 * result.back())
    return emitOpError() << "result shape " << resultType
                         << " must be the source's " << srcType
                         << " with the last dimension halved";
  return success();
}

LogicalResult FpToIntOp::verify() {
  Type src = getSrc().getType(), dst = getType();
  if (failed(verifySameShape(*this, src, "source", dst, "result")))
    return failure();
  Type from = getElementTypeOrSelf(src), to = getElementTypeOrSelf(dst);
  if (!isa<Float32Type, Float16Type, BFloat16Type>(from))
    return emitOpError() << "source element type must be f32, f16 or bf16, got "
                         << from;
  unsigned width = to.getIntOrFloatBitWidth();
  if (width != 8 && width != 16 && width != 32)
    return emitOpError() << "result element type must be i8, i16 or i32, got "
                         << to;
  return success();
}
