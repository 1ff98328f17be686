//===- SiluMulQuantBench.cpp - tile-bench cases of silu_mul_quant ---------===//
//
// KERNELS.md's shapes: (M, H) in {(4096, 2048), (32768, 2048), (16384,
// 7168)}, contiguous, fp8, G = 128; masked E = 32, T = 1024, H = 7168 with
// uniform and imbalanced masked_m. Bytes moved count what is read and
// written: for the masked form, only live rows.
//
//===----------------------------------------------------------------------===//

#include "Bench.h"
#include "SiluMulQuantSpec.h"

#include "tile/aot/smq_fp8_row.h"
#include "tile/aot/smq_fp8_row_g16w2.h"
#include "tile/aot/smq_fp8_row_g16w4.h"
#include "tile/aot/smq_fp8_row_g4w1.h"
#include "tile/aot/smq_masked_fp8_coltma.h"

using namespace tile;
using namespace tile::kernels;

namespace {

using Launch = rt::Status (*)(rt::Dim3, uint64_t, uint64_t, uint64_t, int64_t,
                              int64_t, int64_t, int64_t, int64_t, int64_t,
                              const rt::Stream &);

rt::Status contiguous(bench::BenchContext &ctx, int64_t M, int64_t H,
                      int gpp = 0, Launch chosen = nullptr,
                      const std::string &variant = "") {
  // Without a chosen variant, the block shape tunedFor() picks for the
  // problem (an AOT variant of each shape it can pick).
  SiluMulQuantSpec spec;
  Launch launch = chosen;
  if (chosen) {
    spec.groupsPerProgram = gpp;
  } else {
    spec = tunedFor(spec, M, H);
    launch = spec.groupsPerProgram == 4 ? aot::smq_fp8_row_g4w1::silu_mul_quant
                                        : aot::smq_fp8_row::silu_mul_quant;
  }
  const int64_t groups = H / spec.group;
  ScaleStrides ss = scaleStrides(spec.scales, M, groups);
  size_t inBytes = M * 2 * H * 2, qBytes = M * H, sBytes = ss.size * 4;
  int sets = ctx.rotationsFor(inBytes + qBytes + sBytes);
  std::vector<uint16_t> host = bench::randomBf16(M * 2 * H, 5);
  auto in = bench::allocateSets(sets, inBytes, host.data());
  auto q = bench::allocateSets(sets, qBytes);
  auto s = bench::allocateSets(sets, sBytes);
  if (!in || !q || !s)
    return !in ? in.status() : !q ? q.status() : s.status();
  uint32_t grid = uint32_t(siluMulQuantGrid(spec, M, H));
  auto m = ctx.time(
      [&](int r, const rt::Stream &stream) {
        return launch(
            rt::Dim3{grid}, (*in)[r].address(), (*q)[r].address(),
            (*s)[r].address(),
            int32_t(M), int32_t(H), int32_t(2 * H), int32_t(H),
            int32_t(ss.strideM), int32_t(ss.strideG), stream);
      },
      sets);
  if (!m)
    return m.status();
  ctx.report("silu_mul_quant", "M=" + std::to_string(M) + " H=" +
                                   std::to_string(H) + " fp8 row" + variant,
             *m, double(inBytes + qBytes + sBytes));
  return rt::Status::ok();
}

rt::Status masked(bench::BenchContext &ctx, bool imbalanced) {
  const int64_t E = 32, T = 1024, H = 7168;
  SiluMulQuantSpec spec;
  spec.masked = true;
  spec.scales = ScaleLayout::ColMajorTMA;
  const int64_t groups = H / spec.group;
  ScaleStrides ss = scaleStrides(spec.scales, T, groups);
  std::vector<int32_t> maskedM(E, int32_t(T));
  if (imbalanced) // a few busy experts, many light ones
    for (int64_t e = 0; e < E; ++e)
      maskedM[e] = e % 4 == 0 ? int32_t(T) : int32_t(T / 16 + e);
  int64_t liveRows = 0;
  for (int32_t m : maskedM)
    liveRows += m;
  std::vector<uint16_t> host = bench::randomBf16(E * T * 2 * H, 6);
  auto in = bench::allocateSets(1, host.size() * 2, host.data());
  auto q = bench::allocateSets(1, E * T * H);
  auto s = bench::allocateSets(1, E * ss.size * 4);
  auto dm = bench::allocateSets(1, E * 4, maskedM.data());
  if (!in || !q || !s || !dm)
    return !in ? in.status() : !q ? q.status() : !s ? s.status() : dm.status();
  uint32_t grid = uint32_t(siluMulQuantGrid(spec, E * T, H, T));
  auto m = ctx.time(
      [&](int, const rt::Stream &stream) {
        return aot::smq_masked_fp8_coltma::silu_mul_quant(
            rt::Dim3{grid}, (*in)[0].address(), (*q)[0].address(),
            (*s)[0].address(), (*dm)[0].address(), int32_t(T), int32_t(H), int32_t(2 * H), int32_t(H),
            int32_t(ss.size), int32_t(ss.strideM), int32_t(ss.strideG), stream);
      },
      1);
  if (!m)
    return m.status();
  double bytes = double(liveRows) * (2 * H * 2 + H + groups * 4);
  ctx.report("silu_mul_quant", std::string("masked E=32 T=1024 H=7168 ") +
                                   (imbalanced ? "imbalanced" : "uniform"),
             *m, bytes);
  return rt::Status::ok();
}

rt::Status contiguousCases(bench::BenchContext &ctx) {
  for (auto [M, H] : {std::pair<int64_t, int64_t>{4096, 2048},
                      {32768, 2048},
                      {16384, 7168}})
    if (rt::Status s = contiguous(ctx, M, H); !s)
      return s;
  // The other block shapes at M = 32768, H = 2048 (tunedFor: the default,
  // 8 x 2).
  struct Variant {
    int gpp;
    Launch launch;
    const char *name;
  };
  const Variant variants[] = {
      {4, aot::smq_fp8_row_g4w1::silu_mul_quant, " (4 groups/program, 1 warp)"},
      {16, aot::smq_fp8_row_g16w2::silu_mul_quant, " (16 groups/program, 2 warps)"},
      {16, aot::smq_fp8_row_g16w4::silu_mul_quant, " (16 groups/program, 4 warps)"}};
  for (const Variant &v : variants)
    if (rt::Status s = contiguous(ctx, 32768, 2048, v.gpp, v.launch, v.name); !s)
      return s;
  return rt::Status::ok();
}

rt::Status maskedCases(bench::BenchContext &ctx) {
  if (rt::Status s = masked(ctx, false); !s)
    return s;
  return masked(ctx, true);
}

} // namespace

TILE_BENCH_CASE("quant/silu_mul_quant", "quant", contiguousCases);
TILE_BENCH_CASE("quant/silu_mul_quant_masked", "quant", maskedCases);
