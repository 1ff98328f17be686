// What programmatic dependent launch costs and buys for a streaming kernel
// (issue 12): a copy with small programs (64 threads, 32 bytes a thread, as
// group_quant's) and larger ones (256 threads, 16 bytes a thread), with
// griddepcontrol.wait and .launch_dependents in different places, timed
// with events per launch, back to back, and back to back with the
// programmatic stream serialization attribute.
//
//   nvcc -O3 -arch=sm_90a -o pdl_variants bench/peers/pdl_variants.cu
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cuda_runtime.h>
#include <vector>

#include "CudaCheck.h"

// MODE: 0 none, 1 wait first, 2 launch_dependents first, 3 both first,
// 4 wait first + launch_dependents after the stores, 5 launch_dependents
// after the loads' issue + wait first.
template <int MODE, int V>
__global__ void copyKernel(const int4 *__restrict__ src, int4 *__restrict__ dst,
                           size_t n) {
  if (MODE == 2 || MODE == 3)
    asm volatile("griddepcontrol.launch_dependents;" ::: "memory");
  if (MODE == 1 || MODE == 3 || MODE == 4 || MODE == 5)
    asm volatile("griddepcontrol.wait;" ::: "memory");
  size_t base = size_t(blockIdx.x) * blockDim.x * V + threadIdx.x;
  int4 r[V];
#pragma unroll
  for (int i = 0; i < V; ++i) {
    size_t j = base + size_t(i) * blockDim.x;
    if (j < n) r[i] = __ldg(src + j);
  }
  if (MODE == 5)
    asm volatile("griddepcontrol.launch_dependents;" ::: "memory");
#pragma unroll
  for (int i = 0; i < V; ++i) {
    size_t j = base + size_t(i) * blockDim.x;
    if (j < n) dst[j] = r[i];
  }
  if (MODE == 4)
    asm volatile("griddepcontrol.launch_dependents;" ::: "memory");
}

template <int MODE, int V>
void launch(const int4 *src, int4 *dst, size_t n, int threads, bool pdl,
            cudaStream_t s) {
  unsigned blocks = unsigned((n + size_t(threads) * V - 1) / (size_t(threads) * V));
  cudaLaunchConfig_t config = {};
  config.gridDim = dim3(blocks);
  config.blockDim = dim3(threads);
  config.stream = s;
  cudaLaunchAttribute attr;
  attr.id = cudaLaunchAttributeProgrammaticStreamSerialization;
  attr.val.programmaticStreamSerializationAllowed = 1;
  config.attrs = &attr;
  config.numAttrs = pdl ? 1 : 0;
  CHECK(cudaLaunchKernelEx(&config, copyKernel<MODE, V>, src, dst, n));
}

template <int MODE, int V>
void measure(const char *name, const int4 *src, int4 *dst, size_t n,
             int threads, cudaStream_t s) {
  cudaEvent_t a, b;
  CHECK(cudaEventCreate(&a));
  CHECK(cudaEventCreate(&b));
  for (int i = 0; i < 5; ++i) launch<MODE, V>(src, dst, n, threads, false, s);
  std::vector<float> t;
  for (int i = 0; i < 30; ++i) {
    CHECK(cudaEventRecord(a, s));
    launch<MODE, V>(src, dst, n, threads, false, s);
    CHECK(cudaEventRecord(b, s));
    CHECK(cudaEventSynchronize(b));
    float ms;
    CHECK(cudaEventElapsedTime(&ms, a, b));
    t.push_back(ms * 1000.f);
  }
  std::sort(t.begin(), t.end());
  float batch[2];
  const int count = 200;
  for (int pdl = 0; pdl < 2; ++pdl) {
    CHECK(cudaStreamSynchronize(s));
    CHECK(cudaEventRecord(a, s));
    for (int i = 0; i < count; ++i) launch<MODE, V>(src, dst, n, threads, pdl, s);
    CHECK(cudaEventRecord(b, s));
    CHECK(cudaEventSynchronize(b));
    float ms;
    CHECK(cudaEventElapsedTime(&ms, a, b));
    batch[pdl] = ms * 1000.f / count;
  }
  CHECK(cudaGetLastError());
  std::printf("%-44s %10zu B  event %8.2f us  b2b %8.2f us  pdl %8.2f us\n",
              name, n * 16, t[t.size() / 2], batch[0], batch[1]);
}

int main() {
  size_t maxBytes = size_t(1) << 30;
  int4 *src, *dst;
  CHECK(cudaMalloc(&src, maxBytes));
  CHECK(cudaMalloc(&dst, maxBytes));
  CHECK(cudaMemset(src, 0x5a, maxBytes));
  cudaStream_t s;
  CHECK(cudaStreamCreateWithFlags(&s, cudaStreamNonBlocking));
  for (size_t bytes : {size_t(14336), size_t(917504), size_t(58720256), maxBytes}) {
    size_t n = bytes / 16;
    measure<0, 2>("64 thr x 32B: none", src, dst, n, 64, s);
    measure<1, 2>("64 thr x 32B: wait first", src, dst, n, 64, s);
    measure<2, 2>("64 thr x 32B: launch_dependents first", src, dst, n, 64, s);
    measure<3, 2>("64 thr x 32B: both first", src, dst, n, 64, s);
    measure<4, 2>("64 thr x 32B: wait first, launch at end", src, dst, n, 64, s);
    measure<5, 2>("64 thr x 32B: wait first, launch after loads", src, dst, n, 64, s);
    measure<0, 4>("128 thr x 64B: none", src, dst, n, 128, s);
    measure<3, 4>("128 thr x 64B: both first", src, dst, n, 128, s);
    measure<1, 4>("128 thr x 64B: wait first", src, dst, n, 128, s);
  }
  return 0;
}
