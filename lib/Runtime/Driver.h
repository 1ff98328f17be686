//===- Driver.h - The CUDA driver loaded at run time ------------*- C++ -*-===//
//
// Internal to TileRuntime. The runtime never links libcuda: it dlopens
// libcuda.so.1 and looks up each entry point under the versioned name that
// cuda.h maps the plain name to (cuMemAlloc -> cuMemAlloc_v2), because the
// unversioned symbols keep their old ABI for old binaries.
//
//===----------------------------------------------------------------------===//

#ifndef TILE_LIB_RUNTIME_DRIVER_H
#define TILE_LIB_RUNTIME_DRIVER_H

#include "tile/Runtime/Runtime.h"

#include <cuda.h>

namespace tile::rt::detail {

/// Every driver entry point the runtime uses: X(field, symbol, fallback).
/// `symbol` is the versioned name cuda.h declares (so decltype gives the
/// right type); `fallback`, when not empty, is tried if the driver lacks it.
#define TILE_DRIVER_FUNCTIONS(X)                                               \
  X(getErrorName, cuGetErrorName, "")                                          \
  X(getErrorString, cuGetErrorString, "")                                      \
  X(init, cuInit, "")                                                          \
  X(deviceGetCount, cuDeviceGetCount, "")                                      \
  X(deviceGet, cuDeviceGet, "")                                                \
  X(deviceGetName, cuDeviceGetName, "")                                        \
  X(deviceGetAttribute, cuDeviceGetAttribute, "")                              \
  X(deviceTotalMem, cuDeviceTotalMem_v2, "")                                   \
  X(primaryCtxRetain, cuDevicePrimaryCtxRetain, "")                            \
  X(ctxSetCurrent, cuCtxSetCurrent, "")                                        \
  X(ctxGetCurrent, cuCtxGetCurrent, "")                                        \
  X(ctxGetDevice, cuCtxGetDevice, "")                                          \
  X(ctxPushCurrent, cuCtxPushCurrent_v2, "")                                   \
  X(ctxPopCurrent, cuCtxPopCurrent_v2, "")                                     \
  X(ctxSynchronize, cuCtxSynchronize, "")                                      \
  X(memGetInfo, cuMemGetInfo_v2, "")                                           \
  X(memAlloc, cuMemAlloc_v2, "")                                               \
  X(memFree, cuMemFree_v2, "")                                                 \
  X(memcpyHtoD, cuMemcpyHtoD_v2, "")                                           \
  X(memcpyDtoH, cuMemcpyDtoH_v2, "")                                           \
  X(memcpyDtoDAsync, cuMemcpyDtoDAsync_v2, "")                                 \
  X(memsetD8, cuMemsetD8_v2, "")                                               \
  X(memHostAlloc, cuMemHostAlloc, "")                                          \
  X(memHostGetDevicePointer, cuMemHostGetDevicePointer_v2, "")                 \
  X(memFreeHost, cuMemFreeHost, "")                                            \
  X(streamCreate, cuStreamCreate, "")                                          \
  X(streamDestroy, cuStreamDestroy_v2, "")                                     \
  X(streamSynchronize, cuStreamSynchronize, "")                                \
  X(streamWaitValue32, cuStreamWaitValue32_v2, "")                             \
  X(eventCreate, cuEventCreate, "")                                            \
  X(eventDestroy, cuEventDestroy_v2, "")                                       \
  X(eventRecord, cuEventRecord, "")                                            \
  X(eventSynchronize, cuEventSynchronize, "")                                  \
  X(eventElapsedTime, cuEventElapsedTime_v2, "cuEventElapsedTime")             \
  X(moduleLoadDataEx, cuModuleLoadDataEx, "")                                  \
  X(moduleUnload, cuModuleUnload, "")                                          \
  X(moduleGetFunction, cuModuleGetFunction, "")                                \
  X(funcGetAttribute, cuFuncGetAttribute, "")                                  \
  X(funcSetAttribute, cuFuncSetAttribute, "")                                  \
  X(launchKernel, cuLaunchKernel, "")                                          \
  X(launchKernelEx, cuLaunchKernelEx, "")

/// The driver's entry points, all non-null once loadDriver() succeeded.
struct Driver {
#define TILE_DRIVER_FIELD(field, symbol, fallback)                             \
  decltype(&::symbol) field = nullptr;
  TILE_DRIVER_FUNCTIONS(TILE_DRIVER_FIELD)
#undef TILE_DRIVER_FIELD
};

/// Loads libcuda.so.1 and every entry point, once per process; later calls
/// return the first outcome. TILE_NO_DRIVER if the library does not load,
/// TILE_MISSING_SYMBOL if an entry point is missing.
Status loadDriver();

/// The loaded driver. Only valid after loadDriver() succeeded.
const Driver &driver();

/// The error for a failed driver call: named by cuGetErrorName, with
/// "<what>: <cuGetErrorString>" as its message.
Status cudaError(CUresult result, const char *what);

/// cudaError(result, what) on failure, ok otherwise.
inline Status check(CUresult result, const char *what) {
  return result == CUDA_SUCCESS ? Status::ok() : cudaError(result, what);
}

} // namespace tile::rt::detail

#endif // TILE_LIB_RUNTIME_DRIVER_H
