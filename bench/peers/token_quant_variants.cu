// Hand-written CUDA per-token quantization (bf16 -> fp8 e4m3, one f32 scale a
// row, KERNELS.md family 2) at issue 12's sizes, next to the driver's copy of
// the same bytes and of 1 GiB: what the best hand-written kernel reaches where
// the tile kernel's figure is below 98% of the 1 GiB copy (issue 12).
//
// Variants (each a row's absmax, scale = max(absmax, eps) / 448, codes
// x * (1 / scale) converted with satfinite RNE):
//   block<T, V>: one row a program of T threads, each thread V 16-byte vectors
//                warp-strided (what tile's token_quant compiles to);
//   warp<R>:     one row a warp, R rows a program: no barrier, K / 256 vectors
//                a lane in flight;
//   block<T, V>false: the same loads, conversions and stores without the
//                row's reduction (scale 1): the floor of this traffic pattern.
// Each is timed with CUDA events, the median of 30 after 5 warm-ups, queued
// behind a gate kernel and rotating through buffer sets of more than 2x the
// L2 (as tile-bench does).
//
//   nvcc -O3 -arch=sm_90a -o token_quant_variants bench/peers/token_quant_variants.cu
//   ./token_quant_variants
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <cuda_bf16.h>
#include <cuda_fp8.h>
#include <cuda_runtime.h>
#include <functional>
#include <vector>

#include "CudaCheck.h"

constexpr float kEps = 1e-10f;
constexpr float kFp8Max = 448.0f;

__device__ __forceinline__ void widen(int4 v, float (&f)[8]) {
  const uint32_t w[4] = {uint32_t(v.x), uint32_t(v.y), uint32_t(v.z),
                         uint32_t(v.w)};
#pragma unroll
  for (int i = 0; i < 4; ++i) {
    f[2 * i] = __uint_as_float(w[i] << 16);
    f[2 * i + 1] = __uint_as_float(w[i] & 0xffff0000u);
  }
}

__device__ __forceinline__ float absmax8(const float (&f)[8]) {
  float m = 0.f;
#pragma unroll
  for (int i = 0; i < 8; ++i)
    m = fmaxf(m, fabsf(f[i]));
  return m;
}

__device__ __forceinline__ uint2 toFp8x8(const float (&f)[8], float inv) {
  uint32_t out[2];
#pragma unroll
  for (int h = 0; h < 2; ++h) {
    __nv_fp8x2_storage_t lo = __nv_cvt_float2_to_fp8x2(
        make_float2(f[4 * h] * inv, f[4 * h + 1] * inv), __NV_SATFINITE, __NV_E4M3);
    __nv_fp8x2_storage_t hi = __nv_cvt_float2_to_fp8x2(
        make_float2(f[4 * h + 2] * inv, f[4 * h + 3] * inv), __NV_SATFINITE, __NV_E4M3);
    out[h] = uint32_t(lo) | (uint32_t(hi) << 16);
  }
  return make_uint2(out[0], out[1]);
}

__device__ __forceinline__ float warpMax(float m) {
#pragma unroll
  for (int o = 16; o > 0; o /= 2)
    m = fmaxf(m, __shfl_xor_sync(0xffffffffu, m, o));
  return m;
}

// A row's V vectors of 8 bf16 for thread t of `stride` threads (vector t +
// i * stride, zero past the row's `vectors`) widened into f; returns their
// absmax.
template <int V>
__device__ __forceinline__ float loadRow(const int4 *__restrict__ row, int vectors,
                                         int t, int stride, float (&f)[V][8]) {
  float m = 0.f;
#pragma unroll
  for (int i = 0; i < V; ++i) {
    int j = t + i * stride;
    int4 v = j < vectors ? row[j] : make_int4(0, 0, 0, 0);
    widen(v, f[i]);
    m = fmaxf(m, absmax8(f[i]));
  }
  return m;
}

// loadRow's vectors times inv as fp8 codes, 8 bytes a vector.
template <int V>
__device__ __forceinline__ void storeRow(uint2 *__restrict__ qrow, int vectors, int t,
                                         int stride, const float (&f)[V][8], float inv) {
#pragma unroll
  for (int i = 0; i < V; ++i) {
    int j = t + i * stride;
    if (j < vectors)
      qrow[j] = toFp8x8(f[i], inv);
  }
}

