//===- SiluMulQuantTest.cpp - silu_mul_quant on the GPU -------------------===//
//
// Each AOT variant against the reference with sglang's rule for kernels with
// exp (KERNELS.md 3): the GPU's exp is approximate, so codes are compared as
// integers: no sign flips, no code off by 2 or more, at most 0.5% off by 1;
// scales within rtol 1e-3. Masked rows past masked_m[e] must stay untouched
// (poisoned), as must row and scale padding. A second test puts NaN, +-inf
// and +-QMAX into gate and up; what they give does not depend on exp and is
// compared exactly. Then eps = 0.5 on groups of small y, and the scale
// slots no row owns (TMA padding rows, masked-off rows, masked_m outside
// [0, T], partial words) spelled out, on inputs whose gate is in [20, 40]
// (silu exact on any exp: bit-exact comparison). Every launch runs twice
// and must give the same bytes; q and the scales carry poisoned guards.
//
//===----------------------------------------------------------------------===//

#include "GpuTest.h"

#include "QuantSpecialExpectations.h"
#include "QuantSpecialInputs.h"
#include "SiluMulQuantSpec.h"

#include "tile/aot/smq_fp8_coltma_ue8m0_upfirst.h"
#include "tile/aot/smq_fp8_packed.h"
#include "tile/aot/smq_fp8_row.h"
#include "tile/aot/smq_fp8_row_eps05.h"
#include "tile/aot/smq_fp8_row_g4w1.h"
#include "tile/aot/smq_int8_fp32i_col.h"
#include "tile/aot/smq_masked_fp8_coltma.h"
#include "tile/aot/smq_masked_fp8_packed.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>

using namespace tile;
using namespace tile::testing;
using namespace tile::kernels;

namespace {

using ContiguousLaunch = decltype(&aot::smq_fp8_row::silu_mul_quant);
using MaskedLaunch = decltype(&aot::smq_masked_fp8_coltma::silu_mul_quant);

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

/// `s` with another block shape.
SiluMulQuantSpec shaped(SiluMulQuantSpec s, int groupsPerProgram,
                        unsigned numWarps) {
  s.groupsPerProgram = groupsPerProgram;
  s.numWarps = numWarps;
  return s;
}

const Variant kVariants[] = {
    {"fp8_row", aot::smq_fp8_row::silu_mul_quant, nullptr,
     make(OutType::FP8, ScaleLayout::RowMajor, false, false, false, false)},
    // 4 groups on one warp (tunedFor's shape for many rows of H <= 2048
    // until 2026-11-30; still shipped and benchmarked).
    {"fp8_row_g4w1", aot::smq_fp8_row_g4w1::silu_mul_quant, nullptr,
     shaped(make(OutType::FP8, ScaleLayout::RowMajor, false, false, false, false),
            4, 1)},
    {"fp8_coltma_ue8m0_upfirst",
     aot::smq_fp8_coltma_ue8m0_upfirst::silu_mul_quant, nullptr,
     make(OutType::FP8, ScaleLayout::ColMajorTMA, true, true, false, false)},
    {"int8_fp32i_col", aot::smq_int8_fp32i_col::silu_mul_quant, nullptr,
     make(OutType::INT8, ScaleLayout::ColMajor, false, false, true, false)},
    // Packed UE8M0 scales, contiguous: the TMA padding rows and partial
    // words of the contiguous form.
    {"fp8_packed", aot::smq_fp8_packed::silu_mul_quant, nullptr,
     make(OutType::FP8, ScaleLayout::UE8M0Packed, false, false, false, false)},
    {"masked_fp8_coltma", nullptr, aot::smq_masked_fp8_coltma::silu_mul_quant,
     make(OutType::FP8, ScaleLayout::ColMajorTMA, false, false, false, true)},
    {"masked_fp8_packed", nullptr, aot::smq_masked_fp8_packed::silu_mul_quant,
     make(OutType::FP8, ScaleLayout::UE8M0Packed, false, false, false, true)},
};

struct Shape {
  int E, T, groups, rowPad; // contiguous: M = E * T rows
};
const Shape kShapes[] = {{1, 1, 16, 0}, {1, 5, 3, 16}, {3, 7, 5, 0}, {2, 64, 56, 32}};

/// GPU outputs q and sc against the reference by sglang's rule. The
/// reference ran over two poisons (want*: 0xa5, other*: 0x5a): a byte where
/// they differ is one it does not write, and the GPU must not either. A scale
/// whose byte offset is in `exactScales` must match exactly (f32: bit for
/// bit, or both NaN): those are the ones exp cannot move.
void compareBySglangRule(const SiluMulQuantSpec &s,
                         const std::vector<uint8_t> &q,
                         const std::vector<uint8_t> &sc,
                         const std::vector<uint8_t> &wantQ,
                         const std::vector<uint8_t> &wantS,
                         const std::vector<uint8_t> &otherQ,
                         const std::vector<uint8_t> &otherS,
                         const std::set<int64_t> &exactScales = {}) {
  const bool packed = s.scales == ScaleLayout::UE8M0Packed;
  const int64_t scaleBytes = sc.size();
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
    bool exact = exactScales.count(i) != 0;
    if (packed) {
      // A power-of-two exponent: off by one only at a rounding boundary.
      if (exact)
        ASSERT_EQ(int(sc[i]), int(wantS[i])) << "scale byte " << i;
      else
        ASSERT_LE(std::abs(int(sc[i]) - int(wantS[i])), 1)
            << "scale byte " << i;
      continue;
    }
    float got, want;
    std::memcpy(&got, &sc[i], 4);
    std::memcpy(&want, &wantS[i], 4);
    if (exact)
      ASSERT_TRUE((std::isnan(got) && std::isnan(want)) ||
                  numerics::floatBits(got) == numerics::floatBits(want))
          << "scale " << i / 4 << ": " << got << " vs " << want;
    else
      ASSERT_NEAR(got, want, 1e-3 * std::fabs(want)) << "scale " << i / 4;
  }
}

