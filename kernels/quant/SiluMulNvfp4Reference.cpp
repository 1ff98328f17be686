//===- SiluMulNvfp4Reference.cpp - silu_mul_nvfp4's reference -------------===//

#include "SiluMulNvfp4Spec.h"
#include "SiluMulQuantSpec.h"

#include <algorithm>
#include <cmath>

namespace tile::kernels {

LaunchGrid siluMulNvfp4Grid(const SiluMulNvfp4Spec &spec, int64_t M, int64_t K,
                            int64_t E) {
  int64_t blocks = alignUp(K / 16, 4);
  return {M + E, (blocks + spec.blocksPerProgram - 1) / spec.blocksPerProgram};
}

std::vector<int32_t> nvfp4ScaleOffsets(const std::vector<int32_t> &offsets) {
  std::vector<int32_t> sf(offsets.size(), 0);
  for (size_t e = 1; e < offsets.size(); ++e)
    sf[e] = sf[e - 1] + int32_t(alignUp(offsets[e] - offsets[e - 1], 128));
  return sf;
}

int64_t nvfp4ScaleBytes(int64_t scaleRows, int64_t K) {
  return scaleRows * alignUp(K / 16, 4);
}

int64_t nvfp4ScaleOffset(int64_t j, int64_t c, int64_t K) {
  int64_t colTiles = (K / 16 + 3) / 4;
  return ((j / 128) * colTiles + c / 4) * 512 + (j % 32) * 16 +
         (j % 128 / 32) * 4 + c % 4;
}

void siluMulNvfp4Reference(const SiluMulNvfp4Spec &spec, const uint16_t *x,
                           const std::vector<int32_t> &offsets,
                           const std::vector<int32_t> &sfOffsets,
                           const std::vector<float> &globalScales, uint8_t *q,
                           uint8_t *scales, int64_t M, int64_t K,
                           int64_t strideX) {
  const int64_t gateAt = spec.upFirst ? K : 0, upAt = spec.upFirst ? 0 : K;
  const int64_t blocks = K / 16, E = int64_t(offsets.size()) - 1;
  std::vector<float> y(16);
  for (int64_t e = 0; e < E; ++e) {
    const int64_t rows = offsets[e + 1] - offsets[e];
    // The padding rows of the expert's last 128-row block: zeros.
    for (int64_t r = rows; r < alignUp(rows, 128); ++r)
      for (int64_t c = 0; c < alignUp(blocks, 4); ++c)
        scales[nvfp4ScaleOffset(sfOffsets[e] + r, c, K)] = 0;
    for (int64_t r = 0; r < rows; ++r) {
      const int64_t m = offsets[e] + r, j = sfOffsets[e] + r;
      if (m >= M)
        break;
      const float gs = globalScales[e];
      for (int64_t c = 0; c < alignUp(blocks, 4); ++c) {
        if (c >= blocks) {
          scales[nvfp4ScaleOffset(j, c, K)] = 0;
          continue;
        }
        // NaN propagates to the scale (KERNELS.md's rule for every family):
        // std::fmax alone would skip it.
        float absmax = 0.0f;
        bool nan = false;
        for (int jj = 0; jj < 16; ++jj) {
          int64_t k = c * 16 + jj;
          float gate = numerics::bf16ToFloat(x[m * strideX + gateAt + k]);
          float up = numerics::bf16ToFloat(x[m * strideX + upAt + k]);
          float sb =
              numerics::bf16ToFloat(numerics::floatToBf16(siluReference(gate)));
          y[jj] = numerics::bf16ToFloat(numerics::floatToBf16(sb * up));
          absmax = std::fmax(absmax, std::fabs(y[jj]));
          nan |= std::isnan(y[jj]);
        }
        if (nan)
          absmax = std::nanf("");
        uint8_t sf = numerics::floatToE4M3(gs * absmax / 6.0f, true);
        scales[nvfp4ScaleOffset(j, c, K)] = sf;
        float sff = numerics::e4m3ToFloat(sf);
        float inverse = sff == 0.0f ? 0.0f : 1.0f / (sff / gs);
        // The GPU's product of a NaN is the canonical NaN, sign clear (x86
        // keeps an operand's sign): its e2m1 code is +0.
        auto code = [&](float v) {
          return numerics::floatToE2M1(std::isnan(v) ? std::fabs(v) : v);
        };
        for (int jj = 0; jj < 16; jj += 2) {
          uint8_t lo = code(y[jj] * inverse);
          uint8_t hi = code(y[jj + 1] * inverse);
          q[m * (K / 2) + c * 8 + jj / 2] = uint8_t(lo | (hi << 4));
        }
      }
    }
  }
}

} // namespace tile::kernels
