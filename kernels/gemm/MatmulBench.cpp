//===- MatmulBench.cpp - tile-bench cases for the matmul kernel -----------===//
//
// Dense products at 4096^3 and 8192^3 (fp16 -> f32, int8 -> i32 native and
// f16_exact), in TFLOP/s (2 M N K per product). Inputs are random bytes
// (small integers); a GEMM reuses its operands from L2 by
// design, so no rotation.
//
//===----------------------------------------------------------------------===//

#include "Bench.h"
#include "MatmulParams.h"
#include "MatmulSpec.h"
#include "tile/Support/Numerics.h"

#include "tile/aot/mm_f16_f32.h"
#include "tile/aot/mm_f16_f32_128x128w8_d8.h"
#include "tile/aot/mm_f16_f32_128x128w8_s4_d8.h"
#include "tile/aot/mm_f16_f32_128x128w8_s4_d8_afterdot.h"
#include "tile/aot/mm_f16_f32_128x128x64w8_d8.h"
#include "tile/aot/mm_f16_f32_256x128w8_d8.h"
#include "tile/aot/mm_f16_f32_256x128x64w8_d8.h"
#include "tile/aot/mm_i8_f16exact_d16.h"
#include "tile/aot/mm_i8_native_d16.h"
#include "tile/aot/mm_i8_f16exact_128x128x64w8_d16.h"
#include "tile/aot/mm_i8_f16exact_nk_128x128x64w8_d16_afterdot.h"
#include "tile/aot/mm_i8_native_128x128x64w8_d16.h"
#include "tile/aot/mm_i8_native_256x128x64w8_d16.h"
#include "tile/aot/mm_i8_f16exact_nk_128x128x64w8_d16.h"
#include "tile/aot/mm_i8_native_nk_128x128x64w8_d16.h"
#include "tile/aot/mm_i8_native_nk_128x128x64w8_d16_wg.h"
#include "tile/aot/mm_i8_native_nk_128x256x128w8_d16_wg.h"
#include "tile/aot/mm_f16_f32_nk_128x128x64w4_d8_wg.h"
#include "tile/aot/mm_i8_native_nk_256x128x64w8_d16.h"

#include <map>

using namespace tile;
using namespace tile::kernels;

