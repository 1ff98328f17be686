//===- Bench.cpp - The benchmark framework of tile-bench ------------------===//
//
// The case registry, event timing behind a stream gate, buffer rotation,
// the copy baseline and result reporting.
//
//===----------------------------------------------------------------------===//

#include "Bench.h"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <thread>

using namespace tile;
using namespace tile::bench;

//===----------------------------------------------------------------------===//
// Registry
//===----------------------------------------------------------------------===//

namespace {

// A function-local static, so that registrars in other files may run before
// this file's own static initializers.
std::vector<BenchCase> &registry() {
  static std::vector<BenchCase> cases;
  return cases;
}

} // namespace

void tile::bench::registerCase(BenchCase benchCase) {
  registry().push_back(std::move(benchCase));
}

const std::vector<BenchCase> &tile::bench::registeredCases() {
  return registry();
}

//===----------------------------------------------------------------------===//
// Timing
//===----------------------------------------------------------------------===//

namespace {

/// Timed launches queued behind one closed gate. Small enough that the
/// driver's queue never fills while the gate holds the stream (a full queue
/// would block the host, which is the only one who can open the gate).
constexpr int kGateBatch = 32;

/// Opens a gate if the host has not within a deadline: a launch callback
/// that waits for the stream (against the rules) would otherwise wait
/// forever for a gate that only the host can open.
class GateWatchdog {
public:
  GateWatchdog(rt::StreamGate &gate, std::chrono::milliseconds deadline)
      : thread([this, &gate, deadline] {
          std::unique_lock<std::mutex> lock(mutex);
          if (!done.wait_for(lock, deadline, [this] { return finished; })) {
            fired = true;
            gate.open();
          }
        }) {}
  /// Stops the watchdog; true if it had to open the gate itself.
  bool stop() {
    {
      std::lock_guard<std::mutex> lock(mutex);
      finished = true;
    }
    done.notify_one();
    thread.join();
    return fired;
  }

private:
  std::mutex mutex;
  std::condition_variable done;
  bool finished = false;
  bool fired = false;
  std::thread thread;
};

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  size_t n = values.size();
  return n % 2 ? values[n / 2] : 0.5 * (values[n / 2 - 1] + values[n / 2]);
}

} // namespace

rt::Result<std::unique_ptr<BenchContext>>
BenchContext::create(int reps, int warmup, bool gated) {
  rt::Result<rt::DeviceInfo> info = rt::deviceInfo();
  if (!info)
    return info.status();
  rt::Result<rt::Stream> stream = rt::Stream::create();
  if (!stream)
    return stream.status();
  std::unique_ptr<BenchContext> context(new BenchContext());
  context->deviceInfo = info.value();
  context->benchStream = std::move(stream.value());
  context->repetitions = std::max(1, reps);
  context->warmupLaunches = std::max(0, warmup);
  if (gated) {
    rt::Result<rt::StreamGate> gate = rt::StreamGate::create();
    if (gate)
      context->gate = std::make_unique<rt::StreamGate>(std::move(gate.value()));
    else
      std::fprintf(stderr,
                   "tile-bench: warning: no stream gate (%s); short kernels "
                   "will be timed at the host's launch rate\n",
                   gate.status().str().c_str());
  }
  if (rt::Status s = context->ensureEvents(kGateBatch); !s)
    return s;
  return context;
}

BenchContext::~BenchContext() = default;

rt::Status BenchContext::ensureEvents(size_t count) {
  while (starts.size() < count) {
    rt::Result<rt::Event> start = rt::Event::create();
    if (!start)
      return start.status();
    rt::Result<rt::Event> end = rt::Event::create();
    if (!end)
      return end.status();
    starts.push_back(std::move(start.value()));
    ends.push_back(std::move(end.value()));
  }
  return rt::Status::ok();
}

