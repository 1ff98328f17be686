//===- DSL.h - The embedded C++ DSL for tile kernels ------------*- C++ -*-===//
//
// Write a kernel in C++, get a verified `tile` module:
//
//   using namespace tile::dsl;
//   mlir::MLIRContext ctx;
//   KernelBuilder k(ctx, "scale");
//   Value x = k.pointer("x", DType::F32), y = k.pointer("y", DType::F32);
//   Value n = k.scalar("n", DType::I32);
//   Value offs = programId(0) * 1024 + range(0, 1024);
//   Value mask = offs < n;
//   store(y + offs, load(x + offs, mask, 0.0) * 2.0, mask);
//   auto module = k.finish();   // FailureOr<OwningOpRef<ModuleOp>>
//
// Values are scalars or tiles (static power-of-two shapes); operators and
// functions broadcast scalars and extent-1 dimensions like NumPy. C++
// literals take the other operand's type. Every op carries the file and line
// of the DSL call that made it, so a diagnostic points at the kernel's line;
// shape and type errors are reported there and make finish() fail.
//
// The functions build into the KernelBuilder that is current on this thread
// (the last one constructed and not yet finished).
//
//===----------------------------------------------------------------------===//

#ifndef TILE_DSL_DSL_H
#define TILE_DSL_DSL_H

#include "tile/Dialect/Tile/TargetInfo.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/OwningOpRef.h"
#include "mlir/IR/Value.h"

#include <functional>
#include <string>
#include <vector>

namespace tile::dsl {

/// Where a DSL call was written.
struct Loc {
  const char *file;
  unsigned line;
  static Loc here(const char *file = __builtin_FILE(),
                  unsigned line = __builtin_LINE()) {
    return {file, line};
  }
};

/// Element types.
enum class DType { I1, I4, I8, I16, I32, I64, F16, BF16, F32, F64, F8E4M3, F4E2M1 };

/// The name of `t` as the IR prints it (`bf16`, `f8E4M3FN`, ...).
const char *dtypeName(DType t);

/// A scalar or a tile, of numbers or of pointers. Null after an error.
class Value {
public:
  Value() = default;
  explicit Value(mlir::Value v) : v(v) {}

  mlir::Value raw() const { return v; }
  explicit operator bool() const { return bool(v); }
  bool isTile() const;
  bool isPointer() const;
  /// The tile's shape; empty for a scalar.
  std::vector<int64_t> shape() const;
  /// The element type (the pointee for pointers).
  DType dtype() const;

  /// Numeric conversion: float<->float (narrowing rounds to nearest even),
  /// int<->int (sign-extending), int<->float (signed).
  Value to(DType type, Loc loc = Loc::here()) const;

private:
  mlir::Value v;
};

/// An operand of an operator: a Value or a C++ number, with the place the
/// expression was written (an operator cannot take a default argument, a
/// converting constructor can).
struct Operand {
  Operand(Value value, const char *file = __builtin_FILE(),
          unsigned line = __builtin_LINE())
      : value(value), loc{file, line} {}
  Operand(double number, const char *file = __builtin_FILE(),
          unsigned line = __builtin_LINE())
      : literal(number), isLiteral(true), loc{file, line} {}
  Operand(int number, const char *file = __builtin_FILE(),
          unsigned line = __builtin_LINE())
      : literal(number), isLiteral(true), isInteger(true), loc{file, line} {}
  Operand(int64_t number, const char *file = __builtin_FILE(),
          unsigned line = __builtin_LINE())
      : literal(double(number)), isLiteral(true), isInteger(true),
        loc{file, line} {}

