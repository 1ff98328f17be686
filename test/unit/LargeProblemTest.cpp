//===- LargeProblemTest.cpp - Row offsets past 2^31 elements, on the CPU --===//
//
// KERNELS.md, "Sizes and addresses": every kernel is correct for tensors of
// more than 2^31 elements, row offsets computed in 64 bits (vllm#9425 and
// vllm#53390 were production crashes of 32-bit row offsets). These tests run
// group_quant, token_quant and the contiguous silu_mul_quant in the
// interpreter on such problems without materializing them: the buffers are
// anonymous MAP_NORESERVE mappings (untouched pages cost nothing and read as
// zeros), only the last rows are filled with fresh random values (and their
// outputs, and the row before them, poisoned), and only the programs of those
// rows run (Interpreter::run with a ProgramRange). Their codes and scales
// must equal the reference run on just those rows bit for bit, the row
// before must stay poisoned, and every other byte of the outputs must still
// be zero and no other page of them in memory (nothing written elsewhere).
//
// Three shapes per kernel: M * K past 2^31 (M = 300000, K = 7168; a wrapped
// i32 row offset points 4 GiB before x, which the interpreter reports as an
// out-of-bounds access), past 2^32 (M = 600000: the wrapped offset lands
// inside x, on rows that were never filled, so the checked rows are never
// written and another row's pages are), and 3 rows 2^30 elements apart (row
// 2 starts at element 2^31). On the kernels before 64-bit row bases
// (743bb24) all nine fail that way.
//
// Needs 64-bit virtual memory (up to 9 GiB of address space per mapping)
// and an overcommit policy that allows MAP_NORESERVE; skipped otherwise.
//
//===----------------------------------------------------------------------===//

#include "GroupQuant.h"
#include "SiluMulQuant.h"
#include "TokenQuant.h"

#include "tile/Interpreter/Interpreter.h"
#include "tile/Pipeline/Pipeline.h"
#include "tile/Support/Numerics.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"

#include <gtest/gtest.h>

#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <map>
#include <random>
#include <string>
#include <vector>

