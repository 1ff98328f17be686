//===- GroupQuantTest.cpp - group_quant on the GPU against its reference --===//
//
// Each AOT variant of kernels/quant/GroupQuant on fresh random inputs over
// many binades (plus an all-zero row and values that round to +-448), with
// strided rows and the edge cases of KERNELS.md 1: M = 1, 3, 5 (not a
// multiple of 4), a number of groups that is not a multiple of 4. fp8 codes,
// int8 values and scales must match the reference bit for bit (the kernel
// has no exp); scale padding and row padding must stay poisoned (or, for
// packed UE8M0, be written as zeros in a partial word).
//
//===----------------------------------------------------------------------===//

#include "GpuTest.h"

#include "GroupQuantSpec.h"

#include "tile/aot/gq_bf16_fp8_packed.h"
#include "tile/aot/gq_bf16_fp8_packed_g256.h"
#include "tile/aot/gq_bf16_fp8_row.h"
#include "tile/aot/gq_bf16_fp8_row_g16.h"
#include "tile/aot/gq_bf16_int8_row.h"
#include "tile/aot/gq_bf16_int8_rtz.h"
#include "tile/aot/gq_f32_fp8_coltma_ue8m0.h"
#include "tile/aot/gq_fp16_int8_col_g64.h"

#include <cmath>

using namespace tile;
using namespace tile::testing;
using namespace tile::kernels;

