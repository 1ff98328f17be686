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

int groupQuantGroupsPerProgram(const GroupQuantSpec &spec) {
  if (spec.groupsPerProgram > 0)
    return spec.groupsPerProgram;
  return std::max(1, 2048 / spec.group);
}

static int64_t paddedGroups(const GroupQuantSpec &spec, int64_t groups) {
  return spec.scales == ScaleLayout::UE8M0Packed ? alignUp(groups, 4) : groups;
}

int64_t groupQuantGrid(const GroupQuantSpec &spec, int64_t M, int64_t K) {
  int64_t gpp = groupQuantGroupsPerProgram(spec);
  int64_t blocks = (paddedGroups(spec, K / spec.group) + gpp - 1) / gpp;
  return M * blocks;
}

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

void groupQuantReference(const GroupQuantSpec &spec, const void *x, void *q,
                         void *scales, int64_t M, int64_t K, int64_t strideX,
                         int64_t strideQ) {
  const int64_t G = spec.group, groups = K / G;
  const bool packed = spec.scales == ScaleLayout::UE8M0Packed;
  const bool ue8m0 = spec.ue8m0 || packed;
  ScaleStrides ss = scaleStrides(spec.scales, M, groups);
  for (int64_t t = 0; t < M; ++t) {
    for (int64_t g = 0; g < groups; ++g) {
      float absmax = 0.0f;
      bool nan = false;
      for (int64_t j = 0; j < G; ++j) {
        float v = inputToFloat(spec.in, x, t * strideX + g * G + j);
        nan |= std::isnan(v);
        absmax = std::fmax(absmax, std::fabs(v));
      }
      if (nan)
        absmax = std::nanf(""); // NaN propagates to the scale
      absmax = std::isnan(absmax) ? absmax : std::fmax(absmax, spec.eps);
      float scale = absmax / qmax(spec.out);
      uint8_t e = 0;
      if (ue8m0) {
        e = ue8m0Exponent(scale);
        scale = ue8m0Value(e);
      }
      float inverse = 1.0f / scale;
      for (int64_t j = 0; j < G; ++j) {
        float v = inputToFloat(spec.in, x, t * strideX + g * G + j) * inverse;
        int64_t at = t * strideQ + g * G + j;
        if (spec.out == OutType::FP8)
          static_cast<uint8_t *>(q)[at] = numerics::floatToE4M3(v, true);
        else
          static_cast<int8_t *>(q)[at] = floatToInt8(v);
      }
      if (packed)
        static_cast<uint8_t *>(scales)[t * ss.strideM + (g / 4) * ss.strideG +
                                       g % 4] = e;
      else
        static_cast<float *>(scales)[t * ss.strideM + g * ss.strideG] = scale;
    }
    if (packed)
      for (int64_t g = groups; g < alignUp(groups, 4); ++g)
        static_cast<uint8_t *>(scales)[t * ss.strideM + (g / 4) * ss.strideG +
                                       g % 4] = 0;
  }
}

} // namespace tile::kernels
