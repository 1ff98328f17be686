//===- PlanArgs.h - A kernel call's arguments, in signature order -*- C++ -*-===//
//
// Plain C++ (no tvm-ffi, no MLIR): the plans fill it, the GPU module
// launches from it, and the interpreter runner (built without RTTI against
// MLIR) reads it.
//
//===----------------------------------------------------------------------===//

#ifndef TILE_PYTHON_PLANARGS_H
#define TILE_PYTHON_PLANARGS_H

#include <cstdint>

namespace tile::python {

/// One kernel argument: a pointer (with the bytes from it that the kernel
/// may touch, which the interpreter registers as the buffer) or an i32.
struct PlanArg {
  enum Kind : uint8_t { Pointer, I32 } kind;
  const char *name;
  int64_t value;   ///< the address, or the i32 (kept wide, checked to fit)
  int64_t bytes;   ///< a pointer's extent
};

/// The arguments of a call, in signature order (no heap: the GPU path
/// launches from this).
struct PlanArgs {
  PlanArg items[16];
  int count = 0;
  /// Rows of the problem where no argument says it (silu_mul_quant's masked
  /// form: E * T).
  int64_t rows = 0;
  void pointer(const char *name, uint64_t address, int64_t bytes) {
    items[count++] = {PlanArg::Pointer, name, int64_t(address), bytes};
  }
  void i32(const char *name, int64_t value) {
    items[count++] = {PlanArg::I32, name, value, 0};
  }
  /// The value of the argument called `name` (an i32), or `fallback`.
  int64_t value(const char *name, int64_t fallback = 0) const;
  /// The address of the pointer argument called `name`, or null.
  void *address(const char *name) const;
};

} // namespace tile::python

#endif // TILE_PYTHON_PLANARGS_H
