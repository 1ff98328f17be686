//===- Npy.h - Writing NumPy .npy files and the run's args.json -*- C++ -*-===//

#ifndef TILE_TOOLS_TILE_RUN_NPY_H
#define TILE_TOOLS_TILE_RUN_NPY_H

#include "Problem.h"

#include <string>

namespace tile::run {

/// Writes every buffer, whole as allocated, as DIR/<name>.npy (1-D, raw bits:
/// bf16 and fp16 as uint16, fp8 as uint8) and DIR/args.json with each
/// argument's element type, logical shape and strides, and the parameters.
/// False with `error` on an I/O failure.
bool saveRun(const std::string &dir, const std::string &kernel,
             const std::map<std::string, std::string> &params,
             const Problem &problem, std::string &error);

} // namespace tile::run

#endif // TILE_TOOLS_TILE_RUN_NPY_H
