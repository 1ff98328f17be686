//===- Families.h - The Python entry points' plans, per family --*- C++ -*-===//
//
// One function per kernel family (one file each: GroupQuantPlan.cpp, ...)
// that checks a call's tensors and options and returns its Plan. Options
// arrive as the integers the Python layer maps its words to (the order of
// each family's table in kernels/quant/*Params.h). Each family also says how
// a spec reads in a refusal (`describe`) and which specs one compiled kernel
// serves (`sameKernel`).
//
//===----------------------------------------------------------------------===//

#ifndef TILE_PYTHON_FAMILIES_H
#define TILE_PYTHON_FAMILIES_H

#include "Plan.h"
#include "SameKernel.h"

#include "GroupQuantSpec.h"
#include "GroupedGemmSpec.h"
#include "SiluMulNvfp4Spec.h"
#include "SiluMulQuantSpec.h"
#include "TokenQuantSpec.h"

#include <string>

namespace tile::python {

/// The options the quant families share. `rounding`: 0 rtne, 1 rtz, 2 rna127.
struct QuantOptions {
  int64_t group = 128;
  int64_t layout = 0;
  bool ue8m0 = false;
  int64_t rounding = 0;
  double eps = 1e-10;
};

/// group_quant: x [M, K] -> q [M, K], scales (KERNELS.md 1).
Plan<kernels::GroupQuantSpec> planGroupQuant(Checker &c, const TensorView &x,
                                             const TensorView &q,
                                             const TensorView &scales,
                                             const QuantOptions &o);

/// token_quant: x [M, K] -> q [M, K], scales [M] (KERNELS.md 2).
Plan<kernels::TokenQuantSpec> planTokenQuant(Checker &c, const TensorView &x,
                                             const TensorView &q,
                                             const TensorView &scales,
                                             const QuantOptions &o);

/// silu_mul_quant: x [M, 2H] -> q [M, H], or with masked_m (defined)
/// x [E, T, 2H] -> q [E, T, H] (KERNELS.md 3).
Plan<kernels::SiluMulQuantSpec>
planSiluMulQuant(Checker &c, const TensorView &x, const TensorView *maskedM,
                 const TensorView &q, const TensorView &scales,
                 const QuantOptions &o, bool upFirst, bool fp32Intermediate);

/// silu_mul_nvfp4: x [M, 2K] -> q [M, K/2] bytes and the per-expert swizzled
/// e4m3 scales (KERNELS.md 4).
Plan<kernels::SiluMulNvfp4Spec>
planSiluMulNvfp4(Checker &c, const TensorView &x, const TensorView &offsets,
                 const TensorView &sfOffsets, const TensorView &globalScales,
                 const TensorView &q, const TensorView &scales, bool upFirst);

/// grouped_gemm_i8: a [M, K] x b [E, N, K] -> out [M, N] (KERNELS.md 5).
/// precision: 0 native, 1 f16_exact; weights: 0 int8, 1 int4.
Plan<kernels::GroupedGemmSpec>
planGroupedGemm(Checker &c, const TensorView &a, const TensorView &groupOffsets,
                const TensorView &b, const TensorView &sa, const TensorView &sb,
                const TensorView &out, int64_t precision, int64_t weights,
                bool swiglu);

/// The programs a call of `args` launches with the kernel of `spec` (the
/// plan's grid is its first spec's; a fallback may tile differently).
LaunchGrid gridOf(const kernels::GroupQuantSpec &s, const PlanArgs &args);
LaunchGrid gridOf(const kernels::TokenQuantSpec &s, const PlanArgs &args);
LaunchGrid gridOf(const kernels::SiluMulQuantSpec &s, const PlanArgs &args);
LaunchGrid gridOf(const kernels::SiluMulNvfp4Spec &s, const PlanArgs &args);
LaunchGrid gridOf(const kernels::GroupedGemmSpec &s, const PlanArgs &args);

/// A spec as the parameters --list names ("group=128 in=bf16 ..."), every
/// parameter of the family's table.
std::string describe(const kernels::GroupQuantSpec &s);
std::string describe(const kernels::TokenQuantSpec &s);
std::string describe(const kernels::SiluMulQuantSpec &s);
std::string describe(const kernels::SiluMulNvfp4Spec &s);
std::string describe(const kernels::GroupedGemmSpec &s);

} // namespace tile::python

#endif // TILE_PYTHON_FAMILIES_H
