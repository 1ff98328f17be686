//===- Problem.h - A kernel run: its buffers, arguments and checks -*- C++ -*-===//

#ifndef TILE_TOOLS_TILE_RUN_PROBLEM_H
#define TILE_TOOLS_TILE_RUN_PROBLEM_H

#include "Registry.h"
#include "tile/Support/LaunchGrid.h"

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace tile::run {

/// A buffer of kernel memory, whole as allocated.
struct Buffer {
  std::string name;
  std::string elementType;       ///< bf16, fp16, f32, fp8, int8, uint8, i32
  int elementBytes = 1;
  std::vector<int64_t> shape;    ///< logical shape
  std::vector<int64_t> strides;  ///< in elements
  bool output = false;
  std::vector<uint8_t> data;
};

/// A kernel argument: a buffer (by index) or an i32 scalar (kept at 64
/// bits: the runtime and the interpreter refuse a value outside i32).
struct Argument {
  std::string name;
  int buffer = -1;
  int64_t value = 0;
};

/// One output's verdict.
struct Verdict {
  std::string output;
  bool ok;
  std::string detail;
};

/// Everything to run a kernel once and check it.
struct Problem {
  kernels::ParamValues kernelParams;
  std::string description;
  std::vector<Buffer> buffers;
  std::vector<Argument> args;
  /// Programs along x and y (program_id(0), program_id(1)).
  LaunchGrid grid = 1;
  /// Checks the outputs in `buffers` (after the run) against the reference
  /// computed from the inputs in `buffers` (fresh, or loaded by --load);
  /// `gpu`: on the GPU, where exp is approximate.
  std::function<std::vector<Verdict>(const std::vector<Buffer> &, bool gpu)>
      check;
  /// Takes the inputs in `buffers` as given (tile-run --load, before the
  /// run): where the kernel assumes something of its input data (expert
  /// offsets), what is wrong with them, or ""; an output whose size depends
  /// on input data (NVFP4's scales on the experts' offsets) is sized from
  /// them, poisoned. Unset: nothing is assumed.
  std::function<std::string(std::vector<Buffer> &)> acceptInputs;
};

/// The problem parameters of `kernel` (name, default, help), for --list.
struct ProblemParam {
  std::string name, defaultValue, help;
};
const std::vector<ProblemParam> &problemParams(const std::string &kernel);

/// Builds the problem for `kernel` from `params` (problem and kernel
/// parameters mixed), with inputs from `seed`; false with `error` naming the
/// bad parameter.
bool makeProblem(const std::string &kernel,
                 const std::map<std::string, std::string> &params,
                 uint64_t seed, Problem &problem, std::string &error);

} // namespace tile::run

#endif // TILE_TOOLS_TILE_RUN_PROBLEM_H