namespace {

namespace kernels = ::tile::kernels;
namespace interp = ::tile::interp;
namespace numerics = ::tile::numerics;

constexpr uint8_t kPoison = 0xa5;

/// Rows checked at the end of each problem (the row before them is a guard).
constexpr int64_t kRowsChecked = 2;

//===----------------------------------------------------------------------===//
// Mapped buffers
//===----------------------------------------------------------------------===//

/// An anonymous private mapping reserving no swap: pages cost memory only
/// once written, and read as zeros until then.
class Mapped {
public:
  explicit Mapped(int64_t bytes) : bytes(size_t(bytes)) {
    void *p = mmap(nullptr, this->bytes, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    data = p == MAP_FAILED ? nullptr : static_cast<uint8_t *>(p);
  }
  ~Mapped() {
    if (data)
      munmap(data, bytes);
  }
  Mapped(const Mapped &) = delete;
  Mapped &operator=(const Mapped &) = delete;

  uint8_t *data;
  size_t bytes;
};

/// Whether bytes [begin, end) of `m` are all `value`; the first offending
/// offset in `where` otherwise.
bool allBytes(const Mapped &m, size_t begin, size_t end, uint8_t value,
              size_t &where) {
  static const std::vector<uint8_t> zeros(1 << 20, 0);
  for (size_t at = begin; at < end;) {
    size_t n = std::min(end - at, zeros.size());
    if (value != 0 || std::memcmp(m.data + at, zeros.data(), n) != 0) {
      for (size_t i = 0; i < n; ++i)
        if (m.data[at + i] != value) {
          where = at + i;
          return false;
        }
    }
    at += n;
  }
  return true;
}

/// Whether every page of `m` in memory lies in a 2 MiB block (a transparent
/// huge page) of one of `written`, the byte ranges [begin, end) the test
/// wrote; the first other one in `where` otherwise. Never-touched pages of
/// an anonymous mapping are not in memory, so a kernel's stray store shows
/// here even when it stores zeros. (Call before reading the mapping: a read
/// maps pages too.)
bool residentOnlyIn(const Mapped &m,
                    const std::vector<std::pair<size_t, size_t>> &written,
                    size_t &where) {
  const size_t page = size_t(sysconf(_SC_PAGESIZE)), huge = size_t(2) << 20;
  std::vector<unsigned char> resident((m.bytes + page - 1) / page);
  if (mincore(m.data, m.bytes, resident.data()) != 0)
    return true; // cannot tell: the value checks remain
  uintptr_t base = reinterpret_cast<uintptr_t>(m.data);
  for (size_t i = 0; i < resident.size(); ++i) {
    if (!(resident[i] & 1))
      continue;
    uintptr_t at = base + i * page;
    bool expected = false;
    for (auto [begin, end] : written)
      expected |= at >= (base + begin) / huge * huge &&
                  at < (base + end + huge - 1) / huge * huge;
    if (!expected) {
      where = i * page;
      return false;
    }
  }
  return true;
}

/// A fresh seed per run, recorded so that a failure can be reproduced.
uint32_t freshSeed() {
  uint32_t seed = std::random_device{}();
  ::testing::Test::RecordProperty("seed", std::to_string(seed));
  return seed;
}

/// `n` random bf16 values over many binades (never all zeros) at `p`.
void fillBf16(uint8_t *p, int64_t n, std::mt19937_64 &rng) {
  std::uniform_real_distribution<float> mantissa(-1.0f, 1.0f);
  std::uniform_int_distribution<int> exponent(-10, 10);
  for (int64_t i = 0; i < n; ++i) {
    uint16_t h = numerics::floatToBf16(std::ldexp(mantissa(rng), exponent(rng)));
    std::memcpy(p + 2 * i, &h, 2);
  }
}

//===----------------------------------------------------------------------===//
// Running the last programs
//===----------------------------------------------------------------------===//

/// One output of a problem, and where its checked rows are.
struct Output {
  std::string name;
  Mapped *buffer;
  int64_t rowBytes;    ///< bytes of one row's values (codes, or scales)
  int64_t strideBytes; ///< bytes from one row to the next
  /// The reference's values of the checked rows, rowBytes apart.
  std::vector<uint8_t> want;
};

/// A problem of M rows whose last kRowsChecked rows are checked.
struct LargeProblem {
  std::string kernel;
  int64_t M;
  int64_t grid;
  /// Arguments by name (the kernel's parameter names).
  std::map<std::string, interp::Arg> args;
  std::vector<std::pair<std::string, Mapped *>> buffers;
  std::vector<Output> outputs;
};

/// The kernel's arguments in its parameters' order, by their names; an error
/// naming a parameter the problem does not give.
bool bindArguments(mlir::func::FuncOp kernel, const LargeProblem &problem,
                   std::vector<interp::Arg> &args, std::string &error) {
  for (unsigned i = 0; i < kernel.getNumArguments(); ++i) {
    auto name = mlir::dyn_cast<mlir::NameLoc>(kernel.getArgument(i).getLoc());
    std::string key = name ? name.getName().str() : "#" + std::to_string(i);
    auto it = problem.args.find(key);
    if (it == problem.args.end()) {
      error = "no value for the kernel's parameter '" + key + "'";
      return false;
    }
    interp::Arg arg = it->second;
    // Integers as wide as the kernel takes them.
    mlir::Type type = kernel.getArgument(i).getType();
    if (arg.kind != interp::Arg::Kind::Pointer &&
        (type.isInteger(64) || type.isIndex()))
      arg = interp::Arg::i64(int64_t(arg.bits));
    args.push_back(arg);
  }
  return true;
}

/// Poisons the checked rows and the guard row, runs the programs of the
/// checked rows (the last ones of the grid, rows in order), and compares.
void runLastRows(mlir::ModuleOp module, LargeProblem &problem, uint32_t seed) {
  const int64_t M = problem.M, first = M - kRowsChecked;
  ASSERT_EQ(problem.grid % M, 0) << "programs do not split evenly into rows";
  const int64_t perRow = problem.grid / M;
  for (Output &o : problem.outputs)
    for (int64_t r = first - 1; r < M; ++r)
      std::memset(o.buffer->data + r * o.strideBytes, kPoison, o.rowBytes);

  auto function = module.lookupSymbol<mlir::func::FuncOp>(problem.kernel);
  ASSERT_TRUE(function) << problem.kernel;
  std::vector<interp::Arg> args;
  std::string error;
  ASSERT_TRUE(bindArguments(function, problem, args, error)) << error;
  interp::Interpreter interpreter(module);
  for (auto &[name, buffer] : problem.buffers)
    interpreter.addBuffer(buffer->data, buffer->bytes, name);
  std::string diagnostics;
  mlir::ScopedDiagnosticHandler handler(
      module.getContext(), [&](mlir::Diagnostic &d) {
        diagnostics += d.str() + "\n";
        return mlir::success();
      });
  interp::Grid grid{uint32_t(problem.grid)};
  interp::ProgramRange programs =
      interp::ProgramRange::last(grid, uint64_t(kRowsChecked * perRow));
  bool ran = mlir::succeeded(
      interpreter.run(problem.kernel, grid, args, programs));
  ASSERT_TRUE(ran) << problem.kernel << " M=" << M << " (seed " << seed
                   << "), programs " << programs.first << ".."
                   << programs.first + programs.count - 1 << ":\n"
                   << diagnostics;

  // No page of an output written but those of the rows poisoned above.
  for (const Output &o : problem.outputs) {
    std::vector<std::pair<size_t, size_t>> written;
    for (int64_t r = first - 1; r < M; ++r)
      written.push_back({size_t(r * o.strideBytes),
                         size_t(r * o.strideBytes + o.rowBytes)});
    size_t where = 0;
    EXPECT_TRUE(residentOnlyIn(*o.buffer, written, where))
        << problem.kernel << " M=" << M << ": the page at byte " << where
        << " of " << o.name << " (row " << where / o.strideBytes
        << ") was written";
  }
  for (const Output &o : problem.outputs) {
    // The checked rows, element for element.
    for (int64_t r = first; r < M; ++r) {
      const uint8_t *got = o.buffer->data + r * o.strideBytes;
      const uint8_t *want = o.want.data() + (r - first) * o.rowBytes;
      int64_t differ = 0, firstDiffer = -1;
      for (int64_t i = 0; i < o.rowBytes; ++i)
        if (got[i] != want[i]) {
          differ += 1;
          if (firstDiffer < 0)
            firstDiffer = i;
        }
      EXPECT_EQ(differ, 0)
          << problem.kernel << " M=" << M << " (seed " << seed << "): "
          << differ << " of " << o.rowBytes << " bytes of " << o.name
          << " row " << r << " differ from the reference; the first at byte "
          << firstDiffer << ": got 0x" << std::hex << int(got[firstDiffer])
          << ", want 0x" << int(want[firstDiffer]) << std::dec
          << (got[firstDiffer] == kPoison ? " (never written)" : "");
    }
    // The guard row untouched; nothing written anywhere else.
    size_t where = 0;
    const size_t guard = size_t((first - 1) * o.strideBytes);
    EXPECT_TRUE(allBytes(*o.buffer, guard, guard + size_t(o.rowBytes),
                         kPoison, where))
        << o.name << ": byte " << where << " of row " << first - 1
        << ", before the programs run, was written";
    EXPECT_TRUE(allBytes(*o.buffer, 0, guard, 0, where))
        << o.name << ": byte " << where << " (row " << where / o.strideBytes
        << ") was written";
    for (int64_t r = first - 1; r < M; ++r) {
      size_t begin = size_t(r * o.strideBytes + o.rowBytes);
      size_t end = r + 1 < M ? size_t((r + 1) * o.strideBytes) : o.buffer->bytes;
      EXPECT_TRUE(allBytes(*o.buffer, begin, end, 0, where))
          << o.name << ": byte " << where << ", between rows, was written";
    }
  }
}

//===----------------------------------------------------------------------===//
// The problems
//===----------------------------------------------------------------------===//

class LargeProblemTest : public ::testing::TestWithParam<std::pair<int64_t, int64_t>> {
protected:
  LargeProblemTest() {
    mlir::DialectRegistry registry;
    mlir::tile::registerCompilerDialects(registry);
    context = std::make_unique<mlir::MLIRContext>(registry);
  }

