//===- Bench.h - The benchmark framework of tile-bench ----------*- C++ -*-===//
//
// A registry of benchmark cases and the context they time themselves with.
// A case allocates its buffers, then hands BenchContext::time() a callback
// that launches its kernel once; time() warms up, then times every launch
// with CUDA events on one stream and returns the median. The callback gets a
// rotation index so the case can cycle through several buffer sets whose
// total exceeds the L2, so that no launch finds its inputs already cached.
// Results go through report(), which prints them next to the device-to-device
// copy bandwidth measured in the same run.
//
// Links only TileRuntime: tile-bench runs on the GPU machine, which has no
// LLVM.
//
//===----------------------------------------------------------------------===//

#ifndef TILE_BENCH_BENCH_H
#define TILE_BENCH_BENCH_H

#include "tile/Runtime/Runtime.h"

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace tile::bench {

class BenchContext;

/// One benchmark: a name ("quant/row_fp8"), a group ("quant"), and the
/// function that sets it up, times it and reports through the context.
struct BenchCase {
  std::string name;
  std::string group;
  std::function<rt::Status(BenchContext &)> run;
};

/// Adds a case to the registry; tile-bench runs them in registration order.
void registerCase(BenchCase benchCase);

/// Every registered case.
const std::vector<BenchCase> &registeredCases();

/// Registers a case from a static initializer; see TILE_BENCH_CASE.
struct CaseRegistrar {
  CaseRegistrar(std::string name, std::string group,
                std::function<rt::Status(BenchContext &)> run) {
    registerCase({std::move(name), std::move(group), std::move(run)});
  }
};

#define TILE_BENCH_CONCAT_INNER(a, b) a##b
#define TILE_BENCH_CONCAT(a, b) TILE_BENCH_CONCAT_INNER(a, b)

/// Registers a case at namespace scope:
///   TILE_BENCH_CASE("quant/row_fp8", "quant", runRowFp8);
/// The file must be linked into tile-bench directly (TILE_BENCH_CASE_SOURCES
/// or add_tile_bench_cases), or the linker drops the registrar.
#define TILE_BENCH_CASE(NAME, GROUP, FUNCTION)                                 \
  static ::tile::bench::CaseRegistrar TILE_BENCH_CONCAT(                       \
      tileBenchCaseRegistrar, __LINE__)(NAME, GROUP, FUNCTION)

/// The timing of one launch callback over many repetitions.
struct Measurement {
  /// The median, in microseconds: what report() takes.
  double medianUs = 0;
  /// The fastest and slowest repetition.
  double minUs = 0;
  double maxUs = 0;
  /// Timed repetitions.
  int reps = 0;
  /// The mean of a batch of launches queued back to back with no events
  /// between them. Events around each launch cost the GPU about 2 us, which
  /// shows in the median of kernels that run for a few microseconds; this is
  /// closer to what such a kernel costs inside an inference engine's stream.
  double backToBackUs = 0;
  /// The same batch with programmatic dependent launch
  /// (rt::Stream::setProgrammaticLaunch): each launch may start while the one
  /// before it finishes, so the launch gaps overlap the kernels. Equal to
  /// backToBackUs in effect for kernels that cannot overlap (not compiled
  /// for sm_90 and later, the driver's copies).
  double overlappedUs = 0;
  /// True if the launches ran back to back behind a rt::StreamGate (so the
  /// events measured GPU time, not the host's pace of launching).
  bool gated = false;
};

/// One reported line, as printed and as written to --json.
struct BenchResult {
  std::string name;
  std::string problem;
  double us = 0;
  /// Bytes read plus written; 0 when the case reports FLOPs or time only.
  double bytes = 0;
  /// Floating-point (or integer) operations; 0 when not reported.
  double flops = 0;
  /// bytes / time, in GB/s (1e9 bytes per second); 0 if bytes is 0.
  double gbps = 0;
  /// gbps as a percentage of the device-to-device copy of the same run.
  double pctOfCopy = 0;
  /// flops / time, in TFLOP/s; 0 if flops is 0.
  double tflops = 0;
  /// Measurement::backToBackUs where the case reported a Measurement; else 0.
  double backToBackUs = 0;
  /// Measurement::overlappedUs where the case reported a Measurement; else 0.
  double overlappedUs = 0;
  /// With --same-size-copy: the driver's copy of the same bytes (half read,
  /// half written) timed as the case was, right after it; else 0.
  double sameSizeCopyUs = 0;
  /// sameSizeCopyUs / us as a percentage: the case's speed against a copy
  /// that pays the same fixed costs (the launch floor, the first loads,
  /// the last stores); 0 without --same-size-copy.
  double pctOfSameSizeCopy = 0;
};

/// What a case times itself with. One context serves a whole tile-bench run:
/// one stream, the copy baseline, and every result reported so far.
class BenchContext {
public:
  /// The signature of a case's launch callback: queue one launch on
  /// `stream`, using buffer set `rotation` (0 .. rotations-1). It must not
  /// wait on the host for the stream (no synchronize, no synchronous copy).
  using LaunchFn = std::function<rt::Status(int rotation, const rt::Stream &)>;

  /// A context on a new stream for device 0 (calls rt::init()). `gated`
  /// false times each launch without a stream gate, to see what the gate
  /// changes.
  static rt::Result<std::unique_ptr<BenchContext>> create(int reps, int warmup,
                                                          bool gated = true);
  ~BenchContext();

  /// Device 0's facts.
  const rt::DeviceInfo &device() const { return deviceInfo; }
  /// The stream every measurement runs on.
  const rt::Stream &stream() const { return benchStream; }
  /// Timed repetitions per measurement (--reps).
  int reps() const { return repetitions; }

  /// Calls `launch` `warmup` times, then `reps` times each between two
  /// events, rotating through `rotations` buffer sets; returns the median.
  /// The timed launches are queued in batches behind a stream gate so that
  /// they run back to back, as in an inference engine's stream.
  rt::Result<Measurement> time(const LaunchFn &launch, int rotations = 1);

  /// How many buffer sets of `bytesPerSet` (inputs + outputs of one launch)
  /// together exceed twice the L2, so that rotating through them defeats
  /// the cache. At least 1, at most 64, and no more than half the free
  /// device memory holds.
  int rotationsFor(size_t bytesPerSet) const;

  /// Records and prints a result that moved `bytesMoved` bytes (read +
  /// written; 0 for time only), with its GB/s and % of copy bandwidth.
  void report(const std::string &name, const std::string &problem,
              double medianUs, double bytesMoved = 0);
  /// The same from a Measurement: its median, and its back-to-back mean
  /// printed and recorded beside it.
  void report(const std::string &name, const std::string &problem,
              const Measurement &measurement, double bytesMoved = 0);
  /// The same for one of the driver's copies: never compared with a
  /// same-size copy of itself.
  void reportCopy(const std::string &name, const std::string &problem,
                  const Measurement &measurement, double bytesMoved);
  /// Records and prints a result that did `flops` operations, with TFLOP/s.
  void reportFlops(const std::string &name, const std::string &problem,
                   double medianUs, double flops);

  /// Times cuMemcpyDtoDAsync moving `bytesMoved` bytes (half read, half
  /// written) over rotating buffers, as the cases are timed, and reports it
  /// as "copy" of `problem`: what the hardware's copy reaches at a case's
  /// size, where fixed costs weigh more than in the 1 GiB baseline.
  rt::Status reportCopyOfSize(const std::string &problem, size_t bytesMoved);

  /// Times cuMemcpyDtoDAsync moving `bytesMoved` bytes (half read, half
  /// written) over rotating buffers, as a case is timed.
  rt::Result<Measurement> timeCopyOfSize(size_t bytesMoved);

  /// With `enabled`, every report() of a Measurement that moved bytes also
  /// times the driver's copy of those bytes (timeCopyOfSize) and reports the
  /// case against it (BenchResult::pctOfSameSizeCopy). The 1 GiB baseline
  /// pays the launch floor (~3.7 us on an H200) as 0.7%, a 50 us case as
  /// 7%: this column shows which part of a gap is the floor.
  void setSameSizeCopy(bool enabled) { sameSizeCopy = enabled; }

  /// Every result reported so far.
  const std::vector<BenchResult> &results() const { return allResults; }

  /// The device-to-device copy baseline of this run (GB/s, read + write),
  /// and the measurement behind it; 0 before setCopyBaseline().
  double copyGbps() const { return copyBandwidth; }
  const Measurement &copyMeasurement() const { return copyTiming; }
  size_t copyBytes() const { return copySize; }
  /// Measures cuMemcpyDtoDAsync of `bytes` between two buffers, and keeps it
  /// as the baseline that report() compares to.
  rt::Status measureCopyBaseline(size_t bytes);

private:
  /// Where a measurement is in its rotation, and whether every batch so far
  /// ran behind a closed gate.
  struct BatchState {
    int rotations = 1;
    long launchIndex = 0;
    bool allGated = true;
  };

  BenchContext() = default;
  rt::Status ensureEvents(size_t count);
  BenchResult bandwidthResult(const std::string &name,
                              const std::string &problem, double medianUs,
                              double bytesMoved) const;
  /// bandwidthResult() of a Measurement's median, with its back-to-back and
  /// overlapped means.
  BenchResult measuredResult(const std::string &name,
                             const std::string &problem,
                             const Measurement &measurement,
                             double bytesMoved) const;
  /// Prints a result and keeps it for results().
  void record(BenchResult result);
  /// Queues `count` launches, behind the gate when there is one, with an
  /// event pair around each launch (starts[j], ends[j]) or one around the
  /// whole batch (starts[0], ends[0]); then waits for the stream.
  rt::Status queueBatch(const LaunchFn &launch, int count, bool eventPerLaunch,
                        BatchState &state, const rt::Stream &stream);

  rt::DeviceInfo deviceInfo;
  rt::Stream benchStream;
  // Optional: without it (no stream memory operations), time() still works,
  // but short kernels are timed at the host's launch rate.
  std::unique_ptr<rt::StreamGate> gate;
  std::vector<rt::Event> starts, ends;
  int repetitions = 100;
  int warmupLaunches = 10;
  double copyBandwidth = 0;
  Measurement copyTiming;
  size_t copySize = 0;
  bool sameSizeCopy = false;
  std::vector<BenchResult> allResults;
};

/// `sets` device buffers of `bytes` each (the rotation sets of a case), each
/// holding a copy of `init` (`bytes` long) or, without it, left as allocated.
rt::Result<std::vector<rt::DeviceBuffer>> allocateSets(int sets, size_t bytes,
                                                       const void *init = nullptr);

/// A fast deterministic generator of benchmark inputs: SplitMix64 (Steele,
/// Lea and Flood, "Fast splittable pseudorandom number generators", 2014),
/// 64 bits a call in a few instructions. Inputs of hundreds of megabytes
/// are drawn in well under a second, where std::mt19937 with a
/// distribution took seconds a case (device time on a leased GPU). Not for
/// statistics: the values need only be spread and never all zero.
class FastRandom {
public:
  explicit FastRandom(uint64_t seed) : state(seed) {}
  uint64_t next() {
    uint64_t z = (state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }

private:
  uint64_t state;
};

/// `count` random bytes, each of the 256 values equally likely (as int8:
/// -128..127).
std::vector<int8_t> randomBytes(size_t count, uint64_t seed);

/// `count` random bf16 bit patterns in [-8, 8): any sign and mantissa,
/// exponents 124..130. Never zeros, so nothing is timed on zeros; as f32
/// pairs they are finite too.
std::vector<uint16_t> randomBf16(size_t count, uint32_t seed);

/// Host-side cost of a launch: calls `launchOnce` a few times to warm up,
/// then `n` times back to back, timed with std::chrono::steady_clock up to
/// the end of a device synchronization; returns microseconds per launch.
rt::Result<double> measureHostLaunchUs(const std::function<void()> &launchOnce,
                                       int n);

} // namespace tile::bench

#endif // TILE_BENCH_BENCH_H
