//===- ConversionOpToLLVM.cpp - fp_to_fp and fp_to_int --------------------===//
//
// Narrowing conversions with the rounding and saturation the ops name:
// - f32/f16/bf16 -> f8E4M3FN: `cvt.rn.satfinite.e4m3x2.f32` (two values per
//   instruction) on sm_89 and later with saturate; otherwise integer
//   arithmetic with the same results (round to nearest even, and either
//   saturation to +-448 or NaN beyond it);
// - f32 -> f4E2M1FN: three FMA roundings and their minimum (Hopper has
//   no instruction for it; f32ToE2M1); fp_to_e2m1x2 packs pairs with byte
//   permutations (packE2M1x2Word);
// - f8E4M3FN -> wider floats: `cvt.rn.f16x2.e4m3x2` (two values per
//   instruction, exact) on sm_89 and later, then f16 widened; otherwise, and
//   for f4E2M1FN, exact bit arithmetic;
// - f32 <-> f16/bf16: arith.extf/truncf (round to nearest even), clamped
//   first when saturating;
// - fp_to_int: `cvt.{rni,rzi}.sat.s{8,16,32}.f32` (NaN gives 0); `rna` rounds
//   half away from zero with llvm.round first.
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"
#include "tile/Conversion/TileToLLVM.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "llvm/Support/FormatVariadic.h"

using namespace mlir;
using namespace mlir::tile;

namespace {

Value f32Const(OpBuilder &b, Location loc, float v) {
  return arith::ConstantOp::create(b, loc, b.getF32FloatAttr(v));
}

Value toF32(OpBuilder &b, Location loc, Value v) {
  if (v.getType().isF32())
    return v;
  return arith::ExtFOp::create(b, loc, b.getF32Type(), v);
}

Value select(OpBuilder &b, Location loc, Value c, Value t, Value f) {
  return arith::SelectOp::create(b, loc, c, t, f);
}

/// `bits`, a non-negative f32's bits, rounded to nearest even at `keep`
/// mantissa bits and shifted down so that the biased exponent and the kept
/// bits read as one number, (exponent << keep) | mantissa (a rounding that
/// overflows the mantissa carries into the exponent, as it should): add half
/// the kept bit's ulp less one, plus the lowest kept bit (ties to even), then
/// drop the other bits. The narrow float's code is that number rebiased.
Value roundToMantissaBits(OpBuilder &b, Location loc, Value bits, int keep) {
  const int drop = 23 - keep;
  Value lowestKept = arith::AndIOp::create(
      b, loc, arith::ShRUIOp::create(b, loc, bits, i32Const(b, loc, drop)),
      i32Const(b, loc, 1));
  Value rounded = arith::AddIOp::create(
      b, loc, bits,
      arith::AddIOp::create(b, loc, i32Const(b, loc, (1 << (drop - 1)) - 1),
                            lowestKept));
  return arith::ShRUIOp::create(b, loc, rounded, i32Const(b, loc, drop));
}

/// f32 -> e4m3fn byte (i8) by integer arithmetic: round to nearest even;
/// beyond the range, +-448 when saturating and NaN otherwise; NaN in, NaN
/// out. NaN is always the canonical 0x7f, as the hardware gives it.
Value f32ToE4M3(OpBuilder &b, Location loc, Value x, bool saturate) {
  Type i32 = b.getI32Type();
  Value bits = arith::BitcastOp::create(b, loc, i32, x);
  Value sign = arith::AndIOp::create(
      b, loc, arith::ShRUIOp::create(b, loc, bits, i32Const(b, loc, 24)),
      i32Const(b, loc, 0x80));
  Value mag = arith::AndIOp::create(b, loc, bits, i32Const(b, loc, 0x7fffffff));
  Value absX = arith::BitcastOp::create(b, loc, b.getF32Type(), mag);
  // Subnormals (|x| < 2^-6): multiples of 2^-9, rounded to nearest even.
  Value scaled = arith::MulFOp::create(b, loc, absX, f32Const(b, loc, 512.0f));
  Value sub = arith::FPToSIOp::create(
      b, loc, i32, math::RoundEvenOp::create(b, loc, scaled));
  // Normals: keep 3 mantissa bits with round-to-nearest-even, rebias 127->7.
  Value normal = arith::SubIOp::create(b, loc, roundToMantissaBits(b, loc, mag, 3),
                                       i32Const(b, loc, (127 - 7) << 3));
  Value isSub = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult, mag,
                                      i32Const(b, loc, 0x3c800000)); // 2^-6
  Value code = select(b, loc, isSub, sub, normal);
  // Out of range: codes above 0x7e (448) and inf.
  Value big = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sgt, code,
                                    i32Const(b, loc, 0x7e));
  Value isInf = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::uge, mag,
                                      i32Const(b, loc, 0x7f800000));
  Value over = arith::OrIOp::create(b, loc, big, isInf);
  code = select(b, loc, over, i32Const(b, loc, saturate ? 0x7e : 0x7f), code);
  Value isNaN = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ugt, mag,
                                      i32Const(b, loc, 0x7f800000));
  code = select(b, loc, isNaN, i32Const(b, loc, 0x7f), code);
  // Every NaN result is the canonical, unsigned 0x7f, as cvt.rn.satfinite
  // gives it.
  Value isNaNCode = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, code,
                                          i32Const(b, loc, 0x7f));
  sign = select(b, loc, isNaNCode, i32Const(b, loc, 0), sign);
  Value byte = arith::OrIOp::create(b, loc, code, sign);
  return arith::TruncIOp::create(b, loc, b.getI8Type(), byte);
}

