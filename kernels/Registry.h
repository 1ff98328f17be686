//===- Registry.h - The shipped DSL kernels, by name ------------*- C++ -*-===//
//
// What tile-compile KERNEL and tile-run look up: each kernel's parameters
// (name, default, allowed values) and how to build it from them. The
// parameters come from the family's table (quant/KernelParams.h,
// quant/*Params.h), never written here by hand.
//
//===----------------------------------------------------------------------===//

#ifndef TILE_KERNELS_REGISTRY_H
#define TILE_KERNELS_REGISTRY_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/OwningOpRef.h"

#include <functional>
#include <map>
#include <string>
#include <vector>

namespace tile::kernels {

/// A compile-time parameter of a kernel, as its family's SpecParam table
/// describes it (the default is the spec struct's).
struct KernelParam {
  std::string name;
  std::string defaultValue;
  std::string help;
  /// Allowed values; empty for a number (an integer, checked by the kernel,
  /// or with `isFloat` a finite positive real).
  std::vector<std::string> choices;
  bool isFloat = false;
};

/// Parameter values by name.
using ParamValues = std::map<std::string, std::string>;

struct KernelEntry {
  std::string name;
  std::string summary;
  std::vector<KernelParam> params;
  /// Builds the kernel for `values` (defaults filled in and checked).
  std::function<mlir::FailureOr<mlir::OwningOpRef<mlir::ModuleOp>>(
      mlir::MLIRContext &, const ParamValues &)>
      build;
};

/// Every shipped kernel.
const std::vector<KernelEntry> &registry();

/// The kernel called `name`, or null.
const KernelEntry *findKernel(const std::string &name);

/// `given` with defaults filled in, or an error message naming the bad
/// parameter (unknown, or not one of the allowed values, or not an integer,
/// or for a real parameter not a finite positive number).
bool resolveParams(const KernelEntry &kernel, const ParamValues &given,
                   ParamValues &resolved, std::string &error);

} // namespace tile::kernels

#endif // TILE_KERNELS_REGISTRY_H