/// A silu_mul_quant problem: x [E * T, strideX] bf16 ([gate | up] of H each,
/// or [up | gate]), masked_m [E] for the masked form, q [E * T, strideQ].
struct Problem {
  std::vector<uint16_t> x;
  std::vector<int32_t> maskedM;
  int64_t E, T, H, strideX, strideQ;
  int64_t rows() const { return E * T; }
};

/// Bytes past the end of q and of the scales, poisoned: the kernel must not
/// write them.
constexpr int64_t kGuard = 256;

/// What a variant wrote over buffers poisoned with 0xa5 (each kGuard bytes
/// longer than the problem needs), and what the reference writes over two
/// poisons (0xa5 and 0x5a): where the two references differ, the kernel must
/// leave the poison alone.
struct Outputs {
  ScaleStrides strides;
  std::vector<uint8_t> q, sc, wantQ, wantS, otherQ, otherS;
};

void runOnGpu(const Variant &v, const Problem &p, Outputs &out) {
  const SiluMulQuantSpec &s = v.spec;
  const int64_t rows = p.rows(), groups = p.H / s.group;
  out.strides = scaleStrides(s.scales, s.masked ? p.T : rows, groups);
  const ScaleStrides &ss = out.strides;
  const bool packed = s.scales == ScaleLayout::UE8M0Packed;
  const int64_t perExpert = packed ? ss.size : ss.size * 4;
  const int64_t scaleBytes = (s.masked ? p.E : 1) * perExpert;

  // Poisoned guards past both outputs: nothing may be written there.
  const int64_t qBytes = rows * p.strideQ + kGuard;
  const int64_t sBytes = scaleBytes + kGuard;
  rt::DeviceBuffer dx = upload(p.x), dm = upload(p.maskedM);
  rt::DeviceBuffer dq = poisoned<uint8_t>(qBytes, 0xa5);
  rt::DeviceBuffer ds = poisoned<uint8_t>(sBytes, 0xa5);
  rt::Dim3 grid{uint32_t(siluMulQuantGrid(s, rows, p.H, p.T))};
  ASSERT_NO_FATAL_FAILURE(launchTwice(
      [&] {
        if (s.masked)
          return v.masked(grid, dx.address(), dq.address(), ds.address(),
                          dm.address(), p.T, p.H, p.strideX, p.strideQ,
                          ss.size, ss.strideM, ss.strideG, rt::Stream());
        return v.contiguous(grid, dx.address(), dq.address(), ds.address(),
                            rows, p.H, p.strideX, p.strideQ, ss.strideM,
                            ss.strideG, rt::Stream());
      },
      {{dq, 0xa5}, {ds, 0xa5}}));
  out.q = download<uint8_t>(dq, qBytes);
  out.sc = download<uint8_t>(ds, sBytes);
  out.wantQ.assign(out.q.size(), 0xa5);
  out.wantS.assign(out.sc.size(), 0xa5);
  out.otherQ.assign(out.q.size(), 0x5a);
  out.otherS.assign(out.sc.size(), 0x5a);
  siluMulQuantReference(s, p.x.data(), out.wantQ.data(), out.wantS.data(), rows,
                        p.H, p.strideX, p.strideQ, p.T, p.maskedM);
  siluMulQuantReference(s, p.x.data(), out.otherQ.data(), out.otherS.data(),
                        rows, p.H, p.strideX, p.strideQ, p.T, p.maskedM);
}

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

  Outputs out;
  ASSERT_NO_FATAL_FAILURE(runOnGpu(
      v, {x, maskedM, shape.E, shape.T, H, strideX, strideQ}, out));
  ASSERT_NO_FATAL_FAILURE(compareBySglangRule(s, out.q, out.sc, out.wantQ,
                                              out.wantS, out.otherQ,
                                              out.otherS));
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

