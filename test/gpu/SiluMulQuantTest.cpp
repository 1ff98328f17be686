//===- SiluMulQuantTest.cpp - silu_mul_quant on the GPU -------------------===//
//
// Each AOT variant against the reference with sglang's rule for kernels with
// exp (KERNELS.md 3): the GPU's exp is approximate, so codes are compared as
// integers: no sign flips, no code off by 2 or more, at most 0.5% off by 1;
// scales within rtol 1e-3. Masked rows past masked_m[e] must stay untouched
// (poisoned), as must row and scale padding.
//
//===----------------------------------------------------------------------===//

#include "GpuTest.h"

#include "SiluMulQuantSpec.h"

#include "tile/aot/smq_fp8_coltma_ue8m0_upfirst.h"
#include "tile/aot/smq_fp8_row.h"
#include "tile/aot/smq_int8_fp32i_col.h"
#include "tile/aot/smq_masked_fp8_coltma.h"
#include "tile/aot/smq_masked_fp8_packed.h"

#include <cmath>

using namespace tile;
using namespace tile::testing;
using namespace tile::kernels;

namespace {

using ContiguousLaunch = rt::Status (*)(rt::Dim3, uint64_t, uint64_t, uint64_t,
                                        int32_t, int32_t, int32_t, int32_t,
                                        int32_t, int32_t, const rt::Stream &);
using MaskedLaunch = rt::Status (*)(rt::Dim3, uint64_t, uint64_t, uint64_t,
                                    uint64_t, int32_t, int32_t, int32_t,
                                    int32_t, int32_t, int32_t, int32_t,
                                    const rt::Stream &);

struct Variant {
  const char *name;
  ContiguousLaunch contiguous;
  MaskedLaunch masked;
  SiluMulQuantSpec spec;
};

SiluMulQuantSpec make(OutType out, ScaleLayout scales, bool ue8m0, bool upFirst,
                      bool fp32i, bool masked) {
  SiluMulQuantSpec s;
  s.out = out;
  s.scales = scales;
  s.ue8m0 = ue8m0;
  s.upFirst = upFirst;
  s.fp32Intermediate = fp32i;
  s.masked = masked;
  return s;
}

const Variant kVariants[] = {
    {"fp8_row", aot::smq_fp8_row::silu_mul_quant, nullptr,
     make(OutType::FP8, ScaleLayout::RowMajor, false, false, false, false)},
    {"fp8_coltma_ue8m0_upfirst",
     aot::smq_fp8_coltma_ue8m0_upfirst::silu_mul_quant, nullptr,
     make(OutType::FP8, ScaleLayout::ColMajorTMA, true, true, false, false)},
    {"int8_fp32i_col", aot::smq_int8_fp32i_col::silu_mul_quant, nullptr,
     make(OutType::INT8, ScaleLayout::ColMajor, false, false, true, false)},
    {"masked_fp8_coltma", nullptr, aot::smq_masked_fp8_coltma::silu_mul_quant,
     make(OutType::FP8, ScaleLayout::ColMajorTMA, false, false, false, true)},
    {"masked_fp8_packed", nullptr, aot::smq_masked_fp8_packed::silu_mul_quant,
     make(OutType::FP8, ScaleLayout::UE8M0Packed, false, false, false, true)},
};

struct Shape {
  int E, T, groups, rowPad; // contiguous: M = E * T rows
};
const Shape kShapes[] = {{1, 1, 16, 0}, {1, 5, 3, 16}, {3, 7, 5, 0}, {2, 64, 56, 32}};

class SiluMulQuantGpu : public ::testing::TestWithParam<std::tuple<int, int>> {};

TEST_P(SiluMulQuantGpu, MatchesReferenceBySglangRule) {
  TILE_REQUIRE_GPU();
  const Variant &v = kVariants[std::get<0>(GetParam())];
  const Shape &shape = kShapes[std::get<1>(GetParam())];
  const SiluMulQuantSpec &s = v.spec;
  const int64_t rows = int64_t(shape.E) * shape.T, groups = shape.groups;
  const int64_t H = groups * s.group;
  const int64_t strideX = 2 * H + shape.rowPad, strideQ = H + shape.rowPad;
  SCOPED_TRACE(::testing::Message() << v.name << " E=" << shape.E << " T="
                                    << shape.T << " H=" << H);
  std::mt19937 rng(freshSeed());
  std::normal_distribution<float> dist(0.0f, 3.0f);
  std::vector<uint16_t> x(rows * strideX);
  for (auto &b : x)
    b = numerics::floatToBf16(dist(rng));
  std::vector<int32_t> maskedM(shape.E);
  std::uniform_int_distribution<int> live(0, shape.T);
  for (auto &m : maskedM)
    m = live(rng);
  if (s.masked && shape.E > 1)
    maskedM[0] = shape.T; // one full expert, the others random (0 allowed)

  const int64_t scaleRows = s.masked ? shape.T : rows;
  ScaleStrides ss = scaleStrides(s.scales, scaleRows, groups);
  const bool packed = s.scales == ScaleLayout::UE8M0Packed;
  const int64_t perExpert = packed ? ss.size : ss.size * 4;
  const int64_t scaleBytes = (s.masked ? shape.E : 1) * perExpert;

  rt::DeviceBuffer dx = upload(x), dm = upload(maskedM);
  rt::DeviceBuffer dq = poisoned<uint8_t>(rows * strideQ, 0xa5);
  rt::DeviceBuffer ds = poisoned<uint8_t>(scaleBytes, 0xa5);
  rt::Dim3 grid{uint32_t(siluMulQuantGrid(s, rows, H))};
  if (s.masked)
    TILE_ASSERT_OK(v.masked(grid, dx.address(), dq.address(), ds.address(),
                            dm.address(), shape.T, int32_t(H), int32_t(strideX),
                            int32_t(strideQ), int32_t(ss.size), int32_t(ss.strideM),
                            int32_t(ss.strideG), rt::Stream()));
  else
    TILE_ASSERT_OK(v.contiguous(grid, dx.address(), dq.address(), ds.address(),
                                int32_t(rows), int32_t(H), int32_t(strideX),
                                int32_t(strideQ), int32_t(ss.strideM),
                                int32_t(ss.strideG), rt::Stream()));
  auto q = download<uint8_t>(dq, rows * strideQ);
  auto sc = download<uint8_t>(ds, scaleBytes);
  // Run the reference over two poisons: what it writes agrees, what it
  // leaves alone does not.
  std::vector<uint8_t> wantQ(q.size(), 0xa5), wantS(sc.size(), 0xa5);
  std::vector<uint8_t> otherQ(q.size(), 0x5a), otherS(sc.size(), 0x5a);
  siluMulQuantReference(s, x.data(), wantQ.data(), wantS.data(), rows, H,
                        strideX, strideQ, shape.T, maskedM);
  siluMulQuantReference(s, x.data(), otherQ.data(), otherS.data(), rows, H,
                        strideX, strideQ, shape.T, maskedM);

  // Codes as signed integers (fp8: sign-magnitude, compared by value order).
  auto code = [&](uint8_t b) {
    if (s.out == OutType::INT8)
      return int(int8_t(b));
    return (b & 0x80) ? -int(b & 0x7f) : int(b & 0x7f);
  };
  int64_t offByOne = 0, compared = 0;
  for (int64_t i = 0; i < int64_t(q.size()); ++i) {
    if (wantQ[i] != otherQ[i]) {
      ASSERT_EQ(int(q[i]), 0xa5) << "q byte " << i << " should not be written";
      continue;
    }
    int got = code(q[i]), want = code(wantQ[i]);
    ++compared;
    ASSERT_FALSE(got * want < 0) << "sign flip at q byte " << i;
    ASSERT_LE(std::abs(got - want), 1) << "q byte " << i << ": " << got
                                       << " vs " << want;
    offByOne += got != want;
  }
  EXPECT_LE(offByOne, compared / 200) << offByOne << " of " << compared
                                      << " codes differ by 1";
  for (int64_t i = 0; i < scaleBytes; i += packed ? 1 : 4) {
    bool written = packed ? wantS[i] == otherS[i]
                          : std::memcmp(&wantS[i], &otherS[i], 4) == 0;
    if (!written) {
      for (int b = 0; b < (packed ? 1 : 4); ++b)
        ASSERT_EQ(int(sc[i + b]), 0xa5) << "scale byte " << i + b
                                        << " should not be written";
      continue;
    }
    if (packed) {
      // A power-of-two exponent: off by one only at a rounding boundary.
      ASSERT_LE(std::abs(int(sc[i]) - int(wantS[i])), 1) << "scale byte " << i;
      continue;
    }
    float got, want;
    std::memcpy(&got, &sc[i], 4);
    std::memcpy(&want, &wantS[i], 4);
    ASSERT_NEAR(got, want, 1e-3 * std::fabs(want)) << "scale " << i / 4;
  }
}

INSTANTIATE_TEST_SUITE_P(
    VariantsAndShapes, SiluMulQuantGpu,
    ::testing::Combine(::testing::Range(0, int(std::size(kVariants))),
                       ::testing::Range(0, int(std::size(kShapes)))),
    [](const auto &info) {
      const Shape &s = kShapes[std::get<1>(info.param)];
      return std::string(kVariants[std::get<0>(info.param)].name) + "_E" +
             std::to_string(s.E) + "_T" + std::to_string(s.T) + "_G" +
             std::to_string(s.groups);
    });

} // namespace
