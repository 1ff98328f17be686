// Hand-written CUDA copies of 1 GiB (read) + 1 GiB (written), next to the
// driver's cudaMemcpyAsync, to find what a streaming kernel needs to reach
// the hardware's copy speed (issue 12). Each variant is timed with CUDA
// events, median of 30 runs after 5 warm-ups, on the same buffers (1 GiB is
// 17x the H200's L2: nothing stays cached between runs).
//
//   nvcc -O3 -arch=sm_90a -o copy_variants bench/peers/copy_variants.cu
//   ./copy_variants [GiB]
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cuda_runtime.h>
#include <vector>

#include "CudaCheck.h"

__device__ __forceinline__ int4 ldPlain(const int4 *p) { return *p; }
__device__ __forceinline__ int4 ldNc(const int4 *p) { return __ldg(p); }
__device__ __forceinline__ int4 ldEvictFirst(const int4 *p) {
  int4 v;
  asm volatile("ld.global.nc.L1::evict_first.v4.s32 {%0,%1,%2,%3}, [%4];"
               : "=r"(v.x), "=r"(v.y), "=r"(v.z), "=r"(v.w) : "l"(p));
  return v;
}
__device__ __forceinline__ int4 ldNoAllocate(const int4 *p) {
  int4 v;
  asm volatile("ld.global.nc.L1::no_allocate.v4.s32 {%0,%1,%2,%3}, [%4];"
               : "=r"(v.x), "=r"(v.y), "=r"(v.z), "=r"(v.w) : "l"(p));
  return v;
}
// L2 evict_first through a cache policy (createpolicy), L1 untouched.
__device__ __forceinline__ int4 ldL2EvictFirst(const int4 *p) {
  int4 v;
  asm volatile("{ .reg .b64 pol; createpolicy.fractional.L2::evict_first.b64 pol, 1.0;\n"
               "ld.global.nc.L2::cache_hint.v4.s32 {%0,%1,%2,%3}, [%4], pol; }"
               : "=r"(v.x), "=r"(v.y), "=r"(v.z), "=r"(v.w) : "l"(p));
  return v;
}
__device__ __forceinline__ int4 ldL2Prefetch256(const int4 *p) {
  int4 v;
  asm volatile("ld.global.nc.L2::256B.v4.s32 {%0,%1,%2,%3}, [%4];"
               : "=r"(v.x), "=r"(v.y), "=r"(v.z), "=r"(v.w) : "l"(p));
  return v;
}
__device__ __forceinline__ int4 ldV(int LD, const int4 *p) {
  switch (LD) {
  case 0: return ldPlain(p);
  case 1: return ldNc(p);
  case 2: return ldEvictFirst(p);
  case 3: return ldNoAllocate(p);
  case 4: return ldL2EvictFirst(p);
  default: return ldL2Prefetch256(p);
  }
}
__device__ __forceinline__ void stPlain(int4 *p, int4 v) { *p = v; }
__device__ __forceinline__ void stCs(int4 *p, int4 v) { __stcs(p, v); }

// V vectors of 16 bytes per thread, all loads before the stores; one block
// per THREADS * V vectors (what our compiler emits: a program per tile).
template <int V, int LD, int ST>
__global__ void tiled(const int4 *__restrict__ src, int4 *__restrict__ dst,
                      size_t n) {
  size_t base = size_t(blockIdx.x) * blockDim.x * V + threadIdx.x;
  int4 r[V];
#pragma unroll
  for (int i = 0; i < V; ++i) {
    size_t j = base + size_t(i) * blockDim.x;
    if (j < n)
      r[i] = ldV(LD, src + j);
  }
#pragma unroll
  for (int i = 0; i < V; ++i) {
    size_t j = base + size_t(i) * blockDim.x;
    if (j < n) {
      if (ST == 0) stPlain(dst + j, r[i]); else stCs(dst + j, r[i]);
    }
  }
}

// Each thread owns V * 16 contiguous bytes (sgl-kernel's per-token-group
// kernel: 32 bytes a thread).
template <int V>
__global__ void contiguous(const int4 *__restrict__ src, int4 *__restrict__ dst,
                           size_t n) {
  size_t base = (size_t(blockIdx.x) * blockDim.x + threadIdx.x) * V;
  int4 r[V];
#pragma unroll
  for (int i = 0; i < V; ++i)
    if (base + i < n) r[i] = ldNc(src + base + i);
#pragma unroll
  for (int i = 0; i < V; ++i)
    if (base + i < n) stPlain(dst + base + i, r[i]);
}

// Grid-stride: a grid sized to the machine, each thread looping over tiles
// of V vectors.
template <int V>
__global__ void gridStride(const int4 *__restrict__ src, int4 *__restrict__ dst,
                           size_t n) {
  size_t stride = size_t(gridDim.x) * blockDim.x * V;
  for (size_t base = size_t(blockIdx.x) * blockDim.x * V + threadIdx.x;
       base < n; base += stride) {
    int4 r[V];
#pragma unroll
    for (int i = 0; i < V; ++i) {
      size_t j = base + size_t(i) * blockDim.x;
      if (j < n) r[i] = ldNc(src + j);
    }
#pragma unroll
    for (int i = 0; i < V; ++i) {
      size_t j = base + size_t(i) * blockDim.x;
      if (j < n) stPlain(dst + j, r[i]);
    }
  }
}

