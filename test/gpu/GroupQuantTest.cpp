//===- GroupQuantTest.cpp - group_quant on the GPU against its reference --===//
//
// Each AOT variant of kernels/quant/GroupQuant on fresh random inputs over
// many binades (plus an all-zero row and values that round to +-448), with
// strided rows and the edge cases of KERNELS.md 1: M = 1, 3, 5 (not a
// multiple of 4), a number of groups that is not a multiple of 4. fp8 codes,
// int8 values and scales must match the reference bit for bit (the kernel
// has no exp); scale padding and row padding must stay poisoned (or, for
// packed UE8M0, be written as zeros in a partial word). A second test puts
// NaN, -NaN, +-inf and +-QMAX into every variant and spells out what
// KERNELS.md makes of them. Then eps = 0.5 on groups of small values, and
// the TMA-aligned layouts' padding rows and partial words spelled out. Every
// launch runs twice and must give the same bytes (launchTwice).
//
//===----------------------------------------------------------------------===//

#include "GpuTest.h"

#include "GroupQuantSpec.h"

#include "tile/aot/gq_bf16_fp8_packed.h"
#include "tile/aot/gq_bf16_fp8_packed_g256.h"
#include "tile/aot/gq_bf16_fp8_row.h"
#include "tile/aot/gq_bf16_fp8_row_eps05.h"
#include "tile/aot/gq_bf16_fp8_row_g16.h"
#include "tile/aot/gq_bf16_int8_row.h"
#include "tile/aot/gq_bf16_int8_rtz.h"
#include "tile/aot/gq_f32_fp8_coltma_ue8m0.h"
#include "tile/aot/gq_fp16_int8_col_g64.h"

#include <cmath>
#include <limits>

using namespace tile;
using namespace tile::testing;
using namespace tile::kernels;

