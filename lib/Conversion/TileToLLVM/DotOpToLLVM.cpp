//===- DotOpToLLVM.cpp - tile.dot on the tensor cores with mma.sync -------===//
//
// A dot whose accumulator is an `#tile.mma` version 2 and whose operands are
// its `#tile.dot_operand`s (tile-accelerate-matmul) becomes one mma.sync per
// m16n8 accumulator tile and K step, on the thread's registers as the
// layouts order them (TileTensorCoreLayouts.cpp):
//
//   A (M x K, kWidth w): register inner + 4w * (k + numK * m), inner < 4w the
//     fragment a0.. of PTX's "Matrix Fragments for mma.m16n8k16/k32";
//   B (K x N): inner + 2w * (k + numK * n), inner < 2w: b0..;
//   C, D (M x N): inner + 4 * (n + numN * m), inner < 4: c0..c3;
//
// m, n, k the instruction tile along M (16 rows per warp), N (8 columns) and
// K (8w: 16 for 16-bit operands and f16_exact, 32 for native int8). Each
// 32-bit register packs w consecutive K elements. Instructions (PTX ISA
// 9.7.14.5.14, "Multiply-and-Accumulate Instruction: mma"):
//
//   f16 x f16 -> f32   mma.sync.aligned.m16n8k16.row.col.f32.f16.f16.f32
//   f16 x f16 -> f16   mma.sync.aligned.m16n8k16.row.col.f16.f16.f16.f16
//   bf16 x bf16 -> f32 mma.sync.aligned.m16n8k16.row.col.f32.bf16.bf16.f32
//   i8 x i8 -> i32     mma.sync.aligned.m16n8k32.row.col.s32.s8.s8.s32
//                      (no .satfinite: the sum wraps as int32 arithmetic)
//   f16_exact          each int8 widened to f16 (exactly) in registers, then
//                      the f16 -> f32 instruction (kWidth 4: the int8 come
//                      four a register, as ldmatrix reads them, and K is
//                      permuted within each k16 step alike for a and b);
//                      with an i32 accumulator the
//                      dot's f32 sum starts at zero and is converted to i32
//                      (exact within the verifier's chain bound) and added.
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"
#include "tile/Conversion/TileToLLVM.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "llvm/Support/FormatVariadic.h"

#include <numeric>

using namespace mlir;
using namespace mlir::tile;

namespace {

/// Packs `values` (32 bits in all) into one i32.
Value packWord(OpBuilder &b, Location loc, ArrayRef<Value> values) {
  Type element = values.front().getType();
  if (values.size() == 1)
    return LLVM::BitcastOp::create(b, loc, b.getI32Type(), values.front());
  auto vectorType = VectorType::get({int64_t(values.size())}, element);
  Value vector = LLVM::UndefOp::create(b, loc, vectorType);
  for (auto [i, v] : llvm::enumerate(values))
    vector = LLVM::InsertElementOp::create(
        b, loc, vector, v, i32Const(b, loc, int64_t(i)));
  return LLVM::BitcastOp::create(b, loc, b.getI32Type(), vector);
}

/// The two f16 halves of a packed i32.
std::pair<Value, Value> unpackHalves(OpBuilder &b, Location loc, Value word) {
  auto vectorType = VectorType::get({2}, b.getF16Type());
  Value vector = LLVM::BitcastOp::create(b, loc, vectorType, word);
  return {LLVM::ExtractElementOp::create(b, loc, vector, i32Const(b, loc, 0)),
          LLVM::ExtractElementOp::create(b, loc, vector, i32Const(b, loc, 1))};
}

struct DotToMmaV2 : OpConversionPattern<DotOp> {
  DotToMmaV2(TypeConverter &converter, MLIRContext *ctx, bool kInnermost)
      : OpConversionPattern(converter, ctx), kInnermost(kInnermost) {}

