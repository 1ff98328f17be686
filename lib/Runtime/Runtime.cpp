//===- Runtime.cpp - The thin CUDA driver-API launcher --------------------===//
//
// The classes of tile/Runtime/Runtime.h over the driver table of Driver.h.
// Every entry point that can be reached first calls init(), so on a machine
// without a GPU each one returns init()'s error instead of crashing.
//
//===----------------------------------------------------------------------===//

#include "tile/Runtime/Runtime.h"

#include "Driver.h"

#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>

using namespace tile::rt;
using tile::rt::detail::check;
using tile::rt::detail::cudaError;
using tile::rt::detail::driver;

//===----------------------------------------------------------------------===//
// Status and Result
//===----------------------------------------------------------------------===//

Status Status::error(std::string name, std::string message) {
  Status status;
  status.errorName = name.empty() ? "TILE_ERROR" : std::move(name);
  status.errorMessage = std::move(message);
  return status;
}

std::string Status::str() const {
  if (isOk())
    return "ok";
  return errorName + ": " + errorMessage;
}

void tile::rt::abortOnResultError(const Status &status) {
  std::fprintf(stderr, "tile::rt: value() of a failed Result: %s\n",
               status.str().c_str());
  std::abort();
}

//===----------------------------------------------------------------------===//
// init
//===----------------------------------------------------------------------===//

namespace {

/// rawLaunchKernel() answers nullptr until the driver has been initialized.
std::atomic<LaunchKernelFn> launchKernelAfterInit{nullptr};

/// What initializing the driver found, once per process, and the primary
/// context of each device, retained on first use.
struct DriverState {
  Status status = Status::ok();
  int deviceCount = 0;
  /// primary[i]: device i's primary context, null until setDevice(i) or
  /// init() retained it; published with release, read with acquire, so that
  /// a DeviceGuard of a device already seen takes no lock.
  std::unique_ptr<std::atomic<CUcontext>[]> primary;
};

DriverState initDriverOnce() {
  DriverState state;
  state.status = detail::loadDriver();
  if (!state.status)
    return state;
  const detail::Driver &d = driver();
  // A driver without a usable GPU (or the toolkit's stub library) fails
  // here; the CUDA name goes into the message, the name says "no GPU".
  auto noGpu = [](CUresult result, const char *what) {
    Status cuda = cudaError(result, what);
    return Status::error("TILE_NO_GPU",
                         cuda.message() + " (" + cuda.name() + ")");
  };
  if (CUresult result = d.init(0); result != CUDA_SUCCESS) {
    state.status = noGpu(result, "cuInit(0) failed");
    return state;
  }
  if (CUresult result = d.deviceGetCount(&state.deviceCount);
      result != CUDA_SUCCESS) {
    state.status = noGpu(result, "counting devices failed");
    return state;
  }
  if (state.deviceCount <= 0) {
    state.status =
        Status::error("TILE_NO_GPU", "the driver sees no CUDA device");
    return state;
  }
  state.primary =
      std::make_unique<std::atomic<CUcontext>[]>(size_t(state.deviceCount));
  for (int i = 0; i < state.deviceCount; ++i)
    state.primary[i].store(nullptr, std::memory_order_relaxed);
  launchKernelAfterInit.store(d.launchKernel, std::memory_order_release);
  return state;
}

const DriverState &driverState() {
  static const DriverState state = initDriverOnce();
  return state;
}

[[gnu::noinline, gnu::cold]] Status badOrdinal(int ordinal, int count) {
  std::string message = "no CUDA device " + std::to_string(ordinal);
  if (count < 0)
    return Status::error("TILE_BAD_ARGUMENTS",
                         message + ": device ordinals start at 0");
  return Status::error("TILE_BAD_ARGUMENTS",
                       message + ": the driver sees " + std::to_string(count) +
                           " device" + (count == 1 ? "" : "s") + " (0 to " +
                           std::to_string(count - 1) + ")");
}

/// Retains device `ordinal`'s primary context (once: later callers find it
/// published in state.primary). Cold: the first use of each device.
[[gnu::noinline, gnu::cold]] Status
retainPrimary(const DriverState &state, int ordinal, CUcontext &context) {
  static std::mutex mutex;
  std::lock_guard<std::mutex> lock(mutex);
  context = state.primary[ordinal].load(std::memory_order_acquire);
  if (context)
    return Status::ok();
  const detail::Driver &d = driver();
  std::string which = "device " + std::to_string(ordinal);
  CUdevice device = 0;
  if (Status s =
          check(d.deviceGet(&device, ordinal), ("getting " + which).c_str());
      !s)
    return s;
  // The primary context is the one the CUDA runtime and other libraries
  // (PyTorch) share, so buffers and streams made here can be handed to them.
  if (Status s = check(d.primaryCtxRetain(&context, device),
                       ("retaining the primary context of " + which).c_str());
      !s)
    return s;
  state.primary[ordinal].store(context, std::memory_order_release);
  return Status::ok();
}

/// Device `ordinal`'s primary context, retained on first use. Without a lock
/// or a string once the device has been used.
Status primaryContext(int ordinal, CUcontext &context) {
  const DriverState &state = driverState();
  if (!state.status)
    return ordinal < 0 ? badOrdinal(ordinal, -1) : state.status;
  if (ordinal < 0 || ordinal >= state.deviceCount)
    return badOrdinal(ordinal, state.deviceCount);
  context = state.primary[ordinal].load(std::memory_order_acquire);
  if (context)
    return Status::ok();
  return retainPrimary(state, ordinal, context);
}

[[gnu::noinline, gnu::cold]] Status cannotMakeCurrent(CUresult result,
                                                      int ordinal) {
  return cudaError(result, ("making the primary context of device " +
                            std::to_string(ordinal) + " current")
                               .c_str());
}

/// Makes device `ordinal`'s primary context `context` current; no string
/// unless it fails (a DeviceGuard switches on every launch of a caller whose
/// tensors are on another device than its current one).
Status makeCurrent(CUcontext context, int ordinal) {
  if (CUresult result = driver().ctxSetCurrent(context); result != CUDA_SUCCESS)
    return cannotMakeCurrent(result, ordinal);
  return Status::ok();
}

/// The calling thread's current context; on a thread with none, device 0's
/// primary context, made current. The driver must be initialized.
Status currentOrDefaultContext(CUcontext &context) {
  context = nullptr;
  if (CUresult result = driver().ctxGetCurrent(&context);
      result != CUDA_SUCCESS)
    return cudaError(result, "reading the current context");
  if (context)
    return Status::ok();
  if (Status s = primaryContext(0, context); !s)
    return s;
  return makeCurrent(context, 0);
}

} // namespace