template <typename F> float timeIt(F launch) {
  cudaEvent_t a, b;
  CHECK(cudaEventCreate(&a));
  CHECK(cudaEventCreate(&b));
  for (int i = 0; i < 5; ++i) launch();
  std::vector<float> t;
  for (int i = 0; i < 30; ++i) {
    CHECK(cudaEventRecord(a));
    launch();
    CHECK(cudaEventRecord(b));
    CHECK(cudaEventSynchronize(b));
    float ms;
    CHECK(cudaEventElapsedTime(&ms, a, b));
    t.push_back(ms);
  }
  CHECK(cudaGetLastError());
  std::sort(t.begin(), t.end());
  return t[t.size() / 2] * 1000.f; // us
}

int main(int argc, char **argv) {
  double gib = argc > 1 ? std::atof(argv[1]) : 1.0;
  size_t bytes = size_t(gib * (1ull << 30));
  size_t n = bytes / 16;
  int4 *src, *dst;
  CHECK(cudaMalloc(&src, bytes));
  CHECK(cudaMalloc(&dst, bytes));
  CHECK(cudaMemset(src, 0x5a, bytes));
  int sms;
  CHECK(cudaDeviceGetAttribute(&sms, cudaDevAttrMultiProcessorCount, 0));
  float copyUs = timeIt([&] { CHECK(cudaMemcpyAsync(dst, src, bytes, cudaMemcpyDeviceToDevice)); });
  auto report = [&](const char *name, float us) {
    std::printf("%-52s %9.2f us %8.1f GB/s %6.1f%% of copy\n", name, us,
                2.0 * bytes / us / 1e3, 100.0 * copyUs / us);
  };
  report("cudaMemcpyAsync D2D", copyUs);
#define TILED(V, T, LD, ST, NAME)                                              \
  report(NAME, timeIt([&] {                                                    \
           tiled<V, LD, ST><<<unsigned((n + size_t(T) * V - 1) / (size_t(T) * V)), T>>>(src, dst, n); \
         }))
  TILED(1, 256, 1, 0, "tiled 1x16B/thread, 256 thr, nc");
  TILED(1, 128, 1, 0, "tiled 1x16B/thread, 128 thr, nc");
  TILED(1, 512, 1, 0, "tiled 1x16B/thread, 512 thr, nc");
  TILED(1, 256, 2, 0, "tiled 1x16B/thread, 256 thr, L1::evict_first");
  TILED(1, 256, 3, 0, "tiled 1x16B/thread, 256 thr, L1::no_allocate");
  TILED(1, 256, 4, 0, "tiled 1x16B/thread, 256 thr, L2 evict_first policy");
  TILED(2, 128, 1, 0, "tiled 2x16B/thread, 128 thr, nc");
  TILED(2, 256, 1, 0, "tiled 2x16B/thread, 256 thr, nc");
  TILED(2, 256, 2, 0, "tiled 2x16B/thread, 256 thr, L1::evict_first");
  TILED(2, 256, 3, 0, "tiled 2x16B/thread, 256 thr, L1::no_allocate");
  TILED(4, 128, 1, 0, "tiled 4x16B/thread, 128 thr, nc (ours: copy.mlir)");
  TILED(4, 128, 2, 0, "tiled 4x16B/thread, 128 thr, L1::evict_first (ours)");
  TILED(4, 128, 3, 0, "tiled 4x16B/thread, 128 thr, L1::no_allocate");
  TILED(4, 128, 4, 0, "tiled 4x16B/thread, 128 thr, L2 evict_first policy");
  TILED(4, 128, 5, 0, "tiled 4x16B/thread, 128 thr, L2::256B prefetch");
  TILED(4, 128, 1, 1, "tiled 4x16B/thread, 128 thr, nc, st.cs");
  TILED(4, 256, 1, 0, "tiled 4x16B/thread, 256 thr, nc");
  TILED(8, 128, 1, 0, "tiled 8x16B/thread, 128 thr, nc");
  TILED(2, 512, 1, 0, "tiled 2x16B/thread, 512 thr, nc");
  for (int threads : {128, 256}) {
    char name[96];
    std::snprintf(name, sizeof name, "contiguous 32B/thread, %d thr, nc", threads);
    report(name, timeIt([&] { contiguous<2><<<unsigned((n + 2 * threads - 1) / (2 * threads)), threads>>>(src, dst, n); }));
    std::snprintf(name, sizeof name, "contiguous 64B/thread, %d thr, nc", threads);
    report(name, timeIt([&] { contiguous<4><<<unsigned((n + 4 * threads - 1) / (4 * threads)), threads>>>(src, dst, n); }));
  }
  for (int perSm : {16, 32}) {
    char name[96];
    std::snprintf(name, sizeof name, "grid-stride 4x16B, 256 thr, %d blocks/SM", perSm);
    report(name, timeIt([&] { gridStride<4><<<sms * perSm, 256>>>(src, dst, n); }));
  }
  report("cudaMemcpyAsync D2D (again)", timeIt([&] { CHECK(cudaMemcpyAsync(dst, src, bytes, cudaMemcpyDeviceToDevice)); }));
  return 0;
}
