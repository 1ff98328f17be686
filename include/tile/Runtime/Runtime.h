//===- Runtime.h - The thin CUDA driver-API launcher ------------*- C++ -*-===//
//
// tile::rt loads libcuda.so.1 at run time, so a binary that links it starts on
// a machine without a GPU and says so instead of failing to load. Errors are
// values (Status, Result<T>) carrying a name: CUDA's own (cuGetErrorName) or
// one of the TILE_* names below. Nothing here throws, and nothing depends on
// LLVM or MLIR, so the GPU machine (which has no LLVM) can run what links it.
//
// Devices work as in the CUDA runtime: everything happens in the calling
// thread's current context, which is the caller's (PyTorch's for the tensors'
// device, setDevice(), DeviceGuard) or, on a thread that has none, device 0's
// primary context (init()). A Kernel launches in whichever context is current.
//
// Error names besides CUDA's:
//   TILE_NO_DRIVER       libcuda.so.1 could not be loaded
//   TILE_NO_GPU          cuInit failed or there is no device
//   TILE_MISSING_SYMBOL  a kernel is not in its module, or a driver entry
//                        point is missing
//   TILE_BAD_ARGUMENTS   the arguments do not match the kernel's signature
//   TILE_BAD_LAUNCH      the grid or block is invalid
//   TILE_BAD_IMAGE       a module image is empty or malformed
//   TILE_OUT_OF_RANGE    a copy runs past the end of a buffer
//   TILE_INTERNAL        a Result was built from an ok Status (a bug)
//
//===----------------------------------------------------------------------===//

#ifndef TILE_RUNTIME_RUNTIME_H
#define TILE_RUNTIME_RUNTIME_H

#include <cuda.h>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace tile::rt {

//===----------------------------------------------------------------------===//
// Status and Result
//===----------------------------------------------------------------------===//

/// Success, or an error with a name (e.g. CUDA_ERROR_INVALID_VALUE,
/// TILE_NO_GPU) and a message saying what was being done.
class Status {
public:
  /// The success value.
  static Status ok() { return Status(); }
  /// An error; an empty name becomes TILE_ERROR so that an error is never
  /// mistaken for success.
  static Status error(std::string name, std::string message);

  /// True on success.
  bool isOk() const { return errorName.empty(); }
  /// True on success, so that `if (Status s = f())` reads as "if it worked".
  explicit operator bool() const { return isOk(); }
  /// The error's name; empty on success.
  const std::string &name() const { return errorName; }
  /// The error's message; empty on success.
  const std::string &message() const { return errorMessage; }
  /// "NAME: message", or "ok".
  std::string str() const;

private:
  Status() = default;
  std::string errorName;
  std::string errorMessage;
};

/// A value of type T, or the error that prevented computing it.
template <typename T> class Result {
public:
  /// A successful result.
  Result(T value) : stored(std::move(value)), errorStatus(Status::ok()) {}
  /// A failed result. An ok Status here is a programming error; it becomes
  /// TILE_INTERNAL so that value() is never reached without a value.
  Result(Status error) : errorStatus(std::move(error)) {
    if (errorStatus.isOk())
      errorStatus = Status::error("TILE_INTERNAL",
                                  "a Result was built from an ok Status");
  }

  /// True if the result holds a value.
  bool isOk() const { return stored.has_value(); }
  /// True if the result holds a value.
  explicit operator bool() const { return isOk(); }
  /// The value; calling it on an error aborts with the error's text.
  T &value() {
    checkHasValue();
    return *stored;
  }
  /// The value; calling it on an error aborts with the error's text.
  const T &value() const {
    checkHasValue();
    return *stored;
  }
  /// Member access to the value.
  T *operator->() { return &value(); }
  /// Member access to the value.
  const T *operator->() const { return &value(); }
  /// The value, as with an optional.
  T &operator*() { return value(); }
  /// The value, as with an optional.
  const T &operator*() const { return value(); }
  /// The error, or ok if the result holds a value.
  const Status &status() const { return errorStatus; }

private:
  void checkHasValue() const {
    if (!stored)
      abortOnMissingValue(errorStatus);
  }
  [[noreturn]] static void abortOnMissingValue(const Status &status);

  std::optional<T> stored;
  Status errorStatus;
};

