//===- GroupQuantReference.cpp - group_quant's reference and launch math --===//
//
// Plain C++ (no MLIR): what the GPU tests and the benchmark link.
//
//===----------------------------------------------------------------------===//

#include "GroupQuantSpec.h"

#include <algorithm>

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
