//===- QuantTile.cpp - DSL pieces the quantization kernels share ----------===//

#include "QuantTile.h"

using namespace tile::dsl;

namespace tile::kernels {

DType dtypeOf(InType t) {
  return t == InType::BF16 ? DType::BF16 : t == InType::F16 ? DType::F16 : DType::F32;
}

GroupBlock groupBlock(Value groups, int perProgram, bool padToWords) {
  GroupBlock b;
  b.padded = padToWords ? (groups + 3) / 4 * 4 : groups;
  Value blocks = (b.padded + (perProgram - 1)) / perProgram;
  Value pid = programId(0);
  b.row = pid / blocks;
  b.g = pid % blocks * perProgram + range(0, perProgram);
  return b;
}

QuantizedRows quantizeRows(Value xs, OutType out, bool ue8m0, float eps,
                           Int8Rounding rounding) {
  QuantizedRows r = rowScales(max(abs(xs), 1), out, ue8m0, eps);
  r.q = quantizeWith(xs, r, out, rounding);
  return r;
}

QuantizedRows rowScales(Value absmax, OutType out, bool ue8m0, float eps) {
  QuantizedRows r;
  absmax = maximum(absmax, double(eps));
  r.scale = absmax / double(qmax(out));
  if (ue8m0) {
    // Round up to a power of two with integer bit operations (not
    // exp2(ceil(log2(x))), which is off by 2x just above powers of two).
    Value bits = bitcast(r.scale, DType::I32) & 0x7fffffff; // NaN's sign too
    Value e = bits / 8388608; // the exponent field
    Value mantissa = bits % 8388608;
    e = e + where(mantissa != 0, constant(1, DType::I32), constant(0, DType::I32));
    e = where(e < 1, constant(1, DType::I32), e);
    e = where(e > 254, constant(254, DType::I32), e);
    // A NaN scale stays NaN, its byte E8M0's NaN 0xFF (inf clamps to 254).
    Value nan = bits > 0x7f800000;
    r.exponent = where(nan, constant(255, DType::I32), e);
    r.scale = where(nan, r.scale, bitcast(e * 8388608, DType::F32));
  }
  return r;
}

Value quantizeWith(Value xs, const QuantizedRows &rows, OutType out,
                   Int8Rounding rounding) {
  Value inverse = 1.0 / rows.scale;
  Value v = xs * expandDims(inverse, 1);
  if (out == OutType::FP8)
    return toFp8(v);
  if (rounding == Int8Rounding::HalfAwayFrom127) {
    Value q = toInt(v, DType::I8, Rounding::HalfAwayFromZero);
    return where(q < -127, constant(-127, DType::I8), q);
  }
  return toInt(v, DType::I8,
               rounding == Int8Rounding::TowardZero ? Rounding::TowardZero
                                                    : Rounding::NearestEven);
}

void storeScales(Value rowBase, Value g, Value groups, Value strideG,
                 const QuantizedRows &rows, bool packed, Value live) {
  // Group offsets in 64 bits: g * strideG spans the whole scale buffer.
  Value at = g.to(DType::I64);
  if (packed) {
    Value padded = (groups + 3) / 4 * 4;
    Value exponent = rows.exponent;
    if (live)
      exponent = where(live, exponent, constant(kPaddingExponent, DType::I32));
    Value byte =
        where(g < groups, exponent, constant(0, DType::I32)).to(DType::I8);
    store(rowBase + (at / 4) * strideG.to(DType::I64) + at % 4, byte,
          g < padded);
  } else {
    Value scale = rows.scale;
    if (live)
      scale = where(live, scale, constant(kPaddingScale, DType::F32));
    store(rowBase + at * strideG.to(DType::I64), scale, g < groups);
  }
}

void storePaddingScales(Value rowBase, Value g, Value groups, Value strideG,
                        bool packed) {
  QuantizedRows padding;
  padding.scale = full(g.shape(), kPaddingScale, DType::F32);
  padding.exponent = full(g.shape(), kPaddingExponent, DType::I32);
  storeScales(rowBase, g, groups, strideG, padding, packed);
}

Value rowOffset(Value row, Value stride) {
  return row.to(DType::I64) * stride.to(DType::I64);
}

} // namespace tile::kernels