// Row r by the T threads of a program, V vectors of 8 bf16 a thread,
// warp-strided; the warps' maxima meet in partial[T / 32] (one barrier).
// Without REDUCE: the same loads, conversions and stores at scale 1.
template <int T, int V, bool REDUCE>
__device__ __forceinline__ void quantizeRow(const int4 *__restrict__ x,
                                            uint2 *__restrict__ q,
                                            float *__restrict__ scales,
                                            float *partial, int r, int K) {
  const int vectors = K / 8;
  float f[V][8];
  float m = loadRow<V>(x + size_t(r) * vectors, vectors, threadIdx.x, T, f);
  float inv = 1.f;
  if (REDUCE) {
    m = warpMax(m);
    if (threadIdx.x % 32 == 0)
      partial[threadIdx.x / 32] = m;
    __syncthreads();
    m = partial[0];
#pragma unroll
    for (int w = 1; w < T / 32; ++w)
      m = fmaxf(m, partial[w]);
    float scale = fmaxf(m, kEps) / kFp8Max;
    inv = 1.f / scale;
    if (threadIdx.x == 0)
      scales[r] = scale;
  }
  storeRow<V>(q + size_t(r) * vectors, vectors, threadIdx.x, T, f, inv);
}

// One row a program of T threads.
template <int T, int V, bool REDUCE>
__global__ void __launch_bounds__(T)
    block(const int4 *__restrict__ x, uint2 *__restrict__ q,
          float *__restrict__ scales, int K) {
  __shared__ float partial[T / 32];
  quantizeRow<T, V, REDUCE>(x, q, scales, partial, blockIdx.x, K);
}

// block<T, V>'s rows on a grid the size of the machine: program p quantizes
// rows p, p + gridDim.x, ... (a persistent grid; partial[] double-buffered so
// that one barrier a row suffices).
template <int T, int V>
__global__ void __launch_bounds__(T)
    persistent(const int4 *__restrict__ x, uint2 *__restrict__ q,
               float *__restrict__ scales, int M, int K) {
  __shared__ float partial[2][T / 32];
  int parity = 0;
  for (int r = blockIdx.x; r < M; r += gridDim.x, parity ^= 1)
    quantizeRow<T, V, true>(x, q, scales, partial[parity], r, K);
}

// Nothing: the cost of launching and retiring a grid, no bytes moved.
__global__ void empty() {}

// One row a warp, R rows (warps) a program; K / 256 vectors a lane.
template <int R, int V>
__global__ void __launch_bounds__(32 * R)
    warp(const int4 *__restrict__ x, uint2 *__restrict__ q,
         float *__restrict__ scales, int M, int K) {
  const int vectors = K / 8;
  int r = blockIdx.x * R + threadIdx.x / 32, lane = threadIdx.x % 32;
  if (r >= M)
    return;
  float f[V][8];
  float m = warpMax(loadRow<V>(x + size_t(r) * vectors, vectors, lane, 32, f));
  float scale = fmaxf(m, kEps) / kFp8Max, inv = 1.f / scale;
  if (lane == 0)
    scales[r] = scale;
  storeRow<V>(q + size_t(r) * vectors, vectors, lane, 32, f, inv);
}

struct Sets {
  std::vector<void *> x, q, s;
};

// Holds the stream until the host sets *flag: the timed launches are queued
// behind it, so that no event pair times the host's launch latency (what
// tile-bench's stream gate does).
__global__ void gate(volatile int *flag) {
  while (*flag == 0)
    __nanosleep(1000);
}