Status tile::rt::init() {
  const DriverState &state = driverState();
  if (!state.status)
    return state.status;
  CUcontext context = nullptr;
  return currentOrDefaultContext(context);
}

bool tile::rt::hasGpu() { return init().isOk(); }

LaunchKernelFn tile::rt::rawLaunchKernel() {
  return launchKernelAfterInit.load(std::memory_order_acquire);
}

Result<int> tile::rt::deviceCount() {
  const DriverState &state = driverState();
  if (!state.status)
    return state.status;
  return state.deviceCount;
}

Status tile::rt::setDevice(int ordinal) {
  CUcontext context = nullptr;
  if (Status s = primaryContext(ordinal, context); !s)
    return s;
  return makeCurrent(context, ordinal);
}

Result<int> tile::rt::currentDevice() {
  if (Status s = init(); !s)
    return s;
  CUdevice device = 0;
  if (Status s = check(driver().ctxGetDevice(&device),
                       "reading the device of the current context");
      !s)
    return s;
  return int(device);
}

DeviceGuard::DeviceGuard(int ordinal) {
  CUcontext context = nullptr;
  outcome = primaryContext(ordinal, context);
  if (!outcome)
    return;
  const detail::Driver &d = driver();
  if (CUresult result = d.ctxGetCurrent(&previous); result != CUDA_SUCCESS) {
    outcome = cudaError(result, "reading the current context");
    return;
  }
  if (previous == context)
    return;
  outcome = makeCurrent(context, ordinal);
  switched = outcome.isOk();
}

DeviceGuard::~DeviceGuard() {
  // Nobody to report a failure to; the previous context (possibly none) is
  // what the caller had, and setting it fails only if it was destroyed.
  if (switched)
    driver().ctxSetCurrent(previous);
}

Result<DeviceInfo> tile::rt::deviceInfo() {
  if (Status s = init(); !s)
    return s;
  const detail::Driver &d = driver();
  CUdevice device = 0;
  if (Status s = check(d.ctxGetDevice(&device),
                       "reading the device of the current context");
      !s)
    return s;
  DeviceInfo info;
  char name[256] = {};
  if (Status s = check(d.deviceGetName(name, sizeof(name) - 1, device),
                       "reading the device name");
      !s)
    return s;
  info.name = name;
  auto attribute = [&](CUdevice_attribute which, int &out,
                       const char *what) -> Status {
    return check(d.deviceGetAttribute(&out, which, device), what);
  };
  int major = 0, minor = 0;
  Status s = attribute(CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR, major,
                       "reading the compute capability");
  if (s)
    s = attribute(CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR, minor,
                  "reading the compute capability");
  if (s)
    s = attribute(CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT, info.smCount,
                  "reading the SM count");
  if (s)
    s = attribute(CU_DEVICE_ATTRIBUTE_L2_CACHE_SIZE, info.l2CacheBytes,
                  "reading the L2 cache size");
  if (s)
    s = check(d.deviceTotalMem(&info.globalMemoryBytes, device),
              "reading the device memory size");
  if (!s)
    return s;
  info.computeCapability = major * 10 + minor;
  return info;
}

Result<MemoryInfo> tile::rt::memoryInfo() {
  if (Status s = init(); !s)
    return s;
  MemoryInfo info;
  if (Status s = check(driver().memGetInfo(&info.freeBytes, &info.totalBytes),
                       "reading free device memory");
      !s)
    return s;
  return info;
}