/// Prints the error and aborts: reading a failed Result is a bug in the
/// caller, and continuing would use a value that does not exist.
[[noreturn]] void abortOnResultError(const Status &status);

template <typename T>
void Result<T>::abortOnMissingValue(const Status &status) {
  abortOnResultError(status);
}

//===----------------------------------------------------------------------===//
// The driver and the device
//===----------------------------------------------------------------------===//

/// Loads the driver and calls cuInit(0) (once per process), then makes sure
/// the calling thread has a current context: on a thread that has none it
/// makes device 0's primary context current (setDevice(0)); on a thread where
/// the caller already made a context current (PyTorch's, another library's,
/// one of setDevice()) it leaves that context alone. Everything tile::rt does
/// afterwards on the thread (allocations, streams, events, module loads,
/// launches) happens in the context current at the time. Thread-safe; cheap
/// after the first call (one cuCtxGetCurrent). Fails with TILE_NO_DRIVER,
/// TILE_NO_GPU, TILE_MISSING_SYMBOL or a CUDA error name; the driver's
/// failure is remembered, so every later call gives the same error.
Status init();

/// True if init() succeeds: there is a driver and a GPU.
bool hasGpu();

/// How many CUDA devices the driver sees (cuDeviceGetCount). Loads the driver
/// and calls cuInit(0) but makes no context current. Fails as init() does
/// (TILE_NO_GPU when the driver sees no device).
Result<int> deviceCount();

/// Like cudaSetDevice: makes the primary context of device `ordinal` (0 to
/// deviceCount() - 1) current on the calling thread, retaining it the first
/// time (once per process; it is never released, as buffers and modules may
/// live in it until the process ends). The primary context is the one the
/// CUDA runtime and PyTorch use for cuda:<ordinal>, so memory and streams are
/// shared with them. TILE_BAD_ARGUMENTS naming the ordinal and the device
/// count when it is out of range (a negative ordinal is refused even without
/// a driver); otherwise fails as init() does, or with the driver's error.
Status setDevice(int ordinal);

/// The ordinal of the device of the calling thread's current context (after
/// init(), so a thread with none gets device 0). Fails as init() does.
Result<int> currentDevice();

/// Makes device `ordinal`'s primary context current for the scope of the
/// guard, and the context current before it (possibly none) current again
/// when the guard goes away. Costs one cuCtxGetCurrent when that primary
/// context is already current (then it changes nothing, and restores
/// nothing); otherwise two cuCtxSetCurrent. Nothing throws: check status()
/// (errors as setDevice's; after a failure the current context is
/// unchanged). Not movable: it restores the thread it was made on.
class DeviceGuard {
public:
  explicit DeviceGuard(int ordinal);
  ~DeviceGuard();
  DeviceGuard(const DeviceGuard &) = delete;
  DeviceGuard &operator=(const DeviceGuard &) = delete;

  /// Whether the device's context was made current, or why not.
  const Status &status() const { return outcome; }
  /// True if the device's context is current.
  bool isOk() const { return outcome.isOk(); }

private:
  CUcontext previous = nullptr;
  bool switched = false;
  Status outcome = Status::ok();
};

/// Facts about a device that kernels and benchmarks size themselves by.
struct DeviceInfo {
  /// The marketing name, e.g. "NVIDIA H100 80GB HBM3".
  std::string name;
  /// major * 10 + minor, e.g. 90 for sm_90.
  int computeCapability = 0;
  /// Streaming multiprocessors.
  int smCount = 0;
  /// Total global memory.
  size_t globalMemoryBytes = 0;
  /// L2 cache size.
  int l2CacheBytes = 0;
};

/// Describes the device of the calling thread's current context (calls
/// init(): device 0 on a thread with no context).
Result<DeviceInfo> deviceInfo();

/// Free and total device memory, as cuMemGetInfo reports them (calls init()).
struct MemoryInfo {
  /// Bytes that can still be allocated.
  size_t freeBytes = 0;
  /// Bytes the device has.
  size_t totalBytes = 0;
};

/// Free and total memory of the device of the calling thread's current
/// context.
Result<MemoryInfo> memoryInfo();

/// Waits for all work in the calling thread's current context to finish
/// (cuCtxSynchronize).
Status synchronizeDevice();

/// Grid or block extents.
struct Dim3 {
  uint32_t x = 1, y = 1, z = 1;
};