  void SetUp() override {
    if (sizeof(void *) < 8)
      GTEST_SKIP() << "needs 64-bit addresses";
    Mapped probe(int64_t(16) << 30);
    if (!probe.data)
      GTEST_SKIP() << "cannot map 16 GiB with MAP_NORESERVE (overcommit "
                      "policy?)";
  }

  /// Maps `bytes`, failing the test when the mapping is refused.
  Mapped *map(int64_t bytes) {
    mappings.push_back(std::make_unique<Mapped>(bytes));
    EXPECT_NE(mappings.back()->data, nullptr) << "cannot map " << bytes
                                              << " bytes";
    return mappings.back().get();
  }

  std::unique_ptr<mlir::MLIRContext> context;
  std::vector<std::unique_ptr<Mapped>> mappings;
};

/// (M, row stride in elements; 0 for K): past 2^31 elements, past 2^32, and
/// 3 rows 2^30 elements apart.
const std::pair<int64_t, int64_t> kShapes[] = {
    {300000, 0}, {600000, 0}, {3, int64_t(1) << 30}};

std::string shapeName(const ::testing::TestParamInfo<std::pair<int64_t, int64_t>> &info) {
  return "M" + std::to_string(info.param.first) +
         (info.param.second ? "_stride" + std::to_string(info.param.second) : "");
}

// x [M, K] bf16 -> q [M, K] fp8 with row-major fp32 scales [M, K / 128].
TEST_P(LargeProblemTest, GroupQuantLastRows) {
  const int64_t M = GetParam().first, K = 7168;
  const int64_t stride = GetParam().second ? GetParam().second : K;
  kernels::GroupQuantSpec spec; // bf16 -> fp8, G = 128, row-major scales
  auto module = kernels::buildGroupQuant(*context, spec);
  ASSERT_TRUE(mlir::succeeded(module));
  const int64_t G = K / spec.group;
  Mapped *x = map(((M - 1) * stride + K) * 2);
  Mapped *q = map((M - 1) * stride + K);
  Mapped *s = map(M * G * 4);
  ASSERT_FALSE(HasFailure());
  uint32_t seed = freshSeed();
  std::mt19937_64 rng(seed);
  const int64_t first = M - kRowsChecked;
  for (int64_t r = first; r < M; ++r)
    fillBf16(x->data + r * stride * 2, K, rng);

  LargeProblem p;
  p.kernel = "group_quant";
  p.M = M;
  p.grid = kernels::groupQuantGrid(spec, M, K);
  p.buffers = {{"x", x}, {"q", q}, {"scales", s}};
  p.args = {{"x", interp::Arg::pointer(x->data)},
            {"q", interp::Arg::pointer(q->data)},
            {"scales", interp::Arg::pointer(s->data)},
            {"M", interp::Arg::i32(int32_t(M))},
            {"K", interp::Arg::i32(int32_t(K))},
            {"stride_x", interp::Arg::i32(int32_t(stride))},
            {"stride_q", interp::Arg::i32(int32_t(stride))},
            {"scale_stride_m", interp::Arg::i32(int32_t(G))},
            {"scale_stride_g", interp::Arg::i32(1)}};
  // The reference on just the checked rows (pointed at their start).
  Output codes{"q", q, K, stride, std::vector<uint8_t>(kRowsChecked * K)};
  Output scales{"scales", s, G * 4, G * 4,
                std::vector<uint8_t>(kRowsChecked * G * 4)};
  kernels::groupQuantReference(spec, x->data + first * stride * 2,
                               codes.want.data(), scales.want.data(),
                               kRowsChecked, K, stride, K);
  p.outputs = {std::move(codes), std::move(scales)};
  runLastRows(**module, p, seed);
}

// x [M, K] bf16 -> q [M, K] fp8, one fp32 scale per row.
TEST_P(LargeProblemTest, TokenQuantLastRows) {
  const int64_t M = GetParam().first, K = 7168;
  const int64_t stride = GetParam().second ? GetParam().second : K;
  kernels::TokenQuantSpec spec; // bf16 -> fp8
  spec.blockK = 8192;
  spec.rowsPerProgram = 1;
  spec.kDivisibility = 16;
  auto module = kernels::buildTokenQuant(*context, spec);
  ASSERT_TRUE(mlir::succeeded(module));
  Mapped *x = map(((M - 1) * stride + K) * 2);
  Mapped *q = map((M - 1) * stride + K);
  Mapped *s = map(M * 4);
  ASSERT_FALSE(HasFailure());
  uint32_t seed = freshSeed();
  std::mt19937_64 rng(seed);
  const int64_t first = M - kRowsChecked;
  for (int64_t r = first; r < M; ++r)
    fillBf16(x->data + r * stride * 2, K, rng);

  LargeProblem p;
  p.kernel = "token_quant";
  p.M = M;
  p.grid = kernels::tokenQuantGrid(spec, M);
  p.buffers = {{"x", x}, {"q", q}, {"scales", s}};
  p.args = {{"x", interp::Arg::pointer(x->data)},
            {"q", interp::Arg::pointer(q->data)},
            {"scales", interp::Arg::pointer(s->data)},
            {"M", interp::Arg::i32(int32_t(M))},
            {"K", interp::Arg::i32(int32_t(K))},
            {"stride_x", interp::Arg::i32(int32_t(stride))},
            {"stride_q", interp::Arg::i32(int32_t(stride))},
            {"scale_stride", interp::Arg::i32(1)}};
  Output codes{"q", q, K, stride, std::vector<uint8_t>(kRowsChecked * K)};
  Output scales{"scales", s, 4, 4, std::vector<uint8_t>(kRowsChecked * 4)};
  kernels::tokenQuantReference(
      spec, x->data + first * stride * 2, codes.want.data(),
      reinterpret_cast<float *>(scales.want.data()), kRowsChecked, K, stride,
      K, 1);
  p.outputs = {std::move(codes), std::move(scales)};
  runLastRows(**module, p, seed);
}

// x [M, 2H] bf16 (gate | up) -> q [M, H] fp8 with row-major fp32 scales.
TEST_P(LargeProblemTest, SiluMulQuantLastRows) {
  const int64_t M = GetParam().first, H = 3584;
  const int64_t stride = GetParam().second ? GetParam().second : 2 * H;
  kernels::SiluMulQuantSpec spec = kernels::tunedFor({}, M, H);
  auto module = kernels::buildSiluMulQuant(*context, spec);
  ASSERT_TRUE(mlir::succeeded(module));
  const int64_t G = H / spec.group;
  Mapped *x = map(((M - 1) * stride + 2 * H) * 2);
  Mapped *q = map(M * H);
  Mapped *s = map(M * G * 4);
  ASSERT_FALSE(HasFailure());
  uint32_t seed = freshSeed();
  std::mt19937_64 rng(seed);
  const int64_t first = M - kRowsChecked;
  for (int64_t r = first; r < M; ++r)
    fillBf16(x->data + r * stride * 2, 2 * H, rng);

  LargeProblem p;
  p.kernel = "silu_mul_quant";
  p.M = M;
  p.grid = kernels::siluMulQuantGrid(spec, M, H);
  p.buffers = {{"x", x}, {"q", q}, {"scales", s}};
  p.args = {{"x", interp::Arg::pointer(x->data)},
            {"q", interp::Arg::pointer(q->data)},
            {"scales", interp::Arg::pointer(s->data)},
            {"M", interp::Arg::i32(int32_t(M))},
            {"H", interp::Arg::i32(int32_t(H))},
            {"stride_x", interp::Arg::i32(int32_t(stride))},
            {"stride_q", interp::Arg::i32(int32_t(H))},
            {"scale_stride_m", interp::Arg::i32(int32_t(G))},
            {"scale_stride_g", interp::Arg::i32(1)}};
  Output codes{"q", q, H, H, std::vector<uint8_t>(kRowsChecked * H)};
  Output scales{"scales", s, G * 4, G * 4,
                std::vector<uint8_t>(kRowsChecked * G * 4)};
  kernels::siluMulQuantReference(
      spec, reinterpret_cast<const uint16_t *>(x->data + first * stride * 2),
      codes.want.data(),
                                 scales.want.data(), kRowsChecked, H, stride,
                                 H);
  p.outputs = {std::move(codes), std::move(scales)};
  runLastRows(**module, p, seed);
}

INSTANTIATE_TEST_SUITE_P(Shapes, LargeProblemTest, ::testing::ValuesIn(kShapes),
                         shapeName);

} // namespace