Status tile::rt::synchronizeDevice() {
  if (Status s = init(); !s)
    return s;
  return check(driver().ctxSynchronize(), "synchronizing the device");
}

//===----------------------------------------------------------------------===//
// DeviceBuffer
//===----------------------------------------------------------------------===//

namespace {

Status checkRange(const char *what, size_t count, size_t offset, size_t size) {
  if (offset <= size && count <= size - offset)
    return Status::ok();
  return Status::error("TILE_OUT_OF_RANGE",
                       std::string(what) + " " + std::to_string(count) +
                           " bytes at offset " + std::to_string(offset) +
                           " of a " + std::to_string(size) + "-byte buffer");
}

} // namespace

Result<DeviceBuffer> DeviceBuffer::allocate(size_t bytes) {
  if (Status s = init(); !s)
    return s;
  if (bytes == 0)
    return DeviceBuffer();
  CUdeviceptr ptr = 0;
  if (CUresult result = driver().memAlloc(&ptr, bytes); result != CUDA_SUCCESS)
    return cudaError(result, ("allocating " + std::to_string(bytes) +
                              " bytes of device memory")
                                 .c_str());
  return DeviceBuffer(ptr, bytes);
}

void DeviceBuffer::release() {
  // A failure here (typically at process exit, after the driver tore the
  // context down) has no one to report to, and the memory is gone either way.
  if (ptr)
    driver().memFree(ptr);
  ptr = 0;
  bytes = 0;
}

DeviceBuffer::~DeviceBuffer() { release(); }

DeviceBuffer::DeviceBuffer(DeviceBuffer &&other) noexcept
    : ptr(other.ptr), bytes(other.bytes) {
  other.ptr = 0;
  other.bytes = 0;
}

DeviceBuffer &DeviceBuffer::operator=(DeviceBuffer &&other) noexcept {
  if (this != &other) {
    release();
    std::swap(ptr, other.ptr);
    std::swap(bytes, other.bytes);
  }
  return *this;
}

Status DeviceBuffer::copyFromHost(const void *src, size_t count,
                                  size_t offset) {
  if (Status s = checkRange("copying", count, offset, bytes); !s)
    return s;
  if (count == 0)
    return Status::ok();
  if (Status s = init(); !s)
    return s;
  return check(driver().memcpyHtoD(ptr + offset, src, count),
               "copying host memory to a device buffer");
}

Status DeviceBuffer::copyToHost(void *dst, size_t count, size_t offset) const {
  if (Status s = checkRange("copying", count, offset, bytes); !s)
    return s;
  if (count == 0)
    return Status::ok();
  if (Status s = init(); !s)
    return s;
  return check(driver().memcpyDtoH(dst, ptr + offset, count),
               "copying a device buffer to host memory");
}

Status DeviceBuffer::fill(uint8_t byte) {
  if (bytes == 0)
    return Status::ok();
  if (Status s = init(); !s)
    return s;
  return check(driver().memsetD8(ptr, byte, bytes), "filling a device buffer");
}

Status tile::rt::copyDeviceToDevice(uint64_t dst, uint64_t src, size_t bytes,
                                    const Stream &stream) {
  if (Status s = init(); !s)
    return s;
  if (bytes == 0)
    return Status::ok();
  return check(driver().memcpyDtoDAsync(dst, src, bytes, stream.handle()),
               "copying device memory to device memory");
}

//===----------------------------------------------------------------------===//
// Stream, Event, StreamGate
//===----------------------------------------------------------------------===//

Result<Stream> Stream::create() {
  if (Status s = init(); !s)
    return s;
  CUstream stream = nullptr;
  if (Status s = check(driver().streamCreate(&stream, CU_STREAM_DEFAULT),
                       "creating a stream");
      !s)
    return s;
  return Stream(stream);
}

Stream::~Stream() {
  if (stream && owned)
    driver().streamDestroy(stream);
}

Stream::Stream(Stream &&other) noexcept
    : stream(other.stream), owned(other.owned),
      programmatic(other.programmatic) {
  other.stream = nullptr;
}

Stream &Stream::operator=(Stream &&other) noexcept {
  std::swap(stream, other.stream);
  std::swap(owned, other.owned);
  std::swap(programmatic, other.programmatic);
  return *this;
}

Status Stream::synchronize() const {
  if (Status s = init(); !s)
    return s;
  return check(driver().streamSynchronize(stream), "synchronizing a stream");
}

Result<Event> Event::create() {
  if (Status s = init(); !s)
    return s;
  CUevent event = nullptr;
  if (Status s = check(driver().eventCreate(&event, CU_EVENT_DEFAULT),
                       "creating an event");
      !s)
    return s;
  return Event(event);
}

Event::~Event() {
  if (event)
    driver().eventDestroy(event);
}

Event::Event(Event &&other) noexcept : event(other.event) {
  other.event = nullptr;
}

Event &Event::operator=(Event &&other) noexcept {
  std::swap(event, other.event);
  return *this;
}

Status Event::record(const Stream &stream) {
  if (!event)
    return Status::error("TILE_BAD_ARGUMENTS", "recording an empty Event");
  if (Status s = init(); !s)
    return s;
  return check(driver().eventRecord(event, stream.handle()),
               "recording an event");
}