namespace {

using Launch = rt::Status (*)(rt::Dim3, uint64_t, uint64_t, uint64_t, int32_t,
                              int32_t, int32_t, int32_t, int32_t, int32_t,
                              const rt::Stream &);

struct Variant {
  const char *name;
  Launch launch;
  GroupQuantSpec spec;
};

GroupQuantSpec spec(int group, InType in, OutType out, ScaleLayout scales,
                    bool ue8m0 = false,
                    Int8Rounding rounding = Int8Rounding::NearestEven) {
  GroupQuantSpec s;
  s.int8Rounding = rounding;
  s.group = group;
  s.in = in;
  s.out = out;
  s.scales = scales;
  s.ue8m0 = ue8m0;
  return s;
}

const Variant kVariants[] = {
    {"bf16_fp8_row", aot::gq_bf16_fp8_row::group_quant,
     spec(128, InType::BF16, OutType::FP8, ScaleLayout::RowMajor)},
    {"bf16_fp8_packed", aot::gq_bf16_fp8_packed::group_quant,
     spec(128, InType::BF16, OutType::FP8, ScaleLayout::UE8M0Packed)},
    {"bf16_int8_row", aot::gq_bf16_int8_row::group_quant,
     spec(128, InType::BF16, OutType::INT8, ScaleLayout::RowMajor)},
    {"f32_fp8_coltma_ue8m0", aot::gq_f32_fp8_coltma_ue8m0::group_quant,
     spec(128, InType::F32, OutType::FP8, ScaleLayout::ColMajorTMA, true)},
    {"fp16_int8_col_g64", aot::gq_fp16_int8_col_g64::group_quant,
     spec(64, InType::F16, OutType::INT8, ScaleLayout::ColMajor)},
    {"bf16_fp8_row_g16", aot::gq_bf16_fp8_row_g16::group_quant,
     spec(16, InType::BF16, OutType::FP8, ScaleLayout::RowMajor)},
    {"bf16_fp8_packed_g256", aot::gq_bf16_fp8_packed_g256::group_quant,
     spec(256, InType::BF16, OutType::FP8, ScaleLayout::UE8M0Packed)},
    {"bf16_int8_rtz", aot::gq_bf16_int8_rtz::group_quant,
     spec(128, InType::BF16, OutType::INT8, ScaleLayout::RowMajor, false,
          Int8Rounding::TowardZero)},
};

struct Shape {
  int M, groups, rowPad; // K = groups * group; strides = K + rowPad
};

const Shape kShapes[] = {{1, 56, 0}, {3, 3, 16}, {5, 7, 32}, {0, 4, 0}, {64, 56, 64}};

/// Random inputs in the variant's type (bits), over many binades; row 1 is
/// zeros and row 2 holds values whose scaled code is exactly +-448.
std::vector<uint8_t> makeInput(InType in, int64_t M, int64_t stride, int64_t K,
                               uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> mantissa(-1.0f, 1.0f);
  std::uniform_int_distribution<int> exponent(-10, 10);
  int bytes = inputBytes(in);
  std::vector<uint8_t> data(size_t(M) * stride * bytes);
  for (int64_t i = 0; i < M * stride; ++i) {
    float v = std::ldexp(mantissa(rng), exponent(rng));
    int64_t row = i / stride;
    if (row == 1 && M > 2)
      v = 0.0f;
    if (row == 2 && i % 7 == 0)
      v = (i % 2 ? 1.0f : -1.0f) * 1000.0f;
    if (in == InType::BF16) {
      uint16_t b = numerics::floatToBf16(v);
      std::memcpy(&data[i * 2], &b, 2);
    } else if (in == InType::F16) {
      uint16_t h = numerics::floatToF16(v);
      std::memcpy(&data[i * 2], &h, 2);
    } else {
      std::memcpy(&data[i * 4], &v, 4);
    }
  }
  return data;
}

class GroupQuantGpu
    : public ::testing::TestWithParam<std::tuple<int, int>> {};

TEST_P(GroupQuantGpu, MatchesReferenceBitExactly) {
  TILE_REQUIRE_GPU();
  const Variant &variant = kVariants[std::get<0>(GetParam())];
  const Shape &shape = kShapes[std::get<1>(GetParam())];
  const GroupQuantSpec &s = variant.spec;
  const int64_t M = shape.M, groups = shape.groups, K = groups * s.group;
  const int64_t strideX = K + shape.rowPad, strideQ = K + shape.rowPad;
  SCOPED_TRACE(::testing::Message() << variant.name << " M=" << M << " K=" << K
                                    << " strides=" << strideX);

  std::vector<uint8_t> x = makeInput(s.in, M, strideX, K, freshSeed());
  ScaleStrides ss = scaleStrides(s.scales, M, groups);
  bool packed = s.scales == ScaleLayout::UE8M0Packed;
  int64_t scaleBytes = packed ? ss.size : ss.size * 4;

  rt::DeviceBuffer dx = upload(x.empty() ? std::vector<uint8_t>(16) : x);
  rt::DeviceBuffer dq = poisoned<uint8_t>(std::max<int64_t>(1, M * strideQ), 0xa5);
  rt::DeviceBuffer ds = poisoned<uint8_t>(std::max<int64_t>(1, scaleBytes), 0xa5);
  int64_t grid = groupQuantGrid(s, M, K);
  if (grid > 0)
    TILE_ASSERT_OK(variant.launch(
        rt::Dim3{uint32_t(grid)}, dx.address(), dq.address(), ds.address(),
        int32_t(M), int32_t(K), int32_t(strideX), int32_t(strideQ),
        int32_t(ss.strideM), int32_t(ss.strideG), rt::Stream()));
  std::vector<uint8_t> q = download<uint8_t>(dq, std::max<int64_t>(1, M * strideQ));
  std::vector<uint8_t> scales =
      download<uint8_t>(ds, std::max<int64_t>(1, scaleBytes));

  std::vector<uint8_t> wantQ(q.size(), 0xa5), wantS(scales.size(), 0xa5);
  groupQuantReference(s, x.data(), wantQ.data(), wantS.data(), M, K, strideX,
                      strideQ);
  for (size_t i = 0; i < q.size(); ++i)
    ASSERT_EQ(int(q[i]), int(wantQ[i]))
        << "q byte " << i << " (row " << i / std::max<int64_t>(1, strideQ)
        << ", column " << i % std::max<int64_t>(1, strideQ) << ")";
  for (size_t i = 0; i < scales.size(); ++i)
    ASSERT_EQ(int(scales[i]), int(wantS[i])) << "scale byte " << i;
}

INSTANTIATE_TEST_SUITE_P(
    VariantsAndShapes, GroupQuantGpu,
    ::testing::Combine(::testing::Range(0, int(std::size(kVariants))),
                       ::testing::Range(0, int(std::size(kShapes)))),
    [](const auto &info) {
      const Shape &s = kShapes[std::get<1>(info.param)];
      return std::string(kVariants[std::get<0>(info.param)].name) + "_M" +
             std::to_string(s.M) + "_G" + std::to_string(s.groups) + "_pad" +
             std::to_string(s.rowPad);
    });

} // namespace
