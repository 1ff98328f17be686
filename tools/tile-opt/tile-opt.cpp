//===- tile-opt.cpp - The tile optimizer driver ---------------------------===//
//
// mlir-opt for tile IR: knows exactly the dialects and passes the project
// uses. `tile-opt --help` lists them.
//
//===----------------------------------------------------------------------===//

#include "tile/Conversion/TileToLLVM.h"
#include "tile/Dialect/Tile/TileDialect.h"
#include "tile/Pipeline/Pipeline.h"
#include "tile/Transforms/Passes.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "mlir/Transforms/Passes.h"

int main(int argc, char **argv) {
  mlir::DialectRegistry registry;
  mlir::tile::registerCompilerDialects(registry);

  // Generic passes the tile pipelines use.
  mlir::registerCanonicalizerPass();
  mlir::registerCSEPass();
  mlir::registerLoopInvariantCodeMotionPass();
  mlir::registerSymbolDCEPass();
  // The upstream lowerings the pipeline runs after convert-tile-to-llvm.
  mlir::registerSCFToControlFlowPass();
  mlir::registerArithToLLVMConversionPass();
  mlir::registerConvertMathToLLVMPass();
  mlir::registerUBToLLVMConversionPass();
  mlir::registerConvertControlFlowToLLVMPass();
  mlir::registerConvertFuncToLLVMPass();
  mlir::registerReconcileUnrealizedCastsPass();
  // The project's passes and pipelines.
  mlir::tile::registerTilePasses();
  mlir::tile::registerTileConversionPasses();
  mlir::tile::registerTilePipelines();

  return mlir::asMainReturnCode(mlir::MlirOptMain(
      argc, argv, "tile optimizer driver: parse, verify, transform tile IR\n",
      registry));
}
