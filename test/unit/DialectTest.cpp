//===- DialectTest.cpp - Building and verifying tile IR from C++ ----------===//
//
// Builds tile IR with the C++ API the DSL uses, verifies it, checks that the
// printed form parses back to the same text, and checks that invalid IR built
// in C++ is rejected with the verifier's message.
//
//===----------------------------------------------------------------------===//

#include "tile/Dialect/Tile/TileDialect.h"
#include "tile/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"

#include <gtest/gtest.h>

using namespace mlir;
using namespace mlir::tile;

namespace {

class TileDialectTest : public ::testing::Test {
protected:
  TileDialectTest() : builder(&context), loc(builder.getUnknownLoc()) {
    context.loadDialect<TileDialect, arith::ArithDialect, func::FuncDialect,
                        math::MathDialect>();
    module = ModuleOp::create(loc);
    builder.setInsertionPointToEnd(module->getBody());
  }

  /// Runs the verifier on the module and returns every error message.
  std::string verifyErrors() {
    std::string messages;
    ScopedDiagnosticHandler handler(&context, [&](Diagnostic &diag) {
      messages += diag.str() + "\n";
      return success();
    });
    (void)verify(*module);
    return messages;
  }

  std::string print(Operation *op) {
    std::string text;
    llvm::raw_string_ostream os(text);
    op->print(os);
    return text;
  }

  /// A kernel `name(ptr<in>, ptr<out>, i32 n)` whose body the test fills.
  func::FuncOp makeKernel(StringRef name, Type in, Type out) {
    auto type = builder.getFunctionType(
        {PtrType::get(in), PtrType::get(out), builder.getI32Type()}, {});
    auto func = func::FuncOp::create(builder, loc, name, type);
    builder.setInsertionPointToStart(func.addEntryBlock());
    return func;
  }