/// e4m3fn byte (i8) -> f32, exactly.
Value e4m3ToF32(OpBuilder &b, Location loc, Value byte) {
  Type i32 = b.getI32Type();
  Value v = arith::ExtUIOp::create(b, loc, i32, byte);
  Value sign = arith::ShLIOp::create(
      b, loc, arith::AndIOp::create(b, loc, v, i32Const(b, loc, 0x80)),
      i32Const(b, loc, 24));
  Value exp = arith::AndIOp::create(
      b, loc, arith::ShRUIOp::create(b, loc, v, i32Const(b, loc, 3)),
      i32Const(b, loc, 0xf));
  Value man = arith::AndIOp::create(b, loc, v, i32Const(b, loc, 7));
  // Normal: rebias the exponent 7 -> 127, widen the mantissa 3 -> 23 bits.
  Value normalBits = arith::OrIOp::create(
      b, loc,
      arith::ShLIOp::create(
          b, loc, arith::AddIOp::create(b, loc, exp, i32Const(b, loc, 120)),
          i32Const(b, loc, 23)),
      arith::ShLIOp::create(b, loc, man, i32Const(b, loc, 20)));
  Value normal = arith::BitcastOp::create(b, loc, b.getF32Type(), normalBits);
  // Subnormal: man * 2^-9.
  Value sub = arith::MulFOp::create(
      b, loc, arith::UIToFPOp::create(b, loc, b.getF32Type(), man),
      f32Const(b, loc, 1.0f / 512.0f));
  Value isSub = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, exp,
                                      i32Const(b, loc, 0));
  Value mag = select(b, loc, isSub, sub, normal);
  Value magBits = arith::BitcastOp::create(b, loc, i32, mag);
  Value isNaN = arith::CmpIOp::create(
      b, loc, arith::CmpIPredicate::eq,
      arith::AndIOp::create(b, loc, v, i32Const(b, loc, 0x7f)),
      i32Const(b, loc, 0x7f));
  magBits = select(b, loc, isNaN, i32Const(b, loc, 0x7fc00000), magBits);
  return arith::BitcastOp::create(b, loc, b.getF32Type(),
                                  arith::OrIOp::create(b, loc, magBits, sign));
}

