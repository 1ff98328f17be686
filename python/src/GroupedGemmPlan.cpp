//===- GroupedGemmPlan.cpp - grouped_gemm_i8's checks and arguments -------===//
//
// a [M, K] int8 (rows sorted by expert, any row stride), group_offsets
// [E + 1] int32, b [E, N, K] int8 (with weights=int4: [E, N / 2, K] bytes of
// two weights along N), sa float32 [M] (per token) or [M, K / group], sb
// float32 [E, N, K / group] -> out [M, N] (N / 2 with swiglu) bfloat16 |
// float16 | float32 (any row stride). The quant group is K / sb's last
// extent. The tile is tile-run's (chooseGroupedGemmTile): 64 x 128 on 4
// warps (64 x 64 on 8 with swiglu), K steps of 64 (32 when 64 does not
// divide group); up to 32 rows an expert on average (SwiGLU: fewer than 4)
// each tile within one expert's rows (tile_schedule=experts), else tiles of
// the global rows.
//
//===----------------------------------------------------------------------===//

#include "Families.h"

namespace tile::python {

using namespace kernels;

LaunchGrid gridOf(const GroupedGemmSpec &s, const PlanArgs &args) {
  return groupedGemmGrid(s, args.value("M"), args.value("N"), args.value("E"));
}

Plan<GroupedGemmSpec>
planGroupedGemm(Checker &c, const TensorView &a, const TensorView &groupOffsets,
                const TensorView &b, const TensorView &sa, const TensorView &sb,
                const TensorView &out, int64_t precision, int64_t weights,
                bool swiglu) {
  Plan<GroupedGemmSpec> plan;
  GroupedGemmSpec &spec = plan.spec;
  if (precision < 0 || precision > 1)
    c.fail("precision", "must be 'native' or 'f16_exact'");
  if (weights < 0 || weights > 1)
    c.fail("weights", "must be 'int8' or 'int4'");
  const bool int4 = weights == 1;
  c.tensor("a", a, {Dtype::I8});
  c.ndim("a", a, 2, "[M, K]");
  c.rowMajorRows("a", a);
  const int64_t M = a.shape()[0], K = a.shape()[1];
  c.tensor("group_offsets", groupOffsets, {Dtype::I32});
  c.ndim("group_offsets", groupOffsets, 1, "[E + 1]");
  const int64_t E = groupOffsets.shape()[0] - 1;
  if (E < 1)
    c.fail("group_offsets", "needs E + 1 >= 2 entries, got shape " +
                                shapeText(groupOffsets));
  c.strides("group_offsets", groupOffsets, {1}, "contiguous");
  c.tensor("sb", sb, {Dtype::F32});
  c.ndim("sb", sb, 3, "[E, N, K / group]");
  c.extent("sb", sb, 0, E, "E");
  const int64_t N = sb.shape()[1], G = sb.shape()[2];
  if (G == 0 || K == 0 || K % G != 0)
    c.fail("sb", "its last extent (the quant groups, " + std::to_string(G) +
                     ") must divide K = " + std::to_string(K));
  c.strides("sb", sb, {N * G, G, 1}, "contiguous");
  c.tensor("b", b, int4 ? std::initializer_list<Dtype>{Dtype::U8, Dtype::I8}
                        : std::initializer_list<Dtype>{Dtype::I8});
  c.ndim("b", b, 3, int4 ? "[E, N / 2, K]" : "[E, N, K]");
  c.extent("b", b, 0, E, "E");
  if (int4 && N % 2 != 0)
    c.fail("sb", "int4 weights pack two rows of N per byte: N = " +
                     std::to_string(N) + " must be even");
  const int64_t bRows = int4 ? N / 2 : N;
  c.extent("b", b, 1, bRows, int4 ? "N / 2" : "N");
  c.extent("b", b, 2, K, "K");
  c.strides("b", b, {bRows * K, K, 1}, "contiguous");
  c.tensor("sa", sa, {Dtype::F32});
  const bool perToken = sa.ndim() == 1;
  if (sa.ndim() != 1 && sa.ndim() != 2)
    c.fail("sa", "expected [M] (per token) or [M, K / group], got shape " +
                     shapeText(sa));
  c.extent("sa", sa, 0, M, "M");
  if (perToken)
    c.strides("sa", sa, {1}, "contiguous");
  else {
    c.extent("sa", sa, 1, G, "K / group");
    c.strides("sa", sa, {G, 1}, "contiguous");
  }
  if (c.place == Place::Host) {
    // Host offsets are read here; device ones are the caller's to keep right.
    const int32_t *off = static_cast<const int32_t *>(
        reinterpret_cast<void *>(uintptr_t(Checker::address(groupOffsets))));
    for (int64_t e = 0; e < E; ++e)
      if (off[e] < 0 || off[e + 1] < off[e])
        c.fail("group_offsets", "must be non-decreasing from 0 or more, got " +
                                    std::to_string(off[e]) + " then " +
                                    std::to_string(off[e + 1]) + " at " +
                                    std::to_string(e));
    if (off[E] > M)
      c.fail("group_offsets", "group_offsets[E] = " + std::to_string(off[E]) +
                                  " is past a's M = " + std::to_string(M) + " rows");
  }
  if (swiglu && N % 2 != 0)
    c.fail("sb", "swiglu splits b's N rows into [gate | up] halves: N = " +
                     std::to_string(N) + " must be even");
  const int64_t outN = swiglu ? N / 2 : N;
  Dtype ot = c.tensor("out", out, {Dtype::BF16, Dtype::F16, Dtype::F32});
  c.ndim("out", out, 2, swiglu ? "[M, N / 2]" : "[M, N]");
  c.extent("out", out, 0, M, "M");
  c.extent("out", out, 1, outN, swiglu ? "N / 2" : "N");
  c.rowMajorRows("out", out);
  const int64_t lda = Checker::stride(a, 0, K),
                ldo = Checker::stride(out, 0, outN);
  spec.precision =
      precision == 0 ? GroupedGemmPrecision::Native : GroupedGemmPrecision::F16Exact;
  spec.group = int(K / G);
  spec.actScales = perToken ? ActScales::Token : ActScales::TokenGroup;
  spec.out = ot == Dtype::BF16 ? GroupedGemmOut::BF16
             : ot == Dtype::F16 ? GroupedGemmOut::F16
                                : GroupedGemmOut::F32;
  spec.weights = int4 ? GroupedGemmWeights::I4 : GroupedGemmWeights::I8;
  spec.swiglu = swiglu;
  chooseGroupedGemmTile(spec, M, E);
  spec.divisibility = divisibilityOf({K, outN, lda, ldo});
  if (std::string why = groupedGemmSpecError(spec); !why.empty())
    c.fail("sb", "the quant group K / sb.shape[2] = " +
                     std::to_string(spec.group) + ": " + why);
  if (std::string why = groupedGemmShapeError(spec, M, N, K, E, lda, ldo);
      !why.empty())
    c.fail(why.rfind("lda", 0) == 0 ? "a" : why.rfind("ldo", 0) == 0 ? "out" : "a",
           why);
  c.aligned("a", a, 16);
  c.aligned("b", b, 16);
  c.aligned("out", out, 16);
  c.aligned("group_offsets", groupOffsets, 4);
  c.aligned("sa", sa, 4);
  c.aligned("sb", sb, 4);
  const int ob = dtypeBytes(ot);
  plan.args.pointer("a", Checker::address(a), M ? (M - 1) * lda + K : 0);
  plan.args.pointer("group_offsets", Checker::address(groupOffsets), (E + 1) * 4);
  plan.args.pointer("b", Checker::address(b), E * bRows * K);
  plan.args.pointer("sa", Checker::address(sa), M * (perToken ? 1 : G) * 4);
  plan.args.pointer("sb", Checker::address(sb), E * N * G * 4);
  plan.args.pointer("out", Checker::address(out), M ? ((M - 1) * ldo + outN) * ob : 0);
  plan.args.i32("M", M);
  plan.args.i32("N", N);
  plan.args.i32("K", K);
  plan.args.i32("E", E);
  plan.args.i32("lda", lda);
  plan.args.i32("ldo", ldo);
  plan.grid = gridOf(spec, plan.args);
  // The experts' schedule where it is shipped, else the rows'.
  if (spec.tileSchedule == TileSchedule::Experts) {
    plan.fallbacks[0] = spec;
    plan.fallbacks[0].tileSchedule = TileSchedule::Rows;
    plan.fallbackCount = 1;
  }
  return plan;
}

} // namespace tile::python
