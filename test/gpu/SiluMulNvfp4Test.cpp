//===- SiluMulNvfp4Test.cpp - silu_mul_nvfp4 on the GPU -------------------===//
//
// Rows sorted by expert (random offsets, some experts empty, per-expert global
// scales), K with a block count not a multiple of 4 (zeroed padding columns
// in the swizzled scales), against the reference with sglang's rule: the
// GPU's exp is approximate, so an e2m1 code or an e4m3 scale may move by one
// (at most 0.5% of codes), never more, never a sign.
//
//===----------------------------------------------------------------------===//

#include "GpuTest.h"

#include "SiluMulNvfp4Spec.h"

#include "tile/aot/nvfp4_gate_up.h"
#include "tile/aot/nvfp4_up_gate.h"

#include <cmath>

using namespace tile;
using namespace tile::testing;
using namespace tile::kernels;

namespace {

using Launch = rt::Status (*)(rt::Dim3, uint64_t, uint64_t, uint64_t, uint64_t,
                              uint64_t, int32_t, int32_t, int32_t, int32_t,
                              const rt::Stream &);

struct Case {
  const char *name;
  Launch launch;
  bool upFirst;
  int M, K, E;
};

const Case kCases[] = {
    {"gate_up_M37_K208_E5", aot::nvfp4_gate_up::silu_mul_nvfp4, false, 37, 208, 5},
    {"gate_up_M130_K1024_E4", aot::nvfp4_gate_up::silu_mul_nvfp4, false, 130, 1024, 4},
    {"up_gate_M300_K2048_E16", aot::nvfp4_up_gate::silu_mul_nvfp4, true, 300, 2048, 16},
    {"gate_up_M1_K16_E1", aot::nvfp4_gate_up::silu_mul_nvfp4, false, 1, 16, 1},
};

class Nvfp4Gpu : public ::testing::TestWithParam<int> {};

TEST_P(Nvfp4Gpu, MatchesReferenceBySglangRule) {
  TILE_REQUIRE_GPU();
  const Case &c = kCases[GetParam()];
  SiluMulNvfp4Spec spec;
  spec.upFirst = c.upFirst;
  const int64_t M = c.M, K = c.K, E = c.E, stride = 2 * K;
  std::mt19937 rng(freshSeed());
  std::vector<int32_t> offsets;
  std::vector<float> gs;
  randomExperts(rng, M, E, offsets, gs);
  std::normal_distribution<float> dist(0.0f, 2.0f);
  std::vector<uint16_t> x(M * stride);
  for (auto &h : x)
    h = numerics::floatToBf16(dist(rng));

  const int64_t scaleBytes = nvfp4ScaleBytes(M, K);
  rt::DeviceBuffer dx = upload(x), doff = upload(offsets), dgs = upload(gs);
  rt::DeviceBuffer dq = poisoned<uint8_t>(M * K / 2, 0xa5);
  rt::DeviceBuffer ds = poisoned<uint8_t>(scaleBytes, 0xa5);
  TILE_ASSERT_OK(c.launch(rt::Dim3{uint32_t(siluMulNvfp4Grid(spec, M, K))},
                          dx.address(), dq.address(), ds.address(),
                          doff.address(), dgs.address(), int32_t(M), int32_t(K),
                          int32_t(E), int32_t(stride), rt::Stream()));
  auto q = download<uint8_t>(dq, M * K / 2);
  auto s = download<uint8_t>(ds, scaleBytes);
  std::vector<uint8_t> wantQ(q.size(), 0xa5), wantS(s.size(), 0xa5);
  std::vector<uint8_t> otherS(s.size(), 0x5a);
  siluMulNvfp4Reference(spec, x.data(), offsets, gs, wantQ.data(), wantS.data(),
                        M, K, stride);
  std::vector<uint8_t> otherQ(q.size(), 0x5a);
  siluMulNvfp4Reference(spec, x.data(), offsets, gs, otherQ.data(),
                        otherS.data(), M, K, stride);
  int64_t differ = 0, compared = 0;
  for (size_t i = 0; i < q.size(); ++i) {
    ASSERT_EQ(wantQ[i], otherQ[i]) << "the reference writes every q byte";
    for (int nib = 0; nib < 2; ++nib) {
      auto value = [&](uint8_t byte) {
        int code = (byte >> (4 * nib)) & 15;
        return (code & 8) ? -(code & 7) : (code & 7);
      };
      int got = value(q[i]), want = value(wantQ[i]);
      ASSERT_FALSE(got * want < 0) << c.name << ": sign flip at q byte " << i;
      ASSERT_LE(std::abs(got - want), 1) << c.name << ": q byte " << i;
      differ += got != want;
      ++compared;
    }
  }
  EXPECT_LE(differ * 200, compared) << differ << " of " << compared << " differ";
  for (int64_t i = 0; i < scaleBytes; ++i) {
    if (wantS[i] != otherS[i]) { // a padding row: not written
      ASSERT_EQ(int(s[i]), 0xa5) << c.name << ": scale byte " << i << " written";
      continue;
    }
    ASSERT_LE(std::abs(int(s[i] & 0x7f) - int(wantS[i] & 0x7f)), 1)
        << c.name << ": scale byte " << i;
    ASSERT_EQ(s[i] & 0x80, wantS[i] & 0x80) << c.name << ": scale byte " << i;
  }
}

INSTANTIATE_TEST_SUITE_P(Cases, Nvfp4Gpu, ::testing::Range(0, int(std::size(kCases))),
                         [](const auto &info) { return kCases[info.param].name; });

} // namespace