/// The e2m1 code of |x| (f32) in the low 3 bits of the result, a float's
/// bits, with zeros above it in the low byte (the bytes above hold the
/// exponent): round to nearest even on the grid {0, .5, 1, 1.5, 2, 3, 4, 6},
/// saturating at 6, NaN to 0, in float arithmetic (Hopper has no conversion
/// instruction). The grid's spacing is 0.5 below 2, 1 up to 4 and 2 up to 8,
/// so with a = min(|x|, 6):
///   code = min(round(2a), round(a) + 2, round(a / 2) + 4)
/// (each candidate is the code on its own stretch and larger elsewhere; the
/// code's parity is the e2m1 mantissa bit, so rounding half to even integers
/// is the format's ties to even). Each candidate is one FMA that adds
/// 1.5 * 2^23 + k, which rounds to an integer in the low mantissa bits. 7
/// instructions (two clamps, three candidates on the FMA pipe, two minimums)
/// where the integer rounding of the f32's bits took 12, mostly on the
/// integer pipe (silu_mul_nvfp4 is bound by issue).
Value e2m1MagnitudeBits(OpBuilder &b, Location loc, Value x) {
  // |x|, with NaN made 0 (maxnum ignores a NaN operand), at most 6.
  Value a = arith::MaxNumFOp::create(b, loc, math::AbsFOp::create(b, loc, x),
                                     f32Const(b, loc, 0.0f));
  a = arith::MinNumFOp::create(b, loc, a, f32Const(b, loc, 6.0f));
  constexpr float kRound = 12582912.0f; // 1.5 * 2^23: ulp 1
  Value twice = math::FmaOp::create(b, loc, a, f32Const(b, loc, 2.0f),
                                    f32Const(b, loc, kRound));
  Value once = arith::AddFOp::create(b, loc, a, f32Const(b, loc, kRound + 2.0f));
  Value half = math::FmaOp::create(b, loc, a, f32Const(b, loc, 0.5f),
                                   f32Const(b, loc, kRound + 4.0f));
  Value least = arith::MinNumFOp::create(
      b, loc, twice, arith::MinNumFOp::create(b, loc, once, half));
  return arith::BitcastOp::create(b, loc, b.getI32Type(), least);
}

/// f32 -> e2m1 code (i4): the magnitude's code (e2m1MagnitudeBits) and the
/// sign bit, NaN to a zero of its sign. Checked against the host's
/// numerics::floatToE2M1 for all 2^32 inputs on the GPU
/// (LargeGpu.ConversionsOfEveryF32*).
Value f32ToE2M1(OpBuilder &b, Location loc, Value x) {
  Value bits = arith::BitcastOp::create(b, loc, b.getI32Type(), x);
  Value sign = arith::AndIOp::create(
      b, loc, arith::ShRUIOp::create(b, loc, bits, i32Const(b, loc, 28)),
      i32Const(b, loc, 8));
  Value code = arith::AndIOp::create(b, loc, e2m1MagnitudeBits(b, loc, x),
                                     i32Const(b, loc, 7));
  code = arith::OrIOp::create(b, loc, code, sign);
  return arith::TruncIOp::create(b, loc, b.getIntegerType(4), code);
}

/// `prmt.b32` in its default mode: byte k of the result is the byte of {hi,
/// lo} (lo's bytes 0-3, hi's 4-7) that nibble k of `selector` names; a
/// nibble's bit 3 replicates that byte's top bit over the result byte.
Value permuteBytes(OpBuilder &b, Location loc, Value lo, Value hi,
                   uint32_t selector) {
  return NVVM::PermuteOp::create(b, loc, b.getI32Type(), lo, hi,
                                 i32Const(b, loc, selector),
                                 NVVM::PermuteMode::DEFAULT);
}