rt::Status BenchContext::queueBatch(const LaunchFn &launch, int count,
                                    bool eventPerLaunch, BatchState &state,
                                    const rt::Stream &stream) {
  bool gated = false;
  if (gate) {
    rt::Status closed = gate->close(stream);
    gated = closed.isOk();
    if (!gated) {
      // Seen once, the failure would repeat: time ungated from now on.
      std::fprintf(stderr, "tile-bench: warning: %s; timing ungated\n",
                   closed.str().c_str());
      gate.reset();
    }
  }
  if (!gated)
    state.allGated = false;
  std::unique_ptr<GateWatchdog> watchdog;
  if (gated)
    watchdog = std::make_unique<GateWatchdog>(*gate, std::chrono::seconds(10));
  rt::Status queued = rt::Status::ok();
  for (int j = 0; j < count && queued; ++j) {
    if (eventPerLaunch || j == 0)
      queued = starts[eventPerLaunch ? j : 0].record(stream);
    if (queued)
      queued = launch(int(state.launchIndex++ % state.rotations), stream);
    if (queued && (eventPerLaunch || j == count - 1))
      queued = ends[eventPerLaunch ? j : 0].record(stream);
  }
  if (gated) {
    gate->open();
    if (watchdog->stop()) {
      std::fprintf(stderr, "tile-bench: warning: a launch callback waited "
                           "for its stream; the gate was opened late\n");
      state.allGated = false;
    }
  }
  rt::Status synced = stream.synchronize();
  return queued ? synced : queued;
}

rt::Result<Measurement> BenchContext::time(const LaunchFn &launch,
                                           int rotations) {
  BatchState state;
  state.rotations = std::max(1, rotations);
  for (int i = 0; i < warmupLaunches; ++i)
    if (rt::Status s =
            launch(int(state.launchIndex++ % state.rotations), benchStream);
        !s)
      return s;
  if (rt::Status s = benchStream.synchronize(); !s)
    return s;

  std::vector<double> samples;
  samples.reserve(repetitions);
  for (int done = 0; done < repetitions; done += kGateBatch) {
    int batch = std::min(kGateBatch, repetitions - done);
    if (rt::Status s = queueBatch(launch, batch, true, state, benchStream); !s)
      return s;
    for (int j = 0; j < batch; ++j) {
      rt::Result<float> ms = rt::Event::elapsedMs(starts[j], ends[j]);
      if (!ms)
        return ms.status();
      samples.push_back(double(ms.value()) * 1000.0);
    }
  }
  int batch = std::min(kGateBatch, repetitions);
  if (rt::Status s = queueBatch(launch, batch, false, state, benchStream); !s)
    return s;
  rt::Result<float> batchMs = rt::Event::elapsedMs(starts[0], ends[0]);
  if (!batchMs)
    return batchMs.status();
  // The same batch again, each launch allowed to overlap the one before.
  rt::Stream overlapping = rt::Stream::borrow(benchStream.handle());
  overlapping.setProgrammaticLaunch(true);
  if (rt::Status s = queueBatch(launch, batch, false, state, overlapping); !s)
    return s;
  rt::Result<float> overlappedMs = rt::Event::elapsedMs(starts[0], ends[0]);
  if (!overlappedMs)
    return overlappedMs.status();

  Measurement m;
  m.reps = int(samples.size());
  m.medianUs = median(samples);
  m.minUs = *std::min_element(samples.begin(), samples.end());
  m.maxUs = *std::max_element(samples.begin(), samples.end());
  m.backToBackUs = double(batchMs.value()) * 1000.0 / batch;
  m.overlappedUs = double(overlappedMs.value()) * 1000.0 / batch;
  m.gated = state.allGated;
  return m;
}

int BenchContext::rotationsFor(size_t bytesPerSet) const {
  if (bytesPerSet == 0)
    return 1;
  // Strictly more than 2x L2: a set is evicted before it comes round again.
  size_t target = 2 * size_t(std::max(deviceInfo.l2CacheBytes, 0));
  size_t sets = target / bytesPerSet + 1;
  sets = std::min<size_t>(sets, 64);
  if (rt::Result<rt::MemoryInfo> memory = rt::memoryInfo(); memory)
    sets = std::min(sets, memory->freeBytes / 2 / bytesPerSet);
  return int(std::max<size_t>(sets, 1));
}

