//===- tile-opt.cpp - The tile optimizer driver ---------------------------===//
//
// mlir-opt for tile IR: knows exactly the dialects and passes the project
// uses. `tile-opt --help` lists them.
//
//===----------------------------------------------------------------------===//

#include "tile/Dialect/Tile/TileDialect.h"
#include "tile/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "mlir/Transforms/Passes.h"

int main(int argc, char **argv) {
  mlir::DialectRegistry registry;
  registry.insert<mlir::arith::ArithDialect, mlir::func::FuncDialect,
                  mlir::math::MathDialect, mlir::scf::SCFDialect,
                  mlir::tile::TileDialect>();

  // Generic passes the tile pipelines use.
  mlir::registerCanonicalizerPass();
  mlir::registerCSEPass();
  mlir::registerLoopInvariantCodeMotionPass();
  mlir::registerSymbolDCEPass();
  // The project's passes.
  mlir::tile::registerTilePasses();

  return mlir::asMainReturnCode(mlir::MlirOptMain(
      argc, argv, "tile optimizer driver: parse, verify, transform tile IR\n",
      registry));
}