// The edge values of KERNELS.md on every variant, put in gate and up of
// fresh random values in (-3, 3) (y = bf16(bf16(silu(gate)) * up) within
// +-9), H = 5 groups (a partial packed word), rows = E * T = 2 * 5:
//   0: gate = up = 0: y = 0, codes 0, scale eps / QMAX;
//   1: up = NaN and up = -NaN in group 1: y NaN, the scale NaN, every code
//      of the group NaN (fp8 0x7f) or 0 (int8);
//   2: gate = +inf, up = 2 in group 2: silu(inf) = inf, y = inf: scale inf,
//      that code inf * (1 / inf) = NaN, the rest +-0;
//   3: gate = -inf in group 0: silu(-inf) = -inf / (1 + exp(inf)) is NaN
//      (KERNELS.md's formula, not the limit 0), so the group is a NaN group;
//      gate = 1, up = -inf in group 1: y = -inf, scale inf;
//   4: gate = 32 (fp8) or 127 (int8), up = +-QMAX / gate in group 1: exp(-g)
//      is below half an ulp of 1, so silu(g) = g exactly and y = +-QMAX on
//      any exp: scale exactly 1, codes at the maximum;
//   5..9: plain random (masked: expert 1 has one live row, 6..9 are masked
//      off and stay poisoned).
// exp is approximate on the GPU, so codes follow sglang's rule as in the
// test above; but every code of rows 0..3's special groups and the scales of
// all special groups (the QMAX group's too) do not depend on exp and must
// match the reference exactly (f32 scales bit for bit, or both NaN). Then
// the values KERNELS.md gives are spelled out (the QMAX codes among them),
// so that a wrong reference fails too.
class SiluMulQuantGpuSpecialValues : public ::testing::TestWithParam<int> {};

TEST_P(SiluMulQuantGpuSpecialValues, MatchReference) {
  TILE_REQUIRE_GPU();
  const Variant &v = kVariants[GetParam()];
  const SiluMulQuantSpec &s = v.spec;
  const int64_t E = 2, T = 5, rows = E * T, groups = 5, G = s.group;
  const int64_t H = groups * G, strideX = 2 * H + 16, strideQ = H + 16;
  const float top = qmax(s.out);
  SCOPED_TRACE(v.name);

  // The rows of siluMulQuantSpecialInput (test/common/QuantSpecialInputs.h).
  std::vector<uint16_t> x = siluMulQuantSpecialInput(rows, H, G, strideX,
                                                     s.upFirst, top, freshSeed())
                                .x;
  std::vector<int32_t> maskedM = {int32_t(T), 1};

  Outputs run;
  ASSERT_NO_FATAL_FAILURE(
      runOnGpu(v, {x, maskedM, E, T, H, strideX, strideQ}, run));

  const SiluMulQuantOutputs out{s,    run.q, run.sc, run.strides,
                                rows, T,     groups, strideQ};
  // The groups whose every code is determined without exp, and the QMAX
  // group, whose scale is.
  const std::pair<int64_t, int64_t> exactGroups[] = {
      {0, 0}, {0, 1}, {0, 2}, {0, 3}, {0, 4}, {1, 1}, {2, 2}, {3, 0}, {3, 1}};
  std::set<int64_t> exactScales = {out.scaleAt(4, 1)};
  for (auto [r, g] : exactGroups)
    exactScales.insert(out.scaleAt(r, g));
  ASSERT_NO_FATAL_FAILURE(compareBySglangRule(s, run.q, run.sc, run.wantQ,
                                              run.wantS, run.otherQ, run.otherS,
                                              exactScales));
  for (auto [r, g] : exactGroups)
    for (int64_t j = 0; j < G; ++j)
      ASSERT_EQ(int(run.q[r * strideQ + g * G + j]),
                int(run.wantQ[r * strideQ + g * G + j]))
          << "q[" << r << ", " << g * G + j << "]";

  // And what KERNELS.md says, spelled out (NaN payloads are not compared:
  // the reference is compared by the sglang rule here).
  expectSiluMulQuantSpecialValues(out, /*canonicalNaN=*/false);
}

