//===- CompilerContext.h - A context for building and lowering kernels -*- C++ -*-===//
//
// For tests that build kernels and run the compiler's pipeline on them: an
// MLIRContext holding every dialect the compiler uses
// (registerCompilerDialects), whose diagnostics are collected in `errors`,
// one a line, instead of printed, so that an assertion can show them.
//
//===----------------------------------------------------------------------===//

#ifndef TILE_TEST_COMMON_COMPILERCONTEXT_H
#define TILE_TEST_COMMON_COMPILERCONTEXT_H

#include "tile/Pipeline/Pipeline.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"

#include <string>

namespace tile::testing {

struct CompilerContext {
  CompilerContext()
      : ctx(compilerDialects()), handler(&ctx, [this](mlir::Diagnostic &d) {
          errors += d.str() + "\n";
          return mlir::success();
        }) {}

  mlir::MLIRContext ctx;
  /// Every diagnostic emitted on ctx so far, one a line.
  std::string errors;

private:
  static mlir::DialectRegistry compilerDialects() {
    mlir::DialectRegistry registry;
    mlir::tile::registerCompilerDialects(registry);
    return registry;
  }

  mlir::ScopedDiagnosticHandler handler;
};

} // namespace tile::testing

#endif // TILE_TEST_COMMON_COMPILERCONTEXT_H
