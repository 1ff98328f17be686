//===- DSLTest.cpp - The embedded DSL: what it builds and what it rejects -===//

#include "tile/dsl/DSL.h"

#include "tile/Dialect/Tile/TileDialect.h"
#include "tile/Interpreter/Interpreter.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Location.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

using namespace tile::dsl;

namespace {

/// Collects the diagnostics a test provokes, with their lines.
struct Diagnostics {
  explicit Diagnostics(mlir::MLIRContext &ctx)
      : handler(&ctx, [this](mlir::Diagnostic &d) {
          std::string text = d.str();
          unsigned line = 0;
          if (auto loc = mlir::dyn_cast<mlir::FileLineColLoc>(d.getLocation()))
            line = loc.getLine();
          messages.push_back({text, line});
          return mlir::success();
        }) {}
  bool has(const std::string &fragment, unsigned line) const {
    for (auto &[text, l] : messages)
      if (text.find(fragment) != std::string::npos && l == line)
        return true;
    return false;
  }
  std::string all() const {
    std::string s;
    for (auto &[text, l] : messages)
      s += std::to_string(l) + ": " + text + "\n";
    return s;
  }
  mlir::ScopedDiagnosticHandler handler;
  std::vector<std::pair<std::string, unsigned>> messages;
};

std::string print(mlir::ModuleOp module) {
  std::string text;
  llvm::raw_string_ostream os(text);
  module.print(os);
  return text;
}

TEST(DSL, BuildsAVerifiedKernelWithOperatorsAndBroadcasting) {
  mlir::MLIRContext ctx;
  KernelBuilder k(ctx, "scale_rows", {8});
  Value x = k.pointer("x", DType::BF16);
  Value y = k.pointer("y", DType::F32);
  Value n = k.scalar("n", DType::I32, 16);
  Value rows = programId(0) * 4 + range(0, 4);           // [4]
  Value cols = range(0, 64);                              // [64]
  Value offsets = expandDims(rows * n, 1) + cols;         // [4,1] + [64] -> [4,64]
  Value mask = expandDims(rows < 100, 1) & (cols < n);
  Value v = load(x + offsets, mask, 0.0).to(DType::F32);
  Value rowMax = max(abs(v), 1);                          // [4]
  store(y + offsets, v / expandDims(rowMax, 1) * 2.0 + 1, mask);
  auto module = k.finish();
  ASSERT_TRUE(mlir::succeeded(module));
  std::string text = print(**module);
  EXPECT_NE(text.find("tile.num_warps = 8"), std::string::npos) << text;
  EXPECT_NE(text.find("tile.divisibility = 16"), std::string::npos) << text;
  EXPECT_NE(text.find("tile.reduce"), std::string::npos) << text;
  EXPECT_NE(text.find("tile.broadcast"), std::string::npos) << text;
  EXPECT_NE(text.find("tensor<4x64xf32>"), std::string::npos) << text;
  EXPECT_NE(text.find("arith.extf"), std::string::npos) << text;
  EXPECT_EQ(v.shape(), (std::vector<int64_t>{4, 64}));
  EXPECT_EQ(rowMax.shape(), (std::vector<int64_t>{4}));
  EXPECT_EQ(mask.dtype(), DType::I1);
}

TEST(DSL, ReportsShapeMismatchAtTheUsersLine) {
  mlir::MLIRContext ctx;
  Diagnostics diags(ctx);
  KernelBuilder k(ctx, "bad");
  Value a = range(0, 128), b = range(0, 64);
  unsigned line = __LINE__ + 1;
  Value c = a + b;
  EXPECT_FALSE(c);
  EXPECT_TRUE(mlir::failed(k.finish()));
  EXPECT_TRUE(diags.has("shapes 128 and 64 cannot be broadcast together", line))
      << diags.all();
}

TEST(DSL, ReportsMixedElementTypes) {
  mlir::MLIRContext ctx;
  Diagnostics diags(ctx);
  KernelBuilder k(ctx, "bad");
  Value f = full({16}, 1.0, DType::F32), h = full({16}, 1.0, DType::BF16);
  unsigned line = __LINE__ + 1;
  Value c = f * h;
  EXPECT_FALSE(c);
  EXPECT_TRUE(mlir::failed(k.finish()));
  EXPECT_TRUE(diags.has("operands have different element types 'f32' and 'bf16'",
                        line))
      << diags.all();
}

TEST(DSL, ReportsNonPowerOfTwoRange) {
  mlir::MLIRContext ctx;
  Diagnostics diags(ctx);
  KernelBuilder k(ctx, "bad");
  unsigned line = __LINE__ + 1;
  Value r = range(0, 96);
  EXPECT_FALSE(r);
  EXPECT_TRUE(mlir::failed(k.finish()));
  EXPECT_TRUE(diags.has("range(0, 96) must have a power-of-two number of "
                        "elements, got 96",
                        line))
      << diags.all();
}

TEST(DSL, AVerifierErrorPointsAtTheKernelsLine) {
  mlir::MLIRContext ctx;
  Diagnostics diags(ctx);
  KernelBuilder k(ctx, "bad");
  Value i = range(0, 16);
  unsigned line = __LINE__ + 1;
  Value q = toFp8(i); // an integer tile: tile.fp_to_fp's verifier rejects it
  (void)q;
  EXPECT_TRUE(mlir::failed(k.finish()));
  EXPECT_TRUE(diags.has("'tile.fp_to_fp' op", line)) << diags.all();
}

TEST(DSL, LoadNeedsAMaskForOtherAndMatchingTypes) {
  mlir::MLIRContext ctx;
  Diagnostics diags(ctx);
  KernelBuilder k(ctx, "bad");
  Value p = k.pointer("p", DType::F32);
  Value ptrs = p + range(0, 16);
  unsigned line = __LINE__ + 1;
  Value a = load(ptrs, Value(), 0.0);
  EXPECT_FALSE(a);
  Value v = full({16}, 1.0, DType::BF16);
  unsigned line2 = __LINE__ + 1;
  store(ptrs, v);
  EXPECT_TRUE(mlir::failed(k.finish()));
  EXPECT_TRUE(diags.has("'other' needs a mask", line)) << diags.all();
  EXPECT_TRUE(diags.has("storing 'bf16' through pointers to 'f32'", line2))
      << diags.all();
}

TEST(DSL, ForLoopCarriesTiles) {
  mlir::MLIRContext ctx;
  KernelBuilder k(ctx, "loop");
  Value p = k.pointer("p", DType::F32);
  Value n = k.scalar("n", DType::I32);
  Value ptrs = p + range(0, 128);
  std::vector<Value> out = forLoop(
      0, n, 1, {full({128}, 0.0, DType::F32)},
      [&](Value i, std::vector<Value> acc) -> std::vector<Value> {
        return {acc[0] + load(ptrs + i * 128)};
      });
  ASSERT_EQ(out.size(), 1u);
  store(ptrs, out[0]);
  auto module = k.finish();
  ASSERT_TRUE(mlir::succeeded(module));
  EXPECT_NE(print(**module).find("scf.for"), std::string::npos);
}

TEST(DSL, ReduceWithALambdaAndSiluAndConversions) {
  mlir::MLIRContext ctx;
  KernelBuilder k(ctx, "misc");
  Value p = k.pointer("p", DType::F32);
  Value q = k.pointer("q", DType::F8E4M3);
  Value r = k.pointer("r", DType::I8);
  Value v = load(p + range(0, 256));
  Value s = reduce(v, 0, [](Value a, Value b) { return a + b; });
  EXPECT_FALSE(s.isTile());
  store(q + range(0, 256), toFp8(silu(v) + s));
  store(r + range(0, 256), toInt(sigmoid(v), DType::I8, Rounding::TowardZero));
  auto module = k.finish();
  ASSERT_TRUE(mlir::succeeded(module));
  std::string text = print(**module);
  EXPECT_NE(text.find("tile.fp_to_fp"), std::string::npos);
  EXPECT_NE(text.find("rounding = rtz"), std::string::npos);
  EXPECT_NE(text.find("math.exp"), std::string::npos);
}

/// fma rounds once: for a = 1 + d 2^-23, b = 1 - d 2^-23, c = -1 the exact
/// a * b + c is -d^2 2^-46, which fma keeps and a * b + c (the product
/// rounded to 1 first) loses. The interpreter runs math.fma as std::fma, element by
/// element, with scalars broadcast; shl and ashr are arith's shifts (ashr
/// fills with the sign: -8 >> 1 is -4).
TEST(DSL, FmaRoundsOnceAndShiftsAreArithmetic) {
  mlir::MLIRContext ctx;
  Diagnostics diags(ctx);
  KernelBuilder k(ctx, "fma_shifts");
  Value x = k.pointer("x", DType::F32), y = k.pointer("y", DType::F32);
  Value fused = k.pointer("fused", DType::F32), split = k.pointer("split", DType::F32);
  Value ints = k.pointer("ints", DType::I32), shifted = k.pointer("shifted", DType::I32);
  Value i = range(0, 16);
  Value a = load(x + i), b = load(y + i);
  store(fused + i, fma(a, b, -1.0));
  store(split + i, a * b + -1.0);
  Value n = load(ints + i);
  store(shifted + i, shl(n, 4) + ashr(n, 1));
  auto module = k.finish();
  ASSERT_TRUE(mlir::succeeded(module)) << diags.all();
  std::string text = print(**module);
  EXPECT_NE(text.find("math.fma"), std::string::npos) << text;
  EXPECT_NE(text.find("arith.shli"), std::string::npos) << text;
  EXPECT_NE(text.find("arith.shrsi"), std::string::npos) << text;

  std::vector<float> xs(16), ys(16), f(16), s(16);
  std::vector<int32_t> ns(16), sh(16);
  for (int j = 0; j < 16; ++j) {
    xs[j] = 1.0f + std::ldexp(1.0f, -23) * float(j % 4 + 1);
    ys[j] = 1.0f - std::ldexp(1.0f, -23) * float(j % 4 + 1);
    ns[j] = j - 8;
  }
  tile::interp::Interpreter interpreter(**module);
  std::vector<tile::interp::Arg> args;
  for (void *p : {(void *)xs.data(), (void *)ys.data(), (void *)f.data(),
                  (void *)s.data(), (void *)ns.data(), (void *)sh.data()}) {
    interpreter.addBuffer(p, 64, "buffer");
    args.push_back(tile::interp::Arg::pointer(p));
  }
  ASSERT_TRUE(mlir::succeeded(interpreter.run("fma_shifts", {}, args)))
      << diags.all();
  for (int j = 0; j < 16; ++j) {
    float want = std::fma(xs[j], ys[j], -1.0f);
    float d = float(j % 4 + 1);
    EXPECT_EQ(want, -d * d * std::ldexp(1.0f, -46)) << j; // exact
    EXPECT_EQ(f[j], want) << j;
    volatile float product = xs[j] * ys[j]; // rounded: no contraction
    EXPECT_EQ(s[j], product + -1.0f) << j;
    EXPECT_EQ(s[j], 0.0f) << j;
    EXPECT_EQ(sh[j], ns[j] * 16 + (ns[j] >> 1)) << j;
  }
  EXPECT_EQ(sh[0], -8 * 16 - 4);
}

TEST(DSL, FmaAndShiftsReportTypeErrors) {
  mlir::MLIRContext ctx;
  Diagnostics diags(ctx);
  KernelBuilder k(ctx, "bad");
  unsigned line = __LINE__ + 1;
  Value f = fma(range(0, 16), range(0, 16), 1);
  unsigned line2 = __LINE__ + 1;
  Value g = shl(full({16}, 1.0, DType::F32), 2);
  EXPECT_FALSE(f);
  EXPECT_FALSE(g);
  EXPECT_TRUE(mlir::failed(k.finish()));
  EXPECT_TRUE(diags.has("fma needs floats, got 'i32'", line)) << diags.all();
  EXPECT_TRUE(diags.has("shl needs integers, got 'f32'", line2)) << diags.all();
}

TEST(DSL, ToE2M1x2PacksPairsAndReportsBadTiles) {
  mlir::MLIRContext ctx;
  Diagnostics diags(ctx);
  KernelBuilder k(ctx, "pack");
  Value packed = toE2M1x2(full({4, 16}, 1.5, DType::F32));
  ASSERT_TRUE(packed);
  EXPECT_EQ(packed.shape(), (std::vector<int64_t>{4, 8}));
  unsigned odd = __LINE__ + 1;
  Value a = toE2M1x2(full({4, 1}, 1.0, DType::F32));
  unsigned integer = __LINE__ + 1;
  Value b = toE2M1x2(range(0, 16));
  unsigned scalar = __LINE__ + 1;
  Value c = toE2M1x2(k.scalar("s", DType::F32));
  EXPECT_FALSE(a);
  EXPECT_FALSE(b);
  EXPECT_FALSE(c);
  EXPECT_TRUE(mlir::failed(k.finish()));
  EXPECT_TRUE(diags.has("has an odd last dimension", odd)) << diags.all();
  EXPECT_TRUE(diags.has("toE2M1x2 packs a tile of f32, f16 or bf16, got "
                        "'tensor<16xi32>'",
                        integer))
      << diags.all();
  EXPECT_TRUE(diags.has("got 'f32'", scalar)) << diags.all();
}

TEST(DSL, DotBuildsAVerifiedDotAndAnF16ExactChainPerGroup) {
  mlir::MLIRContext ctx;
  Diagnostics diags(ctx);
  KernelBuilder k(ctx, "dots");
  Value p = k.pointer("p", DType::F32);
  Value offs = expandDims(range(0, 32) * 32, 1) + range(0, 32); // [32, 32]
  Value a = full({32, 64}, 1.0, DType::F16),
        b = full({64, 32}, 2.0, DType::F16);
  Value d = dot(a, b, full({32, 32}, 0.0, DType::F32));
  EXPECT_EQ(d.shape(), (std::vector<int64_t>{32, 32}));
  EXPECT_EQ(d.dtype(), DType::F32);
  // One f32 chain per quant group of 1024: 4 K tiles of 256 from a fresh
  // zero, then one multiply-add into the master accumulator.
  Value qa = full({32, 256}, -128.0, DType::I8),
        qb = full({256, 32}, -128.0, DType::I8);
  std::vector<Value> group =
      forLoop(0, 1024, 256, {full({32, 32}, 0.0, DType::F32)},
              [&](Value, std::vector<Value> acc) -> std::vector<Value> {
                return {dot(qa, qb, acc[0], Precision::F16Exact)};
              });
  Value i = dot(qa, qb, full({32, 32}, 0, DType::I32), Precision::Native);
  EXPECT_EQ(i.dtype(), DType::I32);
  store(p + offs, d + group[0] * 0.5 + i.to(DType::F32));
  auto module = k.finish();
  ASSERT_TRUE(mlir::succeeded(module)) << diags.all();
  std::string text = print(**module);
  EXPECT_NE(text.find("tile.dot"), std::string::npos) << text;
  EXPECT_NE(text.find("inputPrecision = f16_exact"), std::string::npos) << text;
  EXPECT_NE(text.find("inputPrecision = native"), std::string::npos) << text;
}

TEST(DSL, DotReportsShapeAndTypeErrorsAtTheUsersLine) {
  mlir::MLIRContext ctx;
  Diagnostics diags(ctx);
  KernelBuilder k(ctx, "bad");
  Value a = full({16, 32}, 1.0, DType::F16),
        b = full({64, 16}, 1.0, DType::F16);
  Value b32 = full({32, 16}, 1.0, DType::F16),
        bh = full({32, 16}, 1.0, DType::BF16);
  Value acc = full({16, 16}, 0.0, DType::F32);
  unsigned kLine = __LINE__ + 1;
  EXPECT_FALSE(dot(a, b, acc));
  unsigned accLine = __LINE__ + 1;
  EXPECT_FALSE(dot(a, b32, full({16, 32}, 0.0, DType::F32)));
  unsigned typeLine = __LINE__ + 1;
  EXPECT_FALSE(dot(a, bh, acc));
  unsigned rankLine = __LINE__ + 1;
  EXPECT_FALSE(dot(range(0, 16), b32, acc));
  unsigned precisionLine = __LINE__ + 1;
  EXPECT_FALSE(dot(a, b32, acc, Precision::Native));
  EXPECT_TRUE(mlir::failed(k.finish()));
  EXPECT_TRUE(
      diags.has("dot: a is 16x32 but b is 64x16: the K extents differ", kLine))
      << diags.all();
  EXPECT_TRUE(
      diags.has("dot: the accumulator is 16x32, expected 16x16", accLine))
      << diags.all();
  EXPECT_TRUE(diags.has("dot operands have different element types 'f16' and "
                        "'bf16'",
                        typeLine))
      << diags.all();
  EXPECT_TRUE(diags.has("dot needs 2-D tiles of numbers", rankLine))
      << diags.all();
  EXPECT_TRUE(
      diags.has("dot precision does not go with 'f16' operands", precisionLine))
      << diags.all();
}

TEST(DSL, DotVerifierErrorsPointAtTheUsersLine) {
  mlir::MLIRContext ctx;
  Diagnostics diags(ctx);
  { // an int8 K tile under 32
    KernelBuilder k(ctx, "bad");
    Value a = full({16, 16}, 1.0, DType::I8),
          b = full({16, 16}, 1.0, DType::I8);
    unsigned line = __LINE__ + 1;
    Value i = dot(a, b, full({16, 16}, 0, DType::I32), Precision::Native);
    EXPECT_TRUE(i); // built; the verifier refuses it at finish()
    EXPECT_TRUE(mlir::failed(k.finish()));
    EXPECT_TRUE(
        diags.has("8-bit operands ('i8') need K tiles of at least 32", line))
        << diags.all();
  }
  { // f16_exact into f16
    KernelBuilder k(ctx, "bad");
    Value a = full({16, 32}, 1.0, DType::I8),
          b = full({32, 16}, 1.0, DType::I8);
    unsigned line = __LINE__ + 1;
    dot(a, b, full({16, 16}, 0.0, DType::F16), Precision::F16Exact);
    EXPECT_TRUE(mlir::failed(k.finish()));
    EXPECT_TRUE(diags.has("accumulator element type 'f16'", line))
        << diags.all();
  }
  { // five K tiles of 256 on one chain: 1280 products
    KernelBuilder k(ctx, "bad");
    Value qa = full({16, 256}, 1.0, DType::I8),
          qb = full({256, 16}, 1.0, DType::I8);
    unsigned line = __LINE__ + 3;
    forLoop(0, 1280, 256, {full({16, 16}, 0.0, DType::F32)},
            [&](Value, std::vector<Value> acc) -> std::vector<Value> {
              return {dot(qa, qb, acc[0], Precision::F16Exact)};
            });
    EXPECT_TRUE(mlir::failed(k.finish()));
    EXPECT_TRUE(diags.has("the uninterrupted fp32 chain reaching this dot "
                          "holds 1280 int8 products",
                          line))
        << diags.all();
  }
}

} // namespace
