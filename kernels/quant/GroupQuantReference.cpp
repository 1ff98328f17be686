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
  return std::max(1, 1024 / spec.group);
}

static int64_t paddedGroups(const GroupQuantSpec &spec, int64_t groups) {
  return spec.scales == ScaleLayout::UE8M0Packed ? alignUp(groups, 4) : groups;
}

int64_t groupQuantGrid(const GroupQuantSpec &spec, int64_t M, int64_t K) {
  int64_t gpp = groupQuantGroupsPerProgram(spec);
  int64_t blocks = (paddedGroups(spec, K / spec.group) + gpp - 1) / gpp;
  // The TMA padding rows' programs write their scale slots.
  return scaleRows(spec.scales, M) * blocks;
}

std::string checkGroupQuantProblem(const GroupQuantSpec &spec, int64_t M,
                                   int64_t K, int64_t strideX, int64_t strideQ,
                                   int64_t xBytes, int64_t qBytes,
                                   int64_t scaleBytes) {
  auto str = [](int64_t v) { return std::to_string(v); };
  if (spec.group != 16 && spec.group != 32 && spec.group != 64 &&
      spec.group != 128 && spec.group != 256)
    return "group must be 16, 32, 64, 128 or 256, got " + str(spec.group);
  if (M < 0 || K <= 0)
    return "M must be >= 0 and K > 0, got M = " + str(M) + ", K = " + str(K);
  if (K % spec.group != 0)
    return "K (" + str(K) + ") is not divisible by group (" + str(spec.group) + ")";
  if (strideX < K)
    return "stride_x (" + str(strideX) + ") is smaller than the row (K = " + str(K) + ")";
  if (strideQ < K)
    return "stride_q (" + str(strideQ) + ") is smaller than the row (K = " + str(K) + ")";
  if (strideX % spec.strideDivisibility || strideQ % spec.strideDivisibility)
    return "the row strides must be multiples of " + str(spec.strideDivisibility) +
           " (the kernel's stride_divisibility)";
  int64_t rowsBytes = M == 0 ? 0 : ((M - 1) * strideX + K) * inputBytes(spec.in);
  if (xBytes < rowsBytes)
    return "x has " + str(xBytes) + " bytes, " + str(rowsBytes) + " needed";
  int64_t qNeeded = M == 0 ? 0 : (M - 1) * strideQ + K;
  if (qBytes < qNeeded)
    return "q has " + str(qBytes) + " bytes, " + str(qNeeded) + " needed";
  ScaleStrides ss = scaleStrides(spec.scales, M, K / spec.group);
  int64_t sNeeded =
      spec.scales == ScaleLayout::UE8M0Packed ? ss.size : ss.size * 4;
  if (scaleBytes < sNeeded)
    return "scales has " + str(scaleBytes) + " bytes, " + str(sNeeded) +
           " needed for the " + name(spec.scales) + " layout";
  return "";
}

void groupQuantReference(const GroupQuantSpec &spec, const void *x, void *q,
                         void *scales, int64_t M, int64_t K, int64_t strideX,
                         int64_t strideQ) {
  const int64_t G = spec.group, groups = K / G;
  const bool packed = spec.scales == ScaleLayout::UE8M0Packed;
  const bool ue8m0 = spec.ue8m0 || packed;
  ScaleStrides ss = scaleStrides(spec.scales, M, groups);
  std::vector<float> values(G);
  std::vector<uint8_t> codes(G);
  for (int64_t t = 0; t < M; ++t) {
    for (int64_t g = 0; g < groups; ++g) {
      for (int64_t j = 0; j < G; ++j)
        values[j] = inputToFloat(spec.in, x, t * strideX + g * G + j);
      uint8_t e = 0;
      float scale =
          quantizeGroupReference(values.data(), G, spec.out, ue8m0, spec.eps,
                                 codes.data(), &e, spec.int8Rounding);
      std::memcpy(static_cast<uint8_t *>(q) + t * strideQ + g * G, codes.data(),
                  G);
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
  for (int64_t t = M; t < scaleRows(spec.scales, M); ++t)
    writePaddingScaleRow(spec.scales, scales, t, groups, ss);
}

} // namespace tile::kernels
