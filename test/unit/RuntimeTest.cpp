//===- RuntimeTest.cpp - The runtime without a GPU ------------------------===//
//
// What tile::rt does on a machine with no GPU: argument checking (pure), the
// error values, and that every entry point returns a named error instead of
// crashing when there is no driver or no device. The GPU side is tested on
// the GPU machine.
//
//===----------------------------------------------------------------------===//

#include "tile/Runtime/Runtime.h"

#include <gtest/gtest.h>

#include <unistd.h>

#include <string>
#include <vector>

using namespace tile::rt;

namespace {

/// A kernel signature like the compiler emits: pointers first, then scalars.
std::vector<ParamInfo> quantSignature() {
  return {{ArgKind::Pointer, 16, "x"},     {ArgKind::Pointer, 16, "out"},
          {ArgKind::Pointer, 4, "scales"}, {ArgKind::I32, 0, "n"},
          {ArgKind::I64, 0, "stride"},     {ArgKind::F32, 0, "eps"}};
}

/// A signature with integer facts, like token_quant's: K and stride_x are
/// multiples of 8 (rows of bf16 read 16 bytes at a time), `offset` an i64
/// multiple of 4, M unconstrained.
std::vector<ParamInfo> stridedSignature() {
  return {{ArgKind::Pointer, 16, "x"},
          {ArgKind::I32, 0, "M"},
          {ArgKind::I32, 0, "K", 8},
          {ArgKind::I32, 0, "stride_x", 8},
          {ArgKind::I64, 0, "offset", 4}};
}

std::vector<Arg> stridedArgs(int64_t M, int64_t K, int64_t strideX,
                             int64_t offset) {
  return {Arg::pointer(0x7f0000001000ull), Arg::i32(M), Arg::i32(K),
          Arg::i32(strideX), Arg::i64(offset)};
}

Status checkStrided(int64_t M, int64_t K, int64_t strideX, int64_t offset) {
  std::vector<Arg> args = stridedArgs(M, K, strideX, offset);
  return checkArguments("token_quant", stridedSignature(), args.data(),
                        args.size());
}

std::vector<Arg> matchingArgs() {
  return {Arg::pointer(0x7f0000001000ull), Arg::pointer(0x7f0000002010ull),
          Arg::pointer(0x7f0000003004ull), Arg::i32(4096),
          Arg::i64(int64_t(1) << 40),      Arg::f32(1e-6f)};
}

::testing::AssertionResult contains(const std::string &text,
                                    const std::string &part) {
  if (text.find(part) != std::string::npos)
    return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << "\"" << text << "\" does not contain \"" << part << "\"";
}

/// True where the NVIDIA kernel driver exposes a device node: then init() may
/// succeed, and the no-GPU expectations do not apply.
bool machineHasNvidiaDevice() { return access("/dev/nvidiactl", F_OK) == 0; }

bool isNoGpuName(const std::string &name) {
  return name == "TILE_NO_DRIVER" || name == "TILE_NO_GPU" ||
         name.rfind("CUDA_ERROR_", 0) == 0;
}

//===----------------------------------------------------------------------===//
// Status, Result, Arg
//===----------------------------------------------------------------------===//

TEST(RuntimeStatus, OkAndErrorRender) {
  Status ok = Status::ok();
  EXPECT_TRUE(ok.isOk());
  EXPECT_TRUE(static_cast<bool>(ok));
  EXPECT_EQ(ok.str(), "ok");
  EXPECT_EQ(ok.name(), "");

  Status error = Status::error("TILE_BAD_LAUNCH", "grid (0, 1, 1) is empty");
  EXPECT_FALSE(error.isOk());
  EXPECT_FALSE(static_cast<bool>(error));
  EXPECT_EQ(error.name(), "TILE_BAD_LAUNCH");
  EXPECT_EQ(error.message(), "grid (0, 1, 1) is empty");
  EXPECT_EQ(error.str(), "TILE_BAD_LAUNCH: grid (0, 1, 1) is empty");
}

TEST(RuntimeStatus, ErrorWithoutNameIsStillAnError) {
  Status error = Status::error("", "something broke");
  EXPECT_FALSE(error.isOk());
  EXPECT_EQ(error.name(), "TILE_ERROR");
}

TEST(RuntimeResult, HoldsValueOrError) {
  Result<int> value(42);
  ASSERT_TRUE(value.isOk());
  EXPECT_TRUE(static_cast<bool>(value));
  EXPECT_EQ(value.value(), 42);
  EXPECT_TRUE(value.status().isOk());

  Result<std::string> text(std::string("sm_90a"));
  EXPECT_EQ(text->size(), 6u);

  Result<int> failed(Status::error("TILE_NO_GPU", "none"));
  EXPECT_FALSE(failed.isOk());
  EXPECT_FALSE(static_cast<bool>(failed));
  EXPECT_EQ(failed.status().name(), "TILE_NO_GPU");
}

TEST(RuntimeResult, OkStatusWithoutValueBecomesAnError) {
  Result<int> misuse{Status::ok()};
  EXPECT_FALSE(misuse.isOk());
  EXPECT_EQ(misuse.status().name(), "TILE_INTERNAL");
}

TEST(RuntimeResult, ValueOfAnErrorAborts) {
  Result<int> failed(Status::error("TILE_NO_GPU", "no device here"));
  EXPECT_DEATH((void)failed.value(), "TILE_NO_GPU: no device here");
}

TEST(RuntimeArg, FactoriesSetKindAndValue) {
  Arg p = Arg::pointer(0x1234);
  EXPECT_EQ(p.kind, ArgKind::Pointer);
  EXPECT_EQ(p.value.pointer, 0x1234u);
  Arg i = Arg::i32(-7);
  EXPECT_EQ(i.kind, ArgKind::I32);
  EXPECT_EQ(i.value.i64, -7);
  Arg l = Arg::i64(-(int64_t(1) << 35));
  EXPECT_EQ(l.kind, ArgKind::I64);
  EXPECT_EQ(l.value.i64, -(int64_t(1) << 35));
  Arg f = Arg::f32(0.25f);
  EXPECT_EQ(f.kind, ArgKind::F32);
  EXPECT_EQ(f.value.f32, 0.25f);
  DeviceBuffer empty;
  Arg b = Arg::pointer(empty);
  EXPECT_EQ(b.kind, ArgKind::Pointer);
  EXPECT_EQ(b.value.pointer, 0u);
}

TEST(RuntimeArg, I32KeepsTheWholeValueForTheCheck) {
  // The caller's value, not its low 32 bits: checkArguments sees what was
  // given.
  EXPECT_EQ(Arg::i32(3000000000ll).value.i64, 3000000000ll);
  EXPECT_EQ(Arg::i32(-(int64_t(1) << 32)).value.i64, -(int64_t(1) << 32));
}

TEST(RuntimeArg, KindNames) {
  EXPECT_STREQ(argKindName(ArgKind::Pointer), "pointer");
  EXPECT_STREQ(argKindName(ArgKind::I32), "i32");
  EXPECT_STREQ(argKindName(ArgKind::I64), "i64");
  EXPECT_STREQ(argKindName(ArgKind::F32), "f32");
}

//===----------------------------------------------------------------------===//
// checkArguments
//===----------------------------------------------------------------------===//

TEST(RuntimeCheckArguments, AcceptsMatchingList) {
  std::vector<Arg> args = matchingArgs();
  Status s =
      checkArguments("row_quant", quantSignature(), args.data(), args.size());
  EXPECT_TRUE(s.isOk()) << s.str();
}

TEST(RuntimeCheckArguments, AcceptsEmptySignatureWithNoArguments) {
  Status s = checkArguments("noop", {}, nullptr, 0);
  EXPECT_TRUE(s.isOk()) << s.str();
}

TEST(RuntimeCheckArguments, AlignmentIsOnlyWhatTheParameterAsks) {
  // 0x...3004 is 4-aligned, not 16-aligned: right for "scales" (4), and an
  // unaligned address is fine where the parameter declares no alignment.
  std::vector<ParamInfo> signature = {{ArgKind::Pointer, 4, "scales"},
                                      {ArgKind::Pointer, 0, "bytes"},
                                      {ArgKind::Pointer, 1, "chars"}};
  std::vector<Arg> args = {Arg::pointer(0x3004), Arg::pointer(0x3003),
                           Arg::pointer(0x3001)};
  Status s = checkArguments("k", signature, args.data(), args.size());
  EXPECT_TRUE(s.isOk()) << s.str();
}

TEST(RuntimeCheckArguments, RejectsTooFew) {
  std::vector<Arg> args = matchingArgs();
  Status s = checkArguments("row_quant", quantSignature(), args.data(), 2);
  ASSERT_FALSE(s.isOk());
  EXPECT_EQ(s.name(), "TILE_BAD_ARGUMENTS");
  EXPECT_TRUE(contains(s.message(), "'row_quant'"));
  EXPECT_TRUE(contains(s.message(), "takes 6 arguments"));
  EXPECT_TRUE(contains(s.message(), "got 2"));
  // The expected signature is spelled out, so the caller sees what is missing.
  EXPECT_TRUE(contains(s.message(), "n: i32"));
}

TEST(RuntimeCheckArguments, RejectsTooMany) {
  std::vector<Arg> args = matchingArgs();
  args.push_back(Arg::i32(1));
  Status s =
      checkArguments("row_quant", quantSignature(), args.data(), args.size());
  ASSERT_FALSE(s.isOk());
  EXPECT_EQ(s.name(), "TILE_BAD_ARGUMENTS");
  EXPECT_TRUE(contains(s.message(), "takes 6 arguments"));
  EXPECT_TRUE(contains(s.message(), "got 7"));
}

TEST(RuntimeCheckArguments, RejectsNullListWithNonZeroCount) {
  std::vector<ParamInfo> signature = {{ArgKind::I32, 0, "n"}};
  Status s = checkArguments("k", signature, nullptr, 1);
  ASSERT_FALSE(s.isOk());
  EXPECT_EQ(s.name(), "TILE_BAD_ARGUMENTS");
}

TEST(RuntimeCheckArguments, RejectsWrongKind) {
  std::vector<Arg> args = matchingArgs();
  args[3] = Arg::f32(4096.0f);
  Status s =
      checkArguments("row_quant", quantSignature(), args.data(), args.size());
  ASSERT_FALSE(s.isOk());
  EXPECT_EQ(s.name(), "TILE_BAD_ARGUMENTS");
  EXPECT_TRUE(contains(s.message(), "argument 3 ('n')"));
  EXPECT_TRUE(contains(s.message(), "is f32"));
  EXPECT_TRUE(contains(s.message(), "expected i32"));
}

TEST(RuntimeCheckArguments, RejectsScalarForPointer) {
  std::vector<Arg> args = matchingArgs();
  args[0] = Arg::i64(0x7f0000001000ll);
  Status s =
      checkArguments("row_quant", quantSignature(), args.data(), args.size());
  ASSERT_FALSE(s.isOk());
  EXPECT_TRUE(contains(s.message(), "argument 0 ('x')"));
  EXPECT_TRUE(contains(s.message(), "is i64"));
  EXPECT_TRUE(contains(s.message(), "expected pointer"));
}

TEST(RuntimeCheckArguments, RejectsI32ForI64) {
  // Same family, different width: the kernel would read 4 garbage bytes.
  std::vector<Arg> args = matchingArgs();
  args[4] = Arg::i32(7);
  Status s =
      checkArguments("row_quant", quantSignature(), args.data(), args.size());
  ASSERT_FALSE(s.isOk());
  EXPECT_TRUE(contains(s.message(), "argument 4 ('stride')"));
  EXPECT_TRUE(contains(s.message(), "expected i64"));
}

TEST(RuntimeCheckArguments, RejectsMisalignedPointer) {
  std::vector<Arg> args = matchingArgs();
  args[1] = Arg::pointer(0x7f0000002008ull);
  Status s =
      checkArguments("row_quant", quantSignature(), args.data(), args.size());
  ASSERT_FALSE(s.isOk());
  EXPECT_EQ(s.name(), "TILE_BAD_ARGUMENTS");
  EXPECT_TRUE(contains(s.message(), "argument 1 ('out')"));
  EXPECT_TRUE(contains(s.message(), "0x7f0000002008"));
  EXPECT_TRUE(contains(s.message(), "aligned to 16 bytes"));
}

TEST(RuntimeCheckArguments, UnnamedParameterIsNamedByIndex) {
  std::vector<ParamInfo> signature = {{ArgKind::I32, 0, ""}};
  Arg arg = Arg::f32(1.0f);
  Status s = checkArguments("k", signature, &arg, 1);
  ASSERT_FALSE(s.isOk());
  EXPECT_TRUE(contains(s.message(), "argument 0 is f32"));
}

TEST(RuntimeCheckArguments, ReportsFirstMismatch) {
  std::vector<Arg> args = matchingArgs();
  args[2] = Arg::pointer(0x3002);
  args[5] = Arg::i32(0);
  Status s =
      checkArguments("row_quant", quantSignature(), args.data(), args.size());
  ASSERT_FALSE(s.isOk());
  EXPECT_TRUE(contains(s.message(), "argument 2 ('scales')"));
  EXPECT_TRUE(contains(s.message(), "aligned to 4 bytes"));
}

TEST(RuntimeCheckArguments, RejectsScalarThatIsNotAMultiple) {
  Status s = checkStrided(4, 1376, 1369, 0);
  ASSERT_FALSE(s.isOk());
  EXPECT_EQ(s.name(), "TILE_BAD_ARGUMENTS");
  EXPECT_EQ(s.message(),
            "kernel 'token_quant': argument 3 ('stride_x') = 1369 is not a "
            "multiple of 8, which the kernel was compiled for");
}

TEST(RuntimeCheckArguments, RejectsNegativeScalarThatIsNotAMultiple) {
  Status s = checkStrided(4, -12, 8, 0);
  ASSERT_FALSE(s.isOk());
  EXPECT_TRUE(contains(s.message(), "argument 2 ('K') = -12"));
  EXPECT_TRUE(contains(s.message(), "is not a multiple of 8"));
}

TEST(RuntimeCheckArguments, RejectsI64ThatIsNotAMultiple) {
  Status s = checkStrided(4, 8, 8, (int64_t(1) << 40) + 2);
  ASSERT_FALSE(s.isOk());
  EXPECT_EQ(s.message(),
            "kernel 'token_quant': argument 4 ('offset') = 1099511627778 is "
            "not a multiple of 4, which the kernel was compiled for");
}

TEST(RuntimeCheckArguments, AcceptsMultiplesIncludingZeroAndNegatives) {
  for (int64_t v : {int64_t(0), int64_t(8), int64_t(-8), int64_t(1376),
                    int64_t(INT32_MAX) - 7, int64_t(INT32_MIN)}) {
    SCOPED_TRACE("value " + std::to_string(v));
    Status s = checkStrided(1, v, v, v);
    EXPECT_TRUE(s.isOk()) << s.str();
  }
  Status wide = checkStrided(1, 8, 8, int64_t(1) << 40);
  EXPECT_TRUE(wide.isOk()) << wide.str();
}

TEST(RuntimeCheckArguments, DivisibilityZeroOrOneAsksNothing) {
  std::vector<ParamInfo> signature = {{ArgKind::I32, 0, "a", 0},
                                      {ArgKind::I32, 0, "b", 1},
                                      {ArgKind::I64, 0, "c", 1}};
  std::vector<Arg> args = {Arg::i32(1369), Arg::i32(-7), Arg::i64(3)};
  Status s = checkArguments("k", signature, args.data(), args.size());
  EXPECT_TRUE(s.isOk()) << s.str();
}

TEST(RuntimeCheckArguments, RejectsI32AboveItsRange) {
  // M = 3e9 rows would have become -1294967296 through an int32_t.
  Status s = checkStrided(3000000000ll, 8, 8, 0);
  ASSERT_FALSE(s.isOk());
  EXPECT_EQ(s.name(), "TILE_BAD_ARGUMENTS");
  EXPECT_EQ(s.message(),
            "kernel 'token_quant': argument 1 ('M') = 3000000000 does not fit "
            "the kernel's i32 (-2147483648 to 2147483647)");
}

TEST(RuntimeCheckArguments, RejectsI32BelowItsRange) {
  Status s = checkStrided(int64_t(INT32_MIN) - 1, 8, 8, 0);
  ASSERT_FALSE(s.isOk());
  EXPECT_TRUE(contains(s.message(), "argument 1 ('M') = -2147483649"));
  EXPECT_TRUE(contains(s.message(), "does not fit the kernel's i32"));
}

TEST(RuntimeCheckArguments, AcceptsI32AtBothEndsOfItsRange) {
  for (int64_t M : {int64_t(INT32_MAX), int64_t(INT32_MIN), int64_t(0)}) {
    SCOPED_TRACE("M = " + std::to_string(M));
    Status s = checkStrided(M, 8, 8, 0);
    EXPECT_TRUE(s.isOk()) << s.str();
  }
}

TEST(RuntimeCheckArguments, RangeIsCheckedBeforeDivisibility) {
  // 2^32 is a multiple of 8, but the kernel would read it as 0.
  Status s = checkStrided(4, 8, int64_t(1) << 32, 0);
  ASSERT_FALSE(s.isOk());
  EXPECT_TRUE(contains(s.message(), "argument 3 ('stride_x') = 4294967296"));
  EXPECT_TRUE(contains(s.message(), "does not fit the kernel's i32"));
}

TEST(RuntimeCheckArguments, I64IsNotRangeChecked) {
  Status s = checkStrided(4, 8, 8, int64_t(1) << 60);
  EXPECT_TRUE(s.isOk()) << s.str();
}

TEST(RuntimeCheckArguments, UnnamedScalarIsNamedByIndex) {
  std::vector<ParamInfo> signature = {{ArgKind::I32, 0, "", 8}};
  Arg arg = Arg::i32(7);
  Status s = checkArguments("k", signature, &arg, 1);
  ASSERT_FALSE(s.isOk());
  EXPECT_TRUE(contains(s.message(), "kernel 'k': argument 0 = 7 is not a "
                                    "multiple of 8"));
}

//===----------------------------------------------------------------------===//
// Without a GPU
//===----------------------------------------------------------------------===//

TEST(RuntimeEmptyObjects, FailWithoutTouchingTheDriver) {
  Kernel kernel;
  Status launched = kernel.launch({1, 1, 1}, {});
  EXPECT_EQ(launched.name(), "TILE_MISSING_SYMBOL");
  EXPECT_EQ(kernel.name(), "");
  EXPECT_EQ(kernel.handle(), nullptr);

  DeviceBuffer buffer;
  EXPECT_EQ(buffer.address(), 0u);
  EXPECT_EQ(buffer.size(), 0u);
  char byte = 0;
  Status copied = buffer.copyFromHost(&byte, 1);
  EXPECT_EQ(copied.name(), "TILE_OUT_OF_RANGE") << copied.str();
  Status read = buffer.copyToHost(&byte, 1, 0);
  EXPECT_EQ(read.name(), "TILE_OUT_OF_RANGE") << read.str();

  Event event;
  EXPECT_FALSE(event.record(Stream()).isOk());
}

// A borrowed stream is the caller's: using it creates nothing, and
// destroying it (or what it was moved into) destroys nothing. Were it
// destroyed, this test would call into a driver that is not loaded here.
TEST(RuntimeBorrowedStream, IsNeverDestroyed) {
  CUstream handle = reinterpret_cast<CUstream>(uintptr_t(0x1000));
  {
    Stream borrowed = Stream::borrow(handle);
    EXPECT_EQ(borrowed.handle(), handle);
    EXPECT_FALSE(borrowed.isOwned());
    Stream moved = std::move(borrowed);
    EXPECT_EQ(moved.handle(), handle);
    EXPECT_FALSE(moved.isOwned());
    EXPECT_EQ(borrowed.handle(), nullptr);
    Stream assigned;
    assigned = std::move(moved);
    EXPECT_EQ(assigned.handle(), handle);
    EXPECT_FALSE(assigned.isOwned());
  }
  // The default stream is nobody's to destroy either.
  EXPECT_FALSE(Stream().isOwned());
  EXPECT_FALSE(Stream::borrow(nullptr).isOwned());
}

class RuntimeNoGpu : public ::testing::Test {
protected:
  void SetUp() override {
    if (machineHasNvidiaDevice())
      GTEST_SKIP() << "this machine has an NVIDIA device; the GPU tests "
                      "cover it";
  }
};

TEST_F(RuntimeNoGpu, InitFailsWithNamedError) {
  Status s = init();
  ASSERT_FALSE(s.isOk());
  EXPECT_TRUE(isNoGpuName(s.name())) << s.str();
  EXPECT_FALSE(s.message().empty());
  EXPECT_FALSE(hasGpu());
  // Idempotent: the same answer again.
  Status again = init();
  EXPECT_EQ(again.name(), s.name());
  EXPECT_EQ(again.message(), s.message());
  EXPECT_EQ(rawLaunchKernel(), nullptr);
}

TEST_F(RuntimeNoGpu, AllocateFailsWithInitsError) {
  Status initStatus = init();
  Result<DeviceBuffer> buffer = DeviceBuffer::allocate(1 << 20);
  ASSERT_FALSE(buffer.isOk());
  EXPECT_TRUE(isNoGpuName(buffer.status().name())) << buffer.status().str();
  EXPECT_EQ(buffer.status().name(), initStatus.name());
}

TEST_F(RuntimeNoGpu, EveryEntryPointFailsWithNamedError) {
  std::string expected = init().name();
  ASSERT_FALSE(expected.empty());

  Result<DeviceInfo> info = deviceInfo();
  EXPECT_EQ(info.status().name(), expected);
  EXPECT_EQ(memoryInfo().status().name(), expected);
  EXPECT_EQ(synchronizeDevice().name(), expected);
  EXPECT_EQ(Stream::create().status().name(), expected);
  EXPECT_EQ(Event::create().status().name(), expected);
  EXPECT_EQ(StreamGate::create().status().name(), expected);
  EXPECT_EQ(Stream().synchronize().name(), expected);
  EXPECT_EQ(copyDeviceToDevice(0x1000, 0x2000, 64, Stream()).name(), expected);

  static const char ptx[] = ".version 8.0\n.target sm_90\n";
  Result<Module> module = Module::load(ptx, sizeof(ptx));
  EXPECT_EQ(module.status().name(), expected);

  EXPECT_EQ(deviceCount().status().name(), expected);
  EXPECT_EQ(setDevice(0).name(), expected);
  EXPECT_EQ(currentDevice().status().name(), expected);
  DeviceGuard guard(0);
  EXPECT_FALSE(guard.isOk());
  EXPECT_EQ(guard.status().name(), expected);
}

// Without a driver the device count is unknown, so an ordinal past it gets
// the driver's error; a negative one is wrong on any machine.
TEST_F(RuntimeNoGpu, OrdinalPastTheCountGetsTheNoGpuError) {
  std::string expected = init().name();
  Status s = setDevice(1 << 30);
  EXPECT_EQ(s.name(), expected) << s.str();
  EXPECT_EQ(DeviceGuard(1).status().name(), expected);
}

TEST(RuntimeDevices, NegativeOrdinalIsRefusedByName) {
  Status s = setDevice(-1);
  ASSERT_FALSE(s.isOk());
  EXPECT_EQ(s.name(), "TILE_BAD_ARGUMENTS") << s.str();
  EXPECT_TRUE(contains(s.message(), "no CUDA device -1")) << s.str();
  DeviceGuard guard(-3);
  EXPECT_FALSE(guard.isOk());
  EXPECT_EQ(guard.status().name(), "TILE_BAD_ARGUMENTS");
  EXPECT_TRUE(contains(guard.status().message(), "no CUDA device -3"));
}

TEST(RuntimeEmptyObjects, EmptyKernelHasNoFunctionInAnyContext) {
  Kernel kernel;
  Result<CUfunction> function = kernel.handleInCurrentContext();
  ASSERT_FALSE(function.isOk());
  EXPECT_EQ(function.status().name(), "TILE_MISSING_SYMBOL");
}

} // namespace
