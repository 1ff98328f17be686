//===- MemoryOpToLLVM.cpp - addptr, load and store ------------------------===//
//
// A thread's elements of a tile come in runs of sizePerThread contiguous
// elements; each run is read or written in accesses of `vectorWidth`
// elements (LoweringFacts), at most 16 bytes each, as predicated inline PTX:
//
//   @%p ld.global.nc.v4.b32 {%r0, %r1, %r2, %r3}, [%a];
//
// Masked-off lanes of a load take `other` (a select after the load).
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"
#include "tile/Conversion/TileToLLVM.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/IR/Matchers.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FormatVariadic.h"

using namespace mlir;
using namespace mlir::tile;

namespace {

struct AddPtrToLLVM : OpConversionPattern<AddPtrOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(AddPtrOp op, OneToNOpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Type pointee = storageType(
        cast<PtrType>(getElementTypeOrSelf(op.getType())).getPointeeType());
    auto ptrType = LLVM::LLVMPointerType::get(rewriter.getContext(), 1);
    SmallVector<Value> values;
    for (auto [ptr, offset] : llvm::zip(adaptor.getPtr(), adaptor.getOffset()))
      values.push_back(LLVM::GEPOp::create(rewriter, op.getLoc(), ptrType,
                                           pointee, ptr, ValueRange{offset}));
    rewriter.replaceOpWithMultiple(op, {values});
    return success();
  }
};

/// How one access of `count` elements of `elementBits` moves: as `words`
/// registers of `regBits` (PTX type `.b<regBits>`, vector `.v<words>`).
struct AccessShape {
  unsigned words;
  unsigned regBits;
};

static FailureOr<AccessShape> accessShape(unsigned count, unsigned elementBits) {
  unsigned bits = count * elementBits;
  if (elementBits < 8 || elementBits > 64 || bits > 128)
    return failure();
  if (elementBits >= 32)
    return AccessShape{count, elementBits};
  if (bits >= 32)
    return AccessShape{bits / 32, 32};
  return AccessShape{1, bits};
}

/// The register type and constraint letter of a `.b<bits>` operand.
static std::pair<Type, char> registerOf(OpBuilder &b, unsigned bits) {
  if (bits == 64)
    return {b.getI64Type(), 'l'};
  if (bits == 32)
    return {b.getI32Type(), 'r'};
  return {b.getI16Type(), 'h'}; // 8- and 16-bit values live in 16-bit registers
}

static std::string cacheSuffix(CacheModifier cache) {
  if (cache == CacheModifier::None)
    return "";
  return "." + stringifyEnum(cache).str();
}

static std::string evictSuffix(EvictionPolicy evict) {
  switch (evict) {
  case EvictionPolicy::Normal:
    return "";
  case EvictionPolicy::First:
    return ".L1::evict_first";
  case EvictionPolicy::Last:
    return ".L1::evict_last";
  }
  return "";
}

/// Splits register `word` into `count` elements of `elementType`.
static void unpack(OpBuilder &b, Location loc, Value word, unsigned count,
                   Type elementType, SmallVectorImpl<Value> &out) {
  Type storage = storageType(elementType);
  unsigned bits = storage.getIntOrFloatBitWidth();
  unsigned wordBits = word.getType().getIntOrFloatBitWidth();
  if (count * bits < wordBits)
    word = LLVM::TruncOp::create(b, loc, b.getIntegerType(count * bits), word);
  if (count == 1) {
    out.push_back(fromStorage(b, loc, LLVM::BitcastOp::create(b, loc, storage, word),
                              elementType));
    return;
  }
  auto vecType = VectorType::get({count}, storage);
  Value vec = LLVM::BitcastOp::create(b, loc, vecType, word);
  for (unsigned i = 0; i < count; ++i) {
    Value e = LLVM::ExtractElementOp::create(
        b, loc, vec, LLVM::ConstantOp::create(b, loc, b.getI32Type(), i));
    out.push_back(fromStorage(b, loc, e, elementType));
  }
}