rt::Status BenchContext::measureCopyBaseline(size_t bytes) {
  rt::Result<rt::DeviceBuffer> src = rt::DeviceBuffer::allocate(bytes);
  if (!src)
    return src.status();
  rt::Result<rt::DeviceBuffer> dst = rt::DeviceBuffer::allocate(bytes);
  if (!dst)
    return dst.status();
  if (rt::Status s = src->fill(0x5a); !s)
    return s;
  rt::Result<Measurement> m = time([&](int, const rt::Stream &stream) {
    return rt::copyDeviceToDevice(dst->address(), src->address(), bytes,
                                  stream);
  });
  if (!m)
    return m.status();
  copyTiming = m.value();
  copySize = bytes;
  copyBandwidth = 2.0 * double(bytes) / (copyTiming.medianUs * 1e3);
  return rt::Status::ok();
}

rt::Result<Measurement> BenchContext::timeCopyOfSize(size_t bytesMoved) {
  size_t bytes = bytesMoved / 2;
  int sets = rotationsFor(2 * bytes);
  auto src = allocateSets(sets, bytes);
  auto dst = allocateSets(sets, bytes);
  if (!src || !dst)
    return !src ? src.status() : dst.status();
  return time(
      [&](int r, const rt::Stream &stream) {
        return rt::copyDeviceToDevice((*dst)[r].address(), (*src)[r].address(),
                                      bytes, stream);
      },
      sets);
}

rt::Status BenchContext::reportCopyOfSize(const std::string &problem,
                                          size_t bytesMoved) {
  rt::Result<Measurement> m = timeCopyOfSize(bytesMoved);
  if (!m)
    return m.status();
  reportCopy("copy", problem, *m, double(bytesMoved / 2 * 2));
  return rt::Status::ok();
}

//===----------------------------------------------------------------------===//
// Reporting
//===----------------------------------------------------------------------===//

namespace {

void printResult(const BenchResult &r) {
  std::printf("%-32s %-28s %10.2f us", r.name.c_str(), r.problem.c_str(), r.us);
  if (r.bytes > 0) {
    std::printf("  %8.1f GB/s", r.gbps);
    if (r.pctOfCopy > 0)
      std::printf("  %5.1f%% of copy", r.pctOfCopy);
    if (r.pctOfSameSizeCopy > 0)
      std::printf("  %5.1f%% of same-size copy (%.2f us)", r.pctOfSameSizeCopy,
                  r.sameSizeCopyUs);
  }
  if (r.flops > 0)
    std::printf("  %8.2f TFLOP/s", r.tflops);
  if (r.backToBackUs > 0 && r.overlappedUs > 0)
    std::printf("  (back to back %.2f us, overlapped %.2f us)", r.backToBackUs,
                r.overlappedUs);
  else if (r.backToBackUs > 0)
    std::printf("  (back to back %.2f us)", r.backToBackUs);
  std::printf("\n");
  std::fflush(stdout);
}

} // namespace

BenchResult BenchContext::bandwidthResult(const std::string &name,
                                          const std::string &problem,
                                          double medianUs,
                                          double bytesMoved) const {
  BenchResult r;
  r.name = name;
  r.problem = problem;
  r.us = medianUs;
  r.bytes = bytesMoved;
  if (bytesMoved > 0 && medianUs > 0) {
    r.gbps = bytesMoved / (medianUs * 1e3);
    if (copyBandwidth > 0)
      r.pctOfCopy = 100.0 * r.gbps / copyBandwidth;
  }
  return r;
}

BenchResult BenchContext::measuredResult(const std::string &name,
                                         const std::string &problem,
                                         const Measurement &measurement,
                                         double bytesMoved) const {
  BenchResult r =
      bandwidthResult(name, problem, measurement.medianUs, bytesMoved);
  r.backToBackUs = measurement.backToBackUs;
  r.overlappedUs = measurement.overlappedUs;
  return r;
}

void BenchContext::record(BenchResult result) {
  printResult(result);
  allResults.push_back(std::move(result));
}

void BenchContext::report(const std::string &name, const std::string &problem,
                          double medianUs, double bytesMoved) {
  record(bandwidthResult(name, problem, medianUs, bytesMoved));
}