INSTANTIATE_TEST_SUITE_P(
    Variants, SiluMulQuantGpuSpecialValues,
    ::testing::Range(0, int(std::size(kVariants))),
    [](const auto &info) { return kVariants[info.param].name; });

/// gate in [20, 40] everywhere: exp(-g) < 2^-28, so 1 + exp(-g) rounds to 1
/// and silu(g) = g exactly in fp32 on any exp, and y = bf16(g * up) does not
/// depend on exp: the GPU must match the reference bit for bit. up(r, j)
/// gives each row's up values.
template <typename Up>
std::vector<uint16_t> exactSiluInput(int64_t rows, int64_t H, int64_t strideX,
                                     bool upFirst, std::mt19937 &rng, Up up) {
  SiluInput in = randomSiluInput(rows, H, strideX, upFirst, rng());
  std::uniform_int_distribution<int> gate(20 * 8, 40 * 8); // steps of 1/8
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t j = 0; j < H; ++j) {
      in.gate(r, j) = numerics::floatToBf16(float(gate(rng)) / 8.0f);
      in.up(r, j) = numerics::floatToBf16(up(r, j));
    }
  return in.x;
}

/// y = bf16(bf16(silu(gate)) * up) of an exact input (silu(gate) = gate).
float exactY(const std::vector<uint16_t> &x, int64_t strideX, int64_t H,
             bool upFirst, int64_t r, int64_t j) {
  float gate = numerics::bf16ToFloat(x[r * strideX + (upFirst ? H : 0) + j]);
  float up = numerics::bf16ToFloat(x[r * strideX + (upFirst ? 0 : H) + j]);
  return numerics::bf16ToFloat(numerics::floatToBf16(gate * up));
}

/// Every byte of a run on an exact input equals the reference's, in q, in
/// the scales and in the guards past them (where the reference writes
/// nothing, the poison must stay).
void expectBitExact(const Outputs &out) {
  for (size_t i = 0; i < out.q.size(); ++i)
    ASSERT_EQ(int(out.q[i]), int(out.wantQ[i])) << "q byte " << i;
  for (size_t i = 0; i < out.sc.size(); ++i)
    ASSERT_EQ(int(out.sc[i]), int(out.wantS[i])) << "scale byte " << i;
}

