//===- GroupQuantPlan.cpp - group_quant's checks and arguments ------------===//
//
// x [M, K] bfloat16 | float16 | float32 (rows of any stride, the last
// dimension contiguous) -> q [M, K] float8_e4m3fn | int8 (any row stride) and
// the scales of `layout` (ScaleLayouts.h), K a multiple of group.
//
//===----------------------------------------------------------------------===//

#include "Families.h"
#include "ScaleLayouts.h"

#include <cmath>

namespace tile::python {

using namespace kernels;

/// The options every quant family checks alike.
void checkQuantOptions(Checker &c, const QuantOptions &o, bool hasGroup) {
  if (hasGroup && o.group != 16 && o.group != 32 && o.group != 64 &&
      o.group != 128 && o.group != 256)
    c.fail("group", "must be 16, 32, 64, 128 or 256, got " +
                        std::to_string(o.group));
  if (o.rounding < 0 || o.rounding > 2)
    c.fail("rounding", "must be 'rtne', 'rtz' or 'rna127'");
  float eps = float(o.eps);
  if (!std::isfinite(eps) || !(eps > 0))
    c.fail("eps", "must be a finite positive float32, got " +
                      std::to_string(o.eps));
}

LaunchGrid gridOf(const GroupQuantSpec &s, const PlanArgs &args) {
  return groupQuantGrid(s, args.value("M"), args.value("K"));
}

Plan<GroupQuantSpec> planGroupQuant(Checker &c, const TensorView &x,
                                    const TensorView &q,
                                    const TensorView &scales,
                                    const QuantOptions &o) {
  Plan<GroupQuantSpec> plan;
  GroupQuantSpec &spec = plan.spec;
  checkQuantOptions(c, o, true);
  Dtype xt = c.tensor("x", x, {Dtype::BF16, Dtype::F16, Dtype::F32});
  c.ndim("x", x, 2, "[M, K]");
  c.rowMajorRows("x", x);
  const int64_t M = x.shape()[0], K = x.shape()[1];
  if (K == 0 || K % o.group != 0)
    c.fail("x", "K = " + std::to_string(K) +
                    " columns is not a positive multiple of group = " +
                    std::to_string(o.group));
  Dtype qt = c.tensor("q", q, {Dtype::FP8, Dtype::I8});
  c.ndim("q", q, 2, "[M, K]");
  c.extent("q", q, 0, M, "M");
  c.extent("q", q, 1, K, "K");
  c.rowMajorRows("q", q);
  const int64_t sx = Checker::stride(x, 0, K), sq = Checker::stride(q, 0, K);
  if (sx < K)
    c.fail("x", "rows overlap: row stride " + std::to_string(sx) + " < K");
  if (sq < K)
    c.fail("q", "rows overlap: row stride " + std::to_string(sq) + " < K");
  spec.group = int(o.group);
  spec.in = xt == Dtype::BF16 ? InType::BF16
            : xt == Dtype::F16 ? InType::F16
                               : InType::F32;
  spec.out = qt == Dtype::FP8 ? OutType::FP8 : OutType::INT8;
  spec.scales = scaleLayoutOf(c, o.layout);
  spec.ue8m0 = o.ue8m0; // implied by ue8m0_packed
  spec.int8Rounding = Int8Rounding(o.rounding);
  spec.eps = float(o.eps);
  // 16-byte accesses along rows need 16 / element bytes; 16 is the default.
  spec.strideDivisibility = divisibilityOf({sx, sq});
  const int64_t G = K / o.group;
  ScaleArgs s = checkScales(c, "scales", scales, spec.scales, M, G);
  c.aligned("x", x, 16);
  c.aligned("q", q, 16);
  c.fitsI32("x", "align(M, 4)", alignUp(M, 4));
  c.fitsI32("x", "K", K);
  c.fitsI32("x", "the row stride", sx);
  c.fitsI32("q", "the row stride", sq);
  c.fitsI32("scales", "a stride", s.strideG);
  const int eb = dtypeBytes(xt);
  plan.args.pointer("x", Checker::address(x), M ? ((M - 1) * sx + K) * eb : 0);
  plan.args.pointer("q", Checker::address(q), M ? (M - 1) * sq + K : 0);
  plan.args.pointer("scales", Checker::address(scales), s.bytes);
  plan.args.i32("M", M);
  plan.args.i32("K", K);
  plan.args.i32("stride_x", sx);
  plan.args.i32("stride_q", sq);
  plan.args.i32("scale_stride_m", s.strideM);
  plan.args.i32("scale_stride_g", s.strideG);
  plan.grid = gridOf(spec, plan.args);
  // Any row stride on the GPU: the kernel compiled for divisibility 1.
  if (spec.strideDivisibility < 16) {
    plan.fallbacks[0] = spec;
    plan.fallbacks[0].strideDivisibility = 1;
    plan.fallbackCount = 1;
  }
  return plan;
}

} // namespace tile::python
