//===- LargeGpuTest.cpp - Problems past 2^31 elements against the reference ===//
//
// KERNELS.md, "Sizes and addresses": every kernel is correct for tensors of
// more than 2^31 elements (row offsets in 64 bits; vllm#9425 and vllm#53390
// were 32-bit row offsets). group_quant and token_quant at M = 320000 x
// K = 7168 (2.29 G elements of x and of q) and silu_mul_quant contiguous at
// M = 160000 x H = 7168 (2.29 G elements of x), on fresh random inputs over
// many binades, outputs poisoned, every element compared: codes and scales
// bit for bit (sglang's rule for silu_mul_quant, whose exp is approximate).
// Each launch runs twice and must give the same bytes. The references run on
// every core over row ranges.
//
// The suite is LargeGpu, so that a run can take it alone
// (--gtest_filter='LargeGpu.*') or leave it out ('-LargeGpu.*'); each test
// needs about 7 GB of GPU memory and 10 GB of host memory, and skips with a
// message when there is less.
//
//===----------------------------------------------------------------------===//

#include "GpuTest.h"

#include "GroupQuantSpec.h"
#include "SiluMulQuantSpec.h"
#include "TokenQuantSpec.h"

#include "tile/aot/gq_bf16_fp8_row.h"
#include "tile/aot/smq_fp8_row.h"
#include "tile/aot/tq_bf16_fp8_8192.h"

#include <chrono>
#include <cmath>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <thread>

#include <unistd.h>

using namespace tile;
using namespace tile::testing;
using namespace tile::kernels;

