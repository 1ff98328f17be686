//===- GroupQuant.cpp - Per-token-group quantization in the DSL -----------===//
//
// One program quantizes `groupsPerProgram` consecutive groups of one row as a
// [groupsPerProgram, group] tile: each group's absmax is a reduction along the
// tile's rows (a warp-local butterfly once the compiler lays a group over
// consecutive lanes), the scale a vector of groupsPerProgram values.
//
//===----------------------------------------------------------------------===//

#include "GroupQuant.h"

#include "tile/dsl/DSL.h"

#include <algorithm>

using namespace tile::dsl;

namespace tile::kernels {

static DType dtypeOf(InType t) {
  return t == InType::BF16 ? DType::BF16 : t == InType::F16 ? DType::F16 : DType::F32;
}

mlir::FailureOr<mlir::OwningOpRef<mlir::ModuleOp>>
buildGroupQuant(mlir::MLIRContext &ctx, const GroupQuantSpec &spec) {
  const int G = spec.group;
  const int gpp = groupQuantGroupsPerProgram(spec);
  const bool packed = spec.scales == ScaleLayout::UE8M0Packed;
  const bool ue8m0 = spec.ue8m0 || packed;
  KernelOptions options;
  options.numWarps = spec.numWarps;
  KernelBuilder k(ctx, "group_quant", options);
  Value x = k.pointer("x", dtypeOf(spec.in));
  Value q = k.pointer("q", spec.out == OutType::FP8 ? DType::F8E4M3 : DType::I8);
  Value s = k.pointer("scales", packed ? DType::I8 : DType::F32);
  Value M = k.scalar("M", DType::I32);
  Value K = k.scalar("K", DType::I32, /*divisibility=*/G);
  Value strideX = k.scalar("stride_x", DType::I32, spec.strideDivisibility);
  Value strideQ = k.scalar("stride_q", DType::I32, spec.strideDivisibility);
  Value strideSM = k.scalar("scale_stride_m", DType::I32);
  Value strideSG = k.scalar("scale_stride_g", DType::I32);
  (void)M;

  // Which row, and which block of groups in it.
  Value groups = K / G;
  Value padded = packed ? (groups + 3) / 4 * 4 : groups;
  Value blocks = (padded + (gpp - 1)) / gpp;
  Value pid = programId(0);
  Value row = pid / blocks;
  Value block = pid % blocks;

  Value g = block * gpp + range(0, gpp);               // [gpp] group indices
  Value inRow = g < groups;
  Value cols = expandDims(g * G, 1) + expandDims(range(0, G), 0); // [gpp, G]
  Value mask = expandDims(inRow, 1);

  Value xs = load(x + row * strideX + cols, mask, 0.0, Cache::None,
                  Evict::First)
                 .to(DType::F32);
  Value absmax = maximum(max(abs(xs), 1), double(spec.eps));
  Value scale = absmax / double(qmax(spec.out));
  Value exponent;
  if (ue8m0) {
    // Round up to a power of two with integer bit operations (not
    // exp2(ceil(log2(x))), which is off by 2x just above powers of two).
    Value bits = bitcast(scale, DType::I32) & 0x7fffffff; // NaN's sign too
    Value e = bits / 8388608; // scale > 0: the exponent field
    Value mantissa = bits % 8388608;
    e = e + where(mantissa != 0, constant(1, DType::I32), constant(0, DType::I32));
    e = where(e < 1, constant(1, DType::I32), e);
    e = where(e > 254, constant(254, DType::I32), e);
    exponent = e;
    scale = bitcast(e * 8388608, DType::F32);
  }
  Value inverse = 1.0 / scale;
  Value v = xs * expandDims(inverse, 1);
  Value qv = spec.out == OutType::FP8 ? toFp8(v) : toInt(v, DType::I8);
  store(q + row * strideQ + cols, qv, mask, Cache::None, Evict::First);

  if (packed) {
    // Every byte of the row's words, zeros past the last group.
    Value byte = where(inRow, exponent, constant(0, DType::I32)).to(DType::I8);
    Value offset = row * strideSM + (g / 4) * strideSG + g % 4;
    store(s + offset, byte, g < padded);
  } else {
    store(s + row * strideSM + g * strideSG, scale, inRow);
  }
  return k.finish();
}

} // namespace tile::kernels
