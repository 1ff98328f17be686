//===- ExampleBench.cpp - tile-bench cases of the example kernels ---------===//
//
// row_quant at 32768 x 7168 bf16 (the yardstick: >= 85% of copy),
// vector_add and softmax at bandwidth-bound sizes, and the host cost of a
// launch through tile::rt against a raw cuLaunchKernel of the same kernel.
//
//===----------------------------------------------------------------------===//

#include "Bench.h"
#include "References.h"

#include "tile/aot/copy.h"
#include "tile/aot/row_quant.h"
#include "tile/aot/softmax.h"
#include "tile/aot/vector_add.h"

using namespace tile;

namespace {

/// `sets` buffers of `bytes` random bf16 patterns each (finite as f32 too).
rt::Result<std::vector<rt::DeviceBuffer>> randomSets(int sets, size_t bytes,
                                                     uint32_t seed) {
  std::vector<uint16_t> host = bench::randomBf16(bytes / 2, seed);
  return bench::allocateSets(sets, bytes, host.data());
}

rt::Status rowQuant(bench::BenchContext &ctx, int M, int K) {
  size_t inBytes = size_t(M) * K * 2, qBytes = size_t(M) * K, sBytes = size_t(M) * 4;
  int sets = ctx.rotationsFor(inBytes + qBytes + sBytes);
  auto in = randomSets(sets, inBytes, 42);
  if (!in)
    return in.status();
  auto q = bench::allocateSets(sets, qBytes);
  if (!q)
    return q.status();
  auto s = bench::allocateSets(sets, sBytes);
  if (!s)
    return s.status();
  auto m = ctx.time(
      [&](int r, const rt::Stream &stream) {
        return aot::row_quant::row_quant(rt::Dim3{uint32_t(M)}, (*in)[r].address(),
                                         (*q)[r].address(), (*s)[r].address(), K,
                                         K, K, stream);
      },
      sets);
  if (!m)
    return m.status();
  ctx.report("row_quant", std::to_string(M) + "x" + std::to_string(K) +
                              " bf16->fp8",
             *m, double(inBytes + qBytes + sBytes));
  return rt::Status::ok();
}

rt::Status rowQuantLarge(bench::BenchContext &ctx) { return rowQuant(ctx, 32768, 7168); }
rt::Status rowQuantSmall(bench::BenchContext &ctx) { return rowQuant(ctx, 4096, 7168); }

rt::Status vectorAdd(bench::BenchContext &ctx) {
  const int n = 1 << 26;
  size_t bytes = size_t(n) * 4;
  int sets = ctx.rotationsFor(3 * bytes);
  auto x = randomSets(sets, bytes, 7);
  if (!x)
    return x.status();
  auto y = randomSets(sets, bytes, 8);
  if (!y)
    return y.status();
  auto out = bench::allocateSets(sets, bytes);
  if (!out)
    return out.status();
  auto m = ctx.time(
      [&](int r, const rt::Stream &stream) {
        return aot::vector_add::vector_add(rt::Dim3{uint32_t(n / 1024)},
                                           (*x)[r].address(), (*y)[r].address(),
                                           (*out)[r].address(), n, stream);
      },
      sets);
  if (!m)
    return m.status();
  ctx.report("vector_add", "2^26 f32", *m, 3.0 * bytes);
  return rt::Status::ok();
}

/// The copy kernel and the driver's copy moving `bytesMoved` bytes (half
/// read, half written) over rotating buffers: what a kernel reaches at a
/// case's size (token_quant 16384x1368 moves 67 MB, 16384x4096 201 MB,
/// 16384x7168 352 MB), next to the 1 GiB baseline.
rt::Status copyAtSize(bench::BenchContext &ctx, size_t bytesMoved,
                      const std::string &problem) {
  size_t words = bytesMoved / 8, bytes = words * 4;
  int sets = ctx.rotationsFor(2 * bytes);
  auto src = bench::allocateSets(sets, bytes);
  if (!src)
    return src.status();
  auto dst = bench::allocateSets(sets, bytes);
  if (!dst)
    return dst.status();
  auto m = ctx.time(
      [&](int r, const rt::Stream &stream) {
        return aot::copy::copy(rt::Dim3{uint32_t((words + 511) / 512)},
                               (*src)[r].address(), (*dst)[r].address(),
                               int32_t(words), stream);
      },
      sets);
  if (!m)
    return m.status();
  ctx.report("copy kernel", problem, *m, double(2 * bytes));
  return ctx.reportCopyOfSize(problem, 2 * bytes);
}

/// Every size from the launch floor up: 16 B read and 16 B written by one
/// program is what any event-timed launch costs without its bytes (3.7 µs
/// on an H200, the driver's copy of 16 B the same: bench/RESULTS.md,
/// 2026-12-02 03:55-04:04 UTC), which a 50 µs case pays in full and the
/// 1 GiB baseline amortizes.
rt::Status copies(bench::BenchContext &ctx) {
  for (auto [bytes, problem] :
       {std::pair<size_t, const char *>{32, "16 B (one program: the launch floor)"},
        {size_t(16384) * 1368 * 3, "67 MB"},
        {size_t(16384) * 4096 * 3, "201 MB"},
        {size_t(65536) * 1368 * 3, "269 MB"},
        {size_t(16384) * 7168 * 3, "352 MB"},
        {size_t(1) << 31, "2 GiB"}})
    if (rt::Status s = copyAtSize(ctx, bytes, problem); !s)
      return s;
  return rt::Status::ok();
}

rt::Status softmax(bench::BenchContext &ctx) {
  const int M = 65536, N = 1024;
  size_t bytes = size_t(M) * N * 4;
  int sets = ctx.rotationsFor(2 * bytes);
  auto x = randomSets(sets, bytes, 9);
  if (!x)
    return x.status();
  auto y = bench::allocateSets(sets, bytes);
  if (!y)
    return y.status();
  auto m = ctx.time(
      [&](int r, const rt::Stream &stream) {
        return aot::softmax::softmax(rt::Dim3{uint32_t(M / 4)}, (*x)[r].address(),
                                     (*y)[r].address(), M, N, N, stream);
      },
      sets);
  if (!m)
    return m.status();
  ctx.report("softmax", "65536x1024 f32", *m, 2.0 * bytes);
  return rt::Status::ok();
}

/// Host microseconds per launch of a one-program vector_add, through
/// tile::rt (argument checks included) and through a raw cuLaunchKernel.
rt::Status launchOverhead(bench::BenchContext &ctx) {
  auto buf = rt::DeviceBuffer::allocate(4096 * 4);
  if (!buf)
    return buf.status();
  const auto &kernel = aot::vector_add::vector_add_kernel();
  if (!kernel)
    return kernel.status();
  uint64_t p = buf->address();
  int32_t n = 1024;
  const rt::Stream &stream = ctx.stream();
  rt::Status failure = rt::Status::ok();
  auto viaRuntime = bench::measureHostLaunchUs(
      [&] {
        rt::Status s = aot::vector_add::vector_add(rt::Dim3{1}, p, p, p, n, stream);
        if (!s)
          failure = s;
      },
      20000);
  if (!viaRuntime)
    return viaRuntime.status();
  void *args[] = {&p, &p, &p, &n};
  CUfunction function = kernel->handle();
  unsigned threads = kernel->blockThreads();
  auto launch = rt::rawLaunchKernel();
  auto raw = bench::measureHostLaunchUs(
      [&] {
        CUresult r = launch(function, 1, 1, 1, threads, 1, 1, 0,
                            stream.handle(), args, nullptr);
        if (r != CUDA_SUCCESS)
          failure = rt::Status::error("CUDA_ERROR", "raw cuLaunchKernel failed");
      },
      20000);
  if (!raw)
    return raw.status();
  if (!failure)
    return failure;
  ctx.report("launch/raw_cuLaunchKernel", "vector_add, 1 program", *raw);
  ctx.report("launch/tile_rt", "vector_add, 1 program", *viaRuntime);
  std::printf("launch overhead: tile::rt %.3f us, raw %.3f us, ratio %.3f "
              "(target <= 1.2)\n",
              *viaRuntime, *raw, *viaRuntime / *raw);
  return rt::Status::ok();
}

} // namespace

TILE_BENCH_CASE("quant/row_quant_32768x7168", "quant", rowQuantLarge);
TILE_BENCH_CASE("quant/row_quant_4096x7168", "quant", rowQuantSmall);
TILE_BENCH_CASE("elementwise/vector_add", "elementwise", vectorAdd);
TILE_BENCH_CASE("elementwise/copy", "elementwise", copies);
TILE_BENCH_CASE("reduce/softmax", "reduce", softmax);
TILE_BENCH_CASE("launch/overhead", "launch", launchOverhead);