//===----------------------------------------------------------------------===//
// Memory
//===----------------------------------------------------------------------===//

/// A device allocation, freed when the buffer goes away. Move-only.
class DeviceBuffer {
public:
  /// Allocates `bytes` of device memory on the device of the current context
  /// (calls init()). Zero bytes gives an empty buffer whose address is 0.
  static Result<DeviceBuffer> allocate(size_t bytes);

  /// An empty buffer: address 0, size 0.
  DeviceBuffer() = default;
  ~DeviceBuffer();
  DeviceBuffer(DeviceBuffer &&other) noexcept;
  DeviceBuffer &operator=(DeviceBuffer &&other) noexcept;
  DeviceBuffer(const DeviceBuffer &) = delete;
  DeviceBuffer &operator=(const DeviceBuffer &) = delete;

  /// The device address (CUdeviceptr), 0 for an empty buffer.
  uint64_t address() const { return ptr; }
  /// The size in bytes.
  size_t size() const { return bytes; }

  /// Copies `count` bytes from host memory to the buffer at `offset`,
  /// synchronously. TILE_OUT_OF_RANGE if it would run past the end.
  Status copyFromHost(const void *src, size_t count, size_t offset = 0);
  /// Copies `count` bytes at `offset` of the buffer to host memory,
  /// synchronously. TILE_OUT_OF_RANGE if it would run past the end.
  Status copyToHost(void *dst, size_t count, size_t offset = 0) const;
  /// Sets every byte of the buffer to `byte` (cuMemsetD8).
  Status fill(uint8_t byte);

private:
  DeviceBuffer(uint64_t ptr, size_t bytes) : ptr(ptr), bytes(bytes) {}
  void release();

  uint64_t ptr = 0;
  size_t bytes = 0;
};

//===----------------------------------------------------------------------===//
// Kernel arguments
//===----------------------------------------------------------------------===//

/// The kinds of kernel parameters the compiler emits: one raw device pointer
/// per pointer argument, then scalars.
enum class ArgKind : uint8_t { Pointer, I32, I64, F32 };

/// "pointer", "i32", "i64" or "f32".
const char *argKindName(ArgKind kind);

/// One launch argument: a kind and its value. The value is what the driver
/// copies into the kernel's parameter space, except for an i32: `value.i64`
/// keeps the caller's whole value, so that checkArguments can refuse one the
/// kernel's i32 cannot hold instead of truncating it, and launch passes the
/// 4 bytes of its low half.
struct Arg {
  ArgKind kind;
  union {
    uint64_t pointer;
    int64_t i64;
    float f32;
  } value;

  /// A device pointer given by its address.
  static Arg pointer(uint64_t address) {
    Arg a{ArgKind::Pointer, {}};
    a.value.pointer = address;
    return a;
  }
  /// The address of a device buffer.
  static Arg pointer(const DeviceBuffer &buffer) {
    return pointer(buffer.address());
  }
  /// A 32-bit integer, given wide: checkArguments refuses a value outside
  /// [INT32_MIN, INT32_MAX] rather than let C++ truncate it silently.
  static Arg i32(int64_t v) {
    Arg a{ArgKind::I32, {}};
    a.value.i64 = v;
    return a;
  }
  /// A 64-bit integer.
  static Arg i64(int64_t v) {
    Arg a{ArgKind::I64, {}};
    a.value.i64 = v;
    return a;
  }
  /// A 32-bit float.
  static Arg f32(float v) {
    Arg a{ArgKind::F32, {}};
    a.value.f32 = v;
    return a;
  }
};

/// One kernel parameter as the compiler declared it.
struct ParamInfo {
  /// What the parameter is.
  ArgKind kind;
  /// For a pointer: the alignment in bytes the kernel assumes (e.g. 16 when it
  /// issues 16-byte vector accesses); 0 = none.
  uint32_t pointerAlignment = 0;
  /// The parameter's name in the kernel source, for error messages.
  std::string name;
  /// For an integer: the kernel assumes the value is a multiple of this (its
  /// `tile.divisibility`, e.g. 8 for a row stride it loads 16 bytes of bf16
  /// at a time along); 0 = none.
  uint32_t divisibility = 0;
};