  Value value;
  double literal = 0;
  bool isLiteral = false;
  bool isInteger = false;
  Loc loc;
};

Value operator+(Operand a, Operand b);
Value operator-(Operand a, Operand b);
Value operator*(Operand a, Operand b);
Value operator/(Operand a, Operand b);
Value operator%(Operand a, Operand b);
Value operator<(Operand a, Operand b);
Value operator<=(Operand a, Operand b);
Value operator>(Operand a, Operand b);
Value operator>=(Operand a, Operand b);
Value operator==(Operand a, Operand b);
Value operator!=(Operand a, Operand b);
Value operator&(Operand a, Operand b);
Value operator|(Operand a, Operand b);
Value operator-(Operand a);

/// Options of a kernel.
struct KernelOptions {
  /// Warps per program (`tile.num_warps`): a power of two in [1, 32].
  unsigned numWarps = mlir::tile::kDefaultNumWarps;
  /// The GPU (`tile.target`): "cuda:90a", "cuda:90", "cuda:89", "cuda:86" or
  /// "cuda:80". The pipeline's `sm_*` option, when given, replaces it.
  std::string target = mlir::tile::kDefaultTarget.str();
  /// Shared buffers of each software-pipelined K loop (`tile.num_stages`,
  /// Triton's num_stages): tiles of a dot's operands are copied this many
  /// minus one iterations ahead; 1 turns pipelining off; 0 keeps the
  /// compiler's default (3). See tile-pipeline.
  unsigned numStages = 0;
  /// Whether tile-pipeline also copies each K loop's other loads (a GEMM's
  /// per-group scales) ahead through shared memory
  /// (`tile.pipeline_other_loads`).
  bool pipelineOtherLoads = false;
  /// Where tile-pipeline issues a K loop's copies of later tiles
  /// (`tile.pipeline_copies_at`): "top", "after_first_dot" or "bottom"; empty
  /// keeps the compiler's default ("top"). See TargetFacts.h's
  /// PipelineCopiesAt.
  std::string pipelineCopiesAt;
  /// Programs (CTAs) that should fit on one SM at once, 1 to 32
  /// (`tile.min_programs_per_sm`, PTX `.minnctapersm`): ptxas keeps each
  /// thread's registers within 64K / (programs x threads per program),
  /// spilling if it must, like CUDA's `__launch_bounds__` second argument.
  /// 0 (the default) leaves the registers to ptxas.
  unsigned minProgramsPerSM = 0;
  /// Each shared-memory access of a thread addressed as one register plus a
  /// constant offset in the instruction (`tile.shared_immediate_offsets`,
  /// convert-tile-to-llvm's shared-immediate-offsets): fewer registers and
  /// instructions, and a different schedule from ptxas (faster for some
  /// kernels, slower for others: bench/RESULTS.md, 2026-12-01 14:29);
  /// false: one address register per offset.
  bool sharedImmediateOffsets = false;
  /// The dots that wgmma can compute from shared memory use it
  /// (`tile.warpgroup_mma`; sm_90a: f16 and bf16 into f32, int8 native into
  /// i32, operands K-contiguous in rows of 32, 64 or 128 bytes in a
  /// pipelined K loop); false: every dot on mma.sync.
  bool warpgroupMma = false;
};

/// Builds one kernel; current for the DSL functions until finish().
class KernelBuilder {
public:
  KernelBuilder(mlir::MLIRContext &ctx, std::string name,
                KernelOptions options = {}, Loc loc = Loc::here());
  ~KernelBuilder();
  KernelBuilder(const KernelBuilder &) = delete;
  KernelBuilder &operator=(const KernelBuilder &) = delete;

  /// A pointer argument to elements of `pointee`, whose address is a multiple
  /// of `divisibility` bytes (0: nothing known).
  Value pointer(const std::string &name, DType pointee,
                unsigned divisibility = 16, Loc loc = Loc::here());
  /// A scalar argument, known to be a multiple of `divisibility` (0: nothing
  /// known; integers only).
  Value scalar(const std::string &name, DType type, unsigned divisibility = 0,
               Loc loc = Loc::here());

  /// Finishes the kernel: a verified module, or failure after the errors
  /// (already reported through the context's diagnostics).
  mlir::FailureOr<mlir::OwningOpRef<mlir::ModuleOp>> finish();

  /// The builder the DSL functions use on this thread (null if none).
  static KernelBuilder *current();

