//===- Interpreter.h - A CPU executor of logical tile IR --------*- C++ -*-===//
//
// tile::interp runs the kernels of a module of logical tile IR (func.func
// kernels of tile, arith, math and scf ops) on host memory, one program
// instance at a time, with the GPU's numeric rules: f32 arithmetic in IEEE
// single precision without contraction, bf16/f16 results rounded to nearest
// even, fp8/e2m1/int8 conversions bit-exact (see tile/Support/Numerics.h).
// It lets tests check a kernel's numerics without a GPU and lets users debug
// a kernel on a laptop: an out-of-bounds access is an error naming the op,
// the program and the element, not a crash.
//
//===----------------------------------------------------------------------===//

#ifndef TILE_INTERPRETER_INTERPRETER_H
#define TILE_INTERPRETER_INTERPRETER_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Support/LLVM.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

namespace tile::interp {

/// The launch grid: how many programs run along each axis.
struct Grid {
  uint32_t x = 1, y = 1, z = 1;
};

/// Programs `first`, `first + 1`, ..., `first + count - 1` of a grid, by
/// linear program id `x + grid.x * (y + grid.y * z)` (the order in which
/// run() goes through a grid). Running only the last programs of a huge
/// grid checks its far rows without the minutes (or hours) the others take:
/// what a program sees is the same as in a whole run (`program_id`, and
/// `num_programs` of the whole grid).
struct ProgramRange {
  uint64_t first = 0;
  uint64_t count = 0;
  /// Every program of `grid` (at most 2^64 - 1 of them).
  static ProgramRange all(Grid grid) {
    unsigned __int128 total = (unsigned __int128)grid.x * grid.y * grid.z;
    return {0, total > UINT64_MAX ? UINT64_MAX : uint64_t(total)};
  }
  /// The last `count` programs of `grid` (all of them when it has fewer).
  static ProgramRange last(Grid grid, uint64_t count) {
    uint64_t total = all(grid).count;
    return count >= total ? all(grid) : ProgramRange{total - count, count};
  }
};

/// A kernel argument: a pointer into host memory, or a scalar.
struct Arg {
  enum class Kind { Pointer, I32, I64, F32 };
  Kind kind;
  /// The pointer's address, or the scalar's bits (sign-extended for ints,
  /// the whole given value for an i32, the float's bits for f32).
  uint64_t bits;

  /// A pointer argument (`!tile.ptr<T>`).
  static Arg pointer(const void *p) {
    return {Kind::Pointer, uint64_t(reinterpret_cast<uintptr_t>(p))};
  }
  /// An i32 argument, given wide as tile::rt::Arg::i32 is: run() refuses a
  /// value outside [INT32_MIN, INT32_MAX] rather than truncate it.
  static Arg i32(int64_t v) { return {Kind::I32, uint64_t(v)}; }
  /// An i64 (or index) argument.
  static Arg i64(int64_t v) { return {Kind::I64, uint64_t(v)}; }
  /// An f32 argument.
  static Arg f32(float v) {
    uint32_t bits;
    std::memcpy(&bits, &v, sizeof(bits));
    return {Kind::F32, bits};
  }
};

/// Runs kernels of a module on the CPU.
class Interpreter {
public:
  /// Runs kernels of `module` (logical tile IR: func.func kernels with
  /// tile/arith/math/scf ops; tensors may or may not carry layout encodings,
  /// which are ignored). The module must outlive the interpreter.
  explicit Interpreter(mlir::ModuleOp module);

  /// Host memory the kernels may access. A load or store of an element not
  /// wholly inside one registered buffer is an error naming the op's
  /// location, the program id, the element's index in the tile, and the
  /// address; masked-off lanes are never checked nor touched. `name` appears
  /// in those errors.
  void addBuffer(const void *data, size_t bytes, std::string name);

  /// Runs `kernel` once per program id of `grid` (x fastest), in order.
  /// Errors (bad arguments: count or kind vs the kernel signature, a value
  /// that breaks the argument's `tile.divisibility`, or an i32 outside
  /// int32_t, the calls tile::rt::checkArguments refuses too; out-of-bounds or
  /// misaligned access; undefined arithmetic such as division by zero; an op
  /// it does not support, named) are emitted as MLIR diagnostics at the op's
  /// location on the module's context and give failure(); nothing after the
  /// failing program runs. Unsupported ops are found before any program runs.
  mlir::LogicalResult run(llvm::StringRef kernel, Grid grid,
                          llvm::ArrayRef<Arg> args);

  /// Runs only the programs of `grid` in `programs`, in order, as run() above
  /// runs them all (the same checks and errors; the arguments are checked
  /// even when the range is empty). A range that does not lie within the
  /// grid is an error that names it, before any program runs.
  mlir::LogicalResult run(llvm::StringRef kernel, Grid grid,
                          llvm::ArrayRef<Arg> args, ProgramRange programs);

private:
  /// One registered host buffer.
  struct Buffer {
    uint64_t address;
    size_t bytes;
    std::string name;
  };

  mlir::ModuleOp module;
  std::vector<Buffer> buffers;
};

} // namespace tile::interp

#endif // TILE_INTERPRETER_INTERPRETER_H