/// The most arguments a kernel may take; launches pack them on the stack.
constexpr size_t kMaxKernelArgs = 64;

/// The most contexts one Kernel launches in (one per device's primary
/// context is the common case): a launch looks its function up among them
/// without a lock.
constexpr size_t kMaxKernelContexts = 16;

/// Checks `args` against `signature`, with the rules below. Pure (needs no
/// GPU). Fails with TILE_BAD_ARGUMENTS at the first argument that breaks one,
/// with a message naming the kernel, the argument (index and name), the value
/// and the rule:
///
///   - the count matches the signature:
///       kernel 'k' takes 6 arguments (x: pointer, ..., n: i32), got 5
///   - each kind matches its parameter (an i32 is not an i64):
///       kernel 'k': argument 3 ('n') is f32, expected i32
///   - a pointer is aligned as the kernel assumes (`pointerAlignment`):
///       kernel 'k': argument 1 ('out') = 0x7f0000002008 is not aligned to 16
///       bytes, which the kernel assumes
///   - an integer is a multiple of its `divisibility`, which the compiled code
///     relies on (vector accesses along a stride, masks constant over runs; a
///     value that breaks it would misread memory):
///       kernel 'k': argument 6 ('stride_x') = 1369 is not a multiple of 8,
///       which the kernel was compiled for
///   - an i32's value fits the kernel's 32 bits:
///       kernel 'k': argument 3 ('M') = 3000000000 does not fit the kernel's
///       i32 (-2147483648 to 2147483647)
///
/// The compiler hands every such fact of a kernel to its signature (an
/// argument's `llvm.align` or `tile.divisibility`, through getKernelInfo and
/// tile-compile's headers), so a checked launch never breaks an assumption of
/// the compiled code. The success path is a short loop without strings (the
/// messages are built out of line): a launch costs what cuLaunchKernel does.
Status checkArguments(const std::string &kernelName,
                      const std::vector<ParamInfo> &signature, const Arg *args,
                      size_t count);

//===----------------------------------------------------------------------===//
// Streams and events
//===----------------------------------------------------------------------===//

/// A CUDA stream, destroyed with the object. Move-only. A default-constructed
/// Stream is the legacy default (null) stream.
class Stream {
public:
  /// A new stream in the current context that synchronizes with the legacy
  /// default stream, so that synchronous copies (DeviceBuffer::copyFromHost)
  /// are ordered before work launched on it afterwards (calls init()).
  static Result<Stream> create();

  /// The caller's stream `handle` (a CUstream it created, e.g. PyTorch's
  /// current stream), used as it is and never destroyed by this object.
  /// CUDA requires a launch's stream to belong to the context current at the
  /// launch: a stream of cuda:1 with device 1's context current
  /// (setDevice(1), DeviceGuard). A launch on a stream of another context
  /// fails with the driver's error (CUDA_ERROR_INVALID_HANDLE or
  /// CUDA_ERROR_INVALID_CONTEXT, whose message then says so). nullptr is the
  /// legacy default stream of whatever context is current at the launch.
  static Stream borrow(CUstream handle) {
    Stream s(handle);
    s.owned = false;
    return s;
  }

  /// The legacy default stream.
  Stream() = default;
  ~Stream();
  Stream(Stream &&other) noexcept;
  Stream &operator=(Stream &&other) noexcept;
  Stream(const Stream &) = delete;
  Stream &operator=(const Stream &) = delete;

  /// The driver's handle; nullptr for the default stream.
  CUstream handle() const { return stream; }
  /// Waits for all work queued on the stream.
  Status synchronize() const;

  /// Whether the stream is destroyed with this object (not a borrowed one).
  bool isOwned() const { return owned && stream; }

  /// Programmatic dependent launch (CUDA's programmatic stream
  /// serialization, sm_90 and later): a kernel launched through this object
  /// may start while the kernel queued before it on the stream is still
  /// running, once every program of that kernel has executed
  /// `griddepcontrol.launch_dependents` or exited (tile's kernels trigger
  /// nothing early: at exit), so that its launch latency and the previous
  /// kernel's drain overlap. Only kernels the compiler
  /// made for it (Kernel::waitsForPrerequisites: they execute
  /// `griddepcontrol.wait`, which returns when the previous kernel has
  /// completed and its writes are visible, before touching memory) are
  /// launched so; others launch as usual. Off by default. A setting of this
  /// object, not of the CUDA stream: Stream::borrow(s.handle()) views the
  /// same stream with its own setting.
  void setProgrammaticLaunch(bool on) { programmatic = on; }
  bool programmaticLaunch() const { return programmatic; }

private:
  explicit Stream(CUstream stream) : stream(stream) {}
  CUstream stream = nullptr;
  bool owned = true;
  bool programmatic = false;
};