Status Event::synchronize() const {
  if (!event)
    return Status::error("TILE_BAD_ARGUMENTS", "waiting for an empty Event");
  if (Status s = init(); !s)
    return s;
  return check(driver().eventSynchronize(event), "waiting for an event");
}

Result<float> Event::elapsedMs(const Event &start, const Event &end) {
  if (!start.event || !end.event)
    return Status::error("TILE_BAD_ARGUMENTS",
                         "timing between an empty Event and another");
  if (Status s = init(); !s)
    return s;
  float ms = 0;
  if (Status s = check(driver().eventElapsedTime(&ms, start.event, end.event),
                       "reading the time between two events");
      !s)
    return s;
  return ms;
}

Result<StreamGate> StreamGate::create() {
  if (Status s = init(); !s)
    return s;
  void *host = nullptr;
  // Mapped (zero-copy) host memory: the GPU polls the word where the host
  // writes it, with no copy in between.
  if (Status s = check(driver().memHostAlloc(&host, sizeof(uint32_t),
                                             CU_MEMHOSTALLOC_PORTABLE |
                                                 CU_MEMHOSTALLOC_DEVICEMAP),
                       "allocating the host word of a stream gate");
      !s)
    return s;
  CUdeviceptr device = 0;
  if (Status s = check(driver().memHostGetDevicePointer(&device, host, 0),
                       "mapping the host word of a stream gate");
      !s) {
    driver().memFreeHost(host);
    return s;
  }
  StreamGate gate;
  gate.hostWord = static_cast<uint32_t *>(host);
  __atomic_store_n(gate.hostWord, 0u, __ATOMIC_SEQ_CST);
  gate.deviceWord = device;
  return gate;
}

void StreamGate::release() {
  if (!hostWord)
    return;
  // A stream may still be about to read the word: open it, and let the
  // device drain, before the memory goes back.
  open();
  driver().ctxSynchronize();
  driver().memFreeHost(hostWord);
  hostWord = nullptr;
  deviceWord = 0;
}

StreamGate::~StreamGate() { release(); }

StreamGate::StreamGate(StreamGate &&other) noexcept
    : hostWord(other.hostWord), deviceWord(other.deviceWord),
      generation(other.generation.load()) {
  other.hostWord = nullptr;
  other.deviceWord = 0;
}

StreamGate &StreamGate::operator=(StreamGate &&other) noexcept {
  if (this != &other) {
    release();
    hostWord = other.hostWord;
    deviceWord = other.deviceWord;
    generation.store(other.generation.load());
    other.hostWord = nullptr;
    other.deviceWord = 0;
  }
  return *this;
}

Status StreamGate::close(const Stream &stream) {
  if (!hostWord)
    return Status::error("TILE_BAD_ARGUMENTS", "closing an empty StreamGate");
  if (Status s = init(); !s)
    return s;
  uint32_t next = generation.load() + 1;
  if (Status s =
          check(driver().streamWaitValue32(stream.handle(), deviceWord, next,
                                           CU_STREAM_WAIT_VALUE_GEQ),
                "queueing a stream gate (cuStreamWaitValue32)");
      !s)
    return s;
  generation.store(next);
  return Status::ok();
}

void StreamGate::open() {
  if (hostWord)
    __atomic_store_n(hostWord, generation.load(), __ATOMIC_SEQ_CST);
}

//===----------------------------------------------------------------------===//
// checkArguments
//===----------------------------------------------------------------------===//

const char *tile::rt::argKindName(ArgKind kind) {
  switch (kind) {
  case ArgKind::Pointer:
    return "pointer";
  case ArgKind::I32:
    return "i32";
  case ArgKind::I64:
    return "i64";
  case ArgKind::F32:
    return "f32";
  }
  return "unknown";
}

