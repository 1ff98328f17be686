//===- KernelsTest.cpp - Every shipped kernel builds, for every option ----===//
//
// Builds each registered kernel for every combination of its option
// parameters (the integer ones at their defaults; copies_at one value at a
// time), verifies it and lowers it
// through the whole pipeline to the LLVM dialect for sm_90a; bad parameters
// are rejected with a message naming them; each family's parameter table
// turns a spec into name=value text and back without loss, and is what the
// registry lists.
//
//===----------------------------------------------------------------------===//

#include "GroupQuantParams.h"
#include "GroupedGemmParams.h"
#include "MatmulParams.h"
#include "Registry.h"
#include "SiluMulNvfp4Params.h"
#include "SiluMulQuantParams.h"
#include "TokenQuantParams.h"

#include "CompilerContext.h"

#include "tile/Pipeline/Pipeline.h"

#include "mlir/Pass/PassManager.h"

#include <gtest/gtest.h>

using namespace tile::kernels;

namespace {

/// Choice parameters that only move work within the same program (where the
/// pipeliner issues its copies), pick the instructions of the same work
/// (mma: the wgmma combinations are Kernels.WarpgroupMmaLowersWhereItApplies')
/// or which rows a program takes before the same K loop (tile_schedule: its
/// combinations run in the interpreter, KernelProperty's grouped GEMM): each
/// of their values is built with every other parameter at its default
/// (varyAlone), not in every combination, which would double or triple the
/// test's time.
bool variedAlone(const KernelParam &p) {
  return p.name == "copies_at" || p.name == "mma" || p.name == "tile_schedule";
}

void forEachCombination(const KernelEntry &k, size_t index, ParamValues &values,
                        const std::function<void(const ParamValues &)> &f) {
  if (index == k.params.size()) {
    f(values);
    return;
  }
  const KernelParam &p = k.params[index];
  if (p.choices.empty() || variedAlone(p)) {
    values[p.name] = p.defaultValue;
    forEachCombination(k, index + 1, values, f);
    return;
  }
  for (const std::string &choice : p.choices) {
    values[p.name] = choice;
    forEachCombination(k, index + 1, values, f);
  }
}

/// Each value of each variedAlone parameter, the others at their defaults.
void varyAlone(const KernelEntry &k,
               const std::function<void(const ParamValues &)> &f) {
  for (const KernelParam &p : k.params) {
    if (!variedAlone(p))
      continue;
    for (const std::string &choice : p.choices) {
      ParamValues values;
      for (const KernelParam &q : k.params)
        values[q.name] = q.defaultValue;
      values[p.name] = choice;
      f(values);
    }
  }
}

TEST(Kernels, EveryOptionBuildsVerifiesAndLowers) {
  int built = 0;
  for (const KernelEntry &k : registry()) {
    ParamValues values;
    auto buildAndLower = [&](const ParamValues &v) {
      tile::testing::CompilerContext compiler;
      mlir::MLIRContext &ctx = compiler.ctx;
      const std::string &errors = compiler.errors;
      ParamValues resolved;
      std::string error;
      ASSERT_TRUE(resolveParams(k, v, resolved, error)) << error;
      auto module = k.build(ctx, resolved);
      std::string combo;
      for (auto &[name, value] : v)
        combo += name + "=" + value + " ";
      // matmul's choices depend on each other: the combinations its spec
      // refuses must be refused, with its reason.
      if (k.name == "matmul") {
        std::string refusal =
            matmulSpecError(specFrom(matmulParams(), resolved));
        if (!refusal.empty()) {
          EXPECT_TRUE(mlir::failed(module)) << combo;
          EXPECT_NE(errors.find(refusal), std::string::npos) << errors;
          return;
        }
      }
      ASSERT_TRUE(mlir::succeeded(module)) << k.name << " " << combo << errors;
      mlir::PassManager pm(&ctx);
      mlir::tile::buildTileToLLVMPipeline(pm, {});
      ASSERT_TRUE(mlir::succeeded(pm.run(**module)))
          << k.name << " " << combo << errors;
      ++built;
    };
    forEachCombination(k, 0, values, buildAndLower);
    varyAlone(k, buildAndLower);
  }
  EXPECT_GT(built, 100);
}

/// The wgmma asm statements of a lowered module.
int countWgmma(mlir::ModuleOp module) {
  int n = 0;
  module.walk([&](mlir::Operation *op) {
    if (op->getName().getStringRef() == "llvm.inline_asm")
      if (auto text = op->getAttrOfType<mlir::StringAttr>("asm_string"))
        n += text.getValue().starts_with("wgmma.mma_async");
  });
  return n;
}

// mma=warpgroup over the combinations that decide whether wgmma applies:
// matmul's operand types and b layouts, grouped_gemm_i8's precision,
// weights, swiglu and scale schedules. Each builds and lowers; wgmma is
// there exactly where the dot qualifies (f16/bf16/int8 native with
// K-contiguous operands the pipeline copies 16 bytes at a time, and int8
// f16_exact into f32 with K rows of at most 64: widened to f16 in shared
// memory), and mma.sync everywhere else (f16_exact into i32, int4 weights,
// f16_exact with block_k 128).
TEST(Kernels, WarpgroupMmaLowersWhereItApplies) {
  struct Case {
    const char *kernel;
    ParamValues params;
    bool wgmma;
  };
  std::vector<Case> cases;
  for (const char *a : {"fp16", "bf16", "int8"})
    for (const char *b : {"kn", "nk"}) {
      bool int8 = std::string(a) == "int8";
      ParamValues v = {{"a", a}, {"b_layout", b}, {"block_k", "64"},
                       {"divisibility", "16"}, {"mma", "warpgroup"}};
      if (int8)
        v.insert({{"acc", "i32"}, {"precision", "native"}});
      // 16-bit b stored K rows of N reaches shared memory N-contiguous.
      cases.push_back({"matmul", v, std::string(b) == "nk"});
    }
  cases.push_back({"matmul",
                   {{"a", "int8"}, {"acc", "i32"}, {"precision", "f16_exact"},
                    {"b_layout", "nk"}, {"block_k", "64"},
                    {"divisibility", "16"}, {"mma", "warpgroup"}},
                   false});
  for (const char *weights : {"int8", "int4"})
    for (const char *swiglu : {"0", "1"})
      for (const char *prefetch : {"auto", "ahead", "in_group", "pipelined"})
        cases.push_back({"grouped_gemm_i8",
                         {{"precision", "native"}, {"weights", weights},
                          {"swiglu", swiglu}, {"scale_prefetch", prefetch},
                          {"mma", "warpgroup"}},
                         // int4 weights are unpacked in registers.
                         std::string(weights) == "int8"});
  // f16_exact: its int8 tiles widened into f16 buffers for an f16 wgmma
  // (int8 weights, block_k up to 64: f16 rows of at most 128 bytes).
  for (const char *weights : {"int8", "int4"})
    for (const char *swiglu : {"0", "1"})
      cases.push_back({"grouped_gemm_i8",
                       {{"weights", weights}, {"swiglu", swiglu},
                        {"mma", "warpgroup"}},
                       std::string(weights) == "int8"});
  cases.push_back({"grouped_gemm_i8",
                   {{"block_k", "128"}, {"mma", "warpgroup"}},
                   false});
  for (const Case &c : cases) {
    const KernelEntry *k = findKernel(c.kernel);
    ASSERT_TRUE(k);
    tile::testing::CompilerContext compiler;
    mlir::MLIRContext &ctx = compiler.ctx;
    const std::string &errors = compiler.errors;
    std::string combo;
    for (auto &[name, value] : c.params)
      combo += name + "=" + value + " ";
    ParamValues resolved;
    std::string error;
    ASSERT_TRUE(resolveParams(*k, c.params, resolved, error)) << error;
    auto module = k->build(ctx, resolved);
    ASSERT_TRUE(mlir::succeeded(module)) << c.kernel << " " << combo << errors;
    mlir::PassManager pm(&ctx);
    mlir::tile::buildTileToLLVMPipeline(pm, {});
    ASSERT_TRUE(mlir::succeeded(pm.run(**module)))
        << c.kernel << " " << combo << errors;
    EXPECT_EQ(countWgmma(**module) > 0, c.wgmma) << c.kernel << " " << combo;
  }
}

TEST(Kernels, RejectsBadParameters) {
  const KernelEntry *k = findKernel("group_quant");
  ASSERT_TRUE(k);
  ParamValues resolved;
  std::string error;
  EXPECT_FALSE(resolveParams(*k, {{"scales", "diagonal"}}, resolved, error));
  EXPECT_EQ(error, "parameter 'scales' of group_quant must be one of row, col, "
                   "col_tma, ue8m0_packed, got 'diagonal'");
  EXPECT_FALSE(resolveParams(*k, {{"grop", "128"}}, resolved, error));
  EXPECT_EQ(error, "group_quant has no parameter 'grop'");
  EXPECT_FALSE(resolveParams(*k, {{"group", "big"}}, resolved, error));
  EXPECT_EQ(error, "parameter 'group' of group_quant must be an integer, got 'big'");
  EXPECT_FALSE(resolveParams(*k, {{"groups_per_program", "99999999999"}}, resolved,
                             error));
  EXPECT_EQ(error, "parameter 'groups_per_program' of group_quant must fit an int, "
                   "got '99999999999'");

  tile::testing::CompilerContext compiler;
  const std::string &errors = compiler.errors;
  ASSERT_TRUE(resolveParams(*k, {{"group", "96"}}, resolved, error)) << error;
  EXPECT_TRUE(mlir::failed(k->build(compiler.ctx, resolved)));
  EXPECT_NE(errors.find("group must be 16, 32, 64, 128 or 256, got 96"),
            std::string::npos)
      << errors;
  EXPECT_EQ(findKernel("no_such_kernel"), nullptr);
}

/// paramsOf(spec) read back by specFrom gives the same text, for the spec's
/// defaults and for `changed`; the registry lists the table's names, in
/// order, with the spec's defaults.
template <typename Spec>
void expectRoundTrip(const char *kernel, const SpecParams<Spec> &table,
                     const Spec &changed) {
  for (const Spec &spec : {Spec{}, changed}) {
    ParamValues text = paramsOf(table, spec);
    EXPECT_EQ(text.size(), table.size()) << kernel;
    EXPECT_EQ(paramsOf(table, specFrom(table, text)), text) << kernel;
  }
  EXPECT_NE(paramsOf(table, changed), paramsOf(table, Spec{})) << kernel;
  const KernelEntry *k = findKernel(kernel);
  ASSERT_TRUE(k);
  ASSERT_EQ(k->params.size(), table.size()) << kernel;
  for (size_t i = 0; i < table.size(); ++i) {
    EXPECT_EQ(k->params[i].name, table[i].name) << kernel;
    EXPECT_EQ(k->params[i].defaultValue, table[i].defaultText()) << kernel;
    EXPECT_EQ(k->params[i].choices, table[i].choices) << kernel;
  }
}

TEST(Kernels, ParameterTablesRoundTrip) {
  GroupQuantSpec gq;
  gq.group = 64;
  gq.in = InType::F32;
  gq.out = OutType::INT8;
  gq.scales = ScaleLayout::ColMajorTMA;
  gq.ue8m0 = true;
  gq.eps = 0.3f;
  gq.int8Rounding = Int8Rounding::HalfAwayFrom127;
  gq.groupsPerProgram = 4;
  gq.numWarps = 1;
  expectRoundTrip("group_quant", groupQuantParams(), gq);
  EXPECT_EQ(paramsOf(groupQuantParams(), gq).at("eps"), "0.300000012");
  EXPECT_EQ(paramsOf(groupQuantParams(), gq).at("scales"), "col_tma");

  SiluMulQuantSpec smq;
  smq.masked = smq.upFirst = smq.fp32Intermediate = true;
  smq.scales = ScaleLayout::UE8M0Packed;
  smq.int8Rounding = Int8Rounding::TowardZero;
  expectRoundTrip("silu_mul_quant", siluMulQuantParams(), smq);

  TokenQuantSpec tq;
  tq.in = InType::F16;
  tq.loopK = true;
  tq.blockK = 4096;
  tq.tailK = 512;
  tq.kDivisibility = 1;
  expectRoundTrip("token_quant", tokenQuantParams(), tq);

  SiluMulNvfp4Spec nv;
  nv.upFirst = true;
  nv.expertsPerStep = 8;
  nv.numWarps = 4;
  expectRoundTrip("silu_mul_nvfp4", siluMulNvfp4Params(), nv);

  MatmulSpec mm;
  mm.operands = MatmulOperands::I8;
  mm.acc = MatmulAcc::I32;
  mm.precision = MatmulPrecision::F16Exact;
  mm.blockM = 128;
  mm.blockN = 16;
  mm.blockK = 256;
  mm.numWarps = 8;
  mm.numStages = 4;
  mm.copiesAt = CopiesAt::AfterFirstDot;
  mm.minProgramsPerSM = 2;
  mm.divisibility = 8;
  mm.bLayout = MatmulBLayout::NK;
  expectRoundTrip("matmul", matmulParams(), mm);

  GroupedGemmSpec gg;
  gg.precision = GroupedGemmPrecision::Native;
  gg.group = 320;
  gg.actScales = ActScales::Token;
  gg.out = GroupedGemmOut::F16;
  gg.swiglu = true;
  gg.blockM = 128;
  gg.blockN = 64;
  gg.blockK = 32;
  gg.numWarps = 8;
  gg.numStages = 2;
  gg.scalePrefetch = ScalePrefetch::Pipelined;
  gg.copiesAt = CopiesAt::Bottom;
  gg.minProgramsPerSM = 3;
  gg.divisibility = 4;
  expectRoundTrip("grouped_gemm_i8", groupedGemmParams(), gg);
}

} // namespace
