//===- DSLImpl.h - The DSL builder's state ----------------------*- C++ -*-===//

#ifndef TILE_LIB_DSL_DSLIMPL_H
#define TILE_LIB_DSL_DSLIMPL_H

#include "tile/dsl/DSL.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"

namespace tile::dsl {

struct KernelBuilder::Impl {
  explicit Impl(mlir::MLIRContext &ctx) : ctx(ctx), builder(&ctx) {}

  mlir::Location location(Loc loc);
  /// Reports an error at `loc`; finish() will fail.
  mlir::InFlightDiagnostic error(Loc loc);
  mlir::Type type(DType t);

  mlir::MLIRContext &ctx;
  mlir::OpBuilder builder;
  mlir::OwningOpRef<mlir::ModuleOp> module;
  mlir::func::FuncOp func;
  mlir::Block *body = nullptr;
  std::string name;
  bool failed = false;
};

namespace detail {
/// The current builder's state; aborts with a message when there is none.
KernelBuilder::Impl &impl();
} // namespace detail

} // namespace tile::dsl

#endif // TILE_LIB_DSL_DSLIMPL_H