// eps other than the default (the variant compiled with eps=0.5), where it
// matters: groups whose |y| stays below 0.5 (down to 2^-20) beside groups
// with larger y, on exact inputs (gate in [20, 40]), so that every byte must
// match the reference. Then each group's scale is spelled out from y: 0.5 /
// 448 where eps binds, absmax / 448 where it does not, and the codes of the
// small groups e4m3(y * (1 / (0.5 / 448))). A kernel that kept the default
// eps fails the first of these.
TEST(SiluMulQuantGpuEps, SmallGroupsTakeTheFloor) {
  TILE_REQUIRE_GPU();
  SiluMulQuantSpec s;
  s.eps = 0.5f;
  const Variant v{"fp8_row_eps05", aot::smq_fp8_row_eps05::silu_mul_quant,
                  nullptr, s};
  const int64_t rows = 6, groups = 5, G = s.group, H = groups * G;
  const int64_t strideX = 2 * H + 32, strideQ = H + 16;
  std::mt19937 rng(freshSeed());
  std::uniform_real_distribution<float> unit(-1.0f, 1.0f);
  std::uniform_int_distribution<int> binade(0, 14);
  // Group (r, g) is small (|y| < 0.5: |up| < 0.5 / 40) unless
  // (r + g) % 3 == 0, where one up is 0.5 (y >= 10).
  auto small = [](int64_t r, int64_t g) { return (r + g) % 3 != 0; };
  std::vector<float> range(rows * groups);
  for (float &f : range)
    f = std::ldexp(0.012f, -binade(rng));
  std::vector<uint16_t> x = exactSiluInput(
      rows, H, strideX, false, rng, [&](int64_t r, int64_t j) {
        const int64_t g = j / G;
        if (small(r, g))
          return unit(rng) * range[r * groups + g];
        return j % G == (5 * r + 3 * g) % G ? 0.5f : unit(rng);
      });
  Outputs out;
  ASSERT_NO_FATAL_FAILURE(runOnGpu(
      v, {x, {0}, 1, rows, H, strideX, strideQ}, out));
  ASSERT_NO_FATAL_FAILURE(expectBitExact(out));

  const float floorScale = 0.5f / 448.0f, inverse = 1.0f / floorScale;
  int64_t floored = 0;
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t g = 0; g < groups; ++g) {
      float absmax = 0.0f;
      for (int64_t j = 0; j < G; ++j)
        absmax = std::max(absmax,
                          std::fabs(exactY(x, strideX, H, false, r, g * G + j)));
      ASSERT_EQ(absmax < 0.5f, small(r, g));
      float scale;
      std::memcpy(&scale, &out.sc[(r * groups + g) * 4], 4);
      if (!small(r, g)) {
        EXPECT_EQ(scale, absmax / 448.0f) << "group (" << r << ", " << g << ")";
        continue;
      }
      ++floored;
      ASSERT_EQ(scale, floorScale) << "group (" << r << ", " << g
                                   << "), absmax " << absmax
                                   << ": the scale must be eps / 448";
      for (int64_t j = 0; j < G; ++j) {
        const float y = exactY(x, strideX, H, false, r, g * G + j);
        ASSERT_EQ(int(out.q[r * strideQ + g * G + j]),
                  int(numerics::floatToE4M3(y * inverse, true)))
            << "q[" << r << ", " << g * G + j << "] of y = " << y;
      }
    }
  EXPECT_GT(floored, rows * groups / 2);
}

// The scale slots no row owns, spelled out (KERNELS.md, "Every scale slot
// the layout allocates is written"), on exact inputs (every byte must match
// the reference) with 5 groups (a partial packed word):
//   contiguous, M = 7 rows: the TMA padding row 7 holds 1.0 (fp32) or byte
//   127 in every group's slot; the partial last word's bytes are 0 in every
//   row, the padding row too;
//   masked, E = 6 experts of T = 6 rows (TMA padding rows 6, 7 of each
//   expert) with masked_m = {-5, T + 7, 3, 0, T, INT32_MIN}: masked_m
//   outside [0, T] is clamped (-5 and INT32_MIN act as 0, T + 7 as T); rows
//   t < masked_m are written, the others' q bytes stay poisoned and their
//   scale slots (and the padding rows') hold 1.0 / byte 127.
// Offsets come from KERNELS.md's formulas here, not from the helpers;
// nothing past the layouts' end is written (poisoned guards).
class SiluMulQuantGpuScaleSlots : public ::testing::TestWithParam<int> {};

std::vector<int> tmaAlignedVariants() {
  std::vector<int> v;
  for (int i = 0; i < int(std::size(kVariants)); ++i)
    if (kVariants[i].spec.scales == ScaleLayout::ColMajorTMA ||
        kVariants[i].spec.scales == ScaleLayout::UE8M0Packed)
      v.push_back(i);
  return v;
}

