//===- ExhaustiveApproxMathTest.cpp - The flush-safe forms, every input ---===//
//
// kernels/examples/approx_math.mlir computes SiLU over all 2^32 f32 bit
// patterns twice: once where the lowering proves the flush-to-zero forms
// exact (ex2.approx.ftz, rcp.approx.ftz and a multiply: FlushSafeMath.cpp)
// and once with the full forms (ex2.approx, div.approx), the constant 1
// being an argument there. The two must agree bit for bit on every input:
// that is the whole claim the lowering makes, checked on the hardware that
// makes it true (the special function unit's flushing), NaNs included.
//
// In the LargeGpu suite (scripts/gpu-bundle-run.sh large): chunks of 2^26
// inputs, 768 MB of GPU memory.
//
//===----------------------------------------------------------------------===//

#include "GpuTest.h"

#include "tile/aot/approx_math.h"

#include <atomic>
#include <cstring>
#include <sstream>

using namespace tile;
using namespace tile::testing;

namespace {

TEST(LargeGpu, SiluOfEveryF32AsWithoutFlushSafeForms) {
  TILE_REQUIRE_GPU();
  constexpr int64_t chunk = int64_t(1) << 26;
  constexpr int64_t total = int64_t(1) << 32;
  std::vector<uint32_t> bits(chunk);
  rt::DeviceBuffer dx = poisoned<uint32_t>(chunk);
  rt::DeviceBuffer shortForm = poisoned<uint32_t>(chunk),
                   fullForm = poisoned<uint32_t>(chunk);
  for (int64_t start = 0; start < total; start += chunk) {
    for (int64_t i = 0; i < chunk; ++i)
      bits[i] = uint32_t(start + i);
    TILE_ASSERT_OK(dx.copyFromHost(bits.data(), chunk * sizeof(uint32_t)));
    // Different poison in each, so that an element neither kernel wrote
    // cannot pass as agreement.
    TILE_ASSERT_OK(shortForm.fill(0xa5));
    TILE_ASSERT_OK(fullForm.fill(0x5a));
    TILE_ASSERT_OK(aot::approx_math::silu_forms(
        rt::Dim3{uint32_t(chunk / 512)}, dx.address(), shortForm.address(),
        fullForm.address(), 1.0f, int32_t(chunk), rt::Stream()));
    TILE_ASSERT_OK(rt::synchronizeDevice());
    auto got = download<uint32_t>(shortForm, chunk);
    auto want = download<uint32_t>(fullForm, chunk);
    std::atomic<int64_t> mismatches{0};
    std::atomic<int64_t> firstBad{-1};
    parallelFor(chunk, [&](int64_t begin, int64_t end) {
      int64_t bad = 0;
      for (int64_t i = begin; i < end; ++i)
        if (got[i] != want[i]) {
          int64_t expected = -1;
          if (bad++ == 0)
            firstBad.compare_exchange_strong(expected, i);
        }
      mismatches += bad;
    });
    if (mismatches.load() != 0) {
      int64_t i = firstBad.load();
      std::ostringstream os;
      os << std::hex << "x = 0x" << bits[i] << ": flush-safe forms 0x"
         << got[i] << ", full forms 0x" << want[i];
      FAIL() << mismatches.load() << " inputs of the chunk at 0x" << std::hex
             << start << " differ; e.g. " << os.str();
    }
  }
}

} // namespace
