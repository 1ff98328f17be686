// CHECK(call): the peers' CUDA runtime calls, each exiting with the file,
// line and error string on failure (the hand-written peers are standalone
// programs compiled with nvcc on the GPU machine).
#ifndef TILE_BENCH_PEERS_CUDACHECK_H
#define TILE_BENCH_PEERS_CUDACHECK_H

#include <cstdio>
#include <cstdlib>
#include <cuda_runtime.h>

#define CHECK(x)                                                              \
  do {                                                                        \
    cudaError_t e = (x);                                                      \
    if (e != cudaSuccess) {                                                   \
      std::fprintf(stderr, "%s:%d: %s\n", __FILE__, __LINE__,                 \
                   cudaGetErrorString(e));                                    \
      std::exit(1);                                                           \
    }                                                                         \
  } while (0)

#endif // TILE_BENCH_PEERS_CUDACHECK_H
