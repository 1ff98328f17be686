//===- SameKernelTest.cpp - sameKernel against the parameter tables -------===//
//
// The Python package serves a call from an ahead-of-time kernel when
// sameKernel() says the call's spec and the kernel's are one kernel; it
// compares the spec's fields one by one (python/src/SameKernel.cpp), so a
// parameter added to a family's table and forgotten there would let a
// kernel of another schedule or numerics serve the call (it happened:
// scale_prefetch, 2026-12-01). Here every parameter of every family's table
// must tell two kernels apart: from the default spec, some other value of
// that parameter alone (another choice, the other boolean, one of a few
// integers or reals) must make sameKernel false. Parameters whose values
// can mean the same kernel (groups_per_program=0 resolves to a count) pass
// as long as some value differs in effect.
//
//===----------------------------------------------------------------------===//

#include "SameKernel.h"

#include "GroupQuantParams.h"
#include "GroupedGemmParams.h"
#include "SiluMulNvfp4Params.h"
#include "SiluMulQuantParams.h"
#include "TokenQuantParams.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <string>
#include <vector>

using namespace tile::kernels;
using tile::python::sameKernel;

namespace {

/// Values of `p` other than the one in `base`, as text its `set` takes.
template <typename Spec>
std::vector<std::string> otherValues(const SpecParam<Spec> &p,
                                     const Spec &base) {
  const std::string current = p.get(base);
  std::vector<std::string> values;
  switch (p.kind) {
  case ParamKind::Choice:
  case ParamKind::Bool:
    values = p.kind == ParamKind::Bool ? std::vector<std::string>{"0", "1"}
                                       : p.choices;
    break;
  case ParamKind::Int: {
    long v = std::strtol(current.c_str(), nullptr, 10);
    for (long candidate : {v + 1, v * 2, v / 2, 0L, 1L, 2L, 3L, 4L, 8L, 16L,
                           32L, 64L, 256L})
      values.push_back(std::to_string(candidate));
    break;
  }
  case ParamKind::Float: {
    double v = std::strtod(current.c_str(), nullptr);
    for (double candidate : {v * 2, v / 2, 1.0, 1e-6})
      values.push_back(std::to_string(candidate));
    break;
  }
  }
  values.erase(std::remove(values.begin(), values.end(), current),
               values.end());
  return values;
}

/// Every parameter of `table` whose every other value leaves sameKernel
/// true: the fields sameKernel does not compare.
template <typename Spec>
std::vector<std::string> indistinguishable(const SpecParams<Spec> &table) {
  const Spec base{};
  std::vector<std::string> missed;
  for (const SpecParam<Spec> &p : table) {
    bool told = false;
    for (const std::string &value : otherValues(p, base)) {
      Spec other = base;
      p.set(other, value);
      if (!sameKernel(base, other)) {
        told = true;
        break;
      }
    }
    EXPECT_TRUE(sameKernel(base, base)) << p.name;
    if (!told)
      missed.push_back(p.name);
  }
  return missed;
}

TEST(SameKernel, EveryParameterTellsKernelsApart) {
  using Names = std::vector<std::string>;
  EXPECT_EQ(indistinguishable(groupQuantParams()), Names{}) << "group_quant";
  EXPECT_EQ(indistinguishable(tokenQuantParams()), Names{}) << "token_quant";
  EXPECT_EQ(indistinguishable(siluMulQuantParams()), Names{})
      << "silu_mul_quant";
  EXPECT_EQ(indistinguishable(siluMulNvfp4Params()), Names{})
      << "silu_mul_nvfp4";
  EXPECT_EQ(indistinguishable(groupedGemmParams()), Names{})
      << "grouped_gemm_i8";
}

TEST(SameKernel, EqualInEffectIsTheSameKernel) {
  // A packed UE8M0 layout implies UE8M0 rounding: ue8m0=1 or 0 with it is
  // one kernel.
  GroupQuantSpec a, b;
  a.scales = b.scales = ScaleLayout::UE8M0Packed;
  a.ue8m0 = true;
  b.ue8m0 = false;
  EXPECT_TRUE(sameKernel(a, b));
  // Without the packed layout they are two.
  a.scales = b.scales = GroupQuantSpec{}.scales;
  EXPECT_FALSE(sameKernel(a, b));
}

} // namespace