namespace {

/// A fresh random bf16 for element i of a run with `seed` (splitmix64, so
/// that any range is made independently): sign and 7 mantissa bits random,
/// the binade uniform in [2^low, 2^high].
uint16_t randomBf16(uint64_t seed, uint64_t i, int low, int high) {
  uint64_t z = seed + (i + 1) * 0x9e3779b97f4a7c15ull;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  z ^= z >> 31;
  const uint32_t exponent = uint32_t(127 + low + int((z >> 8) % (high - low + 1)));
  return uint16_t((z & 0x8000) | (exponent << 7) | (z >> 40 & 0x7f));
}

/// Host memory available for new allocations (MemAvailable), in bytes.
int64_t hostAvailableBytes() {
  std::ifstream meminfo("/proc/meminfo");
  std::string line;
  while (std::getline(meminfo, line))
    if (line.rfind("MemAvailable:", 0) == 0)
      return std::stoll(line.substr(13)) * 1024;
  return int64_t(sysconf(_SC_AVPHYS_PAGES)) * sysconf(_SC_PAGESIZE);
}

/// Empty when the GPU has `deviceBytes` free and the host `hostBytes`
/// available (with 2 GB to spare on each), else why not.
std::string lacksMemory(int64_t deviceBytes, int64_t hostBytes) {
  const int64_t spare = int64_t(2) << 30;
  auto memory = rt::memoryInfo();
  if (!memory)
    return "no memory information: " + memory.status().str();
  std::ostringstream why;
  if (int64_t(memory->freeBytes) < deviceBytes + spare)
    why << "the GPU has " << memory->freeBytes / (1 << 20) << " MiB free, "
        << (deviceBytes + spare) / (1 << 20) << " MiB needed";
  else if (hostAvailableBytes() < hostBytes + spare)
    why << "the host has " << hostAvailableBytes() / (1 << 20)
        << " MiB available, " << (hostBytes + spare) / (1 << 20)
        << " MiB needed";
  return why.str();
}

/// Seconds since the last call (phases of a test, printed for the log).
struct Stopwatch {
  std::chrono::steady_clock::time_point last = std::chrono::steady_clock::now();
  std::ostringstream log;
  void phase(const char *name) {
    auto now = std::chrono::steady_clock::now();
    log << " " << name << " "
        << std::chrono::duration<double>(now - last).count() << " s;";
    last = now;
  }
  ~Stopwatch() { std::cout << "[ LargeGpu ]" << log.str() << std::endl; }
};

/// A device buffer holding `count` elements of `host`.
template <typename T>
rt::DeviceBuffer uploadLarge(const T *host, int64_t count) {
  auto buffer = rt::DeviceBuffer::allocate(count * sizeof(T));
  EXPECT_TRUE(buffer.isOk()) << buffer.status().str();
  if (!buffer)
    return {};
  rt::Status s = buffer->copyFromHost(host, count * sizeof(T));
  EXPECT_TRUE(s.isOk()) << s.str();
  return std::move(*buffer);
}

/// The first index where `got` and `want` differ, or -1, over n bytes (on
/// every core).
int64_t firstDifference(const uint8_t *got, const uint8_t *want, int64_t n) {
  const int64_t chunk = int64_t(1) << 24;
  const int64_t chunks = (n + chunk - 1) / chunk;
  std::vector<int64_t> first(chunks, -1);
  parallelFor(chunks, [&](int64_t b, int64_t e) {
    for (int64_t c = b; c < e; ++c) {
      const int64_t at = c * chunk, len = std::min(chunk, n - at);
      if (std::memcmp(got + at, want + at, len) == 0)
        continue;
      int64_t i = 0;
      while (got[at + i] == want[at + i])
        ++i;
      first[c] = at + i;
    }
  });
  for (int64_t f : first)
    if (f >= 0)
      return f;
  return -1;
}

constexpr int64_t kRows = 320000, kCols = 7168;

TEST(LargeGpu, GroupQuantFp8RowsPast2To31BitExactly) {
  TILE_REQUIRE_GPU();
  GroupQuantSpec spec; // bf16 -> fp8, groups of 128, row-major fp32 scales
  const int64_t M = kRows, K = kCols, groups = K / spec.group;
  const int64_t n = M * K, scaleCount = M * groups;
  ASSERT_GT(n, int64_t(1) << 31);
  if (std::string why = lacksMemory(n * 3 + scaleCount * 4,
                                    n * 4 + scaleCount * 8 + (int64_t(64) << 20));
      !why.empty())
    GTEST_SKIP() << why;
  Stopwatch clock;
  const uint64_t seed = freshSeed();
  std::unique_ptr<uint16_t[]> x(new uint16_t[n]);
  parallelFor(n, [&](int64_t b, int64_t e) {
    for (int64_t i = b; i < e; ++i)
      x[i] = randomBf16(seed, i, -10, 10);
  });
  clock.phase("inputs");
  rt::DeviceBuffer dx = uploadLarge(x.get(), n);
  rt::DeviceBuffer dq = poisoned<uint8_t>(n, 0xa5);
  rt::DeviceBuffer ds = poisoned<float>(scaleCount, 0xa5);
  ASSERT_FALSE(HasFailure());
  clock.phase("upload");
  std::vector<std::vector<uint8_t>> got;
  ASSERT_NO_FATAL_FAILURE(launchTwice(
      [&] {
        return aot::gq_bf16_fp8_row::group_quant(
            rt::Dim3{uint32_t(groupQuantGrid(spec, M, K))}, dx.address(),
            dq.address(), ds.address(), M, K, K, K, groups, 1, rt::Stream());
      },
      {{dq, 0xa5}, {ds, 0xa5}}, &got));
  clock.phase("two runs and downloads");

  std::unique_ptr<uint8_t[]> wantQ(new uint8_t[n]);
  std::unique_ptr<float[]> wantS(new float[scaleCount]);
  parallelFor(M, [&](int64_t b, int64_t e) {
    groupQuantReference(spec, x.get() + b * K, wantQ.get() + b * K,
                        wantS.get() + b * groups, e - b, K, K, K);
  });
  clock.phase("reference");
  const int64_t q = firstDifference(got[0].data(), wantQ.get(), n);
  EXPECT_EQ(q, -1) << "q[" << q / K << ", " << q % K << "] = "
                   << int(got[0][std::max<int64_t>(q, 0)]) << ", reference "
                   << int(wantQ[std::max<int64_t>(q, 0)]);
  const int64_t s = firstDifference(
      got[1].data(), reinterpret_cast<const uint8_t *>(wantS.get()),
      scaleCount * 4);
  EXPECT_EQ(s, -1) << "scale of row " << s / 4 / groups << ", group "
                   << s / 4 % groups;
  clock.phase("compare");
}

TEST(LargeGpu, TokenQuantFp8RowsPast2To31BitExactly) {
  TILE_REQUIRE_GPU();
  TokenQuantSpec spec; // bf16 -> fp8, the 8192-wide tile on 8 warps
  spec.blockK = 8192;
  const int64_t M = kRows, K = kCols, n = M * K;
  ASSERT_GT(n, int64_t(1) << 31);
  if (std::string why = lacksMemory(n * 3 + M * 4,
                                    n * 4 + M * 8 + (int64_t(64) << 20));
      !why.empty())
    GTEST_SKIP() << why;
  Stopwatch clock;
  const uint64_t seed = freshSeed();
  std::unique_ptr<uint16_t[]> x(new uint16_t[n]);
  parallelFor(n, [&](int64_t b, int64_t e) {
    for (int64_t i = b; i < e; ++i)
      x[i] = randomBf16(seed, i, -10, 10);
  });
  clock.phase("inputs");
  rt::DeviceBuffer dx = uploadLarge(x.get(), n);
  rt::DeviceBuffer dq = poisoned<uint8_t>(n, 0xa5);
  rt::DeviceBuffer ds = poisoned<float>(M, 0xa5);
  ASSERT_FALSE(HasFailure());
  clock.phase("upload");
  std::vector<std::vector<uint8_t>> got;
  ASSERT_NO_FATAL_FAILURE(launchTwice(
      [&] {
        return aot::tq_bf16_fp8_8192::token_quant(
            rt::Dim3{uint32_t(tokenQuantGrid(spec, M))}, dx.address(),
            dq.address(), ds.address(), M, K, K, K, 1, rt::Stream());
      },
      {{dq, 0xa5}, {ds, 0xa5}}, &got));
  clock.phase("two runs and downloads");

  std::unique_ptr<uint8_t[]> wantQ(new uint8_t[n]);
  std::unique_ptr<float[]> wantS(new float[M]);
  parallelFor(M, [&](int64_t b, int64_t e) {
    tokenQuantReference(spec, x.get() + b * K, wantQ.get() + b * K,
                        wantS.get() + b, e - b, K, K, K, 1);
  });
  clock.phase("reference");
  const int64_t q = firstDifference(got[0].data(), wantQ.get(), n);
  EXPECT_EQ(q, -1) << "q[" << q / K << ", " << q % K << "] = "
                   << int(got[0][std::max<int64_t>(q, 0)]) << ", reference "
                   << int(wantQ[std::max<int64_t>(q, 0)]);
  const int64_t s = firstDifference(
      got[1].data(), reinterpret_cast<const uint8_t *>(wantS.get()), M * 4);
  EXPECT_EQ(s, -1) << "scale of row " << s / 4;
  clock.phase("compare");
}

/// Per range of rows: sglang's rule's counts and the first violation.
struct SglangCounts {
  int64_t offByOne = 0, compared = 0;
  int64_t badCode = -1, badScale = -1;
};

TEST(LargeGpu, SiluMulQuantContiguousPast2To31BySglangRule) {
  TILE_REQUIRE_GPU();
  SiluMulQuantSpec spec = tunedFor(SiluMulQuantSpec{}, 160000, 7168);
  ASSERT_EQ(spec.groupsPerProgram, 0) << "smq_fp8_row is the default shape";
  ASSERT_EQ(spec.numWarps, 2u);
  const int64_t M = 160000, H = 7168, groups = H / spec.group;
  const int64_t n = M * 2 * H, outputs = M * H, scaleCount = M * groups;
  ASSERT_GT(n, int64_t(1) << 31);
  if (std::string why =
          lacksMemory(n * 2 + outputs + scaleCount * 4,
                      n * 2 + outputs * 2 + scaleCount * 8 + (int64_t(64) << 20));
      !why.empty())
    GTEST_SKIP() << why;
  Stopwatch clock;
  const uint64_t seed = freshSeed();
  std::unique_ptr<uint16_t[]> x(new uint16_t[n]);
  // gate and up in [2^-6, 16): silu over its curved part, y over many
  // binades.
  parallelFor(n, [&](int64_t b, int64_t e) {
    for (int64_t i = b; i < e; ++i)
      x[i] = randomBf16(seed, i, -6, 3);
  });
  clock.phase("inputs");
  rt::DeviceBuffer dx = uploadLarge(x.get(), n);
  rt::DeviceBuffer dq = poisoned<uint8_t>(outputs, 0xa5);
  rt::DeviceBuffer ds = poisoned<float>(scaleCount, 0xa5);
  ASSERT_FALSE(HasFailure());
  clock.phase("upload");
  std::vector<std::vector<uint8_t>> got;
  ASSERT_NO_FATAL_FAILURE(launchTwice(
      [&] {
        return aot::smq_fp8_row::silu_mul_quant(
            rt::Dim3{uint32_t(siluMulQuantGrid(spec, M, H))}, dx.address(),
            dq.address(), ds.address(), M, H, 2 * H, H, groups, 1,
            rt::Stream());
      },
      {{dq, 0xa5}, {ds, 0xa5}}, &got));
  clock.phase("two runs and downloads");

  std::unique_ptr<uint8_t[]> wantQ(new uint8_t[outputs]);
  std::unique_ptr<float[]> wantS(new float[scaleCount]);
  parallelFor(M, [&](int64_t b, int64_t e) {
    siluMulQuantReference(spec, x.get() + b * 2 * H, wantQ.get() + b * H,
                          wantS.get() + b * groups, e - b, H, 2 * H, H);
  });
  clock.phase("reference");

  // sglang's rule (KERNELS.md 3): fp8 codes as sign-magnitude integers, no
  // sign flip, none off by 2 or more, at most 0.5% off by 1; scales within
  // rtol 1e-3.
  const int64_t threads =
      std::max<int64_t>(1, std::thread::hardware_concurrency());
  std::vector<SglangCounts> counts(threads);
  const int64_t per = (M + threads - 1) / threads;
  parallelFor(M, [&](int64_t b, int64_t e) {
    SglangCounts &c = counts[b / per];
    const uint8_t *q = got[0].data();
    const float *scales = reinterpret_cast<const float *>(got[1].data());
    auto value = [](uint8_t code) {
      return (code & 0x80) ? -int(code & 0x7f) : int(code & 0x7f);
    };
    for (int64_t i = b * H; i < e * H; ++i) {
      const int g = value(q[i]), w = value(wantQ[i]);
      ++c.compared;
      if (g * w < 0 || std::abs(g - w) > 1) {
        if (c.badCode < 0)
          c.badCode = i;
        continue;
      }
      c.offByOne += g != w;
    }
    for (int64_t i = b * groups; i < e * groups; ++i)
      if (!(std::fabs(scales[i] - wantS[i]) <= 1e-3f * std::fabs(wantS[i])) &&
          c.badScale < 0)
        c.badScale = i;
  });
  SglangCounts total;
  for (const SglangCounts &c : counts) {
    total.offByOne += c.offByOne;
    total.compared += c.compared;
    if (total.badCode < 0)
      total.badCode = c.badCode;
    if (total.badScale < 0)
      total.badScale = c.badScale;
  }
  EXPECT_EQ(total.compared, outputs);
  const int64_t bc = std::max<int64_t>(total.badCode, 0);
  EXPECT_EQ(total.badCode, -1)
      << "q[" << bc / H << ", " << bc % H << "] = 0x" << std::hex
      << int(got[0][bc]) << ", reference 0x" << int(wantQ[bc])
      << ": a sign flip or a code off by 2 or more";
  EXPECT_LE(total.offByOne * 200, total.compared)
      << total.offByOne << " of " << total.compared << " codes differ by 1";
  const int64_t bs = std::max<int64_t>(total.badScale, 0);
  EXPECT_EQ(total.badScale, -1)
      << "scale of row " << bs / groups << ", group " << bs % groups << ": "
      << reinterpret_cast<const float *>(got[1].data())[bs] << " vs "
      << wantS[bs];
  clock.phase("compare");
}

} // namespace
