//===- SiluMulNvfp4Bench.cpp - tile-bench cases of silu_mul_nvfp4 ---------===//
//
// KERNELS.md gives no shape for it: M = 16384 rows over 8 experts, K = 2048
// (x [M, 4096] bf16), the shipped variant (128 blocks of 16 per program, 4
// warps) and others of blocks per program x warps; K = 7168 (a row in 4
// chunks) and E = 256, on 4 and 2 warps. Bytes moved: x read, the e2m1
// codes and the swizzled scales written.
//
//===----------------------------------------------------------------------===//

#include "Bench.h"
#include "SiluMulNvfp4Spec.h"

#include "tile/aot/nvfp4_b128_w2.h"
#include "tile/aot/nvfp4_b32_w4.h"
#include "tile/aot/nvfp4_b64_w2.h"
#include "tile/aot/nvfp4_gate_up.h"

#include <random>

using namespace tile;
using namespace tile::kernels;

namespace {

using Launch = rt::Status (*)(rt::Dim3, uint64_t, uint64_t, uint64_t, uint64_t,
                              uint64_t, uint64_t, int64_t, int64_t, int64_t,
                              int64_t, const rt::Stream &);

rt::Status run(bench::BenchContext &ctx, int blocksPerProgram, Launch launch,
               const std::string &variant, int64_t K = 2048, int64_t E = 8) {
  const int64_t M = 16384;
  SiluMulNvfp4Spec spec;
  spec.blocksPerProgram = blocksPerProgram;
  std::mt19937 rng(11);
  std::vector<int32_t> offsets;
  std::vector<float> gs;
  randomExperts(rng, M, E, offsets, gs);
  std::vector<int32_t> sfOffsets = nvfp4ScaleOffsets(offsets);
  size_t inBytes = M * 2 * K * 2, qBytes = M * K / 2,
         sBytes = size_t(nvfp4ScaleBytes(sfOffsets[E], K));
  int sets = ctx.rotationsFor(inBytes + qBytes + sBytes);
  std::vector<uint16_t> host = bench::randomBf16(M * 2 * K, 12);
  auto in = bench::allocateSets(sets, inBytes, host.data());
  auto q = bench::allocateSets(sets, qBytes);
  auto s = bench::allocateSets(sets, sBytes);
  auto off = bench::allocateSets(1, offsets.size() * 4, offsets.data());
  auto sfOff = bench::allocateSets(1, sfOffsets.size() * 4, sfOffsets.data());
  auto g = bench::allocateSets(1, gs.size() * 4, gs.data());
  if (!in || !q || !s || !off || !sfOff || !g)
    return !in ? in.status() : !q ? q.status() : !s ? s.status()
           : !off ? off.status() : !sfOff ? sfOff.status() : g.status();
  LaunchGrid programs = siluMulNvfp4Grid(spec, M, K, E);
  rt::Dim3 grid{uint32_t(programs.x), uint32_t(programs.y)};
  auto m = ctx.time(
      [&](int r, const rt::Stream &stream) {
        return launch(grid, (*in)[r].address(), (*q)[r].address(),
                      (*s)[r].address(), (*off)[0].address(),
                      (*sfOff)[0].address(), (*g)[0].address(),
                      int32_t(M), int32_t(K), int32_t(E), int32_t(2 * K),
                      stream);
      },
      sets);
  if (!m)
    return m.status();
  ctx.report("silu_mul_nvfp4",
             "M=16384 K=" + std::to_string(K) + " E=" + std::to_string(E) +
                 variant,
             *m,
             double(inBytes + qBytes + sBytes));
  return rt::Status::ok();
}

rt::Status cases(bench::BenchContext &ctx) {
  struct Variant {
    int blocksPerProgram;
    Launch launch;
    const char *name;
  };
  const Variant variants[] = {
      {128, aot::nvfp4_gate_up::silu_mul_nvfp4, " (128 blocks/program, 4 warps)"},
      {32, aot::nvfp4_b32_w4::silu_mul_nvfp4, " (32 blocks/program, 4 warps)"},
      {64, aot::nvfp4_b64_w2::silu_mul_nvfp4, " (64 blocks/program, 2 warps)"},
      {128, aot::nvfp4_b128_w2::silu_mul_nvfp4, " (128 blocks/program, 2 warps)"}};
  for (const Variant &v : variants)
    if (rt::Status s = run(ctx, v.blocksPerProgram, v.launch, v.name); !s)
      return s;
  // A row of 4 chunks (DeepSeek's 7168), and 256 experts (routed experts
  // of one rank: the expert search takes 8 steps of 32 offsets).
  // Each on the shipped 4 warps and on 2.
  for (const Variant &v :
       {Variant{128, aot::nvfp4_gate_up::silu_mul_nvfp4,
                " (128 blocks/program, 4 warps)"},
        Variant{128, aot::nvfp4_b128_w2::silu_mul_nvfp4,
                " (128 blocks/program, 2 warps)"}}) {
    if (rt::Status s = run(ctx, 128, v.launch, v.name, 7168); !s)
      return s;
    if (rt::Status s = run(ctx, 128, v.launch, v.name, 2048, 256); !s)
      return s;
  }
  return rt::Status::ok();
}

} // namespace

TILE_BENCH_CASE("quant/silu_mul_nvfp4", "quant", cases);