namespace {

/// "argument 2 ('scale')", or "argument 2" for an unnamed parameter.
std::string describeArgument(size_t index, const ParamInfo &param) {
  std::string text = "argument " + std::to_string(index);
  if (!param.name.empty())
    text += " ('" + param.name + "')";
  return text;
}

/// "(x: pointer, n: i32)", the signature as the messages show it.
std::string describeSignature(const std::vector<ParamInfo> &signature) {
  std::string text = "(";
  for (size_t i = 0; i < signature.size(); ++i) {
    if (i)
      text += ", ";
    if (!signature[i].name.empty())
      text += signature[i].name + ": ";
    text += argKindName(signature[i].kind);
  }
  return text + ")";
}

// The failure paths build their messages out of line, so that the success
// path of checkArguments (every launch) stays a short loop with no strings.
[[gnu::noinline, gnu::cold]] Status
countMismatch(const std::string &kernelName,
              const std::vector<ParamInfo> &signature, size_t count) {
  return Status::error("TILE_BAD_ARGUMENTS",
                       "kernel '" + kernelName + "' takes " +
                           std::to_string(signature.size()) + " arguments " +
                           describeSignature(signature) + ", got " +
                           std::to_string(count));
}

[[gnu::noinline, gnu::cold]] Status kindMismatch(const std::string &kernelName,
                                                 size_t index,
                                                 const ParamInfo &param,
                                                 ArgKind got) {
  return Status::error(
      "TILE_BAD_ARGUMENTS",
      "kernel '" + kernelName + "': " + describeArgument(index, param) +
          " is " + argKindName(got) + ", expected " + argKindName(param.kind));
}

[[gnu::noinline, gnu::cold]] Status misaligned(const std::string &kernelName,
                                               size_t index,
                                               const ParamInfo &param,
                                               uint64_t address) {
  char hex[32];
  std::snprintf(hex, sizeof(hex), "0x%" PRIx64, address);
  return Status::error(
      "TILE_BAD_ARGUMENTS",
      "kernel '" + kernelName + "': " + describeArgument(index, param) + " = " +
          hex + " is not aligned to " + std::to_string(param.pointerAlignment) +
          " bytes, which the kernel assumes");
}

[[gnu::noinline, gnu::cold]] Status notMultiple(const std::string &kernelName,
                                                size_t index,
                                                const ParamInfo &param,
                                                int64_t value) {
  return Status::error("TILE_BAD_ARGUMENTS",
                       "kernel '" + kernelName +
                           "': " + describeArgument(index, param) + " = " +
                           std::to_string(value) + " is not a multiple of " +
                           std::to_string(param.divisibility) +
                           ", which the kernel was compiled for");
}

[[gnu::noinline, gnu::cold]] Status outOfI32(const std::string &kernelName,
                                             size_t index,
                                             const ParamInfo &param,
                                             int64_t value) {
  return Status::error("TILE_BAD_ARGUMENTS",
                       "kernel '" + kernelName +
                           "': " + describeArgument(index, param) + " = " +
                           std::to_string(value) +
                           " does not fit the kernel's i32 (-2147483648 to "
                           "2147483647)");
}

} // namespace

Status tile::rt::checkArguments(const std::string &kernelName,
                                const std::vector<ParamInfo> &signature,
                                const Arg *args, size_t count) {
  if (count != signature.size() || (count != 0 && !args))
    return countMismatch(kernelName, signature, args ? count : 0);
  for (size_t i = 0; i < count; ++i) {
    const ParamInfo &param = signature[i];
    const Arg &arg = args[i];
    if (arg.kind != param.kind)
      return kindMismatch(kernelName, i, param, arg.kind);
    switch (param.kind) {
    case ArgKind::Pointer:
      if (param.pointerAlignment > 1 &&
          arg.value.pointer % param.pointerAlignment != 0)
        return misaligned(kernelName, i, param, arg.value.pointer);
      break;
    case ArgKind::I32:
      if (arg.value.i64 < INT32_MIN || arg.value.i64 > INT32_MAX)
        return outOfI32(kernelName, i, param, arg.value.i64);
      [[fallthrough]];
    case ArgKind::I64:
      if (param.divisibility > 1 &&
          arg.value.i64 % int64_t(param.divisibility) != 0)
        return notMultiple(kernelName, i, param, arg.value.i64);
      break;
    case ArgKind::F32:
      break;
    }
  }
  return Status::ok();
}

//===----------------------------------------------------------------------===//
// Module and Kernel
//===----------------------------------------------------------------------===//

namespace {

/// Makes `context` current for its scope with cuCtxPushCurrent, unless it is
/// current already, and pops it afterwards: for work on a module or function
/// of a context the caller may not have current (module unloads at exit,
/// Module::kernel on another thread).
class PushedContext {
public:
  explicit PushedContext(CUcontext context) {
    const detail::Driver &d = driver();
    CUcontext current = nullptr;
    if (d.ctxGetCurrent(&current) == CUDA_SUCCESS && current == context)
      return;
    result = d.ctxPushCurrent(context);
    pushed = result == CUDA_SUCCESS;
  }
  ~PushedContext() {
    CUcontext popped = nullptr;
    if (pushed)
      driver().ctxPopCurrent(&popped);
  }
  PushedContext(const PushedContext &) = delete;
  PushedContext &operator=(const PushedContext &) = delete;

  /// CUDA_SUCCESS if `context` is current now.
  CUresult status() const { return result; }

private:
  CUresult result = CUDA_SUCCESS;
  bool pushed = false;
};

} // namespace

namespace tile::rt::detail {

/// One context's copy of a module.
struct ContextModule {
  CUcontext context = nullptr;
  CUmodule module = nullptr;
};

/// The image and its copies in each context, unloaded when the Module and
/// its Kernels are all gone.
struct LoadedModule {
  /// The image as the driver reads it (a PTX image NUL-terminated), and its
  /// size as the caller gave it (for messages).
  std::vector<char> image;
  size_t imageBytes = 0;
  /// The context Module::load ran in and its copy: fixed once loaded.
  ContextModule first;
  /// Guards `others` and every Kernel's context slots beyond the first.
  std::mutex mutex;
  /// The copies in the other contexts launches ran in.
  std::vector<ContextModule> others;

  ~LoadedModule() {
    unload(first);
    for (const ContextModule &copy : others)
      unload(copy);
  }

