//===- Plan.h - A checked kernel call: its spec, grid and arguments -*- C++ -*-===//
//
// Each kernel family turns the tensors and options of a Python call into a
// Plan (the family's *Plan.cpp): every argument checked, the spec of the
// kernel the problem needs (its compile-time parameters), the grid, and the
// kernel's arguments in the order of its signature. The GPU module launches
// the plan with the shipped AOT variant of that spec; the interpreter module
// builds the kernel for the spec with the DSL and runs it on the host. The
// family's plan is the one owner of its rules, so both backends refuse and
// accept the same calls.
//
//===----------------------------------------------------------------------===//

#ifndef TILE_PYTHON_PLAN_H
#define TILE_PYTHON_PLAN_H

#include "Checks.h"
#include "PlanArgs.h"
#include "tile/Support/LaunchGrid.h"

#include <cstdint>

namespace tile::python {

/// A family's checked call. `Spec` is the family's spec struct.
template <typename Spec> struct Plan {
  /// The kernel's spec; the GPU path may look for the alternatives after it
  /// (`fallbacks`, in order) when the first is not shipped.
  Spec spec;
  Spec fallbacks[2];
  int fallbackCount = 0;
  LaunchGrid grid;
  PlanArgs args;
};

/// Bytes a strided view reaches from its first element: the largest offset
/// plus one element (0 for an empty view).
int64_t extentBytes(const TensorView &t, int elementBytes);

} // namespace tile::python

#endif // TILE_PYTHON_PLAN_H
