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
    r.exponent = e;
    r.scale = bitcast(e * 8388608, DType::F32);
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
                 const QuantizedRows &rows, bool packed) {
  if (packed) {
    Value padded = (groups + 3) / 4 * 4;
    Value byte =
        where(g < groups, rows.exponent, constant(0, DType::I32)).to(DType::I8);
    store(rowBase + (g / 4) * strideG + g % 4, byte, g < padded);
  } else {
    store(rowBase + g * strideG, rows.scale, g < groups);
  }
}

} // namespace tile::kernels
