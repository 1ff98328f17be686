//===- SiluMulQuantPlan.cpp - silu_mul_quant's checks and arguments -------===//
//
// Contiguous: x [M, 2H] bfloat16 ([gate | up], or [up | gate] with
// up_first; any row stride) -> q [M, H] float8_e4m3fn | int8 and the scales
// of `layout` for M rows of H / group groups. Masked: x [E, T, 2H] and
// masked_m [E] int32 -> q [E, T, H] and scales [E, T, ...] (each expert's
// scales in the layout, ScaleLayouts.h); rows t >= masked_m[e] are neither
// read nor written but for their scale slots (1.0).
//
//===----------------------------------------------------------------------===//

#include "Families.h"
#include "ScaleLayouts.h"

namespace tile::python {

using namespace kernels;

void checkQuantOptions(Checker &c, const QuantOptions &o, bool hasGroup);

LaunchGrid gridOf(const SiluMulQuantSpec &s, const PlanArgs &args) {
  return s.masked ? siluMulQuantGrid(s, args.rows, args.value("H"),
                                     args.value("T"))
                  : siluMulQuantGrid(s, args.value("M"), args.value("H"));
}

Plan<SiluMulQuantSpec>
planSiluMulQuant(Checker &c, const TensorView &x, const TensorView *maskedM,
                 const TensorView &q, const TensorView &scales,
                 const QuantOptions &o, bool upFirst, bool fp32Intermediate) {
  Plan<SiluMulQuantSpec> plan;
  SiluMulQuantSpec &spec = plan.spec;
  checkQuantOptions(c, o, true);
  const bool masked = maskedM != nullptr;
  const int lead = masked ? 1 : 0;
  c.tensor("x", x, {Dtype::BF16});
  c.ndim("x", x, 2 + lead, masked ? "[E, T, 2H]" : "[M, 2H]");
  c.rowMajorRows("x", x);
  const int64_t E = masked ? x.shape()[0] : 1;
  const int64_t T = masked ? x.shape()[1] : 0;
  const int64_t M = masked ? E * T : x.shape()[0];
  const int64_t twoH = x.shape()[lead + 1], H = twoH / 2;
  if (twoH % 2 != 0 || H == 0 || H % o.group != 0)
    c.fail("x", "the last dimension (2H = " + std::to_string(twoH) +
                    ") must be twice a positive multiple of group = " +
                    std::to_string(o.group));
  Dtype qt = c.tensor("q", q, {Dtype::FP8, Dtype::I8});
  c.ndim("q", q, 2 + lead, masked ? "[E, T, H]" : "[M, H]");
  for (int d = 0; d < lead + 1; ++d)
    c.extent("q", q, d, x.shape()[d], d == lead ? (masked ? "T" : "M") : "E");
  c.extent("q", q, lead + 1, H, "H");
  c.rowMajorRows("q", q);
  const int64_t sx = Checker::stride(x, lead, twoH),
                sq = Checker::stride(q, lead, H);
  if (sx < twoH)
    c.fail("x", "rows overlap: row stride " + std::to_string(sx) + " < 2H");
  if (sq < H)
    c.fail("q", "rows overlap: row stride " + std::to_string(sq) + " < H");
  if (masked) {
    // The kernel addresses row e * T + t at (e * T + t) * stride.
    if (E > 1 && x.strides()[0] != T * sx)
      c.fail("x", "the experts' rows must follow each other: strides " +
                      strideText(x) + " for shape " + shapeText(x) +
                      ", need dimension 0's stride = T * row stride = " +
                      std::to_string(T * sx));
    if (E > 1 && q.strides()[0] != T * sq)
      c.fail("q", "the experts' rows must follow each other: strides " +
                      strideText(q) + " for shape " + shapeText(q) +
                      ", need dimension 0's stride = T * row stride = " +
                      std::to_string(T * sq));
    if (T == 0)
      c.fail("x", "the masked form needs T > 0, got shape " + shapeText(x));
    c.tensor("masked_m", *maskedM, {Dtype::I32});
    c.ndim("masked_m", *maskedM, 1, "[E]");
    c.extent("masked_m", *maskedM, 0, E, "E");
    c.strides("masked_m", *maskedM, {1}, "contiguous");
    c.aligned("masked_m", *maskedM, 4);
  }
  spec.group = int(o.group);
  spec.out = qt == Dtype::FP8 ? OutType::FP8 : OutType::INT8;
  spec.scales = scaleLayoutOf(c, o.layout);
  spec.ue8m0 = o.ue8m0; // implied by ue8m0_packed
  spec.upFirst = upFirst;
  spec.fp32Intermediate = fp32Intermediate;
  spec.masked = masked;
  spec.eps = float(o.eps);
  spec.int8Rounding = Int8Rounding(o.rounding);
  spec.strideDivisibility = divisibilityOf({sx, sq, H});
  const int64_t G = H / o.group;
  ScaleArgs s = checkScales(c, "scales", scales, spec.scales, masked ? T : M,
                            G, masked ? E : 0);
  c.aligned("x", x, 16);
  c.aligned("q", q, 16);
  c.fitsI32("x", masked ? "align(T, 4)" : "align(M, 4)",
            alignUp(masked ? T : M, 4));
  c.fitsI32("x", "2H", twoH);
  c.fitsI32("x", "the row stride", sx);
  c.fitsI32("q", "the row stride", sq);
  c.fitsI32("scales", "a stride", masked ? s.strideE : s.strideG);
  plan.args.pointer("x", Checker::address(x), M ? ((M - 1) * sx + twoH) * 2 : 0);
  plan.args.pointer("q", Checker::address(q), M ? (M - 1) * sq + H : 0);
  plan.args.pointer("scales", Checker::address(scales), s.bytes);
  if (masked) {
    plan.args.pointer("masked_m", Checker::address(*maskedM), E * 4);
    plan.args.i32("T", T);
    plan.args.i32("H", H);
    plan.args.i32("stride_x", sx);
    plan.args.i32("stride_q", sq);
    plan.args.i32("scale_stride_e", s.strideE);
    plan.args.i32("scale_stride_t", s.strideM);
    plan.args.i32("scale_stride_g", s.strideG);
    plan.args.rows = M;
  } else {
    plan.args.i32("M", M);
    plan.args.i32("H", H);
    plan.args.i32("stride_x", sx);
    plan.args.i32("stride_q", sq);
    plan.args.i32("scale_stride_m", s.strideM);
    plan.args.i32("scale_stride_g", s.strideG);
  }
  // The block shape measured best for the problem first (contiguous, many
  // rows), then the defaults; then any row stride.
  const SiluMulQuantSpec base = spec;
  spec = tunedFor(base, M, H);
  if (!sameKernel(spec, base))
    plan.fallbacks[plan.fallbackCount++] = base;
  if (base.strideDivisibility != 1) {
    SiluMulQuantSpec &any = plan.fallbacks[plan.fallbackCount++];
    any = base;
    any.strideDivisibility = 1;
  }
  plan.grid = gridOf(spec, plan.args);
  return plan;
}

} // namespace tile::python