/// Packs `values` into one register of `regType`.
static Value pack(OpBuilder &b, Location loc, ArrayRef<Value> values,
                  Type regType) {
  SmallVector<Value> stored;
  for (Value v : values)
    stored.push_back(toStorage(b, loc, v));
  Type storage = stored.front().getType();
  unsigned bits = storage.getIntOrFloatBitWidth() * values.size();
  Value word;
  if (values.size() == 1) {
    word = stored[0];
    if (!storage.isInteger(bits))
      word = LLVM::BitcastOp::create(b, loc, b.getIntegerType(bits), word);
  } else {
    auto vecType = VectorType::get({int64_t(values.size())}, storage);
    Value vec = LLVM::UndefOp::create(b, loc, vecType);
    for (auto [i, v] : llvm::enumerate(stored))
      vec = LLVM::InsertElementOp::create(
          b, loc, vec, v, LLVM::ConstantOp::create(b, loc, b.getI32Type(), i));
    word = LLVM::BitcastOp::create(b, loc, b.getIntegerType(bits), vec);
  }
  if (bits < regType.getIntOrFloatBitWidth())
    word = LLVM::ZExtOp::create(b, loc, regType, word);
  return word;
}

/// The bits of `other` when it is a constant with one value everywhere (the
/// usual 0 or -inf of a masked load): a load then starts from those bits
/// instead of selecting them per element afterwards.
static std::optional<APInt> splatConstantBits(Value other) {
  Attribute attr;
  if (!other || !matchPattern(other, m_Constant(&attr)))
    return std::nullopt;
  if (auto splat = dyn_cast<SplatElementsAttr>(attr))
    attr = splat.getSplatValue<Attribute>();
  if (auto f = dyn_cast<FloatAttr>(attr))
    return f.getValue().bitcastToAPInt();
  if (auto i = dyn_cast<IntegerAttr>(attr))
    return i.getValue();
  return std::nullopt;
}

struct LoadToLLVM : OpConversionPattern<LoadOp> {
  LoadToLLVM(TypeConverter &converter, MLIRContext *ctx,
             const LoweringFacts &facts)
      : OpConversionPattern(converter, ctx), facts(facts) {}

  LogicalResult
  matchAndRewrite(LoadOp op, OneToNOpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Type elementType = getElementTypeOrSelf(op.getType());
    unsigned elementBits = storageType(elementType).getIntOrFloatBitWidth();
    unsigned vec = facts.vectorWidth.lookup(op);
    if (vec == 0)
      vec = 1;
    FailureOr<AccessShape> shape = accessShape(vec, elementBits);
    if (failed(shape))
      return op.emitOpError("cannot load elements of type ")
             << elementType << " (8 to 64 bits are supported)";
    ValueRange ptrs = adaptor.getPtr();
    ValueRange masks = adaptor.getMask();
    ValueRange others = adaptor.getOther();
    bool readOnly = facts.readOnlyLoads.contains(op) &&
                    op.getCache() != CacheModifier::CV;
    auto [regType, letter] = registerOf(rewriter, shape->regBits);
    // A constant `other` initializes the registers the predicated load may
    // leave alone (as Triton does): one mov per register, no select per
    // element.
    std::optional<APInt> otherBits =
        masks.empty() ? std::nullopt : splatConstantBits(op.getOther());
    std::string init;
    if (otherBits) {
      unsigned perWord = vec / shape->words;
      APInt word(shape->regBits, 0);
      for (unsigned i = 0; i < perWord; ++i)
        word |= otherBits->zextOrTrunc(shape->regBits) << (i * elementBits);
      // PTX has no mov.b8: a byte lives in a 16-bit register (%rs), which
      // mov.b16 sets whole.
      for (unsigned w = 0; w < shape->words; ++w)
        init += llvm::formatv("mov.b{0} ${1}, 0x{2};\n\t",
                              std::max(16u, shape->regBits), w,
                              llvm::utohexstr(word.getZExtValue()))
                    .str();
    }

    SmallVector<Value> values;
    for (size_t first = 0; first < ptrs.size(); first += vec) {
      std::string outs, constraints;
      for (unsigned w = 0; w < shape->words; ++w) {
        outs += llvm::formatv("{0}${1}", w ? ", " : "", w).str();
        constraints += llvm::formatv("{0}={1}", w ? "," : "", letter).str();
      }
      SmallVector<Value> operands = {ptrs[first]};
      constraints += ",l";
      std::string pred;
      if (!masks.empty()) {
        operands.push_back(masks[first]);
        constraints += ",b";
        pred = llvm::formatv("@${0} ", shape->words + 1).str();
      }
      std::string vecSuffix =
          shape->words > 1 ? llvm::formatv(".v{0}", shape->words).str() : "";
      std::string ptx = init + llvm::formatv(
          "{0}ld.global{1}{2}{3}{4}.b{5} {6}{7}{8}, [ ${9} + 0 ];", pred,
          cacheSuffix(op.getCache()), readOnly ? ".nc" : "",
          evictSuffix(op.getEvict()), vecSuffix, shape->regBits,
          shape->words > 1 ? "{ " : "", outs, shape->words > 1 ? " }" : "",
          shape->words).str();
      SmallVector<Type> results(shape->words, regType);
      SmallVector<Value> words = emitInlinePTX(rewriter, loc, results, operands,
                                               ptx, constraints,
                                               /*hasSideEffects=*/true);
      unsigned perWord = vec / shape->words;
      for (Value word : words)
        unpack(rewriter, loc, word, perWord, elementType, values);
    }
    if (!others.empty() && !otherBits)
      for (size_t i = 0; i < values.size(); ++i)
        values[i] = arith::SelectOp::create(rewriter, loc, masks[i], values[i],
                                            others[i]);
    replaceWithThreadValues(rewriter, op, std::move(values));
    return success();
  }