/// One to four pairs of f32, x[2k] and x[2k + 1], to e2m1x2 bytes (the even
/// element in the low nibble) in byte k of an i32 (the bytes past the pairs
/// undefined). Per pair, one shift-and-add (`lea`) puts the odd element's
/// magnitude code (e2m1MagnitudeBits) above the even one's in the low byte;
/// byte permutations gather the code bytes, the even elements' signs (each
/// sign replicated over its byte) and the odd ones' (three each for four
/// pairs), and two masked ORs (one LOP3 each) put the signs at bits 3 and 7:
/// 15 instructions for 8 codes where extracting each sign, masking each code
/// and joining nibbles took 31.
Value packE2M1x2Word(OpBuilder &b, Location loc, ArrayRef<Value> x) {
  assert(x.size() % 2 == 0 && x.size() >= 2 && x.size() <= 8 &&
         "one to four pairs");
  Type i32 = b.getI32Type();
  size_t n = x.size() / 2;
  SmallVector<Value> pairs, evenBits, oddBits;
  for (size_t k = 0; k < n; ++k) {
    pairs.push_back(arith::AddIOp::create(
        b, loc,
        arith::ShLIOp::create(b, loc, e2m1MagnitudeBits(b, loc, x[2 * k + 1]),
                              i32Const(b, loc, 4)),
        e2m1MagnitudeBits(b, loc, x[2 * k])));
    evenBits.push_back(arith::BitcastOp::create(b, loc, i32, x[2 * k]));
    oddBits.push_back(arith::BitcastOp::create(b, loc, i32, x[2 * k + 1]));
  }
  // Byte k of the result from v[k]: the byte selector `select` names in the
  // low (nibble 0) or high (nibble 1) operand, then the low halves of two
  // such words (0x5410).
  auto gather = [&](ArrayRef<Value> v, uint32_t select) -> Value {
    if (v.size() == 1)
      return select == 0x40 ? v[0] : permuteBytes(b, loc, v[0], v[0], select);
    Value low = permuteBytes(b, loc, v[0], v[1], select);
    if (v.size() == 2)
      return low;
    Value high =
        permuteBytes(b, loc, v[2], v.size() == 4 ? v[3] : v[2], select);
    return permuteBytes(b, loc, low, high, 0x5410);
  };
  Value codes = gather(pairs, 0x40);    // byte 0 of each
  // Byte 3 of each (nibbles 0xB and 0xF), its top bit, the sign, replicated.
  Value evenSigns = gather(evenBits, 0xFB);
  Value oddSigns = gather(oddBits, 0xFB);
  Value word = arith::OrIOp::create(
      b, loc, codes,
      arith::AndIOp::create(b, loc, evenSigns, i32Const(b, loc, 0x08080808)));
  return arith::OrIOp::create(
      b, loc, word,
      arith::AndIOp::create(b, loc, oddSigns,
                            i32Const(b, loc, int32_t(0x80808080u))));
}

/// e2m1 code (i4) -> f32, exactly.
Value e2m1ToF32(OpBuilder &b, Location loc, Value code) {
  Type i32 = b.getI32Type();
  Value v = arith::ExtUIOp::create(b, loc, i32, code);
  Value mag = arith::AndIOp::create(b, loc, v, i32Const(b, loc, 7));
  // Table of the 8 magnitudes, as a select chain.
  const float table[] = {0.0f, 0.5f, 1.0f, 1.5f, 2.0f, 3.0f, 4.0f, 6.0f};
  Value result = f32Const(b, loc, table[0]);
  for (int i = 1; i < 8; ++i) {
    Value is = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, mag,
                                     i32Const(b, loc, i));
    result = select(b, loc, is, f32Const(b, loc, table[i]), result);
  }
  Value negative = arith::CmpIOp::create(
      b, loc, arith::CmpIPredicate::ne,
      arith::AndIOp::create(b, loc, v, i32Const(b, loc, 8)), i32Const(b, loc, 0));
  return select(b, loc, negative, arith::NegFOp::create(b, loc, result), result);
}

struct FpToFpToLLVM : OpConversionPattern<FpToFpOp> {
  FpToFpToLLVM(TypeConverter &converter, MLIRContext *ctx,
               const LoweringFacts &facts)
      : OpConversionPattern(converter, ctx), facts(facts) {}