static double medianUs(const std::function<void(int)> &launch, int sets) {
  constexpr int kReps = 30;
  static int *flag = nullptr;
  if (!flag)
    CHECK(cudaHostAlloc(&flag, sizeof(int), cudaHostAllocMapped));
  std::vector<cudaEvent_t> a(kReps), b(kReps);
  for (int i = 0; i < kReps; ++i) {
    CHECK(cudaEventCreate(&a[i]));
    CHECK(cudaEventCreate(&b[i]));
  }
  for (int i = 0; i < 5; ++i)
    launch(i % sets);
  *flag = 0;
  int *deviceFlag;
  CHECK(cudaHostGetDevicePointer(&deviceFlag, flag, 0));
  gate<<<1, 1>>>(deviceFlag);
  for (int i = 0; i < kReps; ++i) {
    CHECK(cudaEventRecord(a[i]));
    launch(i % sets);
    CHECK(cudaEventRecord(b[i]));
  }
  *(volatile int *)flag = 1;
  CHECK(cudaDeviceSynchronize());
  CHECK(cudaGetLastError());
  std::vector<float> ms(kReps);
  for (int i = 0; i < kReps; ++i) {
    CHECK(cudaEventElapsedTime(&ms[i], a[i], b[i]));
    CHECK(cudaEventDestroy(a[i]));
    CHECK(cudaEventDestroy(b[i]));
  }
  std::sort(ms.begin(), ms.end());
  return 1000.0 * ms[ms.size() / 2];
}

static int setsFor(size_t bytes, size_t l2) {
  return int(std::min<size_t>(2 * l2 / bytes + 1, 64));
}

