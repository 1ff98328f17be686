//===- GroupQuantBench.cpp - tile-bench cases of group_quant --------------===//
//
// KERNELS.md's benchmark shapes: M in {1, 64, 4096, 32768} x K = 7168,
// G = 128; fp8 and int8; row-major and packed-UE8M0 scales. Inputs are
// random bf16 (never zeros); buffers rotate past the L2.
//
//===----------------------------------------------------------------------===//

#include "Bench.h"
#include "GroupQuantSpec.h"

#include "tile/aot/gq_bf16_fp8_packed.h"
#include "tile/aot/gq_bf16_fp8_row.h"
#include "tile/aot/gq_bf16_int8_row.h"

using namespace tile;
using namespace tile::kernels;

namespace {

using Launch = rt::Status (*)(rt::Dim3, uint64_t, uint64_t, uint64_t, int64_t,
                              int64_t, int64_t, int64_t, int64_t, int64_t,
                              const rt::Stream &);

rt::Status run(bench::BenchContext &ctx, const char *name, Launch launch,
               GroupQuantSpec spec, int64_t M) {
  const int64_t K = 7168, groups = K / spec.group;
  ScaleStrides ss = scaleStrides(spec.scales, M, groups);
  size_t inBytes = M * K * 2, qBytes = M * K;
  size_t sBytes = spec.scales == ScaleLayout::UE8M0Packed ? ss.size : ss.size * 4;
  int sets = ctx.rotationsFor(inBytes + qBytes + sBytes);
  std::vector<uint16_t> host = bench::randomBf16(M * K, 1234);
  auto in = bench::allocateSets(sets, inBytes, host.data());
  auto q = bench::allocateSets(sets, qBytes);
  auto s = bench::allocateSets(sets, sBytes);
  if (!in || !q || !s)
    return !in ? in.status() : !q ? q.status() : s.status();
  uint32_t grid = uint32_t(groupQuantGrid(spec, M, K));
  auto m = ctx.time(
      [&](int r, const rt::Stream &stream) {
        return launch(rt::Dim3{grid}, (*in)[r].address(), (*q)[r].address(),
                      (*s)[r].address(), int32_t(M), int32_t(K), int32_t(K),
                      int32_t(K), int32_t(ss.strideM), int32_t(ss.strideG),
                      stream);
      },
      sets);
  if (!m)
    return m.status();
  ctx.report(name, std::to_string(M) + "x7168 G128 bf16->" + kernels::name(spec.out) +
                       " " + kernels::name(spec.scales),
             *m, double(inBytes + qBytes + sBytes));
  return rt::Status::ok();
}

/// The kernel's defaults (8 groups of 128 per program, 2 warps).
GroupQuantSpec specOf(OutType out, ScaleLayout scales) {
  GroupQuantSpec s;
  s.out = out;
  s.scales = scales;
  return s;
}

rt::Status fp8Row(bench::BenchContext &ctx) {
  for (int64_t M : {1, 64, 4096, 32768})
    if (rt::Status s = run(ctx, "group_quant", aot::gq_bf16_fp8_row::group_quant,
                           specOf(OutType::FP8, ScaleLayout::RowMajor), M);
        !s)
      return s;
  return rt::Status::ok();
}

rt::Status int8Row(bench::BenchContext &ctx) {
  for (int64_t M : {1, 64, 4096, 32768})
    if (rt::Status s = run(ctx, "group_quant", aot::gq_bf16_int8_row::group_quant,
                           specOf(OutType::INT8, ScaleLayout::RowMajor), M);
        !s)
      return s;
  return rt::Status::ok();
}

rt::Status fp8Packed(bench::BenchContext &ctx) {
  for (int64_t M : {1, 64, 4096, 32768})
    if (rt::Status s =
            run(ctx, "group_quant", aot::gq_bf16_fp8_packed::group_quant,
                specOf(OutType::FP8, ScaleLayout::UE8M0Packed), M);
        !s)
      return s;
  return rt::Status::ok();
}

} // namespace

TILE_BENCH_CASE("quant/group_quant_fp8_row", "quant", fp8Row);
TILE_BENCH_CASE("quant/group_quant_int8_row", "quant", int8Row);
TILE_BENCH_CASE("quant/group_quant_fp8_ue8m0_packed", "quant", fp8Packed);