/// A CUDA event with timing enabled, destroyed with the object. Move-only.
class Event {
public:
  /// A new event (calls init()).
  static Result<Event> create();

  /// No event; record() on it fails.
  Event() = default;
  ~Event();
  Event(Event &&other) noexcept;
  Event &operator=(Event &&other) noexcept;
  Event(const Event &) = delete;
  Event &operator=(const Event &) = delete;

  /// The driver's handle; nullptr for an empty event.
  CUevent handle() const { return event; }
  /// Records the event on `stream`.
  Status record(const Stream &stream);
  /// Waits until the event has completed.
  Status synchronize() const;
  /// Milliseconds between two completed, recorded events.
  static Result<float> elapsedMs(const Event &start, const Event &end);

private:
  explicit Event(CUevent event) : event(event) {}
  CUevent event = nullptr;
};

/// Holds a stream back until the host opens it, so that a batch of launches
/// queued behind it runs back to back on the GPU, unpaced by the host. This
/// is what makes per-launch event timings of short kernels mean GPU time.
/// Built on cuStreamWaitValue32 over a mapped host word. Move-only.
class StreamGate {
public:
  /// A new, open gate; fails where the device cannot wait on memory values.
  static Result<StreamGate> create();

  /// No gate; close() on it fails.
  StreamGate() = default;
  /// Opens the gate and waits for the device before freeing the word, since
  /// a closed stream may still be about to read it.
  ~StreamGate();
  StreamGate(StreamGate &&other) noexcept;
  StreamGate &operator=(StreamGate &&other) noexcept;
  StreamGate(const StreamGate &) = delete;
  StreamGate &operator=(const StreamGate &) = delete;

  /// Queues a wait on `stream`: nothing queued after it runs until open().
  /// The caller must open() before anything on the host waits for that
  /// stream, or it waits forever.
  Status close(const Stream &stream);
  /// Lets every stream closed by this gate go on. Safe to call from any
  /// thread, and more than once.
  void open();

private:
  void release();

  // The GPU waits until the word reaches the generation of the latest
  // close(); open() publishes that generation. Counting up (rather than
  // toggling 0/1) means a late-evaluated earlier wait can never re-close.
  uint32_t *hostWord = nullptr;
  uint64_t deviceWord = 0;
  std::atomic<uint32_t> generation{0};
};

/// Copies `bytes` between device addresses, queued on `stream`
/// (cuMemcpyDtoDAsync).
Status copyDeviceToDevice(uint64_t dst, uint64_t src, size_t bytes,
                          const Stream &stream);

//===----------------------------------------------------------------------===//
// Modules and kernels
//===----------------------------------------------------------------------===//

namespace detail {
struct LoadedModule;
struct KernelData;
} // namespace detail

/// A function in a loaded module, with its signature and launch facts. Cheap
/// to copy (shared state); keeps its module loaded while it exists.
class Kernel {
public:
  /// No kernel: launch() fails with TILE_MISSING_SYMBOL. Lets a Kernel be a
  /// member that is filled in later.
  Kernel() = default;

  /// The kernel's symbol name.
  const std::string &name() const;
  /// Its parameters, in order.
  const std::vector<ParamInfo> &signature() const;
  /// Threads per block (the block is blockThreads x 1 x 1).
  uint32_t blockThreads() const;
  /// Dynamic shared memory per block, in bytes.
  uint32_t sharedBytes() const;
  /// The driver's function in the context the Module was loaded in (a
  /// module is loaded again, and has another function, in each other context
  /// it is launched in: see handleInCurrentContext). nullptr for an empty
  /// Kernel.
  CUfunction handle() const;
  /// The driver's function in the calling thread's current context (after
  /// init()), loading the module there on first use as launch() does: what
  /// a raw cuLaunchKernel in this context needs. Fails as launch() does on
  /// its first use in a context.
  Result<CUfunction> handleInCurrentContext() const;
  /// Whether the kernel executes `griddepcontrol.wait` before it reads or
  /// writes global memory, so that it may be launched while the kernel
  /// before it still runs (Stream::setProgrammaticLaunch). The compiler
  /// makes every kernel for sm_90 and later so (getKernelInfo's
  /// waitsForPrerequisites).
  bool waitsForPrerequisites() const;