  LogicalResult
  matchAndRewrite(FpToFpOp op, OneToNOpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Type from = getElementTypeOrSelf(op.getSrc().getType());
    Type to = getElementTypeOrSelf(op.getType());
    bool saturate = op.getSaturate();
    if (op.getRounding() == RoundingMode::RTZ)
      return op.emitOpError("rounding toward zero is not supported by the GPU "
                            "lowering yet");
    ValueRange src = adaptor.getSrc();
    SmallVector<Value> out;
    if (isa<Float8E4M3FNType>(to) && isa<Float32Type, Float16Type, BFloat16Type>(from)) {
      if (saturate && facts.target.supportsFp8Conversion()) {
        // Two values per instruction; the first operand lands in the upper
        // byte.
        for (size_t i = 0; i < src.size(); i += 2) {
          Value lo = toF32(rewriter, loc, src[i]);
          Value hi = i + 1 < src.size() ? toF32(rewriter, loc, src[i + 1])
                                        : f32Const(rewriter, loc, 0.0f);
          Value pair = emitInlinePTX(rewriter, loc, {rewriter.getI16Type()},
                                     {hi, lo},
                                     "cvt.rn.satfinite.e4m3x2.f32 $0, $1, $2;",
                                     "=h,f,f", /*hasSideEffects=*/false)
                           .front();
          auto bytes = LLVM::BitcastOp::create(
              rewriter, loc, VectorType::get({2}, rewriter.getI8Type()), pair);
          for (int k = 0; k < 2 && i + k < src.size(); ++k) {
            Value byte = LLVM::ExtractElementOp::create(
                rewriter, loc, bytes, i32Const(rewriter, loc, k));
            out.push_back(fromStorage(rewriter, loc, byte, to));
          }
        }
      } else {
        for (Value v : src)
          out.push_back(fromStorage(
              rewriter, loc,
              f32ToE4M3(rewriter, loc, toF32(rewriter, loc, v), saturate), to));
      }
    } else if (isa<Float4E2M1FNType>(to) && isa<Float32Type, Float16Type, BFloat16Type>(from)) {
      for (Value v : src)
        out.push_back(fromStorage(
            rewriter, loc, f32ToE2M1(rewriter, loc, toF32(rewriter, loc, v)), to));
    } else if (isa<Float8E4M3FNType>(from) &&
               isa<Float32Type, Float16Type, BFloat16Type>(to) &&
               facts.target.supportsFp8Conversion()) {
      // Two bytes per instruction to f16 (exact: every e4m3 value is an
      // f16), widened from there; the first byte is the low one, as the
      // narrowing's pairs are.
      Type i16 = rewriter.getI16Type();
      for (size_t i = 0; i < src.size(); i += 2) {
        Value lo = LLVM::ZExtOp::create(rewriter, loc, i16,
                                        toStorage(rewriter, loc, src[i]));
        Value pair = lo;
        if (i + 1 < src.size()) {
          Value hi = LLVM::ZExtOp::create(rewriter, loc, i16,
                                          toStorage(rewriter, loc, src[i + 1]));
          pair = LLVM::OrOp::create(
              rewriter, loc, lo,
              LLVM::ShlOp::create(rewriter, loc, hi,
                                  LLVM::ConstantOp::create(rewriter, loc, i16, 8)));
        }
        Value halves = emitInlinePTX(rewriter, loc, {rewriter.getI32Type()},
                                     {pair}, "cvt.rn.f16x2.e4m3x2 $0, $1;",
                                     "=r,h", /*hasSideEffects=*/false)
                           .front();
        auto h2 = LLVM::BitcastOp::create(
            rewriter, loc, VectorType::get({2}, rewriter.getF16Type()), halves);
        for (int k = 0; k < 2 && i + k < src.size(); ++k) {
          Value h = LLVM::ExtractElementOp::create(rewriter, loc, h2,
                                                   i32Const(rewriter, loc, k));
          if (to.isF16())
            out.push_back(h);
          else if (to.isF32())
            out.push_back(arith::ExtFOp::create(rewriter, loc, to, h));
          else // bf16 through f32: both steps exact
            out.push_back(arith::TruncFOp::create(
                rewriter, loc, to,
                arith::ExtFOp::create(rewriter, loc, rewriter.getF32Type(), h)));
        }
      }
    } else if (isa<Float8E4M3FNType, Float4E2M1FNType>(from) &&
               isa<Float32Type, Float16Type, BFloat16Type>(to)) {
      for (Value v : src) {
        Value bits = toStorage(rewriter, loc, v);
        Value wide = isa<Float8E4M3FNType>(from) ? e4m3ToF32(rewriter, loc, bits)
                                                 : e2m1ToF32(rewriter, loc, bits);
        if (!to.isF32()) // exact: every value fits
          wide = arith::TruncFOp::create(rewriter, loc, to, wide);
        out.push_back(wide);
      }
    } else if (isa<Float32Type, Float16Type, BFloat16Type>(from) &&
               isa<Float32Type, Float16Type, BFloat16Type>(to)) {
      for (Value v : src) {
        Value x = toF32(rewriter, loc, v);
        if (to.isF32()) {
          out.push_back(x);
          continue;
        }
        if (saturate) {
          float max = to.isF16() ? 65504.0f : 3.3895313892515355e38f;
          x = arith::MinimumFOp::create(rewriter, loc, x, f32Const(rewriter, loc, max));
          x = arith::MaximumFOp::create(rewriter, loc, x, f32Const(rewriter, loc, -max));
        }
        out.push_back(arith::TruncFOp::create(rewriter, loc, to, x));
      }
    } else {
      return op.emitOpError("conversion from ")
             << from << " to " << to << " is not supported by the GPU lowering yet";
    }
    replaceWithThreadValues(rewriter, op, std::move(out));
    return success();
  }

