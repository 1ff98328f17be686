//===- Machine.cpp - The state of one running program ---------------------===//

#include "Machine.h"

using namespace mlir;
using namespace ::tile::interp;
namespace interp = ::tile::interp;

Machine::Machine(const Program &program, const Memory &memory, Grid grid)
    : regs(program.numRegisters), program(program),
      memory(memory), numPrograms{grid.x, grid.y, grid.z} {}

InFlightDiagnostic Machine::error(const Instr &instr) const {
  return instr.op->emitError()
         << "'" << instr.op->getName() << "' in program (" << programId[0]
         << ", " << programId[1] << ", " << programId[2] << "): ";
}
