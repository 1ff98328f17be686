//===- ElementwiseOpToLLVM.cpp - arith and math on tiles ------------------===//
//
// An elementwise op on tiles becomes the same op on each of the thread's
// scalars (operands that are scalars are shared). math.exp and math.exp2 on
// f32 become the hardware's `ex2.approx.f32`, as in Triton: LLVM's exp would
// need a library call the GPU does not have. Where the flush-to-zero forms
// give the same bits (FlushSafeMath.cpp), an exp becomes
// `ex2.approx.ftz.f32` and an afn division `rcp.approx.ftz.f32` and a
// multiply. An int8 -> f16 conversion (arith.sitofp) widens a thread's
// registers in pairs with byte permutes and one f16x2 subtraction
// (widenBytesToF16), not a conversion instruction an element.
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"
#include "tile/Conversion/TileToLLVM.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/Matchers.h"

using namespace mlir;
using namespace mlir::tile;

namespace {

/// exp2 of an f32, approximately (within 2 ulp), on the special function
/// unit; `ftz`: results below 2^-126 may be flushed to zero.
Value exp2Approx(OpBuilder &b, Location loc, Value x, bool ftz) {
  return emitInlinePTX(b, loc, {b.getF32Type()}, {x},
                       ftz ? "ex2.approx.ftz.f32 $0, $1;"
                           : "ex2.approx.f32 $0, $1;",
                       "=f,f", /*hasSideEffects=*/false)
      .front();
}

/// n / d as div.approx.f32 computes it for d >= 2^-126: the reciprocal, then
/// one rounded multiply.
Value divideByReciprocal(OpBuilder &b, Location loc, Value n, Value d) {
  return emitInlinePTX(b, loc, {b.getF32Type()}, {n, d},
                       "{\n\t.reg .f32 r;\n\trcp.approx.ftz.f32 r, $2;\n\t"
                       "mul.rn.f32 $0, $1, r;\n\t}",
                       "=f,f,f", /*hasSideEffects=*/false)
      .front();
}

/// An add, subtract or multiply: the float ops that, on half-precision
/// operands and rounded back to half precision, are the half-precision op
/// (LLVM narrows them so; narrowPairs packs them in pairs).
bool isAddSubOrMul(Operation *op) {
  return isa_and_present<arith::AddFOp, arith::SubFOp, arith::MulFOp>(op);
}

/// bf16 -> f32, exactly: the bf16's bits are the f32's upper half. As bit
/// operations, not `cvt.f32.bf16`, so that LLVM sees through the extraction
/// of a packed pair: the upper element of a 32-bit word becomes one `and`
/// and the lower one shift (the cvt of an extracted half costs a byte
/// permute besides).
Value bf16ToF32(OpBuilder &b, Location loc, Value x) {
  // An element of a packed op's result (narrowPairs): the 32-bit word's
  // upper half kept, or its lower half shifted up. (LLVM finds the same
  // for elements of a loaded word by itself.)
  if (auto extract = x.getDefiningOp<LLVM::ExtractElementOp>()) {
    APInt index;
    if (isAddSubOrMul(extract.getVector().getDefiningOp()) &&
        matchPattern(extract.getPosition(), m_ConstantInt(&index))) {
      Value word =
          LLVM::BitcastOp::create(b, loc, b.getI32Type(), extract.getVector());
      Value high =
          index.isZero()
              ? Value(arith::ShLIOp::create(b, loc, word,
                                            i32Const(b, loc, 16)))
              : Value(arith::AndIOp::create(
                    b, loc, word, i32Const(b, loc, int32_t(0xffff0000u))));
      return arith::BitcastOp::create(b, loc, b.getF32Type(), high);
    }
  }
  Value bits = arith::BitcastOp::create(b, loc, b.getI16Type(), x);
  Value wide = arith::ExtUIOp::create(b, loc, b.getI32Type(), bits);
  Value high = arith::ShLIOp::create(
      b, loc, wide,
      arith::ConstantOp::create(b, loc, b.getI32IntegerAttr(16)));
  return arith::BitcastOp::create(b, loc, b.getF32Type(), high);
}

/// Whether every use of `ext` is an add, subtract or multiply whose every
/// use rounds back to bf16: LLVM makes such an op one bf16 operation (two a
/// `mul.rn.bf16x2`) when its operands are fpext, so these stay that.
bool feedsArithmeticRoundedToBF16(arith::ExtFOp ext) {
  return llvm::all_of(ext->getUsers(), [](Operation *user) {
    return isAddSubOrMul(user) &&
           llvm::all_of(user->getUsers(), [](Operation *narrow) {
             auto trunc = dyn_cast<arith::TruncFOp>(narrow);
             return trunc && getElementTypeOrSelf(trunc.getType()).isBF16();
           });
  });
}

/// If `x` (an element's f32 value, lowered) is an add, subtract or multiply
/// of two values widened from `half` (bf16 or f16), that op and its operands.
/// Rounded to `half`, such an op is the half-precision op: the double
/// rounding through f32 is innocuous (24 >= 2 * 11 + 1 bits; LLVM narrows it
/// so).
static Operation *halfArithmetic(Value x, Type half) {
  Operation *op = x.getDefiningOp();
  if (!isAddSubOrMul(op))
    return nullptr;
  for (Value operand : op->getOperands()) {
    auto ext = operand.getDefiningOp<arith::ExtFOp>();
    if (!ext || ext.getIn().getType() != half)
      return nullptr;
  }
  return op;
}

/// A rounding to bf16 or f16 of `values`, where neighbours (2i, 2i + 1) are
/// the same add, subtract or multiply of half-precision values
/// (halfArithmetic): each pair one packed op (`mul.rn.bf16x2`), its elements
/// extracted from the `vector<2x half>`. Left to LLVM, the scalar ops become
/// half-precision ops that ptxas pairs itself, but then it extracts each
/// half with a byte permute and a shift; from the packed result bf16ToF32
/// takes each with one instruction. Empty where some pair does not match.
static SmallVector<Value> narrowPairs(OpBuilder &b, Location loc,
                                      ArrayRef<Value> values, Type half) {
  if (values.size() % 2 != 0)
    return {};
  auto pairType = VectorType::get({2}, half);
  SmallVector<Value> results;
  for (size_t i = 0; i < values.size(); i += 2) {
    Operation *ops[2] = {halfArithmetic(values[i], half),
                         halfArithmetic(values[i + 1], half)};
    if (!ops[0] || !ops[1] || ops[0]->getName() != ops[1]->getName())
      return {};
    auto pack = [&](unsigned operand) {
      Value pair = LLVM::PoisonOp::create(b, loc, pairType);
      for (int k = 0; k < 2; ++k)
        pair = LLVM::InsertElementOp::create(
            b, loc, pair,
            ops[k]->getOperand(operand).getDefiningOp<arith::ExtFOp>().getIn(),
            i32Const(b, loc, k));
      return pair;
    };
    OperationState state(loc, ops[0]->getName());
    state.addOperands({pack(0), pack(1)});
    state.addTypes(pairType);
    Value packed = b.create(state)->getResult(0);
    for (int k = 0; k < 2; ++k)
      results.push_back(
          LLVM::ExtractElementOp::create(b, loc, packed, i32Const(b, loc, k)));
  }
  return results;
}

/// `bytes` (int8 registers of one thread, an even number) as f16, exactly:
/// each four (or, where the count is not a multiple of four, two) packed
/// into a word and widened two at a time (widenBytesToF16: three
/// instructions a pair, where `cvt.rn.f16.s16` is one quarter-rate
/// conversion an element).
SmallVector<Value> widenInt8ToF16(OpBuilder &b, Location loc,
                                  ArrayRef<Value> bytes) {
  size_t run = bytes.size() % 4 == 0 ? 4 : 2;
  auto wordBytes = VectorType::get({4}, b.getI8Type());
  auto half2 = VectorType::get({2}, b.getF16Type());
  SmallVector<Value> halves;
  for (size_t i = 0; i < bytes.size(); i += run) {
    Value word = LLVM::ZeroOp::create(b, loc, wordBytes);
    for (size_t k = 0; k < run; ++k)
      word = LLVM::InsertElementOp::create(b, loc, word, bytes[i + k],
                                           i32Const(b, loc, int64_t(k)));
    word = LLVM::BitcastOp::create(b, loc, b.getI32Type(), word);
    for (size_t first = 0; first < run; first += 2) {
      Value pair = LLVM::BitcastOp::create(
          b, loc, half2, widenBytesToF16(b, loc, word, int(first)));
      for (int k = 0; k < 2; ++k)
        halves.push_back(
            LLVM::ExtractElementOp::create(b, loc, pair, i32Const(b, loc, k)));
    }
  }
  return halves;
}

/// The scalar form of `op` (an elementwise op) on `operands`.
Value scalarize(ConversionPatternRewriter &rewriter, Operation *op,
                ArrayRef<Value> operands, Type resultType,
                const LoweringFacts &facts) {
  Location loc = op->getLoc();
  if (resultType.isF32() && isa<math::ExpOp, math::Exp2Op>(op)) {
    Value x = operands[0];
    if (isa<math::ExpOp>(op))
      x = arith::MulFOp::create(
          rewriter, loc, x,
          arith::ConstantOp::create(rewriter, loc,
                                    rewriter.getF32FloatAttr(1.4426950408889634f)));
    return exp2Approx(rewriter, loc, x, facts.flushSafeExps.contains(op));
  }
  if (facts.reciprocalDivisions.contains(op))
    return divideByReciprocal(rewriter, loc, operands[0], operands[1]);
  if (auto ext = dyn_cast<arith::ExtFOp>(op);
      ext && resultType.isF32() && operands[0].getType().isBF16() &&
      !feedsArithmeticRoundedToBF16(ext))
    return bf16ToF32(rewriter, loc, operands[0]);
  IRMapping mapping;
  for (auto [from, to] : llvm::zip(op->getOperands(), operands))
    mapping.map(from, to);
  Operation *clone = rewriter.clone(*op, mapping);
  clone->getResult(0).setType(resultType);
  return clone->getResult(0);
}

struct ElementwiseToScalars : ConversionPattern {
  ElementwiseToScalars(TypeConverter &converter, MLIRContext *ctx,
                       const LoweringFacts &facts)
      : ConversionPattern(converter, MatchAnyOpTypeTag(), /*benefit=*/1, ctx),
        facts(facts) {}