TEST_P(SiluMulQuantGpuScaleSlots, PaddingRowsMaskedRowsAndPartialWords) {
  TILE_REQUIRE_GPU();
  const Variant &v = kVariants[GetParam()];
  const SiluMulQuantSpec &s = v.spec;
  const bool packed = s.scales == ScaleLayout::UE8M0Packed;
  const int64_t groups = 5, G = s.group, H = groups * G;
  const int64_t E = s.masked ? 6 : 1, T = s.masked ? 6 : 7, rows = E * T;
  const int64_t strideX = 2 * H, strideQ = H, t4 = (T + 3) / 4 * 4;
  SCOPED_TRACE(v.name);
  std::vector<int32_t> maskedM;
  if (s.masked)
    maskedM = {-5, int32_t(T + 7), 3, 0, int32_t(T),
               std::numeric_limits<int32_t>::min()};
  std::mt19937 rng(freshSeed());
  std::normal_distribution<float> dist(0.0f, 0.1f);
  std::vector<uint16_t> x = exactSiluInput(
      rows, H, strideX, s.upFirst, rng,
      [&](int64_t, int64_t) { return dist(rng); });

  Outputs out;
  ASSERT_NO_FATAL_FAILURE(
      runOnGpu(v, {x, maskedM, E, T, H, strideX, strideQ}, out));
  ASSERT_NO_FATAL_FAILURE(expectBitExact(out));

  // KERNELS.md's layouts, per expert: fp32 [T, G] with strides
  // (1, align(T, 4)), or words [T, ceil(G / 4)] with strides (1, align(T, 4))
  // whose byte of (t, g) is ((g / 4) * align(T, 4) + t) * 4 + g % 4.
  const int64_t expertBytes = packed ? t4 * ((groups + 3) / 4) * 4 : t4 * groups * 4;
  ASSERT_EQ(int64_t(out.sc.size()), E * expertBytes + kGuard);
  auto byteAt = [&](int64_t e, int64_t t, int64_t g) {
    return e * expertBytes + (packed ? ((g / 4) * t4 + t) * 4 + g % 4
                                     : (g * t4 + t) * 4);
  };
  auto expectPaddingScales = [&](int64_t e, int64_t t, const char *what) {
    for (int64_t g = 0; g < groups; ++g) {
      if (packed) {
        ASSERT_EQ(int(out.sc[byteAt(e, t, g)]), 127)
            << what << ": expert " << e << ", row " << t << ", group " << g;
      } else {
        float f;
        std::memcpy(&f, &out.sc[byteAt(e, t, g)], 4);
        ASSERT_EQ(f, 1.0f) << what << ": expert " << e << ", row " << t
                           << ", group " << g;
      }
    }
  };
  for (int64_t e = 0; e < E; ++e) {
    const int64_t live =
        s.masked ? std::clamp<int64_t>(maskedM[e], 0, T) : T;
    if (s.masked) // clamped to [0, T], spelled out
      EXPECT_EQ(live, (std::vector<int64_t>{0, T, 3, 0, T, 0}[e]));
    for (int64_t t = 0; t < T; ++t) {
      bool written = false;
      for (int64_t k = 0; k < H; ++k)
        written |= out.q[(e * T + t) * strideQ + k] != 0xa5;
      if (t >= live) {
        for (int64_t k = 0; k < strideQ; ++k)
          ASSERT_EQ(int(out.q[(e * T + t) * strideQ + k]), 0xa5)
              << "masked-off row " << t << " of expert " << e << ", column "
              << k << " was written";
        ASSERT_NO_FATAL_FAILURE(expectPaddingScales(e, t, "masked-off row"));
      } else {
        EXPECT_TRUE(written) << "live row " << t << " of expert " << e;
      }
    }
    for (int64_t t = T; t < t4; ++t)
      ASSERT_NO_FATAL_FAILURE(expectPaddingScales(e, t, "TMA padding row"));
    if (packed)
      for (int64_t t = 0; t < t4; ++t)
        for (int64_t g = groups; g < 8; ++g)
          ASSERT_EQ(int(out.sc[byteAt(e, t, g)]), 0)
              << "expert " << e << ", row " << t << ": byte " << g % 4
              << " of the partial last word";
  }
  for (int64_t i = E * expertBytes; i < int64_t(out.sc.size()); ++i)
    ASSERT_EQ(int(out.sc[i]), 0xa5) << "scale guard byte " << i - E * expertBytes;
  for (int64_t i = rows * strideQ; i < int64_t(out.q.size()); ++i)
    ASSERT_EQ(int(out.q[i]), 0xa5) << "q guard byte " << i - rows * strideQ;
}

INSTANTIATE_TEST_SUITE_P(
    Variants, SiluMulQuantGpuScaleSlots, ::testing::ValuesIn(tmaAlignedVariants()),
    [](const auto &info) { return kVariants[info.param].name; });

} // namespace