  const LoweringFacts &facts;
};

/// fp_to_e2m1x2: each thread packs the pairs it holds (its registers 2i and
/// 2i + 1 are neighbours along the last dimension under the layouts
/// tile-assign-layouts gives, getPackedLastDimLayout), four pairs to a word
/// (packE2M1x2Word), fewer where a thread holds fewer.
struct FpToE2M1x2ToLLVM : OpConversionPattern<FpToE2M1x2Op> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(FpToE2M1x2Op op, OneToNOpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto src = dyn_cast<BlockedLayoutAttr>(getLayout(op.getSrc().getType()));
    if (!src || getPackedLastDimLayout(src, 2) != getLayout(op.getType()))
      return op.emitOpError("needs each pair in one thread: a blocked source "
                            "layout whose last dimension is the fastest, with "
                            "an even number of elements a thread there, and "
                            "that layout halved along it for the result "
                            "(tile-assign-layouts gives such)");
    ValueRange srcValues = adaptor.getSrc();
    size_t pairs = srcValues.size() / 2;
    SmallVector<Value> out;
    Type bytes = VectorType::get({4}, rewriter.getI8Type());
    for (size_t first = 0; first < pairs; first += 4) {
      SmallVector<Value> x;
      for (size_t i = 2 * first; i < std::min(2 * first + 8, srcValues.size());
           ++i)
        x.push_back(toF32(rewriter, loc, srcValues[i]));
      Value word = LLVM::BitcastOp::create(
          rewriter, loc, bytes, packE2M1x2Word(rewriter, loc, x));
      for (size_t k = 0; k < 4 && first + k < pairs; ++k)
        out.push_back(LLVM::ExtractElementOp::create(
            rewriter, loc, word, i32Const(rewriter, loc, int64_t(k))));
    }
    replaceWithThreadValues(rewriter, op, std::move(out));
    return success();
  }
};

struct FpToIntToLLVM : OpConversionPattern<FpToIntOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(FpToIntOp op, OneToNOpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto to = cast<IntegerType>(getElementTypeOrSelf(op.getType()));
    bool nearestEven = op.getRounding() == RoundingMode::RTNE;
    std::string ptx = llvm::formatv("cvt.{0}.sat.s{1}.f32 $0, $1;",
                                    nearestEven ? "rni" : "rzi", to.getWidth());
    SmallVector<Value> out;
    for (Value v : adaptor.getSrc()) {
      Value x = toF32(rewriter, loc, v);
      if (op.getRounding() == RoundingMode::RNA)
        x = LLVM::RoundOp::create(rewriter, loc, x);
      // Sub-word results come back in a 32-bit register, sign-extended.
      Value r = emitInlinePTX(rewriter, loc, {rewriter.getI32Type()}, {x}, ptx,
                              "=r,f", /*hasSideEffects=*/false)
                    .front();
      if (to.getWidth() < 32)
        r = arith::TruncIOp::create(rewriter, loc, to, r);
      out.push_back(r);
    }
    replaceWithThreadValues(rewriter, op, std::move(out));
    return success();
  }
};

} // namespace

void mlir::tile::populateConversionOpToLLVMPatterns(
    TypeConverter &converter, RewritePatternSet &patterns,
    const LoweringFacts &facts) {
  patterns.add<FpToFpToLLVM>(converter, patterns.getContext(), facts);
  patterns.add<FpToIntToLLVM, FpToE2M1x2ToLLVM>(converter,
                                                patterns.getContext());
}
