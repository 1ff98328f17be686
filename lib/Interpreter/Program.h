//===- Program.h - A kernel compiled for the interpreter --------*- C++ -*-===//
//
// Before any program runs, the kernel is compiled once into flat instruction
// lists: every SSA value gets a register number, every op an executor
// function chosen for its types (so the element loops are specialized and no
// op is looked up by name while running), and every region a block of its
// own. Ops the interpreter cannot run are found here, before any memory is
// touched.
//
//===----------------------------------------------------------------------===//

#ifndef TILE_LIB_INTERPRETER_PROGRAM_H
#define TILE_LIB_INTERPRETER_PROGRAM_H

#include "Values.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Operation.h"
#include "mlir/Support/LLVM.h"

#include <vector>

namespace tile::interp {

class Machine;
struct Instr;
struct Program;

/// Runs one instruction; failure after a diagnostic.
using ExecFn = mlir::LogicalResult (*)(Machine &, const Instr &);
/// A total binary op on one element of each operand (for reduce combiners).
using ScalarFn = Slot (*)(Slot, Slot);

/// One op, ready to run.
struct Instr {
  ExecFn exec = nullptr;
  mlir::Operation *op = nullptr;
  /// Registers of the operands and of the results.
  llvm::SmallVector<unsigned, 4> in, out;
  /// Element types of result #0 and of operand #0 (Unknown where absent).
  ElemType elem, src;
  /// Shapes of result #0 and of operand #0 (empty for scalars).
  llvm::SmallVector<int64_t, 4> shape, srcShape;
  /// Elements of result #0, or of operand #0 for an op without results.
  int64_t n = 1;
  /// Op-specific integers (axis, predicate, flags), set by the selectors.
  int64_t imm[4] = {0, 0, 0, 0};
  /// For total elementwise binary ops: the op on one element.
  ScalarFn scalar = nullptr;
  /// The op's regions, compiled: indices into Program::blocks.
  llvm::SmallVector<unsigned, 2> blocks;
  /// arith.constant's value.
  Elements constant;
};

/// A compiled block: registers of its arguments, its ops, and the registers
/// its terminator yields (func.return, scf.yield, tile.reduce.return).
struct CompiledBlock {
  llvm::SmallVector<unsigned, 4> args;
  std::vector<Instr> instrs;
  llvm::SmallVector<unsigned, 4> yields;
};

/// A compiled kernel.
struct Program {
  std::vector<CompiledBlock> blocks;
  unsigned numRegisters = 0;
  /// The kernel's body.
  unsigned entry = 0;
};

/// Compiles `kernel`; failure after a diagnostic at the first op the
/// interpreter cannot run.
mlir::FailureOr<Program> compileKernel(mlir::func::FuncOp kernel);

/// Executor selection, one family per file. Each sets `instr.exec` for the
/// ops of its family it can run and leaves it null for any other op; it fails
/// (after a diagnostic) for an op of its family used with types it cannot
/// run. `instr` arrives with registers, types, shapes and compiled regions
/// filled in.
mlir::LogicalResult selectElementwiseOp(mlir::Operation *op, Instr &instr);
mlir::LogicalResult selectCastOp(mlir::Operation *op, Instr &instr);
mlir::LogicalResult selectTileOp(mlir::Operation *op, Instr &instr,
                                 const Program &program);
mlir::LogicalResult selectMemoryOp(mlir::Operation *op, Instr &instr);
mlir::LogicalResult selectControlOp(mlir::Operation *op, Instr &instr,
                                    const Program &program);

/// The diagnostic for an op used with a type the interpreter cannot run.
mlir::InFlightDiagnostic unsupportedType(mlir::Operation *op, mlir::Type type);

} // namespace tile::interp

#endif // TILE_LIB_INTERPRETER_PROGRAM_H
