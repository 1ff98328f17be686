//===- Driver.cpp - The CUDA driver loaded at run time --------------------===//
//
// dlopen of libcuda.so.1 and the table of entry points. Loading happens once
// per process (a function-local static, so it is thread-safe), and the
// library is never closed: kernels and buffers may outlive any owner.
//
//===----------------------------------------------------------------------===//

#include "Driver.h"

#include <dlfcn.h>

#include <string>

using namespace tile::rt;
using namespace tile::rt::detail;

namespace {

struct LoadedDriver {
  Driver table;
  Status status = Status::ok();
};

LoadedDriver loadOnce() {
  LoadedDriver loaded;
  // RTLD_LOCAL keeps the driver's symbols out of the global namespace, so
  // nothing else in the process binds to them by accident.
  void *library = dlopen("libcuda.so.1", RTLD_NOW | RTLD_LOCAL);
  if (!library) {
    const char *reason = dlerror();
    loaded.status = Status::error(
        "TILE_NO_DRIVER", std::string("cannot load libcuda.so.1 (is the "
                                      "NVIDIA driver installed?): ") +
                              (reason ? reason : "unknown reason"));
    return loaded;
  }
  auto lookup = [&](const char *symbol, const char *fallback) -> void * {
    void *address = dlsym(library, symbol);
    if (!address && fallback[0] != '\0')
      address = dlsym(library, fallback);
    return address;
  };
  std::string missing;
#define TILE_DRIVER_LOAD(field, symbol, fallback)                              \
  loaded.table.field = reinterpret_cast<decltype(loaded.table.field)>(         \
      lookup(#symbol, fallback));                                              \
  if (!loaded.table.field)                                                     \
    missing += (missing.empty() ? "" : ", ") + std::string(#symbol);
  TILE_DRIVER_FUNCTIONS(TILE_DRIVER_LOAD)
#undef TILE_DRIVER_LOAD
  if (!missing.empty())
    loaded.status =
        Status::error("TILE_MISSING_SYMBOL", "libcuda.so.1 lacks " + missing +
                                                 " (the driver is too old?)");
  return loaded;
}

const LoadedDriver &loadedDriver() {
  static const LoadedDriver loaded = loadOnce();
  return loaded;
}

} // namespace

Status tile::rt::detail::loadDriver() { return loadedDriver().status; }

const Driver &tile::rt::detail::driver() { return loadedDriver().table; }

namespace {

/// Names for the errors seen when the driver cannot describe them itself:
/// the toolkit's stub libcuda answers every call, cuGetErrorName included,
/// with CUDA_ERROR_STUB_LIBRARY.
void fallbackDescription(CUresult result, const char *&name,
                         const char *&text) {
  switch (result) {
  case CUDA_ERROR_STUB_LIBRARY:
    name = "CUDA_ERROR_STUB_LIBRARY";
    text = "the CUDA toolkit's stub libcuda was loaded, not a real driver";
    break;
  case CUDA_ERROR_NO_DEVICE:
    name = "CUDA_ERROR_NO_DEVICE";
    text = "no CUDA-capable device is detected";
    break;
  default:
    break;
  }
}

} // namespace

Status tile::rt::detail::cudaError(CUresult result, const char *what) {
  const Driver &d = driver();
  const char *name = nullptr;
  const char *text = nullptr;
  if (d.getErrorName && d.getErrorName(result, &name) != CUDA_SUCCESS)
    name = nullptr;
  if (d.getErrorString && d.getErrorString(result, &text) != CUDA_SUCCESS)
    text = nullptr;
  const char *knownName = nullptr;
  const char *knownText = nullptr;
  fallbackDescription(result, knownName, knownText);
  if (!name)
    name = knownName;
  if (!text)
    text = knownText;
  std::string errorName =
      name ? name : "CUDA_ERROR_" + std::to_string(static_cast<int>(result));
  return Status::error(std::move(errorName),
                       std::string(what) + ": " +
                           (text ? text : "unknown CUDA error"));
}