  /// Unloads `copy` with its context current. Errors are ignored: at exit
  /// the driver may have torn the context down, and the module with it.
  static void unload(const ContextModule &copy) {
    if (!copy.module)
      return;
    PushedContext pushed(copy.context);
    if (pushed.status() == CUDA_SUCCESS)
      driver().moduleUnload(copy.module);
  }
};

/// A context a Kernel has launched in and its function there.
struct FunctionSlot {
  CUcontext context = nullptr;
  CUfunction function = nullptr;
};

/// What a Kernel shares among its copies.
struct KernelData {
  std::shared_ptr<LoadedModule> module;
  std::string name;
  std::vector<ParamInfo> signature;
  uint32_t blockThreads = 0;
  uint32_t sharedBytes = 0;
  bool waitsForPrerequisites = false;
  /// The function in the context the Module was loaded in (handle()).
  CUfunction function = nullptr;
  /// The contexts seen so far, slots[0] the Module's. A slot is written
  /// under module->mutex before slotCount is raised past it (release), and a
  /// launch reads only the slots below the count it loaded (acquire): the
  /// lookup takes no lock, and a published slot never changes.
  mutable FunctionSlot slots[kMaxKernelContexts];
  mutable std::atomic<uint32_t> slotCount{0};
};

} // namespace tile::rt::detail

namespace {

bool isBinaryImage(const void *image, size_t bytes) {
  static const unsigned char elf[] = {0x7f, 'E', 'L', 'F'};
  // A fatbin starts with the little-endian magic 0xBA55ED50.
  static const unsigned char fatbin[] = {0x50, 0xed, 0x55, 0xba};
  return bytes >= 4 && (std::memcmp(image, elf, 4) == 0 ||
                        std::memcmp(image, fatbin, 4) == 0);
}

/// Loads `image` into the current context (cuModuleLoadDataEx), with the
/// JIT's error log in the message of a failure.
Status loadImage(const detail::LoadedModule &loaded, CUmodule &module) {
  char log[8192] = {};
  CUjit_option options[] = {CU_JIT_ERROR_LOG_BUFFER,
                            CU_JIT_ERROR_LOG_BUFFER_SIZE_BYTES};
  void *values[] = {log, reinterpret_cast<void *>(uintptr_t(sizeof(log) - 1))};
  CUresult result = driver().moduleLoadDataEx(&module, loaded.image.data(), 2,
                                              options, values);
  if (result == CUDA_SUCCESS)
    return Status::ok();
  module = nullptr;
  Status s =
      cudaError(result, ("loading a " + std::to_string(loaded.imageBytes) +
                         "-byte module image")
                            .c_str());
  if (log[0] == '\0')
    return s;
  return Status::error(s.name(), s.message() + "\n" + log);
}

/// Looks up kernel `name` in `module` (TILE_MISSING_SYMBOL if absent), checks
/// `blockThreads` against the function's limit on its device
/// (TILE_BAD_LAUNCH), and above 48 KiB of dynamic shared memory raises the
/// function's limit to `sharedBytes`. The module's context must be current.
Status prepareFunction(CUmodule module, const std::string &name,
                       uint32_t blockThreads, uint32_t sharedBytes,
                       CUfunction &function) {
  const detail::Driver &d = driver();
  CUresult result = d.moduleGetFunction(&function, module, name.c_str());
  if (result == CUDA_ERROR_NOT_FOUND)
    return Status::error("TILE_MISSING_SYMBOL",
                         "kernel '" + name + "' is not in the module");
  if (result != CUDA_SUCCESS)
    return cudaError(result, ("looking up kernel '" + name + "'").c_str());

  int maxThreads = 0;
  if (Status s = check(
          d.funcGetAttribute(&maxThreads,
                             CU_FUNC_ATTRIBUTE_MAX_THREADS_PER_BLOCK, function),
          "reading a kernel's thread limit");
      !s)
    return s;
  if (blockThreads == 0 || blockThreads > uint32_t(maxThreads))
    return Status::error(
        "TILE_BAD_LAUNCH",
        "kernel '" + name + "' runs with 1 to " + std::to_string(maxThreads) +
            " threads per block, asked for " + std::to_string(blockThreads));
  // Kernels get 48 KiB of dynamic shared memory unless they opt in to more.
  if (sharedBytes > 48 * 1024)
    return check(d.funcSetAttribute(
                     function, CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES,
                     int(sharedBytes)),
                 ("raising the dynamic shared memory of kernel '" + name +
                  "' to " + std::to_string(sharedBytes) + " bytes")
                     .c_str());
  return Status::ok();
}

/// The kernel's function in `context` if a launch there has found it
/// before; nullptr otherwise. Lock-free.
inline CUfunction publishedFunction(const detail::KernelData &k,
                                    CUcontext context) {
  uint32_t count = k.slotCount.load(std::memory_order_acquire);
  for (uint32_t i = 0; i < count; ++i)
    if (k.slots[i].context == context)
      return k.slots[i].function;
  return nullptr;
}

/// The module's copy in `context` (the current one), loaded on first use.
/// Call with module.mutex held.
Status moduleIn(detail::LoadedModule &module, CUcontext context,
                CUmodule &copy) {
  if (module.first.context == context) {
    copy = module.first.module;
    return Status::ok();
  }
  for (const detail::ContextModule &other : module.others)
    if (other.context == context) {
      copy = other.module;
      return Status::ok();
    }
  if (Status s = loadImage(module, copy); !s) {
    int device = -1;
    if (driver().ctxGetDevice(&device) != CUDA_SUCCESS)
      return s;
    return Status::error(s.name(), "in the context of device " +
                                       std::to_string(device) + ": " +
                                       s.message());
  }
  module.others.push_back({context, copy});
  return Status::ok();
}

/// The first launch of `k` in `context` (the current one): loads the module
/// there if no kernel of it has been launched there yet, prepares the
/// function as Module::kernel does, and publishes it in a slot.
[[gnu::noinline, gnu::cold]] Status
functionInNewContext(const detail::KernelData &k, CUcontext context,
                     CUfunction &function) {
  std::lock_guard<std::mutex> lock(k.module->mutex);
  if ((function = publishedFunction(k, context)))
    return Status::ok();
  uint32_t count = k.slotCount.load(std::memory_order_relaxed);
  if (count == kMaxKernelContexts)
    return Status::error(
        "TILE_BAD_LAUNCH",
        "kernel '" + k.name + "' has been launched in " +
            std::to_string(kMaxKernelContexts) +
            " contexts, the most one Kernel serves (one per device's primary "
            "context is the usual case; take a Kernel from a new Module for "
            "more)");
  CUmodule copy = nullptr;
  if (Status s = moduleIn(*k.module, context, copy); !s)
    return s;
  if (Status s = prepareFunction(copy, k.name, k.blockThreads, k.sharedBytes,
                                 function);
      !s)
    return s;
  k.slots[count] = {context, function};
  k.slotCount.store(count + 1, std::memory_order_release);
  return Status::ok();
}

/// The kernel's function in the calling thread's current context (device 0's
/// primary one on a thread with none). No lock or string once a launch in
/// the context has found it.
inline Status functionForLaunch(const detail::KernelData &k,
                                CUfunction &function) {
  CUcontext context = nullptr;
  if (driver().ctxGetCurrent(&context) != CUDA_SUCCESS || !context) {
    if (Status s = currentOrDefaultContext(context); !s)
      return s;
  }
  if ((function = publishedFunction(k, context)))
    return Status::ok();
  return functionInNewContext(k, context, function);
}

} // namespace

