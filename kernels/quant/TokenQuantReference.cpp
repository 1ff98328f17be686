//===- TokenQuantReference.cpp - token_quant's reference ------------------===//

#include "TokenQuantSpec.h"

#include <cmath>

namespace tile::kernels {

void tokenQuantReference(const TokenQuantSpec &spec, const void *x, void *q,
                         float *scales, int64_t M, int64_t K, int64_t strideX,
                         int64_t strideQ, int64_t scaleStride) {
  for (int64_t t = 0; t < M; ++t) {
    float absmax = 0.0f;
    bool nan = false;
    for (int64_t k = 0; k < K; ++k) {
      float v = inputToFloat(spec.in, x, t * strideX + k);
      nan |= std::isnan(v);
      absmax = std::fmax(absmax, std::fabs(v));
    }
    absmax = nan ? std::nanf("") : std::fmax(absmax, spec.eps);
    float scale = absmax / qmax(spec.out);
    if (spec.ue8m0)
      scale = ue8m0Value(ue8m0Exponent(scale));
    float inverse = 1.0f / scale;
    scales[t * scaleStride] = scale;
    for (int64_t k = 0; k < K; ++k) {
      float v = inputToFloat(spec.in, x, t * strideX + k) * inverse;
      if (spec.out == OutType::FP8)
        static_cast<uint8_t *>(q)[t * strideQ + k] =
            numerics::floatToE4M3(v, true);
      else
        static_cast<int8_t *>(q)[t * strideQ + k] = floatToInt8(v);
    }
  }
}

} // namespace tile::kernels