  struct Impl;
  Impl &impl() { return *state; }

private:
  std::unique_ptr<Impl> state;
};

// --- Programs and tiles -----------------------------------------------------

/// This program's index along grid axis 0, 1 or 2 (i32).
Value programId(int axis, Loc loc = Loc::here());
/// The number of programs along grid axis 0, 1 or 2 (i32).
Value numPrograms(int axis, Loc loc = Loc::here());
/// The 1-D i32 tile start, ..., end - 1 (a power-of-two count).
Value range(int start, int end, Loc loc = Loc::here());
/// A tile of `shape` filled with `value` of `type`.
Value full(std::vector<int64_t> shape, double value, DType type,
           Loc loc = Loc::here());
/// A scalar constant.
Value constant(double value, DType type, Loc loc = Loc::here());
/// An extent-1 dimension inserted at `axis`.
Value expandDims(Value v, int axis, Loc loc = Loc::here());
/// `v` broadcast to `shape` (NumPy rules).
Value broadcastTo(Value v, std::vector<int64_t> shape, Loc loc = Loc::here());
/// `v`'s elements in row-major order with another shape.
Value reshape(Value v, std::vector<int64_t> shape, Loc loc = Loc::here());

// --- Dot --------------------------------------------------------------------

/// How a dot computes (`tile.dot`'s inputPrecision).
enum class Precision {
  /// Float operands as they are; products and sums in f32.
  IEEE,
  /// f32 operands rounded to tf32 (10 significand bits, to nearest even).
  TF32,
  /// i8 operands, int32 accumulation (wrapping).
  Native,
  /// i8 operands widened exactly to f16, products accumulated in f32 by the
  /// f16 tensor cores: exact while one uninterrupted f32 chain holds at most
  /// 1024 products, which the verifier enforces (KERNELS.md section 5).
  F16Exact,
};

/// `a * b + acc`: a is [M, K], b is [K, N], acc and the result [M, N]; every
/// extent at least 16, K at least 32 for 8-bit operands. Types and
/// precisions:
///   f32 x f32 -> f32           IEEE or TF32
///   f16 x f16 -> f16 or f32    IEEE
///   bf16 x bf16, f8E4M3 x f8E4M3 -> f32   IEEE
///   i8 x i8 -> i32             Native
///   i8 x i8 -> f32 or i32      F16Exact (i32: each dot's f32 sum converted
///                              to i32 and added; f32: the chain goes on
///                              through acc, so start each quant group from
///                              a fresh zero accumulator in a loop with a
///                              constant trip count)
/// Shape errors are reported at the caller's line, and so are the verifier's
/// type and exactness errors when the kernel is finished.
Value dot(Value a, Value b, Value acc, Precision precision = Precision::IEEE,
          Loc loc = Loc::here());

// --- Memory -----------------------------------------------------------------

/// PTX cache operators of ld/st (`.ca`, `.cg`, `.cs`, ...; None: the
/// default, `.ca` for loads and `.wb` for stores).
enum class Cache { None, CA, CG, CS, CV, WB, WT };
/// L1 eviction priority of a load or store (`.L1::evict_first`,
/// `.L1::evict_last`). Measured on the H200 (bench/RESULTS.md, 2026-11-30):
/// streaming kernels run 3-5 points of copy speed slower with
/// `.L1::evict_first` (and with `.L1::no_allocate`) than with no hint, so the
/// shipped kernels give none; Last keeps a tile in L1 for a second pass.
enum class Evict { Normal, First, Last };

/// Loads through `ptr`; where `mask` is false, nothing is read and the
/// result is `other`. Without `other` those elements are undefined (the GPU
/// keeps what the register held, the interpreter gives NaN or 0xa5.. bits):
/// pass `other` (e.g. 0) wherever masked elements are used, as a GEMM's
/// ragged K edge is.
Value load(Value ptr, Operand mask = Value(), Operand other = Value(),
           Cache cache = Cache::None, Evict evict = Evict::Normal,
           Loc loc = Loc::here());
/// Stores `value` through `ptr` where `mask` is true.
void store(Value ptr, Operand value, Operand mask = Value(),
           Cache cache = Cache::None, Evict evict = Evict::Normal,
           Loc loc = Loc::here());

// --- Elementwise -------------------------------------------------------------

/// `cond ? a : b` elementwise.
Value where(Operand cond, Operand a, Operand b, Loc loc = Loc::here());
/// Elementwise max/min; NaN propagates.
Value maximum(Operand a, Operand b, Loc loc = Loc::here());
Value minimum(Operand a, Operand b, Loc loc = Loc::here());
Value exp(Value x, Loc loc = Loc::here());
Value abs(Value x, Loc loc = Loc::here());
/// 1 / (1 + exp(-x)).
Value sigmoid(Value x, Loc loc = Loc::here());
/// x / (1 + exp(-x)), as PyTorch's silu.
Value silu(Value x, Loc loc = Loc::here());
/// The same bits as another type of the same width.
Value bitcast(Value x, DType type, Loc loc = Loc::here());
/// a * b + c with one rounding (`math.fma`: `fma.rn.f32` on the GPU,
/// std::fma in the interpreter), floats only. Plain `a * b + c` rounds twice
/// and is never contracted.
Value fma(Operand a, Operand b, Operand c, Loc loc = Loc::here());
/// Integer shifts: `a << b` (`arith.shli`) and the arithmetic (sign-filling)
/// `a >> b` (`arith.shrsi`). A shift by the width or more is undefined (the
/// interpreter reports it).
Value shl(Operand a, Operand b, Loc loc = Loc::here());
Value ashr(Operand a, Operand b, Loc loc = Loc::here());

// --- Explicitly rounded conversions ----------------------------------------------

/// To f8E4M3FN, round to nearest even; beyond +-448, +-448 (`saturate`) or
/// NaN.
Value toFp8(Value x, bool saturate = true, Loc loc = Loc::here());
/// To f4E2M1FN, round to nearest even, saturating to +-6.
Value toE2M1(Value x, Loc loc = Loc::here());
/// To e2m1 as toE2M1, each pair of neighbours along the last dimension packed
/// into one byte, the even element in the low nibble (PTX
/// `cvt.rn.satfinite.e2m1x2.f32`'s order, and NVFP4's): a [..., 2n] f32, f16
/// or bf16 tile gives a [..., n] i8 tile (`tile.fp_to_e2m1x2`). Reports an
/// error at `loc` for a scalar, another element type or an odd last
/// dimension.
Value toE2M1x2(Value x, Loc loc = Loc::here());
enum class Rounding { NearestEven, TowardZero, HalfAwayFromZero };
/// To a signed integer, rounded, saturating (NaN gives 0).
Value toInt(Value x, DType type, Rounding rounding = Rounding::NearestEven,
            Loc loc = Loc::here());

// --- Reductions ---------------------------------------------------------------

/// Reduces `v` along `axis` with an associative, commutative `combine`; a
/// 1-D tile reduces to a scalar.
Value reduce(Value v, int axis, const std::function<Value(Value, Value)> &combine,
             Loc loc = Loc::here());
/// max/min (NaN propagates) and sum along `axis`.
Value max(Value v, int axis, Loc loc = Loc::here());
Value min(Value v, int axis, Loc loc = Loc::here());
Value sum(Value v, int axis, Loc loc = Loc::here());

// --- Loops ------------------------------------------------------------------------

/// for (iv = lower; iv < upper; iv += step) with `carried` values threaded
/// through `body`, which returns their next values; returns the final ones.
std::vector<Value>
forLoop(Operand lower, Operand upper, Operand step, std::vector<Value> carried,
        const std::function<std::vector<Value>(Value iv, std::vector<Value>)>
            &body,
        Loc loc = Loc::here());

/// if (cond) { body(); } for a scalar i1 `cond`; values made inside stay
/// inside.
void ifThen(Operand cond, const std::function<void()> &body,
            Loc loc = Loc::here());

} // namespace tile::dsl

#endif // TILE_DSL_DSL_H
