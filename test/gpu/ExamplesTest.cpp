//===- ExamplesTest.cpp - The example kernels on the GPU ------------------===//
//
// vector_add, row_quant, softmax, matmul and transpose, compiled ahead of time, against their
// C++ references on fresh random inputs whose sizes are not multiples of the
// block. Outputs are poisoned first; padding must stay poisoned. Every
// launch runs twice and must give the same bytes.
// vector_add also shows tile::rt launching in the caller's current context:
// on a second device (MultiDevice, skipped with one GPU) and on a thread whose
// context the caller chose.
//
//===----------------------------------------------------------------------===//

#include "GpuTest.h"
#include "MatmulReference.h"
#include "References.h"

#include "tile/aot/convert_layouts.h"
#include "tile/aot/copy.h"
#include "tile/aot/matmul.h"
#include "tile/aot/matmul_sm80.h"
#include "tile/aot/row_quant.h"
#include "tile/aot/row_quant_sm80.h"
#include "tile/aot/softmax.h"
#include "tile/aot/transpose.h"
#include "tile/aot/vector_add.h"

#include <cmath>
#include <string>
#include <thread>

using namespace tile;
using namespace tile::testing;
namespace ref = tile::kernels::examples;

namespace {

class VectorAdd : public ::testing::TestWithParam<int> {};

TEST_P(VectorAdd, MatchesReferenceAndLeavesTheTailAlone) {
  TILE_REQUIRE_GPU();
  const int n = GetParam();
  const int slack = 64; // elements past n that must stay poisoned
  std::mt19937 rng(freshSeed());
  std::uniform_real_distribution<float> dist(-1000.0f, 1000.0f);
  std::vector<float> x(n + slack), y(n + slack);
  for (int i = 0; i < n + slack; ++i) {
    x[i] = dist(rng);
    y[i] = dist(rng);
  }
  rt::DeviceBuffer dx = upload(x), dy = upload(y);
  rt::DeviceBuffer dout = poisoned<float>(n + slack);
  rt::Dim3 grid{uint32_t((n + 1023) / 1024)};
  ASSERT_NO_FATAL_FAILURE(launchTwice(
      [&] {
        return aot::vector_add::vector_add(grid, dx.address(), dy.address(),
                                           dout.address(), n);
      },
      {{dout, 0xff}}));
  std::vector<float> out = download<float>(dout, n + slack);
  std::vector<float> expected(n);
  ref::vectorAdd(x.data(), y.data(), expected.data(), n);
  for (int i = 0; i < n; ++i)
    ASSERT_EQ(numerics::floatBits(out[i]), numerics::floatBits(expected[i]))
        << "element " << i << " of " << n;
  for (int i = n; i < n + slack; ++i)
    ASSERT_EQ(numerics::floatBits(out[i]), 0xffffffffu)
        << "element " << i << " past n = " << n << " was written";
}

// The AOT header's <kernel>_on_stream launches on a CUstream the caller owns
// (here one tile::rt made, passed by handle, as PyTorch's would be): the
// work is on that stream, and the stream outlives the call.
TEST(VectorAddOnCallersStream, RunsOnTheGivenStream) {
  TILE_REQUIRE_GPU();
  const int n = 5000;
  std::mt19937 rng(freshSeed());
  std::uniform_real_distribution<float> dist(-1000.0f, 1000.0f);
  std::vector<float> x(n), y(n);
  for (int i = 0; i < n; ++i) {
    x[i] = dist(rng);
    y[i] = dist(rng);
  }
  rt::DeviceBuffer dx = upload(x), dy = upload(y);
  rt::DeviceBuffer dout = poisoned<float>(n);
  auto stream = rt::Stream::create();
  ASSERT_TRUE(stream.isOk()) << stream.status().str();
  rt::Dim3 grid{uint32_t((n + 1023) / 1024)};
  for (int launch = 0; launch < 2; ++launch) {
    rt::Status s = aot::vector_add::vector_add_on_stream(
        grid, dx.address(), dy.address(), dout.address(), n,
        stream->handle());
    ASSERT_TRUE(s.isOk()) << s.str();
  }
  ASSERT_TRUE(stream->synchronize().isOk());
  std::vector<float> out = download<float>(dout, n);
  std::vector<float> expected(n);
  ref::vectorAdd(x.data(), y.data(), expected.data(), n);
  for (int i = 0; i < n; ++i)
    ASSERT_EQ(numerics::floatBits(out[i]), numerics::floatBits(expected[i]))
        << "element " << i;
}

//===----------------------------------------------------------------------===//
// Devices: a Kernel launches in the caller's current context
//===----------------------------------------------------------------------===//

/// vector_add through `kernel` on the device whose context is current, on
/// fresh random inputs in buffers made there and a poisoned output, every
/// element compared bit for bit with the reference. `ownStream`: on a stream
/// made in that context (borrowed, as a caller's would be), else on the
/// default stream. Returns "" on success, else what went wrong: it asserts
/// nothing, so that a worker thread can run it and the test's thread check.
std::string vectorAddOnCurrentDevice(const rt::Kernel &kernel, bool ownStream) {
  const int n = 70001; // not a multiple of the 1024-element block
  const uint32_t seed = freshSeed();
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> dist(-1000.0f, 1000.0f);
  std::vector<float> x(n), y(n), out(n), expected(n);
  for (int i = 0; i < n; ++i) {
    x[i] = dist(rng);
    y[i] = dist(rng);
  }
  ref::vectorAdd(x.data(), y.data(), expected.data(), n);
  const size_t bytes = n * sizeof(float);
  auto dx = rt::DeviceBuffer::allocate(bytes);
  auto dy = rt::DeviceBuffer::allocate(bytes);
  auto dout = rt::DeviceBuffer::allocate(bytes);
  for (auto *b : {&dx, &dy, &dout})
    if (!*b)
      return "allocating: " + b->status().str();
  rt::Status s = dx->copyFromHost(x.data(), bytes);
  if (s)
    s = dy->copyFromHost(y.data(), bytes);
  if (s)
    s = dout->fill(0xff);
  if (!s)
    return "preparing the buffers: " + s.str();
  rt::Stream stream;
  if (ownStream) {
    auto made = rt::Stream::create();
    if (!made)
      return "creating a stream: " + made.status().str();
    stream = std::move(*made);
  }
  rt::Dim3 grid{uint32_t((n + 1023) / 1024)};
  s = kernel.launch(grid,
                    {rt::Arg::pointer(*dx), rt::Arg::pointer(*dy),
                     rt::Arg::pointer(*dout), rt::Arg::i32(n)},
                    rt::Stream::borrow(stream.handle()));
  if (!s)
    return "launching: " + s.str();
  s = ownStream ? stream.synchronize() : rt::synchronizeDevice();
  if (!s)
    return "synchronizing: " + s.str();
  if (!(s = dout->copyToHost(out.data(), bytes)))
    return "reading the output: " + s.str();
  for (int i = 0; i < n; ++i)
    if (numerics::floatBits(out[i]) != numerics::floatBits(expected[i]))
      return "element " + std::to_string(i) + " of " + std::to_string(n) +
             " is " + std::to_string(out[i]) + ", expected " +
             std::to_string(expected[i]) + " (seed " + std::to_string(seed) +
             ")";
  return "";
}

/// The current device, or -1 (with a test failure) if it cannot be read.
int currentDeviceOrFail() {
  rt::Result<int> device = rt::currentDevice();
  EXPECT_TRUE(device.isOk()) << device.status().str();
  return device ? *device : -1;
}

/// Skips the test unless the driver sees two devices.
#define TILE_REQUIRE_TWO_GPUS()                                                \
  do {                                                                         \
    TILE_REQUIRE_GPU();                                                        \
    ::tile::rt::Result<int> count_ = ::tile::rt::deviceCount();                \
    ASSERT_TRUE(count_.isOk()) << count_.status().str();                       \
    if (*count_ < 2)                                                           \
      GTEST_SKIP() << "needs two GPUs; the driver sees " << *count_;           \
  } while (0)

// A Kernel taken from a Module loaded in device 0's context, launched while
// device 1's is current (as a PyTorch user's tensors on cuda:1 have it): the
// module is loaded there on first use and the kernel writes device 1's
// buffers; then the same Kernel on device 0 again. The Module is a fresh one
// (not the AOT header's), so that where it was loaded is certain.
TEST(MultiDevice, KernelLoadedOnDevice0RunsWhereTheCallerIs) {
  TILE_REQUIRE_TWO_GPUS();
  TILE_ASSERT_OK(rt::setDevice(0));
  const auto &aotKernel = aot::vector_add::vector_add_kernel();
  ASSERT_TRUE(aotKernel.isOk()) << aotKernel.status().str();
  auto module = rt::Module::load(aot::vector_add::kImage,
                                 sizeof(aot::vector_add::kImage));
  ASSERT_TRUE(module.isOk()) << module.status().str();
  auto kernel =
      module->kernel("vector_add", aotKernel->signature(),
                     aotKernel->blockThreads(), aotKernel->sharedBytes(), true);
  ASSERT_TRUE(kernel.isOk()) << kernel.status().str();
  CUfunction onDevice0 = kernel->handle();
  ASSERT_NE(onDevice0, nullptr);
  {
    rt::DeviceGuard device1(1);
    TILE_ASSERT_OK(device1.status());
    ASSERT_EQ(currentDeviceOrFail(), 1);
    for (bool ownStream : {false, true}) {
      std::string error = vectorAddOnCurrentDevice(*kernel, ownStream);
      ASSERT_EQ(error, "") << "on device 1, "
                           << (ownStream ? "own stream" : "default stream");
    }
    rt::Result<CUfunction> onDevice1 = kernel->handleInCurrentContext();
    ASSERT_TRUE(onDevice1.isOk()) << onDevice1.status().str();
    EXPECT_NE(*onDevice1, onDevice0);
    EXPECT_EQ(kernel->handle(), onDevice0) << "handle() is the Module's";
  }
  ASSERT_EQ(currentDeviceOrFail(), 0);
  for (bool ownStream : {false, true}) {
    std::string error = vectorAddOnCurrentDevice(*kernel, ownStream);
    ASSERT_EQ(error, "") << "on device 0 again, "
                         << (ownStream ? "own stream" : "default stream");
  }
  rt::Result<CUfunction> again = kernel->handleInCurrentContext();
  ASSERT_TRUE(again.isOk()) << again.status().str();
  EXPECT_EQ(*again, onDevice0);
}

// CUDA requires the stream of a launch to be of the current context: a
// stream of device 0 while device 1 is current is refused by the driver,
// and the message says what to do.
TEST(MultiDevice, StreamOfAnotherDeviceIsRefused) {
  TILE_REQUIRE_TWO_GPUS();
  TILE_ASSERT_OK(rt::setDevice(0));
  const auto &kernel = aot::vector_add::vector_add_kernel();
  ASSERT_TRUE(kernel.isOk()) << kernel.status().str();
  auto stream0 = rt::Stream::create();
  ASSERT_TRUE(stream0.isOk()) << stream0.status().str();
  rt::DeviceGuard device1(1);
  TILE_ASSERT_OK(device1.status());
  rt::DeviceBuffer dx = poisoned<float>(1024), dout = poisoned<float>(1024);
  rt::Status s = kernel->launch({1},
                                {rt::Arg::pointer(dx), rt::Arg::pointer(dx),
                                 rt::Arg::pointer(dout), rt::Arg::i32(1024)},
                                rt::Stream::borrow(stream0->handle()));
  ASSERT_FALSE(s.isOk()) << "a stream of device 0 was accepted on device 1";
  if (s.name() == "CUDA_ERROR_INVALID_HANDLE" ||
      s.name() == "CUDA_ERROR_INVALID_CONTEXT")
    EXPECT_NE(s.message().find("the stream must belong to the current "
                               "context (device 1)"),
              std::string::npos)
        << s.str();
  // The refusal is not sticky: the context still works.
  EXPECT_EQ(vectorAddOnCurrentDevice(*kernel, true), "");
}

// init() leaves a context the thread already has current alone (it used to
// make device 0's current over it): a fresh thread whose caller chose the
// last device first, and then only calls tile::rt as a library would, works
// on that device. A fresh thread with no context gets device 0. With one GPU
// both are device 0, and the test still checks that the work is right.
TEST(MultiDevice, InitKeepsTheContextTheThreadHas) {
  TILE_REQUIRE_GPU();
  rt::Result<int> count = rt::deviceCount();
  ASSERT_TRUE(count.isOk()) << count.status().str();
  const int last = *count - 1;
  const auto &kernel = aot::vector_add::vector_add_kernel();
  ASSERT_TRUE(kernel.isOk()) << kernel.status().str();

  rt::Status chosen = rt::Status::ok(), initialized = rt::Status::ok();
  rt::Result<int> before(-1), after(-1);
  std::string work;
  std::thread caller([&] {
    chosen = rt::setDevice(last);
    before = rt::currentDevice();
    initialized = rt::init();
    after = rt::currentDevice();
    work = vectorAddOnCurrentDevice(*kernel, true);
  });
  caller.join();
  TILE_ASSERT_OK(chosen);
  TILE_ASSERT_OK(initialized);
  ASSERT_TRUE(before.isOk()) << before.status().str();
  ASSERT_TRUE(after.isOk()) << after.status().str();
  EXPECT_EQ(*before, last);
  EXPECT_EQ(*after, last) << "init() replaced the thread's context";
  EXPECT_EQ(work, "") << "on device " << last;

  // A thread with no context gets device 0, whatever the spawning thread
  // has current.
  rt::DeviceGuard spawnerOnLast(last);
  TILE_ASSERT_OK(spawnerOnLast.status());
  rt::Result<int> fresh(-1);
  std::thread bare([&] {
    initialized = rt::init();
    fresh = rt::currentDevice();
    work = vectorAddOnCurrentDevice(*kernel, false);
  });
  bare.join();
  TILE_ASSERT_OK(initialized);
  ASSERT_TRUE(fresh.isOk()) << fresh.status().str();
  EXPECT_EQ(*fresh, 0);
  EXPECT_EQ(work, "") << "on device 0 from a fresh thread";
}

// A DeviceGuard makes its device current for its scope and gives back what
// was current before, nested or not; one for the device already current
// changes nothing.
TEST(MultiDevice, DeviceGuardRestoresThePreviousContext) {
  TILE_REQUIRE_TWO_GPUS();
  TILE_ASSERT_OK(rt::setDevice(0));
  {
    rt::DeviceGuard outer(1);
    TILE_ASSERT_OK(outer.status());
    EXPECT_EQ(currentDeviceOrFail(), 1);
    {
      rt::DeviceGuard same(1);
      TILE_ASSERT_OK(same.status());
      EXPECT_EQ(currentDeviceOrFail(), 1);
      rt::DeviceGuard back(0);
      TILE_ASSERT_OK(back.status());
      EXPECT_EQ(currentDeviceOrFail(), 0);
    }
    EXPECT_EQ(currentDeviceOrFail(), 1);
  }
  EXPECT_EQ(currentDeviceOrFail(), 0);
  // setDevice under a guard: the guard still restores what it found.
  {
    rt::DeviceGuard guard(0);
    TILE_ASSERT_OK(guard.status());
    TILE_ASSERT_OK(rt::setDevice(1));
    EXPECT_EQ(currentDeviceOrFail(), 1);
  }
  EXPECT_EQ(currentDeviceOrFail(), 1) << "a no-op guard restores nothing";
  TILE_ASSERT_OK(rt::setDevice(0));
}

// Ordinals out of range are refused with the ordinal and the count, and
// change nothing.
TEST(MultiDevice, OrdinalsOutOfRangeAreRefused) {
  TILE_REQUIRE_GPU();
  rt::Result<int> count = rt::deviceCount();
  ASSERT_TRUE(count.isOk()) << count.status().str();
  TILE_ASSERT_OK(rt::setDevice(0));
  const std::string sees = "the driver sees " + std::to_string(*count) +
                           " device" + (*count == 1 ? "" : "s");
  for (int ordinal : {*count, *count + 7, -1}) {
    SCOPED_TRACE("ordinal " + std::to_string(ordinal));
    rt::Status s = rt::setDevice(ordinal);
    ASSERT_FALSE(s.isOk());
    EXPECT_EQ(s.name(), "TILE_BAD_ARGUMENTS");
    EXPECT_NE(s.message().find("no CUDA device " + std::to_string(ordinal)),
              std::string::npos)
        << s.str();
    EXPECT_NE(s.message().find(sees), std::string::npos) << s.str();
    rt::DeviceGuard guard(ordinal);
    EXPECT_EQ(guard.status().name(), "TILE_BAD_ARGUMENTS");
    EXPECT_EQ(currentDeviceOrFail(), 0);
  }
}

// Programmatic dependent launch: a chain of vector_adds on a stream that lets
// each launch start while the one before it runs, each reading the buffer
// the previous one wrote and writing the one it read (ping-pong). Every
// kernel waits for its predecessor (griddepcontrol.wait) before it touches
// memory, so the chain computes exactly what it computes without overlap:
// x_{i+1} = x_i + y, every element bit for bit. Multi-wave grids (4 Mi
// elements), so that a missing wait would read stale data.
TEST(ProgrammaticLaunch, ChainedKernelsSeeTheirPredecessorsWrites) {
  TILE_REQUIRE_GPU();
  const auto &kernel = aot::vector_add::vector_add_kernel();
  ASSERT_TRUE(kernel.isOk()) << kernel.status().str();
  EXPECT_TRUE(kernel->waitsForPrerequisites());
  // sm_80 code has no griddepcontrol: it is never launched overlapped.
  const auto &sm80 = aot::row_quant_sm80::row_quant_kernel();
  ASSERT_TRUE(sm80.isOk()) << sm80.status().str();
  EXPECT_FALSE(sm80->waitsForPrerequisites());

  const int n = (1 << 22) + 77, chain = 24;
  std::mt19937 rng(freshSeed());
  std::uniform_real_distribution<float> dist(-1000.0f, 1000.0f);
  std::vector<float> x(n), y(n);
  for (int i = 0; i < n; ++i) {
    x[i] = dist(rng);
    y[i] = dist(rng);
  }
  rt::DeviceBuffer dy = upload(y);
  rt::DeviceBuffer ping = upload(x), pong = poisoned<float>(n);
  auto stream = rt::Stream::create();
  ASSERT_TRUE(stream.isOk()) << stream.status().str();
  stream->setProgrammaticLaunch(true);
  rt::Dim3 grid{uint32_t((n + 1023) / 1024)};
  for (int i = 0; i < chain; ++i) {
    const rt::DeviceBuffer &in = i % 2 ? pong : ping;
    const rt::DeviceBuffer &out = i % 2 ? ping : pong;
    rt::Status s = aot::vector_add::vector_add(grid, in.address(), dy.address(),
                                               out.address(), n, *stream);
    ASSERT_TRUE(s.isOk()) << s.str();
  }
  ASSERT_TRUE(stream->synchronize().isOk());
  std::vector<float> out = download<float>(chain % 2 ? pong : ping, n);
  std::vector<float> expected = x;
  for (int i = 0; i < chain; ++i)
    ref::vectorAdd(expected.data(), y.data(), expected.data(), n);
  for (int i = 0; i < n; ++i)
    ASSERT_EQ(numerics::floatBits(out[i]), numerics::floatBits(expected[i]))
        << "element " << i << " after " << chain << " chained launches";
}

// copy.mlir: dst = src over n words (n a multiple of 4), one 512-word tile
// a program, the last masked: every word bit for bit, nothing past n
// written.
class Copy : public ::testing::TestWithParam<int> {};

TEST_P(Copy, CopiesEveryWordAndNothingPastN) {
  TILE_REQUIRE_GPU();
  const int n = GetParam(), slack = 64;
  std::mt19937 rng(freshSeed());
  std::vector<uint32_t> src(n + slack);
  for (uint32_t &w : src)
    w = uint32_t(rng());
  rt::DeviceBuffer dsrc = upload(src);
  rt::DeviceBuffer ddst = poisoned<uint32_t>(n + slack);
  rt::Dim3 grid{uint32_t((n + 511) / 512)};
  ASSERT_NO_FATAL_FAILURE(launchTwice(
      [&] {
        return aot::copy::copy(grid, dsrc.address(), ddst.address(), n);
      },
      {{ddst, 0xff}}));
  std::vector<uint32_t> dst = download<uint32_t>(ddst, n + slack);
  for (int i = 0; i < n; ++i)
    ASSERT_EQ(dst[i], src[i]) << "word " << i << " of " << n;
  for (int i = n; i < n + slack; ++i)
    ASSERT_EQ(dst[i], 0xffffffffu) << "word " << i << " past n = " << n
                                   << " was written";
}

INSTANTIATE_TEST_SUITE_P(Sizes, Copy,
                         ::testing::Values(4, 508, 512, 516, 4096, 100004));

INSTANTIATE_TEST_SUITE_P(Sizes, VectorAdd,
                         ::testing::Values(1, 1000, 1023, 1025, 100003));

/// convert_layouts.mlir: y = x through a hand-written layout conversion,
/// by warp shuffles (32 x 32 tiles) and by renaming registers (2 x 256
/// tiles); every element bit for bit, nothing past the tiles written.
TEST(ConvertLayouts, ShufflesAndRegisterRenamesMoveEveryElement) {
  TILE_REQUIRE_GPU();
  using Launch = decltype(&aot::convert_layouts::shuffle_lanes);
  struct Case {
    const char *name;
    Launch launch;
    int tileElements;
  };
  const Case cases[] = {
      {"shuffle_lanes", aot::convert_layouts::shuffle_lanes, 32 * 32},
      {"permute_registers", aot::convert_layouts::permute_registers, 2 * 256}};
  for (const Case &c : cases) {
    SCOPED_TRACE(c.name);
    const int programs = 7, slack = 64;
    const size_t n = size_t(programs) * c.tileElements;
    std::mt19937 rng(freshSeed());
    std::uniform_real_distribution<float> dist(-1000.0f, 1000.0f);
    std::vector<float> x(n);
    for (float &v : x)
      v = dist(rng);
    rt::DeviceBuffer dx = upload(x);
    rt::DeviceBuffer dy = poisoned<float>(n + slack);
    ASSERT_NO_FATAL_FAILURE(launchTwice(
        [&] {
          return c.launch(rt::Dim3{uint32_t(programs)}, dx.address(),
                          dy.address(), rt::Stream());
        },
        {{dy, 0xff}}));
    std::vector<float> y = download<float>(dy, n + slack);
    for (size_t i = 0; i < n; ++i)
      ASSERT_EQ(numerics::floatBits(y[i]), numerics::floatBits(x[i]))
          << "element " << i;
    for (size_t i = n; i < y.size(); ++i)
      ASSERT_EQ(numerics::floatBits(y[i]), 0xffffffffu)
          << "element " << i << " past the tiles was written";
  }
}

/// transpose.mlir: y (N x M) = x^T for x M x N, M and N multiples of 4; every
/// element of y checked bit for bit, and y's slack past N x M untouched.
class Transpose : public ::testing::TestWithParam<std::pair<int, int>> {};

TEST_P(Transpose, EveryElementMovesAndNothingElse) {
  TILE_REQUIRE_GPU();
  const auto [M, N] = GetParam();
  const int slack = 64;
  std::mt19937 rng(freshSeed());
  std::uniform_real_distribution<float> dist(-1000.0f, 1000.0f);
  std::vector<float> x(size_t(M) * N);
  for (float &v : x)
    v = dist(rng);
  rt::DeviceBuffer dx = upload(x);
  rt::DeviceBuffer dy = poisoned<float>(size_t(M) * N + slack);
  rt::Dim3 grid{uint32_t(((M + 63) / 64) * ((N + 63) / 64))};
  ASSERT_NO_FATAL_FAILURE(launchTwice(
      [&] {
        return aot::transpose::transpose(grid, dx.address(), dy.address(), M,
                                         N);
      },
      {{dy, 0xff}}));
  std::vector<float> y = download<float>(dy, size_t(M) * N + slack);
  for (int c = 0; c < N; ++c)
    for (int r = 0; r < M; ++r)
      ASSERT_EQ(numerics::floatBits(y[size_t(c) * M + r]),
                numerics::floatBits(x[size_t(r) * N + c]))
          << "y[" << c << ", " << r << "] of " << M << " x " << N;
  for (size_t i = size_t(M) * N; i < y.size(); ++i)
    ASSERT_EQ(numerics::floatBits(y[i]), 0xffffffffu)
        << "element " << i << " past y was written";
}

INSTANTIATE_TEST_SUITE_P(Shapes, Transpose,
                         ::testing::Values(std::pair{64, 64}, std::pair{4, 4},
                                           std::pair{68, 132},
                                           std::pair{1000, 36},
                                           std::pair{128, 1024}));

struct RowQuantCase {
  int M, K, strideX, strideQ;
};

class RowQuant : public ::testing::TestWithParam<RowQuantCase> {
protected:
  using Launch = decltype(&aot::row_quant::row_quant);
  void check(Launch launch);
};

// The sm_90a cubin: cvt.rn.satfinite.e4m3x2.f32.
TEST_P(RowQuant, MatchesReferenceBitExactly) {
  TILE_REQUIRE_GPU();
  check(aot::row_quant::row_quant);
}

// The sm_80 PTX: the fp8 conversion done by integer arithmetic must give the
// same codes.
TEST_P(RowQuant, Sm80CodePathMatchesReferenceBitExactly) {
  TILE_REQUIRE_GPU();
  check(aot::row_quant_sm80::row_quant);
}

void RowQuant::check(Launch launch) {
  const auto [M, K, strideX, strideQ] = GetParam();
  std::mt19937 rng(freshSeed());
  // Magnitudes spread over many binades, so that codes of every exponent
  // show up; row 1 (if any) is all zeros.
  std::uniform_real_distribution<float> mantissa(-1.0f, 1.0f);
  std::uniform_int_distribution<int> exponent(-12, 8);
  std::vector<uint16_t> x(size_t(M) * strideX);
  for (auto &v : x)
    v = numerics::floatToBf16(std::ldexp(mantissa(rng), exponent(rng)));
  if (M > 1)
    for (int k = 0; k < K; ++k)
      x[size_t(1) * strideX + k] = 0;
  rt::DeviceBuffer dx = upload(x);
  rt::DeviceBuffer dq = poisoned<uint8_t>(size_t(M) * strideQ);
  rt::DeviceBuffer dscale = poisoned<float>(M);
  ASSERT_NO_FATAL_FAILURE(launchTwice(
      [&] {
        return launch(rt::Dim3{uint32_t(M)}, dx.address(), dq.address(),
                      dscale.address(), K, strideX, strideQ, rt::Stream());
      },
      {{dq, 0xff}, {dscale, 0xff}}));
  std::vector<uint8_t> q = download<uint8_t>(dq, size_t(M) * strideQ);
  std::vector<float> scale = download<float>(dscale, M);

  std::vector<uint8_t> expectedQ(size_t(M) * strideQ, 0xff);
  std::vector<float> expectedScale(M);
  ref::rowQuant(x.data(), expectedQ.data(), expectedScale.data(), M, K, strideX,
                strideQ);
  for (int m = 0; m < M; ++m) {
    ASSERT_EQ(numerics::floatBits(scale[m]), numerics::floatBits(expectedScale[m]))
        << "scale of row " << m << ": " << scale[m] << " vs " << expectedScale[m];
    for (int k = 0; k < strideQ; ++k)
      ASSERT_EQ(int(q[size_t(m) * strideQ + k]),
                int(expectedQ[size_t(m) * strideQ + k]))
          << "q[" << m << ", " << k << "] (K = " << K << ")"
          << (k >= K ? ": padding was written" : "");
  }
  if (M > 1)
    EXPECT_EQ(scale[1], ref::kRowQuantEps / 448.0f) << "the all-zero row";
}

INSTANTIATE_TEST_SUITE_P(
    Shapes, RowQuant,
    ::testing::Values(RowQuantCase{1, 8, 8, 16}, RowQuantCase{5, 1368, 1376, 1392},
                      RowQuantCase{3, 7168, 7168, 7168},
                      RowQuantCase{37, 4104, 4112, 4112},
                      RowQuantCase{2, 8192, 8200, 8208}));

struct SoftmaxCase {
  int M, N;
};

class Softmax : public ::testing::TestWithParam<SoftmaxCase> {};

TEST_P(Softmax, MatchesReferenceWithinTolerance) {
  TILE_REQUIRE_GPU();
  const auto [M, N] = GetParam();
  const int stride = N + 4;
  std::mt19937 rng(freshSeed());
  std::uniform_real_distribution<float> dist(-20.0f, 20.0f);
  std::vector<float> x(size_t(M) * stride);
  for (auto &v : x)
    v = dist(rng);
  rt::DeviceBuffer dx = upload(x);
  rt::DeviceBuffer dy = poisoned<float>(size_t(M) * stride);
  rt::Dim3 grid{uint32_t((M + 3) / 4)};
  ASSERT_NO_FATAL_FAILURE(launchTwice(
      [&] {
        return aot::softmax::softmax(grid, dx.address(), dy.address(), M, N,
                                     stride);
      },
      {{dy, 0xff}}));
  std::vector<float> y = download<float>(dy, size_t(M) * stride);
  std::vector<double> expected(size_t(M) * N);
  ref::softmax(x.data(), expected.data(), M, N, stride);
  for (int m = 0; m < M; ++m) {
    for (int n = 0; n < N; ++n) {
      double want = expected[size_t(m) * N + n];
      float got = y[size_t(m) * stride + n];
      // ex2.approx is within 2 ulp; the sum adds a few more.
      ASSERT_NEAR(got, want, 1e-5 * want + 1e-9)
          << "y[" << m << ", " << n << "] (M = " << M << ", N = " << N << ")";
    }
    for (int n = N; n < stride; ++n)
      ASSERT_EQ(numerics::floatBits(y[size_t(m) * stride + n]), 0xffffffffu)
          << "padding y[" << m << ", " << n << "] was written";
  }
}

INSTANTIATE_TEST_SUITE_P(Shapes, Softmax,
                         ::testing::Values(SoftmaxCase{1, 4}, SoftmaxCase{5, 100},
                                           SoftmaxCase{37, 1000},
                                           SoftmaxCase{6, 1024}));

struct MatmulCase {
  int M, N, K;
};

class Matmul : public ::testing::TestWithParam<MatmulCase> {
protected:
  using Launch = decltype(&aot::matmul::matmul);
  /// Runs matmul.mlir (the sm_90a cubin, or `launch`) on operands drawn by
  /// `draw` (f16 bits) and returns c (M x ldc) after checking that its
  /// padding stayed poisoned.
  std::vector<float> run(const std::function<uint16_t()> &draw, int lda,
                         int ldb, int ldc, std::vector<uint16_t> &a,
                         std::vector<uint16_t> &b,
                         Launch launch = aot::matmul::matmul);
  void checkIntegerValued(Launch launch);
};

std::vector<float> Matmul::run(const std::function<uint16_t()> &draw, int lda,
                               int ldb, int ldc, std::vector<uint16_t> &a,
                               std::vector<uint16_t> &b, Launch launch) {
  const auto [M, N, K] = GetParam();
  a.assign(size_t(M) * lda, 0);
  b.assign(size_t(K) * ldb, 0);
  for (auto &v : a)
    v = draw();
  for (auto &v : b)
    v = draw();
  rt::DeviceBuffer da = upload(a), db = upload(b);
  rt::DeviceBuffer dc = poisoned<float>(size_t(M) * ldc);
  rt::Dim3 grid{uint32_t((N + 63) / 64), uint32_t((M + 63) / 64)};
  launchTwice(
      [&] {
        return launch(grid, da.address(), db.address(), dc.address(), M, N,
                      K, lda, ldb, ldc, rt::Stream());
      },
      {{dc, 0xff}});
  std::vector<float> c = download<float>(dc, size_t(M) * ldc);
  for (int m = 0; m < M; ++m)
    for (int n = N; n < ldc; ++n)
      EXPECT_EQ(numerics::floatBits(c[size_t(m) * ldc + n]), 0xffffffffu)
          << "padding c[" << m << ", " << n << "] was written";
  return c;
}

// Small integers: every product and partial sum is an integer below 2^24,
// exact in f32 in any order, so the tensor cores must match bit for bit.
TEST_P(Matmul, IntegerValuedOperandsExactly) {
  TILE_REQUIRE_GPU();
  checkIntegerValued(aot::matmul::matmul);
}

// The sm_80 PTX (mma.sync is Ampere's), compiled by the driver for this GPU.
TEST_P(Matmul, Sm80IntegerValuedOperandsExactly) {
  TILE_REQUIRE_GPU();
  checkIntegerValued(aot::matmul_sm80::matmul);
}

void Matmul::checkIntegerValued(Launch launch) {
  const auto [M, N, K] = GetParam();
  std::mt19937 rng(freshSeed());
  std::uniform_int_distribution<int> dist(-8, 8);
  std::vector<uint16_t> a, b;
  std::vector<float> c =
      run([&] { return numerics::floatToF16(float(dist(rng))); }, K + 8, N + 8,
          N + 4, a, b, launch);
  if (::testing::Test::HasFailure())
    return;
  std::vector<double> expected(size_t(M) * N);
  tile::kernels::matmulReference({}, a.data(), b.data(), expected.data(), M, N,
                                 K, K + 8, N + 8);
  for (int m = 0; m < M; ++m)
    for (int n = 0; n < N; ++n)
      ASSERT_EQ(c[size_t(m) * (N + 4) + n], float(expected[size_t(m) * N + n]))
          << "c[" << m << ", " << n << "] (M = " << M << ", N = " << N
          << ", K = " << K << ")";
}

// Real values: within f32 rounding of the exact sum (the tensor core's
// order of additions is unspecified).
TEST_P(Matmul, RealOperandsWithinRounding) {
  TILE_REQUIRE_GPU();
  const auto [M, N, K] = GetParam();
  std::mt19937 rng(freshSeed());
  std::uniform_real_distribution<float> dist(-2.0f, 2.0f);
  std::vector<uint16_t> a, b;
  std::vector<float> c = run([&] { return numerics::floatToF16(dist(rng)); },
                             K, N, N, a, b);
  if (::testing::Test::HasFailure())
    return;
  std::vector<double> expected(size_t(M) * N);
  tile::kernels::matmulReference({}, a.data(), b.data(), expected.data(), M, N,
                                 K, K, N);
  for (int m = 0; m < M; ++m)
    for (int n = 0; n < N; ++n) {
      double magnitude = 0;
      for (int k = 0; k < K; ++k)
        magnitude += std::abs(
            tile::kernels::matmulOperand({}, a.data(), size_t(m) * K + k) *
            tile::kernels::matmulOperand({}, b.data(), size_t(k) * N + n));
      ASSERT_NEAR(c[size_t(m) * N + n], expected[size_t(m) * N + n],
                  K * 0x1p-23 * magnitude + 1e-30)
          << "c[" << m << ", " << n << "] (M = " << M << ", N = " << N
          << ", K = " << K << ")";
    }
}

INSTANTIATE_TEST_SUITE_P(
    Shapes, Matmul,
    ::testing::Values(MatmulCase{64, 64, 32}, MatmulCase{1, 1, 1},
                      MatmulCase{1, 4096, 64}, MatmulCase{65, 63, 33},
                      MatmulCase{130, 200, 100}, MatmulCase{256, 192, 1000},
                      MatmulCase{17, 300, 2048}));

} // namespace
