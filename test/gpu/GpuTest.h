//===- GpuTest.h - Shared helpers of the GPU tests --------------*- C++ -*-===//

#ifndef TILE_TEST_GPU_GPUTEST_H
#define TILE_TEST_GPU_GPUTEST_H

#include "tile/Runtime/Runtime.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <functional>
#include <random>
#include <thread>
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

/// An output of a launch and the byte it is poisoned with before each run.
struct LaunchOutput {
  rt::DeviceBuffer &buffer;
  uint8_t poison;
};

/// Every GPU case runs twice: `launch` fills each output with its poison,
/// launches, waits, and does it again; the two runs must leave the same bytes
/// in every output (a kernel that reads what it has not written, races, or
/// depends on timing shows here). The buffers keep the second run's bytes,
/// and `firstRun` (if given) receives the first run's, one vector per
/// output. Fatal failures: wrap the call in ASSERT_NO_FATAL_FAILURE.
inline void launchTwice(const std::function<rt::Status()> &launch,
                        const std::vector<LaunchOutput> &outputs,
                        std::vector<std::vector<uint8_t>> *firstRun = nullptr) {
  std::vector<std::vector<uint8_t>> first(outputs.size());
  for (int run = 0; run < 2; ++run) {
    for (const LaunchOutput &o : outputs)
      if (o.buffer.size() > 0)
        TILE_ASSERT_OK(o.buffer.fill(o.poison));
    TILE_ASSERT_OK(launch());
    TILE_ASSERT_OK(rt::synchronizeDevice());
    for (size_t i = 0; i < outputs.size(); ++i) {
      const rt::DeviceBuffer &buffer = outputs[i].buffer;
      const size_t bytes = buffer.size();
      if (run == 0) {
        first[i].resize(bytes);
        if (bytes > 0)
          TILE_ASSERT_OK(buffer.copyToHost(first[i].data(), bytes));
        continue;
      }
      // The second run in chunks, so that a large output is not held twice.
      std::vector<uint8_t> chunk(std::min<size_t>(bytes, size_t(64) << 20));
      for (size_t at = 0; at < bytes; at += chunk.size()) {
        const size_t n = std::min(chunk.size(), bytes - at);
        TILE_ASSERT_OK(buffer.copyToHost(chunk.data(), n, at));
        if (std::memcmp(chunk.data(), first[i].data() + at, n) == 0)
          continue;
        size_t j = 0;
        while (chunk[j] == first[i][at + j])
          ++j;
        FAIL() << "not deterministic: output " << i << ", byte " << at + j
               << " of " << bytes << " is 0x" << std::hex
               << int(first[i][at + j]) << " after the first run and 0x"
               << int(chunk[j]) << " after the second";
      }
    }
  }
  if (firstRun)
    *firstRun = std::move(first);
}

/// A fresh seed per run, printed so that a failure can be reproduced.
inline uint32_t freshSeed() {
  uint32_t seed = std::random_device{}();
  ::testing::Test::RecordProperty("seed", std::to_string(seed));
  return seed;
}

/// Runs fn(begin, end) over [0, n) in contiguous ranges, one per core (the
/// host references of the large tests).
template <typename Fn> void parallelFor(int64_t n, Fn fn) {
  const int64_t threads =
      std::max<int64_t>(1, std::thread::hardware_concurrency());
  const int64_t per = (n + threads - 1) / threads;
  std::vector<std::thread> pool;
  for (int64_t begin = 0; begin < n; begin += per)
    pool.emplace_back(fn, begin, std::min(n, begin + per));
  for (std::thread &t : pool)
    t.join();
}

} // namespace tile::testing

#endif // TILE_TEST_GPU_GPUTEST_H