namespace {

using Launch = decltype(&aot::mm_f16_f32::matmul);

rt::Status matmul(bench::BenchContext &ctx, const char *name, Launch launch,
                  const MatmulSpec &spec, int n) {
  const int ob = operandBytes(spec);
  std::vector<uint8_t> host(size_t(n) * n * ob);
  std::vector<int8_t> draws = bench::randomBytes(size_t(n) * n, 7);
  for (size_t i = 0; i < host.size(); i += ob) {
    // Small integers, -3..3: an f16 integer's bits, or an int8.
    int v = int(uint8_t(draws[i / ob]) % 7) - 3;
    if (ob == 1) {
      host[i] = uint8_t(int8_t(v));
    } else {
      uint16_t h = numerics::floatToF16(float(v));
      host[i] = uint8_t(h);
      host[i + 1] = uint8_t(h >> 8);
    }
  }
  auto a = bench::allocateSets(1, host.size(), host.data());
  if (!a)
    return a.status();
  auto b = bench::allocateSets(1, host.size(), host.data());
  if (!b)
    return b.status();
  auto c = bench::allocateSets(1, size_t(n) * n * accBytes(spec));
  if (!c)
    return c.status();
  const uint32_t grid = uint32_t(matmulGrid(spec, n, n));
  auto m = ctx.time([&](int, const rt::Stream &stream) {
    return launch(rt::Dim3{grid}, (*a)[0].address(), (*b)[0].address(),
                  (*c)[0].address(), n, n, n, n, n, n, stream);
  });
  if (!m)
    return m.status();
  ctx.reportFlops(name, std::to_string(n) + "^3", m->medianUs,
                  2.0 * n * double(n) * n);
  return rt::Status::ok();
}

MatmulSpec f16() { return {}; }
MatmulSpec f16Big() {
  MatmulSpec s;
  s.blockM = s.blockN = 128;
  s.numWarps = 8;
  s.divisibility = 8;
  return s;
}
MatmulSpec i8(MatmulPrecision p) {
  MatmulSpec s;
  s.operands = MatmulOperands::I8;
  s.acc = MatmulAcc::I32;
  s.precision = p;
  s.blockK = 64;
  s.divisibility = 16;
  return s;
}

rt::Status f16_4096(bench::BenchContext &ctx) {
  return matmul(ctx, "matmul f16 64x64x32 w4", aot::mm_f16_f32::matmul, f16(), 4096);
}
rt::Status f16big_4096(bench::BenchContext &ctx) {
  return matmul(ctx, "matmul f16 128x128x32 w8 d8", aot::mm_f16_f32_128x128w8_d8::matmul,
                f16Big(), 4096);
}
rt::Status f16big_8192(bench::BenchContext &ctx) {
  return matmul(ctx, "matmul f16 128x128x32 w8 d8", aot::mm_f16_f32_128x128w8_d8::matmul,
                f16Big(), 8192);
}
rt::Status i8native_4096(bench::BenchContext &ctx) {
  return matmul(ctx, "matmul int8 native 64x64x64 w4 d16", aot::mm_i8_native_d16::matmul,
                i8(MatmulPrecision::Native), 4096);
}
rt::Status i8exact_4096(bench::BenchContext &ctx) {
  return matmul(ctx, "matmul int8 f16_exact 64x64x64 w4 d16",
                aot::mm_i8_f16exact_d16::matmul, i8(MatmulPrecision::F16Exact), 4096);
}

/// A compiled variant at 8192^3: its name in the table, its kernel, and the
/// PARAMS it was compiled with (kernels/gemm/CMakeLists.txt), from which its
/// spec is read.
struct Variant {
  const char *name;
  Launch launch;
  std::map<std::string, std::string> params;
};

rt::Status runAt8192(bench::BenchContext &ctx,
                     std::initializer_list<Variant> variants) {
  for (const Variant &v : variants)
    if (rt::Status st = matmul(ctx, v.name, v.launch,
                               specFrom(matmulParams(), v.params), 8192);
        !st)
      return st;
  return rt::Status::ok();
}

/// The fp16 sweep at 8192^3: a deeper K step, a fourth stage, a taller tile.
rt::Status f16sweep_8192(bench::BenchContext &ctx) {
  using P = std::map<std::string, std::string>;
  const P big = {{"block_m", "128"}, {"block_n", "128"}, {"num_warps", "8"},
                 {"divisibility", "8"}};
  auto with = [&](P more) {
    P p = big;
    for (auto &[k, v] : more)
      p[k] = v;
    return p;
  };
  return runAt8192(
      ctx, {{"matmul f16 128x128x64 w8 d8",
             aot::mm_f16_f32_128x128x64w8_d8::matmul, with({{"block_k", "64"}})},
            {"matmul f16 128x128x32 w8 4 stages d8",
             aot::mm_f16_f32_128x128w8_s4_d8::matmul,
             with({{"num_stages", "4"}})},
            {"matmul f16 128x128x32 w8 4 stages d8 copies after_first_dot",
             aot::mm_f16_f32_128x128w8_s4_d8_afterdot::matmul,
             with({{"num_stages", "4"}, {"copies_at", "after_first_dot"}})},
            {"matmul f16 256x128x32 w8 d8", aot::mm_f16_f32_256x128w8_d8::matmul,
             with({{"block_m", "256"}})},
            {"matmul f16 256x128x64 w8 d8",
             aot::mm_f16_f32_256x128x64w8_d8::matmul,
             with({{"block_m", "256"}, {"block_k", "64"}})},
            {"matmul f16 128x128x64 w4 d8 b nk wgmma",
             aot::mm_f16_f32_nk_128x128x64w4_d8_wg::matmul,
             with({{"block_k", "64"},
                   {"num_warps", "4"},
                   {"b_layout", "nk"},
                   {"mma", "warpgroup"}})}});
}

/// int8 at 8192^3 on the larger tiles (KERNELS.md's dense int8 target), b
/// K-major (nk) and row-major (kn).
rt::Status i8big_8192(bench::BenchContext &ctx) {
  using P = std::map<std::string, std::string>;
  auto int8Params = [](const char *precision, const char *blockM, const char *b) {
    return P{{"a", "int8"},          {"acc", "i32"},
             {"precision", precision}, {"block_m", blockM},
             {"block_n", "128"},      {"block_k", "64"},
             {"num_warps", "8"},      {"divisibility", "16"},
             {"b_layout", b}};
  };
  return runAt8192(
      ctx,
      {{"matmul int8 native 128x128x64 w8 d16 b nk",
        aot::mm_i8_native_nk_128x128x64w8_d16::matmul,
        int8Params("native", "128", "nk")},
       {"matmul int8 native 128x128x64 w8 d16 b nk wgmma",
        aot::mm_i8_native_nk_128x128x64w8_d16_wg::matmul,
        [&] {
          P p = int8Params("native", "128", "nk");
          p["mma"] = "warpgroup";
          return p;
        }()},
       {"matmul int8 native 128x256x128 w8 d16 b nk wgmma",
        aot::mm_i8_native_nk_128x256x128w8_d16_wg::matmul,
        [&] {
          P p = int8Params("native", "128", "nk");
          p["block_n"] = "256";
          p["block_k"] = "128";
          p["mma"] = "warpgroup";
          return p;
        }()},
       {"matmul int8 native 256x128x64 w8 d16 b nk",
        aot::mm_i8_native_nk_256x128x64w8_d16::matmul,
        int8Params("native", "256", "nk")},
       {"matmul int8 f16_exact 128x128x64 w8 d16 b nk",
        aot::mm_i8_f16exact_nk_128x128x64w8_d16::matmul,
        int8Params("f16_exact", "128", "nk")},
       {"matmul int8 f16_exact 128x128x64 w8 d16 b nk copies after_first_dot",
        aot::mm_i8_f16exact_nk_128x128x64w8_d16_afterdot::matmul,
        [&] {
          P p = int8Params("f16_exact", "128", "nk");
          p["copies_at"] = "after_first_dot";
          return p;
        }()},
       {"matmul int8 native 128x128x64 w8 d16",
        aot::mm_i8_native_128x128x64w8_d16::matmul, int8Params("native", "128", "kn")},
       {"matmul int8 native 256x128x64 w8 d16",
        aot::mm_i8_native_256x128x64w8_d16::matmul, int8Params("native", "256", "kn")},
       {"matmul int8 f16_exact 128x128x64 w8 d16",
        aot::mm_i8_f16exact_128x128x64w8_d16::matmul,
        int8Params("f16_exact", "128", "kn")}});
}

TILE_BENCH_CASE("gemm/matmul_f16_4096", "gemm", f16_4096);
TILE_BENCH_CASE("gemm/matmul_int8_8192", "gemm", i8big_8192);
TILE_BENCH_CASE("gemm/matmul_f16_128x128_4096", "gemm", f16big_4096);
TILE_BENCH_CASE("gemm/matmul_f16_128x128_8192", "gemm", f16big_8192);
TILE_BENCH_CASE("gemm/matmul_f16_sweep_8192", "gemm", f16sweep_8192);
TILE_BENCH_CASE("gemm/matmul_int8_native_4096", "gemm", i8native_4096);
TILE_BENCH_CASE("gemm/matmul_int8_f16exact_4096", "gemm", i8exact_4096);

} // namespace
