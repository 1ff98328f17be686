//===- KernelsTest.cpp - Every shipped kernel builds, for every option ----===//
//
// Builds each registered kernel for every combination of its option
// parameters (the integer ones at their defaults), verifies it and lowers it
// through the whole pipeline to the LLVM dialect for sm_90a; bad parameters
// are rejected with a message naming them.
//
//===----------------------------------------------------------------------===//

#include "Registry.h"

#include "tile/Pipeline/Pipeline.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/Pass/PassManager.h"

#include <gtest/gtest.h>

using namespace tile::kernels;

namespace {

void forEachCombination(const KernelEntry &k, size_t index, ParamValues &values,
                        const std::function<void(const ParamValues &)> &f) {
  if (index == k.params.size()) {
    f(values);
    return;
  }
  const KernelParam &p = k.params[index];
  if (p.choices.empty()) {
    values[p.name] = p.defaultValue;
    forEachCombination(k, index + 1, values, f);
    return;
  }
  for (const std::string &choice : p.choices) {
    values[p.name] = choice;
    forEachCombination(k, index + 1, values, f);
  }
}

TEST(Kernels, EveryOptionBuildsVerifiesAndLowers) {
  int built = 0;
  for (const KernelEntry &k : registry()) {
    ParamValues values;
    forEachCombination(k, 0, values, [&](const ParamValues &v) {
      mlir::DialectRegistry registry;
      mlir::tile::registerCompilerDialects(registry);
      mlir::MLIRContext ctx(registry);
      std::string errors;
      mlir::ScopedDiagnosticHandler handler(&ctx, [&](mlir::Diagnostic &d) {
        errors += d.str() + "\n";
        return mlir::success();
      });
      ParamValues resolved;
      std::string error;
      ASSERT_TRUE(resolveParams(k, v, resolved, error)) << error;
      auto module = k.build(ctx, resolved);
      std::string combo;
      for (auto &[name, value] : v)
        combo += name + "=" + value + " ";
      ASSERT_TRUE(mlir::succeeded(module)) << k.name << " " << combo << errors;
      mlir::PassManager pm(&ctx);
      mlir::tile::buildTileToLLVMPipeline(pm, {});
      ASSERT_TRUE(mlir::succeeded(pm.run(**module)))
          << k.name << " " << combo << errors;
      ++built;
    });
  }
  EXPECT_GT(built, 100);
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

  mlir::DialectRegistry registry;
  mlir::tile::registerCompilerDialects(registry);
  mlir::MLIRContext ctx(registry);
  std::string errors;
  mlir::ScopedDiagnosticHandler handler(&ctx, [&](mlir::Diagnostic &d) {
    errors += d.str();
    return mlir::success();
  });
  ASSERT_TRUE(resolveParams(*k, {{"group", "96"}}, resolved, error)) << error;
  EXPECT_TRUE(mlir::failed(k->build(ctx, resolved)));
  EXPECT_NE(errors.find("group must be 16, 32, 64, 128 or 256, got 96"),
            std::string::npos)
      << errors;
  EXPECT_EQ(findKernel("no_such_kernel"), nullptr);
}

} // namespace