int main() {
  int device = 0, l2 = 0;
  CHECK(cudaDeviceGetAttribute(&l2, cudaDevAttrL2CacheSize, device));
  cudaDeviceProp prop;
  CHECK(cudaGetDeviceProperties(&prop, device));
  std::printf("%s, %d SMs, L2 %d MiB\n", prop.name, prop.multiProcessorCount,
              l2 >> 20);

  // The baseline: the driver's copy of 1 GiB (read + written), as tile-bench.
  auto copyUs = [&](size_t bytes) {
    int sets = setsFor(2 * bytes, l2);
    std::vector<void *> src(sets), dst(sets);
    for (int i = 0; i < sets; ++i) {
      CHECK(cudaMalloc(&src[i], bytes));
      CHECK(cudaMalloc(&dst[i], bytes));
      CHECK(cudaMemset(src[i], 1, bytes));
    }
    double us = medianUs(
        [&](int r) { CHECK(cudaMemcpyAsync(dst[r], src[r], bytes, cudaMemcpyDeviceToDevice)); },
        sets);
    for (int i = 0; i < sets; ++i) {
      CHECK(cudaFree(src[i]));
      CHECK(cudaFree(dst[i]));
    }
    return us;
  };
  const size_t gib = size_t(1) << 30;
  double baseUs = copyUs(gib);
  double baseGbps = 2.0 * gib / baseUs / 1e3;
  std::printf("driver copy 1 GiB: %.2f us, %.1f GB/s (the 100%%)\n\n", baseUs,
              baseGbps);
  auto pct = [&](double bytes, double us) { return 100.0 * bytes / us / 1e3 / baseGbps; };

  for (std::pair<int, int> shape : {std::pair<int, int>{16384, 4096}, {16384, 7168}}) {
    const int M = shape.first, K = shape.second;
    size_t xBytes = size_t(M) * K * 2, qBytes = size_t(M) * K, sBytes = size_t(M) * 4;
    double moved = double(xBytes + qBytes + sBytes);
    int sets = setsFor(xBytes + qBytes + sBytes, l2);
    Sets b;
    std::vector<uint16_t> host(size_t(M) * K);
    uint32_t seed = 12345;
    for (auto &h : host) {
      seed = seed * 1664525u + 1013904223u;
      // bf16 of magnitude up to ~2^3, both signs.
      h = uint16_t(0x3800 + (seed >> 20) % 0x0800) | uint16_t((seed >> 8) & 0x8000);
    }
    for (int i = 0; i < sets; ++i) {
      void *p;
      CHECK(cudaMalloc(&p, xBytes));
      CHECK(cudaMemcpy(p, host.data(), xBytes, cudaMemcpyHostToDevice));
      b.x.push_back(p);
      CHECK(cudaMalloc(&p, qBytes));
      b.q.push_back(p);
      CHECK(cudaMalloc(&p, sBytes));
      b.s.push_back(p);
    }
    std::printf("token_quant %dx%d bf16->fp8 (%.1f MB moved, %d buffer sets)\n", M, K,
                moved / 1e6, sets);
    double sameUs = copyUs(size_t(moved / 2));
    std::printf("  %-44s %9.2f us  %5.1f%%\n", "driver copy of the same bytes", sameUs,
                pct(moved, sameUs));
    // Every row's scale, from the host, to check each reducing variant.
    std::vector<float> expected(M);
    for (int r = 0; r < M; ++r) {
      float m = 0.f;
      for (int k = 0; k < K; ++k) {
        uint32_t bits = uint32_t(host[size_t(r) * K + k] & 0x7fff) << 16;
        float v;
        std::memcpy(&v, &bits, 4);
        m = std::max(m, v);
      }
      expected[r] = std::max(m, kEps) / kFp8Max;
    }
    auto row = [&](const char *name, const std::function<void(int)> &launch) {
      double us = medianUs(launch, sets);
      CHECK(cudaMemset(b.s[0], 0xff, sBytes));
      launch(0);
      std::vector<float> got(M);
      CHECK(cudaMemcpy(got.data(), b.s[0], sBytes, cudaMemcpyDeviceToHost));
      int wrong = 0;
      for (int r = 0; r < M; ++r)
        wrong += got[r] != expected[r];
      std::printf("  %-44s %9.2f us  %5.1f%%%s\n", name, us, pct(moved, us),
                  wrong ? "  (scales differ: no reduction)" : "");
      if (wrong && std::string(name).find("false") == std::string::npos) {
        std::fprintf(stderr, "%s: %d of %d scales wrong\n", name, wrong, M);
        std::exit(1);
      }
    };
#define BLOCK(T, V, R)                                                          \
  row("block<" #T ", " #V ">" #R, [&](int r) {                                  \
    block<T, V, R><<<M, T>>>((const int4 *)b.x[r], (uint2 *)b.q[r],             \
                             (float *)b.s[r], K);                               \
  })
#define WARP(R, V)                                                              \
  row("warp<" #R " rows>", [&](int r) {                                         \
    warp<R, V><<<(M + R - 1) / R, 32 * R>>>((const int4 *)b.x[r],               \
                                            (uint2 *)b.q[r], (float *)b.s[r],   \
                                            M, K);                              \
  })
    int sms = prop.multiProcessorCount;
    row("persistent<256, V>, 8 programs an SM", [&](int r) {
      if (K == 4096)
        persistent<256, 2><<<8 * sms, 256>>>((const int4 *)b.x[r], (uint2 *)b.q[r],
                                             (float *)b.s[r], M, K);
      else
        persistent<256, 4><<<8 * sms, 256>>>((const int4 *)b.x[r], (uint2 *)b.q[r],
                                             (float *)b.s[r], M, K);
    });
    // The cost of dispatching programs, apart from any bytes: an empty
    // kernel on the grids a row-per-program kernel of this M would use.
    for (int threads : {128, 256, 512, 1024}) {
      for (int rows : {1, 2, 4}) {
        if (threads * rows > 2048 || (threads == 128 && rows > 1))
          continue;
        int programs = M / rows;
        double us = medianUs([&](int) { empty<<<programs, threads>>>(); }, 1);
        char name[80];
        std::snprintf(name, sizeof name, "empty kernel, %d programs of %d threads", programs,
                      threads);
        std::printf("  %-44s %9.2f us\n", name, us);
      }
    }
    std::printf("  %-44s %9.2f us\n", "empty kernel, 1 program",
                medianUs([&](int) { empty<<<1, 32>>>(); }, 1));
    std::printf("  %-44s %9.2f us (at the 1 GiB copy's rate)\n", "the bytes alone", moved / baseGbps / 1e3);
    if (K == 4096) {
      BLOCK(256, 2, true);
      BLOCK(512, 1, true);
      BLOCK(128, 4, true);
      BLOCK(256, 2, false);
      WARP(4, 16);
      WARP(8, 16);
      WARP(2, 16);
    } else {
      BLOCK(256, 4, true);
      BLOCK(512, 2, true);
      BLOCK(128, 7, true);
      BLOCK(256, 4, false);
      WARP(4, 28);
      WARP(8, 28);
    }
    CHECK(cudaDeviceSynchronize());
    for (int i = 0; i < sets; ++i) {
      CHECK(cudaFree(b.x[i]));
      CHECK(cudaFree(b.q[i]));
      CHECK(cudaFree(b.s[i]));
    }
    std::printf("\n");
  }
  return 0;
}
