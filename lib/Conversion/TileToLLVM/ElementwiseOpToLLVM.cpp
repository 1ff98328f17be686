//===- ElementwiseOpToLLVM.cpp - arith and math on tiles ------------------===//
//
// An elementwise op on tiles becomes the same op on each of the thread's
// scalars (operands that are scalars are shared). math.exp and math.exp2 on
// f32 become the hardware's `ex2.approx.f32`, as in Triton: LLVM's exp would
// need a library call the GPU does not have. Where the flush-to-zero forms
// give the same bits (FlushSafeMath.cpp), an exp becomes
// `ex2.approx.ftz.f32` and an afn division `rcp.approx.ftz.f32` and a
// multiply.
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"
#include "tile/Conversion/TileToLLVM.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/IR/IRMapping.h"

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

/// bf16 -> f32, exactly: the bf16's bits are the f32's upper half. As bit
/// operations, not `cvt.f32.bf16`, so that LLVM sees through the extraction
/// of a packed pair: the upper element of a 32-bit word becomes one `and`
/// and the lower one shift (the cvt of an extracted half costs a byte
/// permute besides).
Value bf16ToF32(OpBuilder &b, Location loc, Value x) {
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
    return isa<arith::AddFOp, arith::SubFOp, arith::MulFOp>(user) &&
           llvm::all_of(user->getUsers(), [](Operation *narrow) {
             auto trunc = dyn_cast<arith::TruncFOp>(narrow);
             return trunc && getElementTypeOrSelf(trunc.getType()).isBF16();
           });
  });
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
