//===- Compiler.cpp - Compiling a kernel for the interpreter --------------===//
//
// Numbers the SSA values, compiles regions to blocks, and asks each op
// family's selector for the op's executor. See Program.h.
//
//===----------------------------------------------------------------------===//

#include "Program.h"

#include "tile/Dialect/Tile/TileDialect.h"

#include "mlir/Dialect/SCF/IR/SCF.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/STLExtras.h"

using namespace mlir;
using namespace ::tile::interp;
namespace interp = ::tile::interp;

InFlightDiagnostic interp::unsupportedType(Operation *op, Type type) {
  return op->emitError() << "'" << op->getName() << "' on " << type
                         << " is not supported by the interpreter";
}

namespace {

class Compiler {
public:
  explicit Compiler(Program &program) : program(program) {}

  /// Compiles `block` into a new Program block; returns its index.
  FailureOr<unsigned> compileBlock(mlir::Block &block);

private:
  unsigned registerOf(Value value) {
    auto [it, inserted] = registers.try_emplace(value, program.numRegisters);
    if (inserted)
      ++program.numRegisters;
    return it->second;
  }

  LogicalResult compileOp(Operation &op, Instr &instr);

  Program &program;
  llvm::DenseMap<Value, unsigned> registers;
};

} // namespace

static InFlightDiagnostic unsupportedOp(Operation &op) {
  return op.emitError() << "'" << op.getName()
                        << "' is not supported by the interpreter";
}

FailureOr<unsigned> Compiler::compileBlock(mlir::Block &block) {
  // Nested regions append blocks: fill this one through its index.
  unsigned index = program.blocks.size();
  program.blocks.emplace_back();
  SmallVector<unsigned, 4> args, yields;
  for (BlockArgument arg : block.getArguments())
    args.push_back(registerOf(arg));
  std::vector<Instr> instrs;
  for (Operation &op : block) {
    if (op.hasTrait<OpTrait::IsTerminator>()) {
      if (!isa<func::ReturnOp, scf::YieldOp, mlir::tile::ReduceReturnOp>(op))
        return unsupportedOp(op);
      for (Value value : op.getOperands())
        yields.push_back(registerOf(value));
      continue;
    }
    Instr instr;
    if (failed(compileOp(op, instr)))
      return failure();
    instrs.push_back(std::move(instr));
  }
  CompiledBlock &compiled = program.blocks[index];
  compiled.args = std::move(args);
  compiled.instrs = std::move(instrs);
  compiled.yields = std::move(yields);
  return index;
}

/// Whether `type` is a scalar or a tile of static shape: the interpreter
/// sizes every value before it runs.
static bool hasStaticShape(Type type) {
  if (auto shaped = dyn_cast<ShapedType>(type))
    return isa<RankedTensorType>(type) && shaped.hasStaticShape();
  return true;
}

LogicalResult Compiler::compileOp(Operation &op, Instr &instr) {
  for (Type type :
       llvm::concat<const Type>(op.getOperandTypes(), op.getResultTypes()))
    if (!hasStaticShape(type))
      return unsupportedType(&op, type);
  instr.op = &op;
  for (Value operand : op.getOperands())
    instr.in.push_back(registerOf(operand));
  for (Value result : op.getResults())
    instr.out.push_back(registerOf(result));
  if (op.getNumResults()) {
    instr.elem = classify(op.getResult(0).getType());
    instr.shape = shapeOf(op.getResult(0).getType());
  }
  if (op.getNumOperands()) {
    instr.src = classify(op.getOperand(0).getType());
    instr.srcShape = shapeOf(op.getOperand(0).getType());
  }
  instr.n = numElements(op.getNumResults() ? instr.shape : instr.srcShape);
  for (Region &region : op.getRegions()) {
    if (region.empty()) { // scf.if without an else
      instr.blocks.push_back(~0u);
      continue;
    }
    if (!region.hasOneBlock())
      return op.emitError() << "'" << op.getName()
                            << "' with a region of several blocks is not "
                               "supported by the interpreter";
    FailureOr<unsigned> block = compileBlock(region.front());
    if (failed(block))
      return failure();
    instr.blocks.push_back(*block);
  }
  if (failed(selectElementwiseOp(&op, instr)))
    return failure();
  if (!instr.exec && failed(selectCastOp(&op, instr)))
    return failure();
  if (!instr.exec && failed(selectTileOp(&op, instr, program)))
    return failure();
  if (!instr.exec && failed(selectMemoryOp(&op, instr)))
    return failure();
  if (!instr.exec && failed(selectControlOp(&op, instr, program)))
    return failure();
  if (!instr.exec)
    return unsupportedOp(op);
  return success();
}

FailureOr<Program> interp::compileKernel(func::FuncOp kernel) {
  if (kernel.isExternal())
    return kernel.emitError()
           << "kernel '" << kernel.getSymName() << "' has no body";
  if (!kernel.getBody().hasOneBlock())
    return kernel.emitError()
           << "kernel '" << kernel.getSymName()
           << "' has several blocks; the interpreter runs structured control "
              "flow (scf) only";
  Program program;
  Compiler compiler(program);
  FailureOr<unsigned> entry = compiler.compileBlock(kernel.getBody().front());
  if (failed(entry))
    return failure();
  program.entry = *entry;
  return program;
}