Result<Module> Module::load(const void *image, size_t bytes) {
  if (Status s = init(); !s)
    return s;
  if (!image || bytes == 0)
    return Status::error("TILE_BAD_IMAGE", "loading an empty module image");
  auto loaded = std::make_shared<detail::LoadedModule>();
  // Kept for the other contexts a kernel is launched in. The driver reads
  // PTX up to its NUL; an image sliced out of a file may not carry one.
  const char *bytesIn = static_cast<const char *>(image);
  loaded->image.assign(bytesIn, bytesIn + bytes);
  loaded->imageBytes = bytes;
  if (!isBinaryImage(image, bytes) && !std::memchr(image, 0, bytes))
    loaded->image.push_back('\0');
  if (Status s = check(driver().ctxGetCurrent(&loaded->first.context),
                       "reading the current context");
      !s)
    return s;
  if (Status s = loadImage(*loaded, loaded->first.module); !s)
    return s;
  return Module(std::move(loaded));
}

Result<Kernel> Module::kernel(const std::string &name,
                              std::vector<ParamInfo> signature,
                              uint32_t blockThreads, uint32_t sharedBytes,
                              bool waitsForPrerequisites) const {
  if (!loaded)
    return Status::error("TILE_MISSING_SYMBOL",
                         "looking up kernel '" + name + "' in an empty Module");
  if (Status s = init(); !s)
    return s;
  if (signature.size() > kMaxKernelArgs)
    return Status::error("TILE_BAD_ARGUMENTS",
                         "kernel '" + name + "' has " +
                             std::to_string(signature.size()) +
                             " parameters; the runtime launches at most " +
                             std::to_string(kMaxKernelArgs));
  // The function of the Module's own context, which the caller may not have
  // current (another thread, another device).
  CUfunction function = nullptr;
  {
    PushedContext pushed(loaded->first.context);
    if (pushed.status() != CUDA_SUCCESS)
      return cudaError(pushed.status(),
                       ("making the module's context current to look up "
                        "kernel '" +
                        name + "'")
                           .c_str());
    if (Status s = prepareFunction(loaded->first.module, name, blockThreads,
                                   sharedBytes, function);
        !s)
      return s;
  }
  auto data = std::make_shared<detail::KernelData>();
  data->module = loaded;
  data->name = name;
  data->signature = std::move(signature);
  data->blockThreads = blockThreads;
  data->sharedBytes = sharedBytes;
  data->waitsForPrerequisites = waitsForPrerequisites;
  data->function = function;
  data->slots[0] = {loaded->first.context, function};
  data->slotCount.store(1, std::memory_order_release);
  return Kernel(std::move(data));
}

