//===- TokenQuantPlan.cpp - token_quant's checks and arguments ------------===//
//
// x [M, K] bfloat16 | float16 | float32 (any K, any row stride, the last
// dimension contiguous) -> q [M, K] float8_e4m3fn | int8 and scales float32
// [M] (or [M, 1]) of any stride. The kernel's tile follows K as tile-run
// picks it (chooseTokenQuantTile: a row held in registers up to 16384
// columns, in 8192-wide chunks read twice past that); the GPU falls back to
// the chunked kernel compiled for any K and stride when the tuned one is not
// shipped.
//
//===----------------------------------------------------------------------===//

#include "Families.h"

#include <algorithm>

namespace tile::python {

using namespace kernels;

void checkQuantOptions(Checker &c, const QuantOptions &o, bool hasGroup);

LaunchGrid gridOf(const TokenQuantSpec &s, const PlanArgs &args) {
  return tokenQuantGrid(s, args.value("M"));
}

Plan<TokenQuantSpec> planTokenQuant(Checker &c, const TensorView &x,
                                    const TensorView &q,
                                    const TensorView &scales,
                                    const QuantOptions &o) {
  Plan<TokenQuantSpec> plan;
  TokenQuantSpec &spec = plan.spec;
  checkQuantOptions(c, o, false);
  Dtype xt = c.tensor("x", x, {Dtype::BF16, Dtype::F16, Dtype::F32});
  c.ndim("x", x, 2, "[M, K]");
  c.rowMajorRows("x", x);
  const int64_t M = x.shape()[0], K = x.shape()[1];
  if (K == 0)
    c.fail("x", "K must be positive, got shape " + shapeText(x));
  Dtype qt = c.tensor("q", q, {Dtype::FP8, Dtype::I8});
  c.ndim("q", q, 2, "[M, K]");
  c.extent("q", q, 0, M, "M");
  c.extent("q", q, 1, K, "K");
  c.rowMajorRows("q", q);
  c.tensor("scales", scales, {Dtype::F32});
  if (scales.ndim() != 1 && !(scales.ndim() == 2 && scales.shape()[1] == 1))
    c.fail("scales", "expected shape [M] or [M, 1], got " + shapeText(scales));
  c.extent("scales", scales, 0, M, "M");
  const int64_t sx = Checker::stride(x, 0, K), sq = Checker::stride(q, 0, K);
  const int64_t ss = Checker::stride(scales, 0, 1);
  if (sx < K)
    c.fail("x", "rows overlap: row stride " + std::to_string(sx) + " < K");
  if (sq < K)
    c.fail("q", "rows overlap: row stride " + std::to_string(sq) + " < K");
  if (ss < 1)
    c.fail("scales", "the stride must be positive, got " + strideText(scales));
  spec.in = xt == Dtype::BF16 ? InType::BF16
            : xt == Dtype::F16 ? InType::F16
                               : InType::F32;
  spec.out = qt == Dtype::FP8 ? OutType::FP8 : OutType::INT8;
  spec.ue8m0 = o.ue8m0;
  spec.int8Rounding = Int8Rounding(o.rounding);
  spec.eps = float(o.eps);
  chooseTokenQuantTile(spec, K);
  // The widest access is 16 bytes: more divisibility than that buys nothing.
  spec.kDivisibility = divisibilityOf({K, sx, sq}, 16 / dtypeBytes(xt));
  c.aligned("x", x, 16);
  c.aligned("q", q, 16);
  c.aligned("scales", scales, 4);
  c.fitsI32("x", "M", M);
  c.fitsI32("x", "K", K);
  c.fitsI32("x", "the row stride", sx);
  c.fitsI32("q", "the row stride", sq);
  c.fitsI32("scales", "the stride", ss);
  const int eb = dtypeBytes(xt);
  plan.args.pointer("x", Checker::address(x), M ? ((M - 1) * sx + K) * eb : 0);
  plan.args.pointer("q", Checker::address(q), M ? (M - 1) * sq + K : 0);
  plan.args.pointer("scales", Checker::address(scales), M ? ((M - 1) * ss + 1) * 4 : 0);
  plan.args.i32("M", M);
  plan.args.i32("K", K);
  plan.args.i32("stride_x", sx);
  plan.args.i32("stride_q", sq);
  plan.args.i32("scale_stride", ss);
  plan.grid = gridOf(spec, plan.args);
  // Any K and stride: the chunks for this K, divisibility 1; past 16384
  // columns then the 4096-wide chunks (what K <= 16384 gets first), shipped
  // for every input type.
  TokenQuantSpec &any = plan.fallbacks[0];
  any = spec;
  chooseTokenQuantChunks(any, K);
  any.kDivisibility = 1;
  plan.fallbackCount = 1;
  if (K > 16384) {
    plan.fallbacks[1] = any;
    chooseTokenQuantChunks(plan.fallbacks[1], 0);
    plan.fallbackCount = 2;
  }
  return plan;
}

} // namespace tile::python
