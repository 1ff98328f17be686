//===- Machine.h - The state of one running program -------------*- C++ -*-===//
//
// The register file, the memory and the program id that the executors of the
// instructions act on. One Machine runs every program of a launch in turn;
// its registers keep their capacity from one program to the next, so a
// program after the first allocates nothing.
//
//===----------------------------------------------------------------------===//

#ifndef TILE_LIB_INTERPRETER_MACHINE_H
#define TILE_LIB_INTERPRETER_MACHINE_H

#include "Memory.h"
#include "Program.h"

#include "tile/Interpreter/Interpreter.h"

#include "mlir/IR/Diagnostics.h"

namespace tile::interp {

class Machine {
public:
  Machine(const Program &program, const Memory &memory, Grid grid);

  /// Runs the instructions of block `index` in order.
  mlir::LogicalResult runBlock(unsigned index) {
    for (const Instr &instr : program.blocks[index].instrs)
      if (mlir::failed(instr.exec(*this, instr)))
        return mlir::failure();
    return mlir::success();
  }

  /// An error at `instr`'s op, its text starting with the op's name and the
  /// program id: "'tile.load' in program (3, 0, 0): ".
  mlir::InFlightDiagnostic error(const Instr &instr) const;

  /// `elements` resized to `n` for an executor to overwrite.
  static Elements &sized(Elements &elements, int64_t n) {
    elements.resize_for_overwrite(size_t(n));
    return elements;
  }

  std::vector<Elements> regs;
  const Program &program;
  const Memory &memory;
  uint32_t programId[3] = {0, 0, 0};
  uint32_t numPrograms[3];
};

} // namespace tile::interp

#endif // TILE_LIB_INTERPRETER_MACHINE_H
