//===- TokenQuantReference.cpp - token_quant's reference ------------------===//

#include "TokenQuantSpec.h"

#include <cmath>
#include <vector>

namespace tile::kernels {

void tokenQuantReference(const TokenQuantSpec &spec, const void *x, void *q,
                         float *scales, int64_t M, int64_t K, int64_t strideX,
                         int64_t strideQ, int64_t scaleStride) {
  std::vector<float> values(K);
  for (int64_t t = 0; t < M; ++t) {
    for (int64_t k = 0; k < K; ++k)
      values[k] = inputToFloat(spec.in, x, t * strideX + k);
    scales[t * scaleStride] = quantizeGroupReference(
        values.data(), K, spec.out, spec.ue8m0, spec.eps,
        static_cast<uint8_t *>(q) + t * strideQ, nullptr, spec.int8Rounding);
  }
}

} // namespace tile::kernels
