//===- ExhaustiveConvertTest.cpp - Every f32 through every conversion -----===//
//
// kernels/examples/convert.mlir on all 2^32 f32 bit patterns (every NaN,
// subnormal, tie and saturation boundary), through the sm_90a cubin and
// the sm_80 PTX (the driver compiles it for the GPU at hand), each output
// compared with the host model bit for bit (ConversionReference.h). It
// searches where ConvertTest samples: the e2m1 lowering, integer and FMA
// arithmetic on the bits since 8b2deec, was checked against its threshold
// form on the host over all inputs; this checks what the GPU computes.
//
// In the LargeGpu suite (--gtest_filter='LargeGpu.*', scripts/gpu-bundle-run.sh
// large): 2^32 inputs in chunks of 2^26, the host model on every core; about
// 1.2 GB of GPU memory and 2 GB of host memory.
//
//===----------------------------------------------------------------------===//

#include "ConversionReference.h"
#include "GpuTest.h"

#include "tile/aot/convert.h"
#include "tile/aot/convert_sm80.h"

#include <atomic>
#include <cfenv>
#include <mutex>

using namespace tile;
using namespace tile::testing;

namespace {

using Launch = decltype(&aot::convert::convert);

void convertEveryFloat(Launch launch, const char *path) {
  constexpr int64_t chunk = int64_t(1) << 26;
  constexpr int64_t total = int64_t(1) << 32;
  std::vector<uint32_t> bits(chunk);
  rt::DeviceBuffer dx = poisoned<uint32_t>(chunk);
  rt::DeviceBuffer sat = poisoned<uint8_t>(chunk), plain = poisoned<uint8_t>(chunk);
  rt::DeviceBuffer back = poisoned<float>(chunk), fp4 = poisoned<float>(chunk);
  rt::DeviceBuffer even = poisoned<int8_t>(chunk), zero = poisoned<int8_t>(chunk),
                   away = poisoned<int8_t>(chunk);
  rt::DeviceBuffer packed = poisoned<uint8_t>(chunk / 2);
  std::atomic<int64_t> mismatches{0};
  std::mutex firstLock;
  std::string first;
  for (int64_t start = 0; start < total; start += chunk) {
    for (int64_t i = 0; i < chunk; ++i)
      bits[i] = uint32_t(start + i);
    TILE_ASSERT_OK(dx.copyFromHost(bits.data(), chunk * sizeof(uint32_t)));
    for (rt::DeviceBuffer *out :
         {&sat, &plain, &back, &fp4, &even, &zero, &away, &packed})
      TILE_ASSERT_OK(out->fill(0xff));
    TILE_ASSERT_OK(launch(rt::Dim3{uint32_t(chunk / 512)}, dx.address(),
                          sat.address(), plain.address(), back.address(),
                          fp4.address(), even.address(), zero.address(),
                          away.address(), packed.address(), int32_t(chunk),
                          rt::Stream()));
    TILE_ASSERT_OK(rt::synchronizeDevice());
    auto gotSat = download<uint8_t>(sat, chunk), gotPlain = download<uint8_t>(plain, chunk);
    auto gotBack = download<float>(back, chunk), got4 = download<float>(fp4, chunk);
    auto gotEven = download<int8_t>(even, chunk), gotZero = download<int8_t>(zero, chunk),
         gotAway = download<int8_t>(away, chunk);
    auto gotPacked = download<uint8_t>(packed, chunk / 2);
    // The host model on every core, each over a contiguous range.
    parallelFor(chunk, [&](int64_t begin, int64_t end) {
      std::fesetround(FE_TONEAREST);
      int64_t bad = 0;
      for (int64_t i = begin; i < end; ++i) {
        ConvertedValue got{gotSat[i],  gotPlain[i], gotBack[i], got4[i],
                           gotEven[i], gotZero[i],  gotAway[i],
                           uint8_t(gotPacked[i / 2] >> (4 * (i % 2)) & 15)};
        std::string why = firstMismatch(numerics::bitsFloat(bits[i]), got);
        if (why.empty())
          continue;
        if (bad++ == 0) {
          std::lock_guard<std::mutex> lock(firstLock);
          if (first.empty()) {
            std::ostringstream os;
            os << "bits 0x" << std::hex << bits[i] << ": " << why;
            first = os.str();
          }
        }
      }
      mismatches += bad;
    });
    ASSERT_EQ(mismatches.load(), 0)
        << path << ": " << mismatches.load() << " inputs of the chunk at 0x"
        << std::hex << start << " differ from the host model; the first: "
        << first;
  }
}

TEST(LargeGpu, ConversionsOfEveryF32Sm90aCubinBitExactly) {
  TILE_REQUIRE_GPU();
  convertEveryFloat(aot::convert::convert, "sm_90a cubin");
}

TEST(LargeGpu, ConversionsOfEveryF32Sm80PtxBitExactly) {
  TILE_REQUIRE_GPU();
  convertEveryFloat(aot::convert_sm80::convert, "sm_80 PTX");
}

} // namespace