  const LoweringFacts &facts;
};

struct StoreToLLVM : OpConversionPattern<StoreOp> {
  StoreToLLVM(TypeConverter &converter, MLIRContext *ctx,
              const LoweringFacts &facts)
      : OpConversionPattern(converter, ctx), facts(facts) {}

  LogicalResult
  matchAndRewrite(StoreOp op, OneToNOpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Type elementType = getElementTypeOrSelf(op.getValue().getType());
    unsigned elementBits = storageType(elementType).getIntOrFloatBitWidth();
    unsigned vec = std::max(1u, facts.vectorWidth.lookup(op));
    FailureOr<AccessShape> shape = accessShape(vec, elementBits);
    if (failed(shape))
      return op.emitOpError("cannot store elements of type ")
             << elementType << " (8 to 64 bits are supported)";
    ValueRange ptrs = adaptor.getPtr();
    ValueRange values = adaptor.getValue();
    ValueRange masks = adaptor.getMask();

    // Several threads may hold the same element: one of them writes it.
    Value representative;
    auto tileType = dyn_cast<RankedTensorType>(op.getValue().getType());
    if (tileType) {
      representative = emitRepresentativePredicate(rewriter, loc, tileType);
    } else {
      Value tid = NVVM::ThreadIdXOp::create(rewriter, loc, rewriter.getI32Type());
      representative = arith::CmpIOp::create(rewriter, loc, arith::CmpIPredicate::eq,
                                             tid, i32Const(rewriter, loc, 0));
    }
    auto [regType, letter] = registerOf(rewriter, shape->regBits);
    for (size_t first = 0; first < ptrs.size(); first += vec) {
      if (tileType && isInThreadDuplicate(tileType, first))
        continue;
      Value pred = representative;
      if (!masks.empty())
        pred = pred ? arith::AndIOp::create(rewriter, loc, pred, masks[first])
                          .getResult()
                    : masks[first];
      unsigned perWord = vec / shape->words;
      SmallVector<Value> operands = {ptrs[first]};
      std::string constraints = "l", ins;
      for (unsigned w = 0; w < shape->words; ++w) {
        operands.push_back(pack(
            rewriter, loc,
            SmallVector<Value>(values.begin() + first + w * perWord,
                               values.begin() + first + (w + 1) * perWord),
            regType));
        constraints += std::string(",") + letter;
        ins += llvm::formatv("{0}${1}", w ? ", " : "", w + 1).str();
      }
      std::string predPrefix;
      if (pred) {
        operands.push_back(pred);
        constraints += ",b";
        predPrefix = llvm::formatv("@${0} ", shape->words + 1).str();
      }
      std::string vecSuffix =
          shape->words > 1 ? llvm::formatv(".v{0}", shape->words).str() : "";
      std::string ptx = llvm::formatv(
          "{0}st.global{1}{2}{3}.b{4} [ $0 + 0 ], {5}{6}{7};", predPrefix,
          cacheSuffix(op.getCache()), evictSuffix(op.getEvict()), vecSuffix,
          shape->regBits, shape->words > 1 ? "{ " : "", ins,
          shape->words > 1 ? " }" : "");
      emitInlinePTX(rewriter, loc, {}, operands, ptx, constraints,
                    /*hasSideEffects=*/true);
    }
    rewriter.eraseOp(op);
    return success();
  }

  const LoweringFacts &facts;
};

} // namespace

void mlir::tile::populateMemoryOpToLLVMPatterns(TypeConverter &converter,
                                                RewritePatternSet &patterns,
                                                const LoweringFacts &facts) {
  MLIRContext *ctx = patterns.getContext();
  patterns.add<AddPtrToLLVM>(converter, ctx);
  patterns.add<LoadToLLVM, StoreToLLVM>(converter, ctx, facts);
}
