//===- ProgramOpToLLVM.cpp - program_id and num_programs ------------------===//

#include "tile/Conversion/TileToLLVM.h"
#include "tile/Dialect/Tile/TileDialect.h"

#include "mlir/Dialect/LLVMIR/NVVMDialect.h"

using namespace mlir;
using namespace mlir::tile;

namespace {

template <typename SourceOp, typename X, typename Y, typename Z>
struct GridQueryToNVVM : OpConversionPattern<SourceOp> {
  using OpConversionPattern<SourceOp>::OpConversionPattern;
  LogicalResult
  matchAndRewrite(SourceOp op, typename SourceOp::Adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Type i32 = rewriter.getI32Type();
    Value v;
    switch (op.getAxis()) {
    case ProgramAxis::X:
      v = X::create(rewriter, op.getLoc(), i32);
      break;
    case ProgramAxis::Y:
      v = Y::create(rewriter, op.getLoc(), i32);
      break;
    case ProgramAxis::Z:
      v = Z::create(rewriter, op.getLoc(), i32);
      break;
    }
    rewriter.replaceOp(op, v);
    return success();
  }
};

} // namespace

void mlir::tile::populateProgramOpToLLVMPatterns(TypeConverter &converter,
                                                 RewritePatternSet &patterns) {
  patterns.add<GridQueryToNVVM<ProgramIdOp, NVVM::BlockIdXOp, NVVM::BlockIdYOp,
                               NVVM::BlockIdZOp>,
               GridQueryToNVVM<NumProgramsOp, NVVM::GridDimXOp,
                               NVVM::GridDimYOp, NVVM::GridDimZOp>>(
      converter, patterns.getContext());
}
