//===- SiluMulQuantReference.cpp - silu_mul_quant's reference -------------===//

#include "SiluMulQuantSpec.h"

#include <algorithm>

namespace tile::kernels {

int siluMulQuantGroupsPerProgram(const SiluMulQuantSpec &spec) {
  if (spec.groupsPerProgram > 0)
    return spec.groupsPerProgram;
  return std::max(1, 1024 / spec.group);
}

int64_t siluMulQuantGrid(const SiluMulQuantSpec &spec, int64_t rows, int64_t H,
                         int64_t T) {
  int64_t groups = H / spec.group;
  if (spec.scales == ScaleLayout::UE8M0Packed)
    groups = alignUp(groups, 4);
  int64_t gpp = siluMulQuantGroupsPerProgram(spec);
  // Every scale row the layout allocates has a program (its padding rows
  // write the padding scale).
  int64_t scaleRowCount =
      spec.masked ? (T > 0 ? rows / T : 0) * scaleRows(spec.scales, T)
                  : scaleRows(spec.scales, rows);
  return scaleRowCount * ((groups + gpp - 1) / gpp);
}

float siluReference(float g) { return g / (1.0f + std::exp(-g)); }

void siluMulQuantReference(const SiluMulQuantSpec &spec, const uint16_t *x,
                           void *q, void *scales, int64_t rows, int64_t H,
                           int64_t strideX, int64_t strideQ, int64_t T,
                           const std::vector<int32_t> &maskedM) {
  const int64_t G = spec.group, groups = H / G;
  const bool packed = spec.scales == ScaleLayout::UE8M0Packed;
  const bool ue8m0 = spec.ue8m0 || packed;
  const int64_t scaleRowsOf = spec.masked ? T : rows;
  ScaleStrides ss = scaleStrides(spec.scales, scaleRowsOf, groups);
  const int64_t gateAt = spec.upFirst ? H : 0, upAt = spec.upFirst ? 0 : H;
  std::vector<float> y(H);
  // The padding scales: TMA padding rows, and masked-off rows.
  const int64_t experts = spec.masked ? (T > 0 ? rows / T : 0) : 1;
  for (int64_t e = 0; e < experts; ++e) {
    void *expertScales =
        packed ? static_cast<void *>(static_cast<uint8_t *>(scales) + e * ss.size)
               : static_cast<void *>(static_cast<float *>(scales) + e * ss.size);
    int64_t live = spec.masked ? std::clamp<int64_t>(maskedM[e], 0, T) : rows;
    for (int64_t t = live; t < scaleRows(spec.scales, scaleRowsOf); ++t)
      writePaddingScaleRow(spec.scales, expertScales, t, groups, ss);
  }
  for (int64_t r = 0; r < rows; ++r) {
    int64_t t = r, expertBase = 0;
    if (spec.masked) {
      int64_t e = r / T;
      t = r % T;
      if (t >= maskedM[e])
        continue;
      expertBase = e * ss.size;
    }
    for (int64_t j = 0; j < H; ++j) {
      float gate = numerics::bf16ToFloat(x[r * strideX + gateAt + j]);
      float up = numerics::bf16ToFloat(x[r * strideX + upAt + j]);
      float s = siluReference(gate);
      if (spec.fp32Intermediate) {
        y[j] = s * up;
      } else {
        float sb = numerics::bf16ToFloat(numerics::floatToBf16(s));
        y[j] = numerics::bf16ToFloat(numerics::floatToBf16(sb * up));
      }
    }
    for (int64_t g = 0; g < alignUp(groups, packed ? 4 : 1); ++g) {
      int64_t at = packed ? expertBase + t * ss.strideM + (g / 4) * ss.strideG + g % 4
                          : expertBase + t * ss.strideM + g * ss.strideG;
      if (g >= groups) {
        static_cast<uint8_t *>(scales)[at] = 0;
        continue;
      }
      uint8_t e = 0;
      float scale = quantizeGroupReference(
          &y[g * G], G, spec.out, ue8m0, spec.eps,
          static_cast<uint8_t *>(q) + r * strideQ + g * G, &e, spec.int8Rounding);
      if (packed)
        static_cast<uint8_t *>(scales)[at] = e;
      else
        static_cast<float *>(scales)[at] = scale;
    }
  }
}

} // namespace tile::kernels