  /// Checks the arguments (checkArguments) and the grid, then launches with
  /// block (blockThreads, 1, 1) and sharedBytes() of dynamic shared memory on
  /// `stream` (with cuLaunchKernelEx and programmatic stream serialization
  /// when the stream asks for it and the kernel waits for its
  /// prerequisites), in the calling thread's current context (a thread with
  /// none gets device 0's primary context, as init() gives it). The first
  /// launch in a context other than the Module's loads the module there
  /// (its errors, a JIT log included, are this launch's) and checks the
  /// block size against that device; a Kernel serves at most
  /// kMaxKernelContexts contexts (TILE_BAD_LAUNCH past them). Otherwise
  /// allocates nothing and takes no lock (one cuCtxGetCurrent and a scan of
  /// the contexts seen): costs about what a raw cuLaunchKernel does.
  Status launch(Dim3 grid, const Arg *args, size_t count,
                const Stream &stream) const;
  /// The same with the arguments in a braced list.
  Status launch(Dim3 grid, std::initializer_list<Arg> args,
                const Stream &stream = Stream()) const {
    return launch(grid, args.begin(), args.size(), stream);
  }

private:
  friend class Module;
  explicit Kernel(std::shared_ptr<const detail::KernelData> data)
      : data(std::move(data)) {}
  std::shared_ptr<const detail::KernelData> data;
};

/// A loaded module (cubin or PTX). Move-only; the driver unloads it (in every
/// context it was loaded in) once the Module and every Kernel taken from it
/// are gone. It keeps a copy of its image, so that its kernels can be
/// launched in other contexts (devices) than the one it was loaded in.
class Module {
public:
  /// Loads a cubin, or a PTX text image (cuModuleLoadDataEx), into the
  /// calling thread's current context (calls init()), so that a bad image
  /// fails here; it is loaded into other contexts when a kernel is first
  /// launched there (Kernel::launch). The image is copied (`bytes` bytes; a
  /// PTX image without a terminating NUL within them gets one). A JIT
  /// failure's message includes the driver's error log.
  static Result<Module> load(const void *image, size_t bytes);

  /// No module; kernel() on it fails.
  Module() = default;
  Module(Module &&other) noexcept = default;
  Module &operator=(Module &&other) noexcept = default;
  Module(const Module &) = delete;
  Module &operator=(const Module &) = delete;

  /// Looks up `name` in the context the module was loaded in
  /// (TILE_MISSING_SYMBOL if absent) and checks `blockThreads` against the
  /// function's limit (TILE_BAD_LAUNCH). Above 48 KiB of dynamic shared
  /// memory, raises the function's
  /// CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES to `sharedBytes`. A
  /// launch in another context does the same there on its first use.
  /// `waitsForPrerequisites`: the compiler's word that the kernel executes
  /// `griddepcontrol.wait` before touching memory
  /// (Kernel::waitsForPrerequisites); false for a kernel of unknown origin.
  Result<Kernel> kernel(const std::string &name,
                        std::vector<ParamInfo> signature, uint32_t blockThreads,
                        uint32_t sharedBytes,
                        bool waitsForPrerequisites = false) const;

private:
  explicit Module(std::shared_ptr<detail::LoadedModule> loaded)
      : loaded(std::move(loaded)) {}
  std::shared_ptr<detail::LoadedModule> loaded;
};

/// The raw cuLaunchKernel entry point, for baselines.
using LaunchKernelFn = CUresult (*)(CUfunction, unsigned, unsigned, unsigned,
                                    unsigned, unsigned, unsigned, unsigned,
                                    CUstream, void **, void **);

/// cuLaunchKernel as loaded from the driver; nullptr until the driver has
/// been initialized (init(), setDevice() or deviceCount() succeeded).
LaunchKernelFn rawLaunchKernel();

} // namespace tile::rt

#endif // TILE_RUNTIME_RUNTIME_H
