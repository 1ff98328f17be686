//===- TokenQuantBench.cpp - tile-bench cases of token_quant --------------===//
//
// KERNELS.md's shapes: M = 16384 x K in {1368, 4096, 7168}; M = 65536 x
// K = 1368; bf16 -> fp8; and rows past 16384 (K = 28672, loop_k).
//
//===----------------------------------------------------------------------===//

#include "Bench.h"
#include "TokenQuantSpec.h"

#include "tile/aot/tq_bf16_fp8_1024t512_r2w4.h"
#include "tile/aot/tq_bf16_fp8_1024t512_r4w4.h"
#include "tile/aot/tq_bf16_fp8_2048.h"
#include "tile/aot/tq_bf16_fp8_2048_r2w4.h"
#include "tile/aot/tq_bf16_fp8_4096.h"
#include "tile/aot/tq_bf16_fp8_4096_r2w16.h"
#include "tile/aot/tq_bf16_fp8_4096_r2w8.h"
#include "tile/aot/tq_bf16_fp8_4096_w16.h"
#include "tile/aot/tq_bf16_fp8_4096_w4.h"
#include "tile/aot/tq_bf16_fp8_8192.h"
#include "tile/aot/tq_bf16_fp8_8192_r2w16.h"
#include "tile/aot/tq_bf16_fp8_8192_w16.h"
#include "tile/aot/tq_bf16_fp8_loop4096.h"
#include "tile/aot/tq_bf16_fp8_loop8192_w16.h"

using namespace tile;
using namespace tile::kernels;

namespace {

using Launch = rt::Status (*)(rt::Dim3, uint64_t, uint64_t, uint64_t, int64_t,
                              int64_t, int64_t, int64_t, int64_t,
                              const rt::Stream &);

rt::Status run(bench::BenchContext &ctx, int64_t M, int64_t K, int rpp = 1,
               Launch chosen = nullptr, const char *variant = "") {
  Launch launch = chosen                ? chosen
                  : K <= 2048 ? aot::tq_bf16_fp8_2048::token_quant
                  : K <= 4096 ? aot::tq_bf16_fp8_4096::token_quant
                              : aot::tq_bf16_fp8_8192::token_quant;
  size_t inBytes = M * K * 2, qBytes = M * K, sBytes = M * 4;
  int sets = ctx.rotationsFor(inBytes + qBytes + sBytes);
  std::vector<uint16_t> host = bench::randomBf16(M * K, 3);
  auto in = bench::allocateSets(sets, inBytes, host.data());
  auto q = bench::allocateSets(sets, qBytes);
  auto s = bench::allocateSets(sets, sBytes);
  if (!in || !q || !s)
    return !in ? in.status() : !q ? q.status() : s.status();
  auto m = ctx.time(
      [&](int r, const rt::Stream &stream) {
        return launch(rt::Dim3{uint32_t((M + rpp - 1) / rpp)}, (*in)[r].address(),
                      (*q)[r].address(), (*s)[r].address(), int32_t(M), int32_t(K), int32_t(K),
                      int32_t(K), 1, stream);
      },
      sets);
  if (!m)
    return m.status();
  ctx.report("token_quant", std::to_string(M) + "x" + std::to_string(K) +
                                " bf16->fp8" + variant,
             *m, double(inBytes + qBytes + sBytes));
  return rt::Status::ok();
}

rt::Status cases(bench::BenchContext &ctx) {
  for (auto [M, K] : {std::pair<int64_t, int64_t>{16384, 1368},
                      {16384, 4096},
                      {16384, 7168},
                      {65536, 1368}})
    if (rt::Status s = run(ctx, M, K); !s)
      return s;
  // K = 1368 as the benchmark runs it: 2 rows per program, 4 warps.
  for (int64_t M : {16384, 65536})
    if (rt::Status s = run(ctx, M, 1368, 2, aot::tq_bf16_fp8_2048_r2w4::token_quant,
                           " (2 rows/program, 4 warps)");
        !s)
      return s;
  // The same rows as a 1024- and a 512-wide tile.
  struct Split {
    int rowsPerProgram;
    Launch launch;
    const char *variant;
  };
  const Split splits[] = {
      {2, aot::tq_bf16_fp8_1024t512_r2w4::token_quant, " (1024+512, 2 rows/program, 4 warps)"},
      {4, aot::tq_bf16_fp8_1024t512_r4w4::token_quant, " (1024+512, 4 rows/program, 4 warps)"}};
  for (int64_t M : {16384, 65536})
    for (const Split &split : splits)
      if (rt::Status s = run(ctx, M, 1368, split.rowsPerProgram, split.launch, split.variant); !s)
        return s;
  // K = 4096 in other block shapes than the default (1 row, 8 warps).
  const Split shapes4096[] = {
      {1, aot::tq_bf16_fp8_4096_w4::token_quant, " (1 row/program, 4 warps)"},
      {1, aot::tq_bf16_fp8_4096_w16::token_quant, " (1 row/program, 16 warps)"},
      {2, aot::tq_bf16_fp8_4096_r2w8::token_quant, " (2 rows/program, 8 warps)"},
      {2, aot::tq_bf16_fp8_4096_r2w16::token_quant, " (2 rows/program, 16 warps)"}};
  for (const Split &shape : shapes4096)
    if (rt::Status s = run(ctx, 16384, 4096, shape.rowsPerProgram, shape.launch, shape.variant); !s)
      return s;
  // K = 7168 (an 8192-wide tile) likewise.
  const Split shapes7168[] = {
      {1, aot::tq_bf16_fp8_8192_w16::token_quant, " (1 row/program, 16 warps)"},
      {2, aot::tq_bf16_fp8_8192_r2w16::token_quant, " (2 rows/program, 16 warps)"}};
  for (const Split &shape : shapes7168)
    if (rt::Status s = run(ctx, 16384, 7168, shape.rowsPerProgram, shape.launch, shape.variant); !s)
      return s;
  return rt::Status::ok();
}

/// Rows longer than a tile (loop_k, read twice): Llama-70B's 28672
/// per-token quant, in tile-run's 8192-wide chunks on 16 warps and in the
/// 4096-wide chunks on 8 warps it used before (whose rows in flight fill
/// the L2, so that the second pass reads DRAM again).
rt::Status longRows(bench::BenchContext &ctx) {
  for (int64_t M : {4096, 16384})
    for (auto [launch, variant] :
         {std::pair<Launch, const char *>{aot::tq_bf16_fp8_loop8192_w16::token_quant,
                                          " (loop_k, 8192-wide chunks, 16 warps)"},
          {aot::tq_bf16_fp8_loop4096::token_quant, " (loop_k, 4096-wide chunks, 8 warps)"}})
      if (rt::Status s = run(ctx, M, 28672, 1, launch, variant); !s)
        return s;
  return rt::Status::ok();
}

} // namespace

TILE_BENCH_CASE("quant/token_quant", "quant", cases);
TILE_BENCH_CASE("quant/token_quant_long", "quant", longRows);
