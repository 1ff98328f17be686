//===- Npy.h - NumPy .npy files and the run's args.json ---------*- C++ -*-===//

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
             const std::map<std::string, std::string> &params, uint64_t seed,
             const Problem &problem, std::string &error);

/// What DIR/args.json (saveRun's, or a user's in its form) asks to run.
struct SavedRun {
  std::string kernel;
  std::map<std::string, std::string> params;
  uint64_t seed = 1;
  /// Each argument by name: a pointer's file (relative to DIR) and whether
  /// it is an output, or a scalar's value.
  struct Arg {
    std::string name;
    bool pointer = false, output = false;
    std::string file;
    int64_t value = 0;
  };
  std::vector<Arg> args;
};

/// Reads DIR/args.json; false with `error` naming the file and what is
/// missing or malformed.
bool readSavedRun(const std::string &dir, SavedRun &run, std::string &error);

/// Makes `problem` (built from `saved`'s kernel, parameters and seed) the
/// saved run: every argument of the problem must be in `saved` once, as the
/// problem has it (a scalar of the same value), and nothing else; each
/// input buffer is read from its file under `dir` (loadNpy); outputs keep
/// the fresh problem's poison; then the problem's own validation of its
/// inputs (expert offsets). False with `error` naming the file or argument.
bool loadSavedInputs(const std::string &dir, const SavedRun &saved,
                     const std::string &kernel, Problem &problem,
                     std::string &error);

/// Reads the .npy file at `path` into `buffer`, whose size and element type
/// the problem fixed: a C-order array of as many elements as the buffer
/// holds (its whole allocation, as saveRun writes it, any shape), of a type
/// of the buffer's element size (bf16 and fp16 as 2-byte types such as <u2,
/// <f2 or ml_dtypes' <V2; fp8 as any 1-byte type), or an empty array for a
/// buffer of an empty problem (M = 0). Versions 1.0 to 3.0. False with
/// `error` naming the file and the mismatch.
bool loadNpy(const std::string &path, Buffer &buffer, std::string &error);

} // namespace tile::run

#endif // TILE_TOOLS_TILE_RUN_NPY_H
