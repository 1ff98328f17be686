//===- ControlFlow.cpp - scf.for and scf.if -------------------------------===//

#include "Machine.h"

#include "mlir/Dialect/SCF/IR/SCF.h"

using namespace mlir;
using namespace ::tile::interp;
namespace interp = ::tile::interp;

/// imm[0]: the loop compares unsigned; imm[1]: a yielded value is another
/// position's iteration argument, so the yields go through temporaries.
static LogicalResult execFor(Machine &m, const Instr &instr) {
  const CompiledBlock &body = m.program.blocks[instr.blocks[0]];
  unsigned width = instr.src.width;
  bool isUnsigned = instr.imm[0], throughTemporaries = instr.imm[1];
  int64_t lb = m.regs[instr.in[0]][0].i, ub = m.regs[instr.in[1]][0].i;
  int64_t step = m.regs[instr.in[2]][0].i;
  if (isUnsigned ? zextInt(step, width) == 0 : step <= 0)
    return m.error(instr) << "the step is " << step << "; it must be positive";
  size_t numIterArgs = instr.out.size();
  for (size_t k = 0; k < numIterArgs; ++k)
    m.regs[body.args[1 + k]] = m.regs[instr.in[3 + k]];
  auto below = [&](int64_t iv) {
    return isUnsigned ? zextInt(iv, width) < zextInt(ub, width) : iv < ub;
  };
  for (int64_t iv = lb; below(iv);) {
    Machine::sized(m.regs[body.args[0]], 1)[0].i = iv;
    if (failed(m.runBlock(instr.blocks[0])))
      return failure();
    if (throughTemporaries) {
      SmallVector<Elements, 4> next;
      for (size_t k = 0; k < numIterArgs; ++k)
        next.push_back(m.regs[body.yields[k]]);
      for (size_t k = 0; k < numIterArgs; ++k)
        m.regs[body.args[1 + k]] = std::move(next[k]);
    } else {
      for (size_t k = 0; k < numIterArgs; ++k)
        if (body.yields[k] != body.args[1 + k])
          m.regs[body.args[1 + k]] = m.regs[body.yields[k]];
    }
    // The next induction value; a step past the iv type's range ends the
    // loop rather than wrapping around.
    if (isUnsigned) {
      uint64_t next;
      if (__builtin_add_overflow(zextInt(iv, width), zextInt(step, width),
                                 &next) ||
          next != zextInt(int64_t(next), width))
        break;
      iv = wrapInt(int64_t(next), width);
    } else {
      int64_t next;
      if (__builtin_add_overflow(iv, step, &next) ||
          next != wrapInt(next, width))
        break;
      iv = next;
    }
  }
  for (size_t k = 0; k < numIterArgs; ++k)
    m.regs[instr.out[k]] = m.regs[body.args[1 + k]];
  return success();
}

static LogicalResult execIf(Machine &m, const Instr &instr) {
  unsigned taken =
      m.regs[instr.in[0]][0].i != 0 ? instr.blocks[0] : instr.blocks[1];
  if (taken == ~0u) // no else region, so no results either
    return success();
  if (failed(m.runBlock(taken)))
    return failure();
  const CompiledBlock &block = m.program.blocks[taken];
  for (size_t k = 0; k < instr.out.size(); ++k)
    m.regs[instr.out[k]] = m.regs[block.yields[k]];
  return success();
}

LogicalResult interp::selectControlOp(Operation *op, Instr &instr,
                                      const Program &program) {
  if (auto forOp = dyn_cast<scf::ForOp>(op)) {
    if (!instr.src.isInt())
      return unsupportedType(op, forOp.getLowerBound().getType());
    const CompiledBlock &body = program.blocks[instr.blocks[0]];
    instr.imm[0] = forOp.getUnsignedCmp();
    for (size_t k = 0; k < body.yields.size(); ++k)
      for (size_t j = 0; j < body.yields.size(); ++j)
        if (k != j && body.yields[k] == body.args[1 + j])
          instr.imm[1] = 1;
    instr.exec = execFor;
    return success();
  }
  if (isa<scf::IfOp>(op)) {
    instr.exec = execIf;
    return success();
  }
  return success();
}