namespace {

using Launch = decltype(&aot::gq_bf16_fp8_row::group_quant);

struct Variant {
  const char *name;
  Launch launch;
  GroupQuantSpec spec;
};

GroupQuantSpec spec(int group, InType in, OutType out, ScaleLayout scales,
                    bool ue8m0 = false,
                    Int8Rounding rounding = Int8Rounding::NearestEven,
                    float eps = GroupQuantSpec{}.eps) {
  GroupQuantSpec s;
  s.eps = eps;
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
    // eps = 0.5 (PARAMS eps=0.5): the floor binds for groups of small values.
    {"bf16_fp8_row_eps05", aot::gq_bf16_fp8_row_eps05::group_quant,
     spec(128, InType::BF16, OutType::FP8, ScaleLayout::RowMajor, false,
          Int8Rounding::NearestEven, 0.5f)},
};

struct Shape {
  int M, groups, rowPad; // K = groups * group; strides = K + rowPad
};

const Shape kShapes[] = {{1, 56, 0}, {3, 3, 16}, {5, 7, 32}, {0, 4, 0}, {64, 56, 64}};

/// Stores `v` as element `i` of `data` in the input type (NaN keeps its
/// sign bit in every type).
void storeInput(InType in, float v, std::vector<uint8_t> &data, int64_t i) {
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

/// Random inputs in the variant's type (bits), over many binades; row 1 is
/// zeros and row 2 holds values whose scaled code is exactly +-448.
std::vector<uint8_t> makeInput(InType in, int64_t M, int64_t stride, int64_t K,
                               uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> mantissa(-1.0f, 1.0f);
  std::uniform_int_distribution<int> exponent(-10, 10);
  std::vector<uint8_t> data(size_t(M) * stride * inputBytes(in));
  for (int64_t i = 0; i < M * stride; ++i) {
    float v = std::ldexp(mantissa(rng), exponent(rng));
    int64_t row = i / stride;
    if (row == 1 && M > 2)
      v = 0.0f;
    if (row == 2 && i % 7 == 0)
      v = (i % 2 ? 1.0f : -1.0f) * 1000.0f;
    storeInput(in, v, data, i);
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
    ASSERT_NO_FATAL_FAILURE(launchTwice(
        [&] {
          return variant.launch(rt::Dim3{uint32_t(grid)}, dx.address(),
                                dq.address(), ds.address(), M, K, strideX,
                                strideQ, ss.strideM, ss.strideG, rt::Stream());
        },
        {{dq, 0xa5}, {ds, 0xa5}}));
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

// The edge values of KERNELS.md 1 on every variant (bf16, fp16 and f32 in;
// fp8 and int8 out; fp32, UE8M0-rounded fp32 and packed UE8M0 scales), on
// fresh random values in (-3, 3) with special rows:
//   0: all zeros: codes 0, scale eps / QMAX;
//   1: NaN and -NaN (sign bit set) in group 1: that scale NaN, every code of
//      the group NaN (fp8 0x7f) or 0 (int8);
//   2: +inf in group 2: scale inf, the inf element inf * (1 / inf) = NaN,
//      the rest of the group +-0;
//   3: -inf in group 0: the same, the scale +inf;
//   4: +-QMAX (448 or 127) in group 3: scale exactly 1, codes at the maximum;
//   5: plain random.
// M = 6 and 5 groups: neither a multiple of 4 (TMA-aligned columns, a
// partial packed word). Every q byte and scale byte must match the
// reference (f32 scales bit for bit, or both NaN), and then the values
// KERNELS.md gives are spelled out, so that a wrong reference fails too.
class GroupQuantGpuSpecialValues : public ::testing::TestWithParam<int> {};

TEST_P(GroupQuantGpuSpecialValues, MatchReference) {
  TILE_REQUIRE_GPU();
  const Variant &variant = kVariants[GetParam()];
  const GroupQuantSpec &s = variant.spec;
  const int64_t M = 6, groups = 5, G = s.group, K = groups * G;
  const int64_t stride = K + 16;
  const float top = qmax(s.out);
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const float inf = std::numeric_limits<float>::infinity();
  SCOPED_TRACE(variant.name);

  std::mt19937 rng(freshSeed());
  std::uniform_real_distribution<float> dist(-3.0f, 3.0f);
  std::vector<float> values(M * stride);
  for (float &v : values)
    v = dist(rng);
  for (int64_t k = 0; k < K; ++k)
    values[0 * stride + k] = 0.0f;
  values[1 * stride + 1 * G + 3] = nan;
  values[1 * stride + 1 * G + G - 2] = std::copysign(nan, -1.0f);
  values[2 * stride + 2 * G + 5] = inf;
  values[3 * stride + 0 * G + 7] = -inf;
  values[4 * stride + 3 * G + 1] = top;
  values[4 * stride + 3 * G + G - 1] = -top;
  std::vector<uint8_t> x(values.size() * inputBytes(s.in));
  for (size_t i = 0; i < values.size(); ++i)
    storeInput(s.in, values[i], x, i);
  ASSERT_TRUE(
      std::signbit(inputToFloat(s.in, x.data(), 1 * stride + 1 * G + G - 2)))
      << "-NaN lost its sign bit in the input";

  ScaleStrides ss = scaleStrides(s.scales, M, groups);
  const bool packed = s.scales == ScaleLayout::UE8M0Packed;
  const bool ue8m0 = s.ue8m0 || packed;
  const bool fp8 = s.out == OutType::FP8;
  const int64_t scaleBytes = packed ? ss.size : ss.size * 4;
  rt::DeviceBuffer dx = upload(x);
  rt::DeviceBuffer dq = poisoned<uint8_t>(M * stride, 0xa5);
  rt::DeviceBuffer ds = poisoned<uint8_t>(scaleBytes, 0xa5);
  ASSERT_NO_FATAL_FAILURE(launchTwice(
      [&] {
        return variant.launch(rt::Dim3{uint32_t(groupQuantGrid(s, M, K))},
                              dx.address(), dq.address(), ds.address(), M, K,
                              stride, stride, ss.strideM, ss.strideG,
                              rt::Stream());
      },
      {{dq, 0xa5}, {ds, 0xa5}}));
  std::vector<uint8_t> q = download<uint8_t>(dq, M * stride);
  std::vector<uint8_t> scales = download<uint8_t>(ds, scaleBytes);

  std::vector<uint8_t> wantQ(q.size(), 0xa5), wantS(scales.size(), 0xa5);
  groupQuantReference(s, x.data(), wantQ.data(), wantS.data(), M, K, stride,
                      stride);
  for (int64_t i = 0; i < M * stride; ++i)
    ASSERT_EQ(int(q[i]), int(wantQ[i]))
        << "q[" << i / stride << ", " << i % stride << "]";
  for (int64_t i = 0; i < scaleBytes; i += packed ? 1 : 4) {
    if (packed) {
      ASSERT_EQ(int(scales[i]), int(wantS[i])) << "scale byte " << i;
      continue;
    }
    float got, want;
    std::memcpy(&got, &scales[i], 4);
    std::memcpy(&want, &wantS[i], 4);
    ASSERT_TRUE((std::isnan(got) && std::isnan(want)) ||
                numerics::floatBits(got) == numerics::floatBits(want))
        << "scale " << i / 4 << ": " << got << " vs " << want;
  }

  // And what KERNELS.md says, spelled out.
  auto scale = [&](int64_t t, int64_t g) {
    if (packed)
      return ue8m0Value(scales[t * ss.strideM + (g / 4) * ss.strideG + g % 4]);
    float f;
    std::memcpy(&f, &scales[(t * ss.strideM + g * ss.strideG) * 4], 4);
    return f;
  };
  auto code = [&](int64_t t, int64_t k) { return int(q[t * stride + k]); };
  const int nanCode = fp8 ? 0x7f : 0; // int8 conversion turns NaN into 0
  // UE8M0: an infinite scale has the exponent field 255, clamped to 254:
  // the scale is 2^127. A NaN one stays NaN (byte 0xFF, E8M0's NaN).
  const float hugeScale = std::ldexp(1.0f, 127);
  // The UE8M0 variants have the default eps.
  ASSERT_TRUE(!ue8m0 || s.eps == 1e-10f);
  for (int64_t g = 0; g < groups; ++g) {
    // eps / QMAX; UE8M0 rounds it up to 2^-42 (fp8: 1e-10 / 448 is
    // 2^-42.03) or 2^-40 (int8: 1e-10 / 127 is 2^-40.2).
    EXPECT_EQ(scale(0, g),
              ue8m0 ? std::ldexp(1.0f, fp8 ? -42 : -40) : s.eps / top)
        << "zero row, group " << g;
    for (int64_t j = 0; j < G; ++j)
      ASSERT_EQ(code(0, g * G + j), 0) << "zero row, column " << g * G + j;
  }
  if (packed)
    EXPECT_EQ(int(scales[0 * ss.strideM + 0]), 127 - 42);

  // NaN stays in its group: the neighbours' scales are finite.
  EXPECT_TRUE(std::isfinite(scale(1, 0)));
  EXPECT_TRUE(std::isfinite(scale(1, 2)));
  // NaN reaches the scale in every layout: a NaN scale, the packed byte
  // 0xFF, every code of the group NaN (KERNELS.md, "UE8M0 scale").
  EXPECT_TRUE(std::isnan(scale(1, 1)));
  if (packed)
    EXPECT_EQ(int(scales[1 * ss.strideM + (1 / 4) * ss.strideG + 1 % 4]), 0xff);
  for (int64_t j = 0; j < G; ++j)
    ASSERT_EQ(code(1, 1 * G + j), nanCode)
        << "NaN row, column " << 1 * G + j << ": x * (1 / NaN) is NaN";

  // inf: with fp32 scales 1 / inf = 0 and inf * 0 = NaN; with UE8M0,
  // inf * 2^-127 is still inf and saturates to the largest code.
  const int infCode = ue8m0 ? (fp8 ? 0x7e : 127) : nanCode;
  // -inf saturates to -128 (0x80), or to -127 (0x81) with rna127.
  const int int8Min =
      s.int8Rounding == Int8Rounding::HalfAwayFrom127 ? 0x81 : 0x80;
  const int negInfCode = ue8m0 ? (fp8 ? 0xfe : int8Min) : nanCode;
  EXPECT_EQ(scale(2, 2), ue8m0 ? hugeScale : inf);
  EXPECT_EQ(code(2, 2 * G + 5), infCode);
  EXPECT_EQ(scale(3, 0), ue8m0 ? hugeScale : inf) << "absmax of -inf is +inf";
  EXPECT_EQ(code(3, 0 * G + 7), negInfCode);
  for (int64_t j = 0; j < G; ++j) {
    // Finite values times 0 (or 2^-127): zeros of their sign.
    if (j != 5)
      ASSERT_EQ(code(2, 2 * G + j) & (fp8 ? 0x7f : 0xff), 0) << "column " << j;
    if (j != 7)
      ASSERT_EQ(code(3, 0 * G + j) & (fp8 ? 0x7f : 0xff), 0) << "column " << j;
  }

  // absmax exactly QMAX: scale 1 (a power of two already for UE8M0), and the
  // codes of +-QMAX are the largest: fp8 0x7e / 0xfe (448), int8 127 / -127.
  EXPECT_EQ(scale(4, 3), 1.0f);
  EXPECT_EQ(code(4, 3 * G + 1), fp8 ? 0x7e : 0x7f);
  EXPECT_EQ(code(4, 3 * G + G - 1), fp8 ? 0xfe : 0x81);
}

INSTANTIATE_TEST_SUITE_P(
    Variants, GroupQuantGpuSpecialValues,
    ::testing::Range(0, int(std::size(kVariants))),
    [](const auto &info) { return kVariants[info.param].name; });

const Variant &variantNamed(const std::string &name) {
  for (const Variant &v : kVariants)
    if (name == v.name)
      return v;
  std::abort();
}

// eps other than the default (the variant compiled with eps=0.5), where it
// matters: groups of small values (absmax < 0.5, down to 2^-20), whose scale
// is eps / 448 whatever their values, beside groups of larger ones (absmax
// above 0.5), on fresh random inputs. Every byte must match the reference;
// then the scale of each group is spelled out from the input: 0.5 / 448
// where eps binds, absmax / 448 where it does not, and the codes of the
// small groups are e4m3(x * (1 / (0.5 / 448))). A kernel that kept the
// default eps (1e-10) fails the first of these.
TEST(GroupQuantGpuEps, SmallGroupsTakeTheFloor) {
  TILE_REQUIRE_GPU();
  const Variant &variant = variantNamed("bf16_fp8_row_eps05");
  const GroupQuantSpec &s = variant.spec;
  ASSERT_EQ(s.eps, 0.5f);
  const int64_t M = 7, groups = 6, G = s.group, K = groups * G;
  const int64_t stride = K + 16;
  std::mt19937 rng(freshSeed());
  std::uniform_real_distribution<float> unit(-1.0f, 1.0f);
  std::uniform_int_distribution<int> binade(1, 20);
  std::vector<uint16_t> x(M * stride);
  for (auto &b : x)
    b = numerics::floatToBf16(unit(rng));
  // Group (t, g) is small (absmax < 0.5) unless (t + g) % 3 == 0.
  auto small = [](int64_t t, int64_t g) { return (t + g) % 3 != 0; };
  for (int64_t t = 0; t < M; ++t)
    for (int64_t g = 0; g < groups; ++g) {
      const float range = small(t, g) ? std::ldexp(0.49f, -binade(rng) + 1)
                                       : 4.0f;
      for (int64_t j = 0; j < G; ++j)
        x[t * stride + g * G + j] = numerics::floatToBf16(unit(rng) * range);
      if (!small(t, g)) // absmax above 0.5 for sure
        x[t * stride + g * G + (7 * t + 13 * g) % G] =
            numerics::floatToBf16(-3.5f);
    }
  std::vector<uint8_t> bytes(x.size() * 2);
  std::memcpy(bytes.data(), x.data(), bytes.size());

  rt::DeviceBuffer dx = upload(x);
  rt::DeviceBuffer dq = poisoned<uint8_t>(M * stride, 0xa5);
  rt::DeviceBuffer ds = poisoned<float>(M * groups, 0xa5);
  ASSERT_NO_FATAL_FAILURE(launchTwice(
      [&] {
        return variant.launch(rt::Dim3{uint32_t(groupQuantGrid(s, M, K))},
                              dx.address(), dq.address(), ds.address(), M, K,
                              stride, stride, groups, 1, rt::Stream());
      },
      {{dq, 0xa5}, {ds, 0xa5}}));
  std::vector<uint8_t> q = download<uint8_t>(dq, M * stride);
  std::vector<float> scales = download<float>(ds, M * groups);
  std::vector<uint8_t> wantQ(q.size(), 0xa5);
  std::vector<float> wantS(scales.size());
  groupQuantReference(s, bytes.data(), wantQ.data(), wantS.data(), M, K,
                      stride, stride);
  for (int64_t i = 0; i < M * stride; ++i)
    ASSERT_EQ(int(q[i]), int(wantQ[i]))
        << "q[" << i / stride << ", " << i % stride << "]";
  for (int64_t i = 0; i < M * groups; ++i)
    ASSERT_EQ(numerics::floatBits(scales[i]), numerics::floatBits(wantS[i]))
        << "scale " << i;

  // Spelled out.
  const float floorScale = 0.5f / 448.0f, inverse = 1.0f / floorScale;
  int64_t floored = 0;
  for (int64_t t = 0; t < M; ++t)
    for (int64_t g = 0; g < groups; ++g) {
      float absmax = 0.0f;
      for (int64_t j = 0; j < G; ++j)
        absmax = std::max(
            absmax, std::fabs(numerics::bf16ToFloat(x[t * stride + g * G + j])));
      ASSERT_EQ(absmax < 0.5f, small(t, g));
      const float scale = scales[t * groups + g];
      if (!small(t, g)) {
        EXPECT_EQ(scale, absmax / 448.0f) << "group (" << t << ", " << g << ")";
        continue;
      }
      ++floored;
      ASSERT_EQ(scale, floorScale)
          << "group (" << t << ", " << g << "), absmax " << absmax
          << ": the scale must be eps / 448";
      for (int64_t j = 0; j < G; ++j) {
        const float v = numerics::bf16ToFloat(x[t * stride + g * G + j]);
        ASSERT_EQ(int(q[t * stride + g * G + j]),
                  int(numerics::floatToE4M3(v * inverse, true)))
            << "q[" << t << ", " << g * G + j << "] of " << v;
      }
    }
  EXPECT_GT(floored, M * groups / 2);
}

// The scale slots no row owns, spelled out (KERNELS.md, "Every scale slot
// the layout allocates is written"): with M % 4 != 0, the TMA-aligned
// layouts' padding rows [M, align(M, 4)) hold 1.0 (fp32) or byte 127
// (packed UE8M0) in every group's slot, and the packed layout's partial last
// word (5 groups: bytes 5..7 of the second word) is 0 in every row,
// padding rows too. Offsets come from KERNELS.md's formulas here, not from
// the project's helpers; nothing past the layout's end (a poisoned guard)
// is written. Every byte also matches the reference.
class GroupQuantGpuScaleSlots
    : public ::testing::TestWithParam<std::tuple<int, int>> {};

std::vector<int> tmaAlignedVariants() {
  std::vector<int> v;
  for (int i = 0; i < int(std::size(kVariants)); ++i)
    if (kVariants[i].spec.scales == ScaleLayout::ColMajorTMA ||
        kVariants[i].spec.scales == ScaleLayout::UE8M0Packed)
      v.push_back(i);
  return v;
}

TEST_P(GroupQuantGpuScaleSlots, PaddingRowsAndPartialWords) {
  TILE_REQUIRE_GPU();
  const Variant &variant = kVariants[std::get<0>(GetParam())];
  const GroupQuantSpec &s = variant.spec;
  const int64_t M = std::get<1>(GetParam()), groups = 5, K = groups * s.group;
  const int64_t m4 = (M + 3) / 4 * 4, guard = 256;
  const bool packed = s.scales == ScaleLayout::UE8M0Packed;
  SCOPED_TRACE(::testing::Message() << variant.name << " M=" << M);
  // KERNELS.md: fp32 [M, G] with strides (1, align(M, 4)), or int32 words
  // [M, ceil(G / 4)] with strides (1, align(M, 4)).
  const int64_t scaleBytes = packed ? m4 * ((groups + 3) / 4) * 4 : m4 * groups * 4;
  const ScaleStrides ss = scaleStrides(s.scales, M, groups);
  ASSERT_EQ(packed ? ss.size : ss.size * 4, scaleBytes);

  std::vector<uint8_t> x = makeInput(s.in, M, K, K, freshSeed());
  rt::DeviceBuffer dx = upload(x);
  rt::DeviceBuffer dq = poisoned<uint8_t>(M * K, 0xa5);
  rt::DeviceBuffer ds = poisoned<uint8_t>(scaleBytes + guard, 0xa5);
  ASSERT_NO_FATAL_FAILURE(launchTwice(
      [&] {
        return variant.launch(rt::Dim3{uint32_t(groupQuantGrid(s, M, K))},
                              dx.address(), dq.address(), ds.address(), M, K,
                              K, K, ss.strideM, ss.strideG, rt::Stream());
      },
      {{dq, 0xa5}, {ds, 0xa5}}));
  std::vector<uint8_t> q = download<uint8_t>(dq, M * K);
  std::vector<uint8_t> scales = download<uint8_t>(ds, scaleBytes + guard);

  std::vector<uint8_t> wantQ(q.size(), 0xa5), wantS(scales.size(), 0xa5);
  groupQuantReference(s, x.data(), wantQ.data(), wantS.data(), M, K, K, K);
  for (int64_t i = 0; i < M * K; ++i)
    ASSERT_EQ(int(q[i]), int(wantQ[i])) << "q[" << i / K << ", " << i % K << "]";
  for (int64_t i = 0; i < scaleBytes + guard; ++i)
    ASSERT_EQ(int(scales[i]), int(wantS[i])) << "scale byte " << i;

  for (int64_t i = scaleBytes; i < scaleBytes + guard; ++i)
    ASSERT_EQ(int(scales[i]), 0xa5) << "byte " << i - scaleBytes
                                    << " past the layout's end was written";
  for (int64_t t = M; t < m4; ++t)
    for (int64_t g = 0; g < groups; ++g) {
      if (packed) {
        ASSERT_EQ(int(scales[((g / 4) * m4 + t) * 4 + g % 4]), 127)
            << "padding row " << t << ", group " << g << ": byte 127 (1.0)";
      } else {
        float f;
        std::memcpy(&f, &scales[(g * m4 + t) * 4], 4);
        ASSERT_EQ(f, 1.0f) << "padding row " << t << ", group " << g;
      }
    }
  if (packed)
    for (int64_t t = 0; t < m4; ++t)
      for (int64_t g = groups; g < 8; ++g)
        ASSERT_EQ(int(scales[((g / 4) * m4 + t) * 4 + g % 4]), 0)
            << "row " << t << ": byte " << g % 4
            << " of the partial last word";
}

INSTANTIATE_TEST_SUITE_P(
    Variants, GroupQuantGpuScaleSlots,
    ::testing::Combine(::testing::ValuesIn(tmaAlignedVariants()),
                       ::testing::Values(1, 6, 7)),
    [](const auto &info) {
      return std::string(kVariants[std::get<0>(info.param)].name) + "_M" +
             std::to_string(std::get<1>(info.param));
    });

} // namespace
