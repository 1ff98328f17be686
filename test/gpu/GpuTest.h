//===- GpuTest.h - Shared helpers of the GPU tests --------------*- C++ -*-===//

#ifndef TILE_TEST_GPU_GPUTEST_H
#define TILE_TEST_GPU_GPUTEST_H

#include "tile/Runtime/Runtime.h"

#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <vector>

namespace tile::testing {

/// Skips the test, with the runtime's reason, when there is no GPU.
#define TILE_REQUIRE_GPU()                                                     \
  do {                                                                         \
    ::tile::rt::Status status = ::tile::rt::init();                            \
    if (!status)                                                               \
      GTEST_SKIP() << "no GPU: " << status.str();                              \
  } while (0)

/// Fails the test with the status's name and message unless it is ok.
#define TILE_ASSERT_OK(expr)                                                   \
  do {                                                                         \
    ::tile::rt::Status status_ = (expr);                                       \
    ASSERT_TRUE(status_.isOk()) << #expr << ": " << status_.str();             \
  } while (0)

/// A device buffer holding `host`'s bytes.
template <typename T>
rt::DeviceBuffer upload(const std::vector<T> &host) {
  auto buffer = rt::DeviceBuffer::allocate(host.size() * sizeof(T));
  EXPECT_TRUE(buffer.isOk()) << buffer.status().str();
  if (!buffer)
    return {};
  rt::Status s = buffer->copyFromHost(host.data(), host.size() * sizeof(T));
  EXPECT_TRUE(s.isOk()) << s.str();
  return std::move(*buffer);
}

/// A device buffer of `count` Ts filled with the byte `poison`, so that an
/// element the kernel should have written and did not shows.
template <typename T>
rt::DeviceBuffer poisoned(size_t count, uint8_t poison = 0xff) {
  auto buffer = rt::DeviceBuffer::allocate(count * sizeof(T));
  EXPECT_TRUE(buffer.isOk()) << buffer.status().str();
  if (!buffer)
    return {};
  rt::Status s = buffer->fill(poison);
  EXPECT_TRUE(s.isOk()) << s.str();
  return std::move(*buffer);
}

template <typename T>
std::vector<T> download(const rt::DeviceBuffer &buffer, size_t count) {
  std::vector<T> host(count);
  rt::Status s = buffer.copyToHost(host.data(), count * sizeof(T));
  EXPECT_TRUE(s.isOk()) << s.str();
  return host;
}

/// A fresh seed per run, printed so that a failure can be reproduced.
inline uint32_t freshSeed() {
  uint32_t seed = std::random_device{}();
  ::testing::Test::RecordProperty("seed", std::to_string(seed));
  return seed;
}

} // namespace tile::testing

#endif // TILE_TEST_GPU_GPUTEST_H
