//===- InterpRunner.h - A shipped kernel in tile::interp --------*- C++ -*-===//
//
// Builds a shipped kernel for given parameters with the DSL (the registry,
// kernels/Registry.h) and runs it in the interpreter on host memory. Kept
// apart from tvm-ffi: this file is compiled against MLIR (no RTTI, no
// exceptions), the module's entry points against tvm-ffi.
//
//===----------------------------------------------------------------------===//

#ifndef TILE_PYTHON_INTERPRUNNER_H
#define TILE_PYTHON_INTERPRUNNER_H

#include "PlanArgs.h"
#include "tile/Support/LaunchGrid.h"

#include <cstdint>
#include <map>
#include <string>

namespace tile::python {

/// Builds `kernel` with `params` (every parameter of its table; built
/// modules are kept, per parameters) and runs `grid` programs with `args`,
/// each pointer argument registered as a buffer of its extent. Returns the
/// error (the interpreter's diagnostics), or an empty string.
std::string runInInterpreter(const std::string &kernel,
                             const std::map<std::string, std::string> &params,
                             const LaunchGrid &grid, const PlanArgs &args);

} // namespace tile::python

#endif // TILE_PYTHON_INTERPRUNNER_H
