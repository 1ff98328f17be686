//===- SiluMulNvfp4Plan.cpp - silu_mul_nvfp4's checks and arguments -------===//
//
// x [M, 2K] bfloat16 (rows sorted by expert, any row stride), offsets
// [E + 1] int32, sf_offsets [E + 1] int32 (sum of align(rows_e, 128)),
// global_scales [E] float32 -> q [M, K / 2] uint8 (two e2m1 codes a byte,
// contiguous) and scales [S, 4 * ceil(K / 64)] uint8 | float8_e4m3fn
// (contiguous; S >= sf_offsets[E], a multiple of 128) in the per-expert
// swizzled layout of KERNELS.md 4. On the host the offsets are read and
// checked too (monotonic, offsets[E] <= M, sf_offsets as the rule gives,
// sf_offsets[E] <= S); device offsets are the caller's to keep right, as
// reading them would wait for the GPU.
//
//===----------------------------------------------------------------------===//

#include "Families.h"

#include <vector>

namespace tile::python {

using namespace kernels;

LaunchGrid gridOf(const SiluMulNvfp4Spec &s, const PlanArgs &args) {
  return siluMulNvfp4Grid(s, args.value("M"), args.value("K"), args.value("E"));
}

Plan<SiluMulNvfp4Spec>
planSiluMulNvfp4(Checker &c, const TensorView &x, const TensorView &offsets,
                 const TensorView &sfOffsets, const TensorView &globalScales,
                 const TensorView &q, const TensorView &scales, bool upFirst) {
  Plan<SiluMulNvfp4Spec> plan;
  SiluMulNvfp4Spec &spec = plan.spec;
  c.tensor("x", x, {Dtype::BF16});
  c.ndim("x", x, 2, "[M, 2K]");
  c.rowMajorRows("x", x);
  const int64_t M = x.shape()[0], twoK = x.shape()[1], K = twoK / 2;
  if (twoK % 32 != 0 || K == 0)
    c.fail("x", "the last dimension (2K = " + std::to_string(twoK) +
                    ") must be twice a positive multiple of 16");
  c.tensor("offsets", offsets, {Dtype::I32});
  c.ndim("offsets", offsets, 1, "[E + 1]");
  const int64_t E = offsets.shape()[0] - 1;
  if (E < 1)
    c.fail("offsets", "needs E + 1 >= 2 entries (one expert at least), got "
                      "shape " + shapeText(offsets));
  c.strides("offsets", offsets, {1}, "contiguous");
  c.tensor("sf_offsets", sfOffsets, {Dtype::I32});
  c.ndim("sf_offsets", sfOffsets, 1, "[E + 1]");
  c.extent("sf_offsets", sfOffsets, 0, E + 1, "E + 1");
  c.strides("sf_offsets", sfOffsets, {1}, "contiguous");
  c.tensor("global_scales", globalScales, {Dtype::F32});
  c.ndim("global_scales", globalScales, 1, "[E]");
  c.extent("global_scales", globalScales, 0, E, "E");
  c.strides("global_scales", globalScales, {1}, "contiguous");
  c.tensor("q", q, {Dtype::U8});
  c.ndim("q", q, 2, "[M, K / 2]");
  c.extent("q", q, 0, M, "M");
  c.extent("q", q, 1, K / 2, "K / 2");
  c.strides("q", q, {K / 2, 1}, "contiguous");
  c.tensor("scales", scales, {Dtype::U8, Dtype::FP8});
  c.ndim("scales", scales, 2, "[S, 4 * ceil(K / 64)]");
  const int64_t rowBytes = 4 * ((K + 63) / 64);
  c.extent("scales", scales, 1, rowBytes, "4 * ceil(K / 64)");
  c.strides("scales", scales, {rowBytes, 1}, "contiguous");
  const int64_t S = scales.shape()[0];
  if (S % 128 != 0)
    c.fail("scales", "its rows (" + std::to_string(S) +
                         ") must be a multiple of 128 (sf_offsets[E])");
  const int64_t sx = Checker::stride(x, 0, twoK);
  if (sx < twoK)
    c.fail("x", "rows overlap: row stride " + std::to_string(sx) + " < 2K");
  if (c.place == Place::Host) {
    const int32_t *off = static_cast<const int32_t *>(
        reinterpret_cast<void *>(uintptr_t(Checker::address(offsets))));
    const int32_t *sf = static_cast<const int32_t *>(
        reinterpret_cast<void *>(uintptr_t(Checker::address(sfOffsets))));
    std::vector<int32_t> given(off, off + E + 1);
    for (int64_t e = 0; e < E; ++e)
      if (given[e] < 0 || given[e + 1] < given[e])
        c.fail("offsets", "must be non-decreasing from 0 or more, got " +
                              std::to_string(given[e]) + " then " +
                              std::to_string(given[e + 1]) + " at " +
                              std::to_string(e));
    if (given[E] > M)
      c.fail("offsets", "offsets[E] = " + std::to_string(given[E]) +
                            " is past x's M = " + std::to_string(M) + " rows");
    std::vector<int32_t> want = nvfp4ScaleOffsets(given);
    for (int64_t e = 0; e <= E; ++e)
      if (sf[e] != want[e])
        c.fail("sf_offsets", "sf_offsets[" + std::to_string(e) + "] = " +
                                 std::to_string(sf[e]) + ", the offsets give " +
                                 std::to_string(want[e]) +
                                 " (sum of align(rows, 128) of the experts before)");
    if (want[E] > S)
      c.fail("scales", "holds " + std::to_string(S) + " rows, sf_offsets[E] = " +
                           std::to_string(want[E]) + " are needed");
  }
  spec.upFirst = upFirst;
  spec.strideDivisibility = divisibilityOf({sx});
  spec.numWarps = siluMulNvfp4WarpsFor(K, spec.blocksPerProgram);
  c.aligned("x", x, 16);
  c.aligned("q", q, 16);
  c.aligned("scales", scales, 16);
  c.aligned("offsets", offsets, 4);
  c.aligned("sf_offsets", sfOffsets, 4);
  c.aligned("global_scales", globalScales, 4);
  c.fitsI32("x", "M + 128 E", M + 128 * E);
  c.fitsI32("x", "2K", twoK);
  c.fitsI32("x", "the row stride", sx);
  plan.args.pointer("x", Checker::address(x), M ? ((M - 1) * sx + twoK) * 2 : 0);
  plan.args.pointer("q", Checker::address(q), M * (K / 2));
  plan.args.pointer("scales", Checker::address(scales), S * rowBytes);
  plan.args.pointer("offsets", Checker::address(offsets), (E + 1) * 4);
  plan.args.pointer("sf_offsets", Checker::address(sfOffsets), (E + 1) * 4);
  plan.args.pointer("global_scales", Checker::address(globalScales), E * 4);
  plan.args.i32("M", M);
  plan.args.i32("K", K);
  plan.args.i32("E", E);
  plan.args.i32("stride_x", sx);
  plan.grid = gridOf(spec, plan.args);
  if (spec.strideDivisibility != 1) {
    plan.fallbacks[0] = spec;
    plan.fallbacks[0].strideDivisibility = 1;
    plan.fallbackCount = 1;
  }
  return plan;
}

} // namespace tile::python