namespace {

const std::string &emptyString() {
  static const std::string empty;
  return empty;
}

const std::vector<ParamInfo> &emptySignature() {
  static const std::vector<ParamInfo> empty;
  return empty;
}

[[gnu::noinline, gnu::cold]] Status badGrid(const std::string &name,
                                            Dim3 grid) {
  return Status::error(
      "TILE_BAD_LAUNCH",
      "kernel '" + name + "': grid (" + std::to_string(grid.x) + ", " +
          std::to_string(grid.y) + ", " + std::to_string(grid.z) +
          ") is empty or over the limits (2^31-1, 65535, 65535)");
}

/// Where the driver finds an argument's bytes: the value itself, except an
/// i32, whose 4 bytes are the low half of value.i64 (checked to fit): its
/// start on a little-endian host, its end on a big-endian one.
void *parameterBytes(const Arg &arg) {
  char *bytes = const_cast<char *>(reinterpret_cast<const char *>(&arg.value));
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
  if (arg.kind == ArgKind::I32)
    bytes += sizeof(int64_t) - sizeof(int32_t);
#endif
  return bytes;
}

[[gnu::noinline, gnu::cold]] Status launchFailed(const std::string &name,
                                                 CUresult result) {
  Status s = cudaError(result, ("launching kernel '" + name + "'").c_str());
  if (result != CUDA_ERROR_INVALID_HANDLE &&
      result != CUDA_ERROR_INVALID_CONTEXT)
    return s;
  // The usual cause: a borrowed stream of another device (or context) than
  // the one current at the launch.
  std::string current = "the current context";
  CUdevice device = 0;
  if (driver().ctxGetDevice(&device) == CUDA_SUCCESS)
    current += " (device " + std::to_string(device) + ")";
  return Status::error(s.name(), s.message() + " (the stream must belong to " +
                                     current +
                                     ": make the stream's device current with "
                                     "tile::rt::setDevice or DeviceGuard)");
}

} // namespace

const std::string &Kernel::name() const {
  return data ? data->name : emptyString();
}

const std::vector<ParamInfo> &Kernel::signature() const {
  return data ? data->signature : emptySignature();
}

uint32_t Kernel::blockThreads() const { return data ? data->blockThreads : 0; }

uint32_t Kernel::sharedBytes() const { return data ? data->sharedBytes : 0; }

CUfunction Kernel::handle() const { return data ? data->function : nullptr; }

Result<CUfunction> Kernel::handleInCurrentContext() const {
  if (!data)
    return Status::error("TILE_MISSING_SYMBOL",
                         "the function of an empty Kernel");
  CUfunction function = nullptr;
  if (Status s = functionForLaunch(*data, function); !s)
    return s;
  return function;
}

bool Kernel::waitsForPrerequisites() const {
  return data && data->waitsForPrerequisites;
}

Status Kernel::launch(Dim3 grid, const Arg *args, size_t count,
                      const Stream &stream) const {
  if (!data)
    return Status::error("TILE_MISSING_SYMBOL", "launching an empty Kernel");
  const detail::KernelData &k = *data;
  if (Status s = checkArguments(k.name, k.signature, args, count); !s)
    return s;
  if (grid.x == 0 || grid.y == 0 || grid.z == 0 || grid.x > 0x7fffffffu ||
      grid.y > 65535 || grid.z > 65535)
    return badGrid(k.name, grid);
  // The function of the context current now: a Kernel exists only after
  // init() succeeded, but the thread (or its current device) may be another.
  CUfunction function = nullptr;
  if (Status s = functionForLaunch(k, function); !s)
    return s;
  // The driver reads each parameter's bytes from the address given, so the
  // Arg values themselves serve; the array only holds their addresses.
  void *params[kMaxKernelArgs];
  for (size_t i = 0; i < count; ++i)
    params[i] = parameterBytes(args[i]);
  CUresult result;
  if (stream.programmaticLaunch() && k.waitsForPrerequisites) {
    CUlaunchAttribute overlap = {};
    overlap.id = CU_LAUNCH_ATTRIBUTE_PROGRAMMATIC_STREAM_SERIALIZATION;
    overlap.value.programmaticStreamSerializationAllowed = 1;
    CUlaunchConfig config = {};
    config.gridDimX = grid.x;
    config.gridDimY = grid.y;
    config.gridDimZ = grid.z;
    config.blockDimX = k.blockThreads;
    config.blockDimY = config.blockDimZ = 1;
    config.sharedMemBytes = k.sharedBytes;
    config.hStream = stream.handle();
    config.attrs = &overlap;
    config.numAttrs = 1;
    result = driver().launchKernelEx(&config, function, params, nullptr);
  } else {
    result = driver().launchKernel(function, grid.x, grid.y, grid.z,
                                   k.blockThreads, 1, 1, k.sharedBytes,
                                   stream.handle(), params, nullptr);
  }
  if (result != CUDA_SUCCESS)
    return launchFailed(k.name, result);
  return Status::ok();
}