  LogicalResult
  matchAndRewrite(Operation *op, ArrayRef<ValueRange> operands,
                  ConversionPatternRewriter &rewriter) const override {
    if (!op->hasTrait<mlir::OpTrait::Elementwise>() || op->getNumResults() != 1)
      return rewriter.notifyMatchFailure(op, "not a one-result elementwise op");
    Type resultType = op->getResult(0).getType();
    auto tile = dyn_cast<RankedTensorType>(resultType);
    if (!tile) {
      // Scalar exp on f32 still needs ex2.
      if (!(resultType.isF32() && isa<math::ExpOp, math::Exp2Op>(op)) &&
          !facts.reciprocalDivisions.contains(op))
        return rewriter.notifyMatchFailure(op, "scalar op: upstream lowers it");
      SmallVector<Value> scalars;
      for (ValueRange r : operands)
        scalars.push_back(r.front());
      rewriter.replaceOp(op,
                         scalarize(rewriter, op, scalars, resultType, facts));
      return success();
    }
    int64_t n = getNumElemsPerThread(tile);
    Type element = tile.getElementType();
    // (A truncf naming a rounding mode other than the default is left alone.)
    auto trunc = dyn_cast<arith::TruncFOp>(op);
    if (trunc && !trunc.getRoundingmodeAttr() &&
        (element.isBF16() || element.isF16()) &&
        operands[0].size() == size_t(n)) {
      SmallVector<Value> pairs = narrowPairs(
          rewriter, op->getLoc(), llvm::to_vector(operands[0]), element);
      if (!pairs.empty()) {
        rewriter.replaceOpWithMultiple(op, {pairs});
        return success();
      }
    }
    // int8 -> f16 (exact: every int8 is an f16) in pairs.
    if (auto toFloat = dyn_cast<arith::SIToFPOp>(op);
        toFloat && element.isF16() &&
        getElementTypeOrSelf(toFloat.getIn().getType()).isInteger(8) &&
        n % 2 == 0 && operands[0].size() == size_t(n)) {
      rewriter.replaceOpWithMultiple(
          op, {widenInt8ToF16(rewriter, op->getLoc(),
                              llvm::to_vector(operands[0]))});
      return success();
    }
    SmallVector<Value> results;
    for (int64_t i = 0; i < n; ++i) {
      SmallVector<Value> scalars;
      for (ValueRange r : operands)
        scalars.push_back(r.size() == 1 ? r.front() : r[i]);
      results.push_back(
          scalarize(rewriter, op, scalars, tile.getElementType(), facts));
    }
    rewriter.replaceOpWithMultiple(op, {results});
    return success();
  }

private:
  const LoweringFacts &facts;
};

} // namespace

void mlir::tile::populateElementwiseOpToLLVMPatterns(
    TypeConverter &converter, RewritePatternSet &patterns,
    const LoweringFacts &facts) {
  patterns.add<ElementwiseToScalars>(converter, patterns.getContext(), facts);
}