  LogicalResult
  matchAndRewrite(DotOp op, OneToNOpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType aType = op.getA().getType(), dType = op.getType();
    auto mma = dyn_cast<MmaLayoutAttr>(getLayout(dType));
    auto aLayout = dyn_cast<DotOperandLayoutAttr>(getLayout(aType));
    auto bLayout = dyn_cast<DotOperandLayoutAttr>(getLayout(op.getB().getType()));
    Type ab = aType.getElementType(), acc = dType.getElementType();
    InputPrecision precision = op.getInputPrecision();
    if (!getMmaV2KWidth(op))
      return op.emitOpError("has no GPU lowering for ")
             << ab << " operands with a " << acc
             << " accumulator yet (mma.sync lowers f16, bf16 and i8 dots)";
    if (!mma)
      return op.emitOpError("needs the tensor-core layouts (an #tile.mma "
                            "accumulator): run tile-accelerate-matmul before "
                            "convert-tile-to-llvm");
    if (mma.getVersion() != 2 || !aLayout || !bLayout ||
        aLayout.getOpIdx() != 0 || bLayout.getOpIdx() != 1 ||
        aLayout.getParent() != mma || bLayout.getParent() != mma ||
        aLayout.getKWidth() != bLayout.getKWidth())
      return op.emitOpError("needs an #tile.mma version 2 accumulator and "
                            "operands in its #tile.dot_operand layouts "
                            "(opIdx 0 and 1, one kWidth)");
    bool f16Exact = precision == InputPrecision::F16Exact;
    int64_t kWidth = aLayout.getKWidth();
    // 32 bits of the instruction's type a register; f16_exact takes its
    // int8 four at a time (ldmatrix's words) or two.
    bool kWidthOk = ab.isInteger(8) && !f16Exact ? kWidth == 4
                    : f16Exact                   ? kWidth == 4 || kWidth == 2
                                                 : kWidth == 2;
    if (!kWidthOk)
      return op.emitOpError("operands of type ")
             << ab << (f16Exact ? " (f16_exact)" : "") << " need kWidth "
             << (ab.isInteger(8) ? "4" : "2") << " for mma.sync, got "
             << kWidth;
    ValueRange a = adaptor.getA(), b = adaptor.getB(), c = adaptor.getC();
    SmallVector<Value> aList(a.begin(), a.end());
    // f16_exact: where each operand element came from (its index in the
    // thread's registers), so that pairs of bytes of one 32-bit word are
    // widened together.
    SmallVector<int64_t> aSource(aList.size());
    std::iota(aSource.begin(), aSource.end(), 0);
    if (f16Exact && kWidth == 4) {
      // Four int8 of K a thread (k = 4t .. 4t+3, then 16 + 4t ..) feed two
      // f16 m16n8k16 steps: step h takes a0a1 = k 4t, 4t+1 and a4a5 = k 4t+2,
      // 4t+3 of rows g (a2a3, a6a7: rows g+8), b0b1 and b2b3 likewise. A and
      // b see the same permutation of K within the step, so every product
      // pairs the same k: the dot is unchanged. A's registers are reordered
      // to the kWidth-2 order; b's already are in it.
      SmallVector<Value> permuted;
      SmallVector<int64_t> sources;
      for (size_t base = 0; base < aList.size(); base += 16)
        for (int h = 0; h < 2; ++h)
          for (int i : {0, 1, 4, 5, 2, 3, 6, 7}) {
            permuted.push_back(aList[base + 8 * h + i]);
            sources.push_back(base + 8 * h + i);
          }
      aList = std::move(permuted);
      aSource = std::move(sources);
      kWidth = 2;
    }

    int64_t m = dType.getDimSize(0), n = dType.getDimSize(1),
            k = aType.getDimSize(1);
    ArrayRef<unsigned> warps = mma.getWarpsPerCTA();
    int64_t instrK = 8 * kWidth;
    int64_t numM = std::max<int64_t>(1, m / (16 * warps[0]));
    int64_t numN = std::max<int64_t>(1, n / (8 * warps[1]));
    int64_t numK = k / instrK;
    int64_t aRegs = 4 * kWidth, bRegs = 2 * kWidth;
    if (numK < 1 || int64_t(aList.size()) != numM * numK * aRegs ||
        int64_t(b.size()) != numN * numK * bRegs ||
        int64_t(c.size()) != numM * numN * 4)
      return op.emitOpError("register counts of the operands do not match "
                            "the mma.sync tiling of ")
             << m << "x" << n << "x" << k;

    // Operand registers packed into words (f16_exact's int8 widened to f16
    // first), each once, when an instruction first needs it: word i holds
    // registers i * kWidth .. i * kWidth + kWidth - 1. `original` and
    // `source` say where f16_exact's int8 came from: the thread's registers,
    // four to a 32-bit word as ldmatrix delivered them.
    SmallVector<Value> bList(b.begin(), b.end());
    SmallVector<int64_t> bSource(bList.size());
    std::iota(bSource.begin(), bSource.end(), 0);
    SmallVector<Value> aOriginal(a.begin(), a.end());
    auto packOne = [&](ArrayRef<Value> regs, ArrayRef<Value> original,
                       ArrayRef<int64_t> source, size_t i) -> Value {
      if (f16Exact && source[i] % 2 == 0 && source[i + 1] == source[i] + 1 &&
          original.size() % 4 == 0) {
        int64_t first = source[i] - source[i] % 4;
        Value word = packWord(rewriter, loc, original.slice(first, 4));
        return widenBytesToF16(rewriter, loc, word, int(source[i] % 4));
      }
      SmallVector<Value> group;
      for (int64_t j = 0; j < kWidth; ++j) {
        Value v = regs[i + j];
        if (f16Exact)
          v = arith::SIToFPOp::create(rewriter, loc, rewriter.getF16Type(), v);
        group.push_back(v);
      }
      return packWord(rewriter, loc, group);
    };
    SmallVector<Value> aWordsAll(aList.size() / kWidth),
        bWordsAll(bList.size() / kWidth);
    auto aWord = [&](int64_t w) {
      if (!aWordsAll[w])
        aWordsAll[w] = packOne(aList, aOriginal, aSource, w * kWidth);
      return aWordsAll[w];
    };
    auto bWord = [&](int64_t w) {
      if (!bWordsAll[w])
        bWordsAll[w] = packOne(bList, bList, bSource, w * kWidth);
      return bWordsAll[w];
    };

    bool f16Acc = acc.isF16();
    bool intAcc = acc.isInteger(32);
    // f16_exact into i32: the f32 sum of this dot, converted and added after.
    bool sumInF32 = f16Exact && intAcc;
    Type accType = sumInF32 ? rewriter.getF32Type() : acc;
    std::string ptx;
    StringRef dtype = f16Acc ? "f16" : intAcc && !f16Exact ? "s32" : "f32";
    StringRef abtype = ab.isBF16() ? "bf16" : (ab.isInteger(8) && !f16Exact) ? "s8" : "f16";
    int numAcc = f16Acc ? 2 : 4; // f16: c0c1 and c2c3 packed
    llvm::raw_string_ostream os(ptx);
    os << "mma.sync.aligned.m16n8k" << instrK << ".row.col." << dtype << "."
       << abtype << "." << abtype << "." << dtype << " ";
    auto list = [&](int first, int count) {
      os << "{";
      for (int i = 0; i < count; ++i)
        os << (i ? ", " : "") << "$" << first + i;
      os << "}";
    };
    int aWords = aRegs / kWidth, bWords = bRegs / kWidth;
    list(0, numAcc);
    os << ", ";
    list(numAcc, aWords);
    os << ", ";
    list(numAcc + aWords, bWords);
    os << ", ";
    list(numAcc + aWords + bWords, numAcc);
    os << ";";
    std::string constraints;
    StringRef accConstraint = accType.isF32() && !f16Acc ? "f" : "r";
    for (int i = 0; i < numAcc; ++i)
      constraints += "=" + accConstraint.str() + ",";
    for (int i = 0; i < aWords + bWords; ++i)
      constraints += "r,";
    for (int i = 0; i < numAcc; ++i)
      constraints += std::to_string(i) + (i + 1 < numAcc ? "," : "");
    SmallVector<Type> resultTypes(numAcc, f16Acc ? rewriter.getI32Type()
                                                 : accType);

    // K steps outermost: the operands of one step (ldmatrix's words, and
    // f16_exact's widening of them) are dead once its instructions are
    // issued, so a whole [block, block_k] operand tile is never live in
    // registers at once, only the accumulator is.
    SmallVector<SmallVector<Value>> fragments(numM * numN);
    for (int64_t mi = 0; mi < numM; ++mi)
      for (int64_t ni = 0; ni < numN; ++ni) {
        int64_t cBase = 4 * (ni + numN * mi);
        SmallVector<Value> &fragment = fragments[ni + numN * mi];
        if (sumInF32)
          fragment.assign(4, arith::ConstantOp::create(
                                 rewriter, loc, rewriter.getF32FloatAttr(0.0f)));
        else if (f16Acc)
          fragment = {packWord(rewriter, loc, {c[cBase], c[cBase + 1]}),
                      packWord(rewriter, loc, {c[cBase + 2], c[cBase + 3]})};
        else
          fragment.assign(c.begin() + cBase, c.begin() + cBase + 4);
      }
    // (With kInnermost, each accumulator fragment's whole K chain instead,
    // one fragment after another: convert-tile-to-llvm's mma-k-innermost.)
    int64_t steps = numK * numM * numN;
    for (int64_t step = 0; step < steps; ++step) {
      int64_t ki, mi, ni;
      if (kInnermost) {
        ki = step % numK;
        ni = step / numK % numN;
        mi = step / (numK * numN);
      } else {
        ni = step % numN;
        mi = step / numN % numM;
        ki = step / (numN * numM);
      }
      SmallVector<Value> &fragment = fragments[ni + numN * mi];
      SmallVector<Value> operands;
      for (int64_t w = 0; w < aWords; ++w)
        operands.push_back(aWord(aWords * (ki + numK * mi) + w));
      for (int64_t w = 0; w < bWords; ++w)
        operands.push_back(bWord(bWords * (ki + numK * ni) + w));
      operands.append(fragment);
      fragment = emitInlinePTX(rewriter, loc, resultTypes, operands, ptx,
                               constraints, /*hasSideEffects=*/false);
      // How many mma.sync make one K step: how far ahead of its first
      // mma the sink-shared-loads prefetch reads a fragment.
      Operation *mma = fragment.front().getDefiningOp();
      if (auto extract = dyn_cast<LLVM::ExtractValueOp>(mma))
        mma = extract.getContainer().getDefiningOp();
      mma->setAttr(kMmaPerKStepAttrName,
                   rewriter.getI64IntegerAttr(numM * numN));
    }
    SmallVector<Value> result(c.begin(), c.end());
    for (int64_t mi = 0; mi < numM; ++mi)
      for (int64_t ni = 0; ni < numN; ++ni) {
        int64_t cBase = 4 * (ni + numN * mi);
        SmallVector<Value> fragment = fragments[ni + numN * mi];
        if (f16Acc) {
          auto [c0, c1] = unpackHalves(rewriter, loc, fragment[0]);
          auto [c2, c3] = unpackHalves(rewriter, loc, fragment[1]);
          fragment = {c0, c1, c2, c3};
        }
        for (int i = 0; i < 4; ++i) {
          Value v = fragment[i];
          if (sumInF32)
            v = arith::AddIOp::create(
                rewriter, loc, c[cBase + i],
                arith::FPToSIOp::create(rewriter, loc, acc, v));
          result[cBase + i] = v;
        }
      }
    rewriter.replaceOpWithMultiple(op, {result});
    return success();
  }

private:
  bool kInnermost;
};

} // namespace

void mlir::tile::populateDotOpToLLVMPatterns(TypeConverter &converter,
                                             RewritePatternSet &patterns,
                                             bool kInnermost) {
  patterns.add<DotToMmaV2>(converter, patterns.getContext(), kInnermost);
}