  MLIRContext context;
  OpBuilder builder;
  Location loc;
  OwningOpRef<ModuleOp> module;
};

/// A row-absmax fp8 quantization kernel built op by op: every op's builder,
/// the verifier, and a print/parse round trip.
TEST_F(TileDialectTest, BuildsAndRoundTripsARowQuantKernel) {
  constexpr int64_t kBlock = 128;
  auto f32 = builder.getF32Type();
  auto f8 = builder.getType<Float8E4M3FNType>();
  func::FuncOp kernel = makeKernel("row_quant", f32, f8);
  Value in = kernel.getArgument(0), out = kernel.getArgument(1);
  Value n = kernel.getArgument(2);

  auto row = ProgramIdOp::create(builder, loc, builder.getI32Type(),
                                 ProgramAxis::X);
  auto base = arith::MulIOp::create(builder, loc, row, n);
  auto cols = MakeRangeOp::create(builder, loc, 0, kBlock);
  auto i32Tile = cols.getType();
  auto nTile = SplatOp::create(builder, loc, i32Tile, n);
  auto mask = arith::CmpIOp::create(builder, loc, arith::CmpIPredicate::slt,
                                    cols, nTile);
  auto rowIn = AddPtrOp::create(builder, loc, in.getType(), in, base);
  auto inPtrs = SplatOp::create(builder, loc,
                                RankedTensorType::get({kBlock}, in.getType()),
                                rowIn);
  auto ptrs = AddPtrOp::create(builder, loc, inPtrs.getType(), inPtrs, cols);
  auto zero = arith::ConstantOp::create(
      builder, loc, DenseElementsAttr::get(RankedTensorType::get({kBlock}, f32),
                                           builder.getF32FloatAttr(0.0f)));
  auto x = LoadOp::create(builder, loc, ptrs, mask, zero, CacheModifier::CG);
  auto absX = math::AbsFOp::create(builder, loc, x);

  auto reduce = ReduceOp::create(builder, loc, ValueRange{absX}, 0);
  {
    OpBuilder::InsertionGuard guard(builder);
    Block &body = reduce.getCombiner().front();
    builder.setInsertionPointToStart(&body);
    auto m = arith::MaxNumFOp::create(builder, loc, body.getArgument(0),
                                      body.getArgument(1));
    ReduceReturnOp::create(builder, loc, ValueRange{m});
  }
  auto absmax = reduce.getResult(0);
  ASSERT_EQ(absmax.getType(), f32);
  auto qmax = arith::ConstantOp::create(builder, loc, builder.getF32FloatAttr(448));
  auto scale = arith::DivFOp::create(builder, loc, absmax, qmax);
  auto scaleTile = SplatOp::create(builder, loc, x.getType(), scale);
  auto v = arith::DivFOp::create(builder, loc, x, scaleTile);
  auto q = FpToFpOp::create(builder, loc, RankedTensorType::get({kBlock}, f8), v,
                            RoundingModeAttr::get(&context, RoundingMode::RTNE),
                            builder.getUnitAttr());
  auto rowOut = AddPtrOp::create(builder, loc, out.getType(), out, base);
  auto outPtrs = SplatOp::create(
      builder, loc, RankedTensorType::get({kBlock}, out.getType()), rowOut);
  auto outTile = AddPtrOp::create(builder, loc, outPtrs.getType(), outPtrs, cols);
  StoreOp::create(builder, loc, outTile, q, mask, CacheModifier::CS);
  func::ReturnOp::create(builder, loc);

  EXPECT_EQ(verifyErrors(), "");

  std::string text = print(*module);
  EXPECT_NE(text.find("tile.load %"), std::string::npos) << text;
  EXPECT_NE(text.find("cache = cg"), std::string::npos) << text;
  EXPECT_NE(text.find("rounding = rtne, saturate"), std::string::npos) << text;
  OwningOpRef<ModuleOp> reparsed = parseSourceString<ModuleOp>(text, &context);
  ASSERT_TRUE(reparsed) << text;
  EXPECT_EQ(print(*reparsed), text);
}

/// An op built with inconsistent types is rejected with the verifier's message.
TEST_F(TileDialectTest, RejectsABroadcastAcrossANonUnitExtent) {
  makeKernel("bad", builder.getF32Type(), builder.getF32Type());
  auto src = arith::ConstantOp::create(
      builder, loc,
      DenseElementsAttr::get(RankedTensorType::get({4, 8}, builder.getF32Type()),
                             builder.getF32FloatAttr(1.0f)));
  BroadcastOp::create(builder, loc,
                      RankedTensorType::get({8, 8}, builder.getF32Type()), src);
  func::ReturnOp::create(builder, loc);
  EXPECT_NE(verifyErrors().find("source extent 4 in dimension 0 is neither 1 "
                                "nor the result extent 8"),
            std::string::npos);
}

TEST_F(TileDialectTest, RejectsNonPowerOfTwoTiles) {
  makeKernel("bad", builder.getF32Type(), builder.getF32Type());
  MakeRangeOp::create(builder, loc, 0, 96);
  func::ReturnOp::create(builder, loc);
  EXPECT_NE(verifyErrors().find("result #0 has shape 96: tile extents must be "
                                "static powers of two"),
            std::string::npos);
}

TEST_F(TileDialectTest, RejectsAnF16ExactDotBeyondTheExactnessBound) {
  makeKernel("bad", builder.getI8Type(), builder.getI32Type());
  auto i8 = builder.getI8Type();
  auto a = arith::ConstantOp::create(
      builder, loc,
      DenseElementsAttr::get(RankedTensorType::get({16, 2048}, i8),
                             builder.getI8IntegerAttr(1)));
  auto b = arith::ConstantOp::create(
      builder, loc,
      DenseElementsAttr::get(RankedTensorType::get({2048, 16}, i8),
                             builder.getI8IntegerAttr(1)));
  auto cType = RankedTensorType::get({16, 16}, builder.getI32Type());
  auto c = arith::ConstantOp::create(
      builder, loc, DenseElementsAttr::get(cType, builder.getI32IntegerAttr(0)));
  DotOp::create(builder, loc, cType, a, b, c, InputPrecision::F16Exact);
  func::ReturnOp::create(builder, loc);
  EXPECT_NE(verifyErrors().find("chain of K = 2048 int8 products"),
            std::string::npos);
}

TEST_F(TileDialectTest, PointerTypeRejectsNonScalarPointees) {
  std::string messages;
  ScopedDiagnosticHandler handler(&context, [&](Diagnostic &diag) {
    messages += diag.str();
    return success();
  });
  auto bad = PtrType::getChecked(
      [&] { return emitError(loc); }, &context,
      Type(RankedTensorType::get({4}, builder.getF32Type())));
  EXPECT_FALSE(bad);
  EXPECT_NE(messages.find("points to integers or floats"), std::string::npos);
}

/// Folders through the builder: a splat of a constant is a dense constant,
/// adding a zero offset is the pointer itself.
TEST_F(TileDialectTest, FoldsSplatOfConstantAndAddPtrOfZero) {
  func::FuncOp kernel =
      makeKernel("fold", builder.getF32Type(), builder.getF32Type());
  auto one = arith::ConstantOp::create(builder, loc, builder.getF32FloatAttr(1));
  auto tileType = RankedTensorType::get({64}, builder.getF32Type());
  Value splat = builder.createOrFold<SplatOp>(loc, tileType, one);
  auto constant = splat.getDefiningOp<arith::ConstantOp>();
  ASSERT_TRUE(constant);
  auto dense = dyn_cast<SplatElementsAttr>(constant.getValue());
  ASSERT_TRUE(dense);
  EXPECT_EQ(dense.getSplatValue<float>(), 1.0f);

  Value ptr = kernel.getArgument(0);
  auto zero = arith::ConstantOp::create(builder, loc, builder.getI32IntegerAttr(0));
  Value same = builder.createOrFold<AddPtrOp>(loc, ptr.getType(), ptr, zero);
  EXPECT_EQ(same, ptr);
  func::ReturnOp::create(builder, loc);
  EXPECT_EQ(verifyErrors(), "");
}

/// tile-combine merges a chain of pointer offsets into one addptr.
TEST_F(TileDialectTest, CombineMergesAddPtrChains) {
  func::FuncOp kernel =
      makeKernel("chain", builder.getF32Type(), builder.getF32Type());
  Value ptr = kernel.getArgument(0), n = kernel.getArgument(2);
  auto first = AddPtrOp::create(builder, loc, ptr.getType(), ptr, n);
  auto second = AddPtrOp::create(builder, loc, ptr.getType(), first, n);
  auto x = LoadOp::create(builder, loc, second.getResult());
  StoreOp::create(builder, loc, kernel.getArgument(1), x);
  func::ReturnOp::create(builder, loc);
  ASSERT_EQ(verifyErrors(), "");

  PassManager pm(&context);
  pm.addPass(createTileCombinePass());
  ASSERT_TRUE(succeeded(pm.run(*module)));
  int addptrs = 0;
  module->walk([&](AddPtrOp op) {
    ++addptrs;
    EXPECT_EQ(op.getPtr(), ptr);
    EXPECT_TRUE(op.getOffset().getDefiningOp<arith::AddIOp>());
  });
  EXPECT_EQ(addptrs, 1);
}

} // namespace
