//===- main.cpp - A program built against an installed tile --------------===//
//
// Adds two vectors with a kernel that tile-compile compiled ahead of time
// (tile/aot/vector_add.h) and checks the sum. Exit status: 0 when the sum is
// right, or when there is no driver or no GPU (it prints "no GPU: " and the
// runtime's TILE_NO_DRIVER/TILE_NO_GPU error); 1 on any other error.
//
//===----------------------------------------------------------------------===//

#include "tile/Runtime/Runtime.h"
#include "tile/aot/vector_add.h"

#include <cstdio>
#include <vector>

int main() {
  if (tile::rt::Status s = tile::rt::init(); !s) {
    bool noGpu = s.name() == "TILE_NO_DRIVER" || s.name() == "TILE_NO_GPU";
    std::printf("%s%s\n", noGpu ? "no GPU: " : "error: ", s.str().c_str());
    return noGpu ? 0 : 1;
  }
  const int n = 5000;
  std::vector<float> x(n), y(n), out(n, 0.0f);
  for (int i = 0; i < n; ++i) {
    x[i] = float(i);
    y[i] = 0.5f * float(i);
  }
  const size_t bytes = n * sizeof(float);
  auto dx = tile::rt::DeviceBuffer::allocate(bytes);
  auto dy = tile::rt::DeviceBuffer::allocate(bytes);
  auto dout = tile::rt::DeviceBuffer::allocate(bytes);
  for (const auto *b : {&dx, &dy, &dout})
    if (!*b) {
      std::printf("error: %s\n", b->status().str().c_str());
      return 1;
    }
  tile::rt::Status s = dx->copyFromHost(x.data(), bytes);
  if (s)
    s = dy->copyFromHost(y.data(), bytes);
  if (s)
    s = tile::aot::vector_add::vector_add(
        tile::rt::Dim3{uint32_t((n + 1023) / 1024), 1, 1}, dx->address(),
        dy->address(), dout->address(), n);
  if (s)
    s = tile::rt::synchronizeDevice();
  if (s)
    s = dout->copyToHost(out.data(), bytes);
  if (!s) {
    std::printf("error: %s\n", s.str().c_str());
    return 1;
  }
  for (int i = 0; i < n; ++i)
    if (out[i] != x[i] + y[i]) {
      std::printf("error: out[%d] = %g, expected %g\n", i, out[i], x[i] + y[i]);
      return 1;
    }
  std::printf("vector_add: %d sums right\n", n);
  return 0;
}