void BenchContext::report(const std::string &name, const std::string &problem,
                          const Measurement &measurement, double bytesMoved) {
  BenchResult r = measuredResult(name, problem, measurement, bytesMoved);
  if (sameSizeCopy && bytesMoved >= 2 && measurement.medianUs > 0) {
    rt::Result<Measurement> copy = timeCopyOfSize(size_t(bytesMoved));
    if (copy) {
      r.sameSizeCopyUs = copy->medianUs;
      r.pctOfSameSizeCopy = 100.0 * copy->medianUs / measurement.medianUs;
    } else {
      std::fprintf(stderr,
                   "tile-bench: warning: the same-size copy of %s %s: %s\n",
                   name.c_str(), problem.c_str(), copy.status().str().c_str());
    }
  }
  record(std::move(r));
}

void BenchContext::reportCopy(const std::string &name,
                              const std::string &problem,
                              const Measurement &measurement,
                              double bytesMoved) {
  record(measuredResult(name, problem, measurement, bytesMoved));
}

void BenchContext::reportFlops(const std::string &name,
                               const std::string &problem, double medianUs,
                               double flops) {
  BenchResult r;
  r.name = name;
  r.problem = problem;
  r.us = medianUs;
  r.flops = flops;
  if (flops > 0 && medianUs > 0)
    r.tflops = flops / (medianUs * 1e6);
  record(std::move(r));
}

//===----------------------------------------------------------------------===//
// Host launch cost
//===----------------------------------------------------------------------===//

rt::Result<double>
tile::bench::measureHostLaunchUs(const std::function<void()> &launchOnce,
                                 int n) {
  if (n <= 0)
    return rt::Status::error("TILE_BAD_ARGUMENTS",
                             "measureHostLaunchUs needs n > 0, got " +
                                 std::to_string(n));
  for (int i = 0; i < std::min(n, 10); ++i)
    launchOnce();
  if (rt::Status s = rt::synchronizeDevice(); !s)
    return s;
  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < n; ++i)
    launchOnce();
  if (rt::Status s = rt::synchronizeDevice(); !s)
    return s;
  auto end = std::chrono::steady_clock::now();
  return std::chrono::duration<double, std::micro>(end - start).count() / n;
}

rt::Result<std::vector<rt::DeviceBuffer>>
tile::bench::allocateSets(int sets, size_t bytes, const void *init) {
  std::vector<rt::DeviceBuffer> out;
  for (int i = 0; i < sets; ++i) {
    auto buffer = rt::DeviceBuffer::allocate(bytes);
    if (!buffer)
      return buffer.status();
    if (init)
      if (rt::Status s = buffer->copyFromHost(init, bytes); !s)
        return s;
    out.push_back(std::move(*buffer));
  }
  return out;
}

std::vector<int8_t> tile::bench::randomBytes(size_t count, uint64_t seed) {
  FastRandom rng(seed);
  std::vector<int8_t> host(count);
  for (size_t i = 0; i < count; i += 8) {
    uint64_t r = rng.next();
    for (size_t j = 0; j < 8 && i + j < count; ++j)
      host[i + j] = int8_t(uint8_t(r >> (8 * j)));
  }
  return host;
}

std::vector<uint16_t> tile::bench::randomBf16(size_t count, uint32_t seed) {
  FastRandom rng(seed);
  std::vector<uint16_t> host(count);
  // 16 bits of a draw a value: 8 for the sign and the 7 mantissa bits, 8 for
  // the exponent (124 + a byte mod 7: nearly uniform, which is all a
  // benchmark needs).
  for (size_t i = 0; i < count; i += 4) {
    uint64_t r = rng.next();
    for (size_t j = 0; j < 4 && i + j < count; ++j) {
      uint32_t bits = uint32_t(r >> (16 * j));
      uint32_t signAndMantissa = (bits & 0x7f) | ((bits & 0x80) << 8);
      uint32_t exponent = 124 + ((bits >> 8) & 0xff) % 7;
      host[i + j] = uint16_t(signAndMantissa | (exponent << 7));
    }
  }
  return host;
}
