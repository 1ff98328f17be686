//===- KernelPropertyTest.cpp - Every kernel at its boundaries, searched --===//
//
// Property-based tests (rapidcheck): for every registry kernel that tile-run
// has a problem for, draw the problem's parameters near their boundaries
// (M of 0 to 5 and odd, K whose groups do not fill whole UE8M0 words,
// token_quant rows of any length, odd and huge row strides, every layout
// and option, eps above the groups' maxima, masked experts, empty nvfp4
// experts and padding rows), build the problem with tile-run's machinery
// (fresh random inputs from a drawn seed, outputs poisoned), run the kernel
// in the interpreter and require every output bit-exact against the C++
// reference, with nothing written outside the outputs. A failure prints the
// parameters, shrunk, and the verdicts. A second property breaks one
// parameter of a drawn problem the way KERNELS.md or tile-run's --list
// forbids and requires makeProblem to refuse it with a message naming it.
//
// The number of cases comes from RC_PARAMS (ctest sets max_success; see
// CMakeLists.txt); sizes are bounded so that the suite takes about a minute
// on a 2-core machine. Built kernels are cached by their parameters.
//
//===----------------------------------------------------------------------===//

#include "Problem.h"
#include "Registry.h"

#include "tile/Interpreter/Interpreter.h"
#include "tile/Pipeline/Pipeline.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace {

using Params = std::map<std::string, std::string>;
namespace kernels = ::tile::kernels;
namespace run = ::tile::run;
namespace interp = ::tile::interp;

//===----------------------------------------------------------------------===//
// Building and running
//===----------------------------------------------------------------------===//

/// Kernels built so far, by name and resolved parameters: a property draws
/// the same kernel parameters many times, and building costs MLIR time.
class KernelCache {
public:
  static KernelCache &get() {
    static KernelCache cache;
    return cache;
  }

  /// The module of `kernel` for `resolved`, or null with the diagnostics in
  /// `error`.
  mlir::ModuleOp module(const kernels::KernelEntry &kernel,
                        const kernels::ParamValues &resolved,
                        std::string &error) {
    std::string key = kernel.name;
    for (const auto &[name, value] : resolved)
      key += " " + name + "=" + value;
    auto it = modules.find(key);
    if (it != modules.end())
      return it->second.get();
    std::string diagnostics;
    mlir::ScopedDiagnosticHandler handler(context.get(), [&](mlir::Diagnostic &d) {
      diagnostics += d.str() + "\n";
      return mlir::success();
    });
    auto built = kernel.build(*context, resolved);
    if (mlir::failed(built)) {
      error = "cannot build " + key + ": " + diagnostics;
      return nullptr;
    }
    mlir::ModuleOp result = built->get();
    modules.emplace(key, std::move(*built));
    return result;
  }

  mlir::MLIRContext &ctx() { return *context; }

private:
  KernelCache() {
    mlir::DialectRegistry registry;
    mlir::tile::registerCompilerDialects(registry);
    context = std::make_unique<mlir::MLIRContext>(registry);
  }

  // Declared first: the modules go before their context.
  std::unique_ptr<mlir::MLIRContext> context;
  std::map<std::string, mlir::OwningOpRef<mlir::ModuleOp>> modules;
};

/// "name=value ..." of `params`.
std::string show(const Params &params) {
  std::string text;
  for (const auto &[name, value] : params)
    text += (text.empty() ? "" : " ") + name + "=" + value;
  return text;
}

/// Runs `problem` in the interpreter, as tile-run does; empty on success,
/// else the diagnostics.
std::string runInInterpreter(mlir::ModuleOp module, const std::string &name,
                             run::Problem &problem) {
  interp::Interpreter interpreter(module);
  for (run::Buffer &b : problem.buffers)
    interpreter.addBuffer(b.data.data(), b.data.size(), b.name);
  auto function = module.lookupSymbol<mlir::func::FuncOp>(name);
  if (!function)
    return "no kernel named " + name + " in the module";
  // Scalars as wide as the kernel takes them.
  std::vector<interp::Arg> args;
  for (size_t i = 0; i < problem.args.size(); ++i) {
    const run::Argument &a = problem.args[i];
    bool wide = i < function.getNumArguments() &&
                (function.getArgument(i).getType().isInteger(64) ||
                 function.getArgument(i).getType().isIndex());
    args.push_back(a.buffer >= 0 ? interp::Arg::pointer(
                                       problem.buffers[a.buffer].data.data())
                   : wide        ? interp::Arg::i64(a.value)
                                 : interp::Arg::i32(a.value));
  }
  if (problem.grid.empty())
    return "";
  std::string diagnostics;
  mlir::ScopedDiagnosticHandler handler(
      module.getContext(), [&](mlir::Diagnostic &d) {
        diagnostics += d.str() + "\n";
        return mlir::success();
      });
  if (mlir::failed(interpreter.run(
          name,
          interp::Grid{uint32_t(problem.grid.x), uint32_t(problem.grid.y)},
          args)))
    return diagnostics.empty() ? "failed without a diagnostic" : diagnostics;
  return "";
}

/// The property every valid problem has: makeProblem accepts it, the kernel
/// builds and runs in the interpreter, and every output equals the
/// reference's bit for bit with nothing written outside it.
void matchesReference(const std::string &kernel, const Params &params) {
  const uint64_t seed = *rc::gen::arbitrary<uint64_t>();
  RC_LOG() << kernel << " " << show(params) << " seed " << seed << "\n";
  run::Problem problem;
  std::string error;
  if (!run::makeProblem(kernel, params, seed, problem, error))
    RC_FAIL("makeProblem refused valid parameters: " + error);
  const kernels::KernelEntry *entry = kernels::findKernel(kernel);
  RC_ASSERT(entry != nullptr);
  kernels::ParamValues resolved;
  if (!kernels::resolveParams(*entry, problem.kernelParams, resolved, error))
    RC_FAIL("the problem's kernel parameters do not resolve: " + error);
  mlir::ModuleOp module = KernelCache::get().module(*entry, resolved, error);
  if (!module)
    RC_FAIL(error);
  std::string ran = runInInterpreter(module, kernel, problem);
  if (!ran.empty())
    RC_FAIL("the interpreter failed on " + problem.description + ":\n" + ran);
  std::vector<run::Verdict> verdicts = problem.check(problem.buffers, false);
  if (std::getenv("TILE_PROPERTY_VERBOSE"))
    std::fprintf(stderr, "%s %s: %s\n", kernel.c_str(), show(params).c_str(),
                 problem.description.c_str());
  RC_ASSERT(!verdicts.empty());
  std::string report;
  bool ok = true;
  for (const run::Verdict &v : verdicts) {
    report += "  " + v.output + ": " + (v.ok ? "OK" : "MISMATCH") + " (" +
              v.detail + ")\n";
    ok &= v.ok;
  }
  if (!ok)
    RC_FAIL(problem.description + "\n" + report);
}

//===----------------------------------------------------------------------===//
// Drawing parameters near their boundaries
//===----------------------------------------------------------------------===//

/// Rows: 0 to 5 most often, then odd counts, then counts around powers of two.
int64_t drawRows(int64_t most) {
  int64_t m = *rc::gen::weightedOneOf<int64_t>(
      {{4, rc::gen::inRange<int64_t>(0, 6)},
       {3, rc::gen::map(rc::gen::inRange<int64_t>(3, 20),
                        [](int64_t v) { return 2 * v + 1; })},
       {1, rc::gen::element<int64_t>(31, 33, 63, 65, 127, 129, 255, 257)}});
  return std::min(m, most);
}

/// A row stride for rows of `row` elements, `rows` of them: the row itself,
/// a bit above it (odd, or a multiple of 8), or huge (a few million
/// elements, odd) when there are few rows.
int64_t drawStride(int64_t row, int64_t rows) {
  int kind = rows <= 3 ? *rc::gen::weightedElement<int>(
                              {{3, 0}, {3, 1}, {2, 2}, {1, 3}})
                        : *rc::gen::weightedElement<int>({{3, 0}, {3, 1}, {2, 2}});
  switch (kind) {
  case 1:
    return (row + 2 * *rc::gen::inRange<int64_t>(0, 40) + 1) | 1;
  case 2:
    return row + 8 * *rc::gen::inRange<int64_t>(1, 20);
  case 3:
    return (row + (int64_t(1) << *rc::gen::inRange(20, 22)) + 1) | 1;
  default:
    return row;
  }
}

std::string flag() { return *rc::gen::element<std::string>("0", "1"); }

/// The options every fp8/int8 quant kernel takes, drawn: output type, int8
/// rounding, UE8M0 scales and eps (mostly the default; large ones put the
/// floor above some or all of the groups' absolute maxima, up to 2^10).
void drawQuantOptions(Params &p) {
  p["out"] = *rc::gen::element<std::string>("fp8", "int8");
  p["rounding"] = *rc::gen::element<std::string>("rtne", "rtz", "rna127");
  p["ue8m0"] = flag();
  p["eps"] = *rc::gen::weightedElement<std::string>(
      {{4, "1e-10"}, {1, "1e-6"}, {1, "0.25"}, {1, "3"}, {1, "700"}, {1, "5000"}});
}

/// The group size, and a count of groups per row (1 to 18: whole and
/// partial UE8M0 words) bounded so that `rows` rows stay under `budget`
/// elements.
std::pair<int64_t, int64_t> drawGroups(int64_t rows, int64_t budget) {
  int64_t group = *rc::gen::element<int64_t>(16, 32, 64, 128, 256);
  int64_t most = std::max<int64_t>(1, budget / (std::max<int64_t>(rows, 1) * group));
  int64_t groups = *rc::gen::inRange<int64_t>(1, std::min<int64_t>(18, most) + 1);
  return {group, groups};
}

const std::vector<std::string> kScaleLayouts = {"row", "col", "col_tma",
                                                "ue8m0_packed"};

/// The elements one case may touch: keeps the suite near a minute.
constexpr int64_t kBudget = 128 * 1024;

Params drawGroupQuant() {
  Params p;
  int64_t M = drawRows(129);
  auto [group, groups] = drawGroups(M, kBudget);
  int64_t K = group * groups;
  p["M"] = std::to_string(M);
  p["K"] = std::to_string(K);
  p["group"] = std::to_string(group);
  p["in"] = *rc::gen::element<std::string>("bf16", "fp16", "f32");
  p["scales"] = *rc::gen::elementOf(kScaleLayouts);
  drawQuantOptions(p);
  p["row_stride"] = std::to_string(drawStride(K, M));
  RC_CLASSIFY(groups % 4 != 0, "G/4 not whole");
  RC_CLASSIFY(std::stoll(p["row_stride"]) % 2 == 1, "odd stride");
  RC_CLASSIFY(M % 4 != 0, "M not a multiple of 4");
  return p;
}

Params drawTokenQuant() {
  Params p;
  int64_t M = drawRows(65);
  // Any positive K (KERNELS.md 2): tiny, odd, 1368-like, and past 16384
  // (two passes over the row), few rows of the long ones.
  int64_t K = *rc::gen::weightedOneOf<int64_t>(
      {{2, rc::gen::inRange<int64_t>(1, 70)},
       {3, rc::gen::inRange<int64_t>(70, 4200)},
       {1, rc::gen::element<int64_t>(1368, 2047, 4097, 7168, 16383, 16384,
                                     16385, 20000, 28672, 40961)}});
  if (M * K > kBudget)
    M = std::min<int64_t>(M, std::max<int64_t>(1, kBudget / K));
  p["M"] = std::to_string(M);
  p["K"] = std::to_string(K);
  p["in"] = *rc::gen::element<std::string>("bf16", "fp16", "f32");
  drawQuantOptions(p);
  p["row_stride"] = std::to_string(drawStride(K, M));
  RC_CLASSIFY(K % 4 != 0, "K not a multiple of 4");
  RC_CLASSIFY(K > 16384, "K > 16384");
  RC_CLASSIFY(std::stoll(p["row_stride"]) % 2 == 1, "odd stride");
  return p;
}

Params drawSiluMulQuant() {
  Params p;
  bool masked = *rc::gen::arbitrary<bool>();
  int64_t M;
  if (masked) {
    int64_t E = *rc::gen::inRange<int64_t>(1, 7);
    int64_t T = *rc::gen::weightedOneOf<int64_t>(
        {{3, rc::gen::inRange<int64_t>(1, 10)},
         {1, rc::gen::element<int64_t>(31, 33, 64)}});
    M = E * T;
    p["E"] = std::to_string(E);
    p["T"] = std::to_string(T);
  } else {
    M = drawRows(129);
    p["M"] = std::to_string(M);
  }
  // x has 2H per row: half the budget for H.
  auto [group, groups] = drawGroups(M, kBudget / 2);
  int64_t H = group * groups;
  p["H"] = std::to_string(H);
  p["group"] = std::to_string(group);
  p["scales"] = *rc::gen::elementOf(kScaleLayouts);
  p["up_first"] = flag();
  p["fp32_intermediate"] = flag();
  drawQuantOptions(p);
  p["row_stride"] = std::to_string(drawStride(2 * H, M));
  RC_CLASSIFY(masked, "masked");
  RC_CLASSIFY(groups % 4 != 0, "G/4 not whole");
  return p;
}

Params drawSiluMulNvfp4() {
  Params p;
  int64_t M;
  if (*rc::gen::weightedElement<bool>({{3, false}, {1, true}})) {
    // The experts' row counts given: empty ones, and counts around the
    // 128-row blocks of the per-expert scale layout.
    auto count = rc::gen::weightedOneOf<int64_t>(
        {{2, rc::gen::element<int64_t>(0, 1, 2, 3, 5, 31)},
         {1, rc::gen::element<int64_t>(127, 128, 129, 255, 256, 300)}});
    int64_t E = *rc::gen::inRange<int64_t>(1, 7);
    std::string list;
    M = 0;
    for (int64_t e = 0; e < E; ++e) {
      int64_t n = *count;
      M += n;
      list += (e ? "," : "") + std::to_string(n);
    }
    p["expert_rows"] = list;
    RC_CLASSIFY(list.find(",0") != std::string::npos || list[0] == '0',
                "an empty expert");
  } else {
    // Random splits among up to 256 experts (256 routed experts per rank is
    // a real case), most of them empty when M is small.
    int64_t E = *rc::gen::weightedOneOf<int64_t>(
        {{3, rc::gen::inRange<int64_t>(1, 9)},
         {1, rc::gen::element<int64_t>(16, 31, 64, 256)}});
    bool manyRows = *rc::gen::weightedElement<bool>({{3, false}, {1, true}});
    M = manyRows ? *rc::gen::element<int64_t>(128, 129, 200, 255, 256, 300)
                 : drawRows(129);
    p["M"] = std::to_string(M);
    p["E"] = std::to_string(E);
    RC_CLASSIFY(E > M, "more experts than rows");
  }
  // Rows past the last expert (a padded CUDA-graph batch).
  int64_t pad = *rc::gen::weightedOneOf<int64_t>(
      {{3, rc::gen::just<int64_t>(0)}, {1, rc::gen::inRange<int64_t>(1, 6)}});
  if (p.count("expert_rows"))
    M += pad;
  else
    pad = std::min(pad, M);
  p["pad_rows"] = std::to_string(pad);
  // K/16 blocks: 1 to 40 (partial 4-block scale words, partial 64-column
  // groups), bounded by the budget (x has 2K per row).
  int64_t most = std::max<int64_t>(1, kBudget / 2 / (16 * std::max<int64_t>(M, 1)));
  int64_t blocks = *rc::gen::inRange<int64_t>(1, std::min<int64_t>(40, most) + 1);
  int64_t K = 16 * blocks;
  p["K"] = std::to_string(K);
  p["up_first"] = flag();
  p["row_stride"] = std::to_string(drawStride(2 * K, M));
  // Rows in chunks of a few blocks (programs of one row) or whole.
  std::string chunk = *rc::gen::element<std::string>("4", "8", "128");
  p["blocks_per_program"] = chunk;
  RC_CLASSIFY(blocks > std::stoi(chunk), "chunks of a row");
  RC_CLASSIFY(pad > 0, "padding rows");
  RC_CLASSIFY(blocks % 4 != 0, "K/16 not a multiple of 4");
  return p;
}

/// matmul: every operand/accumulator/precision combination and both b
/// layouts, M, N, K from 1 up, around the 64-wide tiles and the int8 K step
/// of 64, padded rows.
Params drawMatmul() {
  Params p;
  static const std::vector<std::vector<std::string>> kCombos = {
      {"fp16", "f32", "ieee"}, {"fp16", "f16", "ieee"},
      {"bf16", "f32", "ieee"}, {"int8", "i32", "native"},
      {"int8", "i32", "f16_exact"}};
  std::vector<std::string> combo = *rc::gen::elementOf(kCombos);
  p["a"] = combo[0];
  p["acc"] = combo[1];
  p["precision"] = combo[2];
  auto extent = rc::gen::weightedOneOf<int64_t>(
      {{3, rc::gen::inRange<int64_t>(1, 40)},
       {2, rc::gen::element<int64_t>(15, 16, 17, 31, 63, 64, 65, 127, 128, 129)},
       {1, rc::gen::inRange<int64_t>(40, 200)}});
  int64_t M = *extent, N = *extent, K = *extent;
  p["M"] = std::to_string(M);
  p["N"] = std::to_string(N);
  p["K"] = std::to_string(K);
  auto pad = rc::gen::element<int64_t>(0, 0, 1, 8, 13);
  const bool nk = *rc::gen::arbitrary<bool>();
  p["b_layout"] = nk ? "nk" : "kn";
  p["lda"] = std::to_string(K + *pad);
  p["ldb"] = std::to_string((nk ? K : N) + *pad);
  p["ldc"] = std::to_string(N + *pad);
  RC_CLASSIFY(K % 64 != 0, "ragged K");
  RC_CLASSIFY(nk, "b as N rows of K");
  return p;
}

/// grouped_gemm_i8: 1 to 5 experts with empty ones and small odd row
/// counts, padding rows past the last expert, N around the tile edges,
/// K of 1 to 3 groups of 32, 64, 96 or 320, every option (int8 and int4
/// weights, the SwiGLU epilogue, the column halves of n_split, two groups
/// a step) and small tiles.
Params drawGroupedGemm() {
  Params p;
  int64_t E = *rc::gen::inRange<int64_t>(1, 6);
  auto count = rc::gen::weightedOneOf<int64_t>(
      {{2, rc::gen::just<int64_t>(0)},
       {3, rc::gen::map(rc::gen::inRange<int64_t>(0, 20),
                        [](int64_t v) { return 2 * v + 1; })},
       {1, rc::gen::inRange<int64_t>(0, 41)}});
  std::string list;
  bool empty = false;
  for (int64_t e = 0; e < E; ++e) {
    int64_t n = *count;
    empty |= n == 0;
    list += (e ? "," : "") + std::to_string(n);
  }
  p["counts"] = list;
  p["pad_rows"] = std::to_string(*rc::gen::weightedElement<int64_t>(
      {{3, 0}, {1, 1}, {1, 3}}));
  int64_t N = *rc::gen::weightedOneOf<int64_t>(
      {{2, rc::gen::inRange<int64_t>(1, 201)},
       {2, rc::gen::element<int64_t>(1, 15, 16, 17, 31, 33, 63, 64, 65, 127,
                                     128, 129, 200)}});
  int64_t group = *rc::gen::weightedElement<int64_t>(
      {{3, 32}, {3, 64}, {2, 96}, {1, 320}});
  int64_t K = group * *rc::gen::inRange<int64_t>(1, group == 320 ? 2 : 4);
  p["N"] = std::to_string(N);
  p["K"] = std::to_string(K);
  p["group"] = std::to_string(group);
  p["block_k"] = group % 64 == 0 ? *rc::gen::element<std::string>("32", "64")
                                 : "32";
  p["block_m"] = *rc::gen::element<std::string>("16", "32", "64");
  p["block_n"] = *rc::gen::element<std::string>("16", "32", "64", "128");
  p["precision"] = *rc::gen::element<std::string>("native", "f16_exact");
  // The tile's columns as one dot or two halves (0: the auto rule).
  p["act_scales"] = *rc::gen::element<std::string>("token", "token_group");
  p["out"] = *rc::gen::element<std::string>("bf16", "fp16", "f32");
  p["weights"] = *rc::gen::element<std::string>("int8", "int4");
  const bool swiglu = *rc::gen::element(false, true);
  p["swiglu"] = swiglu ? "1" : "0";
  p["n_split"] = swiglu || p["block_n"] == "16"
                     ? *rc::gen::element<std::string>("0", "1")
                     : *rc::gen::element<std::string>("0", "1", "2");
  // Two quant groups an iteration (the second masked off past an odd
  // count), where a group is written out in the body (at most 4 K tiles).
  p["groups_per_step"] =
      group / std::stoi(p["block_k"]) <= 4
          ? *rc::gen::element<std::string>("1", "2")
          : "1";
  // Tiles of the global rows or within one expert each.
  p["tile_schedule"] = *rc::gen::element<std::string>("rows", "experts");
  // int4: pairs along N; swiglu: [gate | up] halves.
  if ((p["weights"] == "int4" || swiglu) && N % 2 != 0)
    p["N"] = std::to_string(N += 1);
  auto pad = rc::gen::element<int64_t>(0, 0, 1, 16, 13);
  p["lda"] = std::to_string(K + *pad);
  p["ldo"] = std::to_string((swiglu ? N / 2 : N) + *pad);
  RC_CLASSIFY(empty, "an empty expert");
  RC_CLASSIFY(N % 16 != 0, "ragged N");
  RC_CLASSIFY(swiglu, "swiglu");
  RC_CLASSIFY(swiglu && (N / 2) % 2 != 0, "swiglu with N/2 odd");
  RC_CLASSIFY(p["n_split"] == "2", "two column halves");
  RC_CLASSIFY(p["tile_schedule"] == "experts", "tiles within experts");
  RC_CLASSIFY(p["groups_per_step"] == "2" && (K / group) % 2 != 0,
              "two groups a step, an odd count");
  return p;
}

//===----------------------------------------------------------------------===//
// The properties
//===----------------------------------------------------------------------===//

RC_GTEST_PROP(KernelProperty, GroupQuantMatchesReference, ()) {
  matchesReference("group_quant", drawGroupQuant());
}

RC_GTEST_PROP(KernelProperty, TokenQuantMatchesReference, ()) {
  matchesReference("token_quant", drawTokenQuant());
}

RC_GTEST_PROP(KernelProperty, SiluMulQuantMatchesReference, ()) {
  matchesReference("silu_mul_quant", drawSiluMulQuant());
}

RC_GTEST_PROP(KernelProperty, SiluMulNvfp4MatchesReference, ()) {
  matchesReference("silu_mul_nvfp4", drawSiluMulNvfp4());
}

RC_GTEST_PROP(KernelProperty, MatmulMatchesReference, ()) {
  matchesReference("matmul", drawMatmul());
}

RC_GTEST_PROP(KernelProperty, GroupedGemmMatchesReference, ()) {
  matchesReference("grouped_gemm_i8", drawGroupedGemm());
}

/// Every kernel of the registry with a tile-run problem has a property above.
TEST(KernelProperty, EveryProblemKernelIsSearched) {
  const std::vector<std::string> searched = {"group_quant", "token_quant",
                                             "silu_mul_quant", "silu_mul_nvfp4",
                                             "matmul", "grouped_gemm_i8"};
  for (const kernels::KernelEntry &k : kernels::registry()) {
    if (run::problemParams(k.name).empty())
      continue;
    EXPECT_NE(std::find(searched.begin(), searched.end(), k.name),
              searched.end())
        << k.name << " has a tile-run problem but no property here";
  }
  for (const std::string &name : searched)
    EXPECT_FALSE(run::problemParams(name).empty()) << name;
}

/// tile-run's grouped_gemm_i8 problem reads the kernel's parameters itself
/// (into a GroupedGemmSpec, refusing a name its table lacks), so its table
/// repeats them: a kernel parameter missing there is refused by tile-run
/// (groups_per_step was, until the table had it). `divisibility` is the one
/// tile-run derives instead, from the problem's sizes and strides. (The
/// other kernels' problems pass kernel parameters through to the kernel.)
TEST(KernelProperty, GroupedGemmProblemTakesEveryKernelParameter) {
  const kernels::KernelEntry *k = kernels::findKernel("grouped_gemm_i8");
  ASSERT_NE(k, nullptr);
  const std::vector<run::ProblemParam> &problem = run::problemParams(k->name);
  for (const auto &param : k->params)
    EXPECT_TRUE(param.name == "divisibility" ||
                std::any_of(problem.begin(), problem.end(),
                            [&](const run::ProblemParam &p) {
                              return p.name == param.name;
                            }))
        << "grouped_gemm_i8's parameter " << param.name
        << " is not in tile-run's problem table";
}

/// One way to break a valid problem: the parameter, and its new value.
struct Breakage {
  std::string param;
  std::string value;
};

void showValue(const Breakage &b, std::ostream &os) {
  os << b.param << "=" << b.value;
}

/// A drawn grouped_gemm_i8 problem broken one way (KERNELS.md section 5
/// and --list): makeProblem must refuse it, naming the parameter.
void refusesBrokenGroupedGemm() {
  Params p = drawGroupedGemm();
  auto integer = [&](const std::string &name) { return std::stoll(p.at(name)); };
  auto some = [](auto... values) {
    return *rc::gen::element<std::string>(values...);
  };
  const int64_t group = integer("group"), K = integer("K"), N = integer("N");
  const bool swiglu = p.at("swiglu") == "1";
  std::vector<Breakage> ways = {
      {"K", std::to_string(K + *rc::gen::inRange<int64_t>(1, group))},
      {"K", some("0", "-64")},
      {"N", some("0", "-1")},
      {"group", some("0", "-32", "48", "100")},
      {"block_k", some("16", "48", "2048")},
      {"block_m", some("8", "48", "512")},
      {"counts", some("1,,2", "x", "3,-1", "1;2", "")},
      {"E", some("0", "-1")},
      {"lda", std::to_string(K - 1)},
      {"ldo", std::to_string((swiglu ? N / 2 : N) - 1)},
      {"swiglu", some("2", "yes", "-1", "")},
      {"precision", some("ieee", "f16", "")},
      {"act_scales", some("group", "row")},
      {"out", some("fp8", "i32", "bf8")},
      {"weights", some("int2", "uint4", "")},
      {"pad_rows", "-1"},
      {"nonsense", "1"},
  };
  if (swiglu) // [gate | up] halves need N even
    ways.push_back({"N", std::to_string(N + 1)});
  Breakage b = *rc::gen::elementOf(ways);
  if (b.param == "E") // E only counts with random counts
    p.erase("counts");
  if (b.param == "block_k" && b.value == "2048")
    p["group"] = "4096"; // f16_exact or not, block_k stays <= 1024
  p[b.param] = b.value;
  RC_LOG() << "grouped_gemm_i8 " << show(p) << "\n";
  run::Problem problem;
  std::string error;
  if (run::makeProblem("grouped_gemm_i8", p, 1, problem, error))
    RC_FAIL("grouped_gemm_i8 accepted " + b.param + "=" + b.value);
  if (error.find(b.param) == std::string::npos)
    RC_FAIL("the refusal of " + b.param + "=" + b.value +
            " does not name it: '" + error + "'");
}

/// Draws a valid problem of a kernel, breaks one parameter the way
/// KERNELS.md or tile-run's --list forbids, and requires makeProblem to
/// refuse it with a message naming that parameter (tile-run's contract: bad
/// parameters are named before anything runs).
RC_GTEST_PROP(KernelProperty, InvalidParametersAreRefusedByName, ()) {
  std::string kernel = *rc::gen::element<std::string>(
      "group_quant", "token_quant", "silu_mul_quant", "silu_mul_nvfp4",
      "grouped_gemm_i8");
  if (kernel == "grouped_gemm_i8") {
    refusesBrokenGroupedGemm();
    return;
  }
  Params p = kernel == "group_quant"      ? drawGroupQuant()
             : kernel == "token_quant"    ? drawTokenQuant()
             : kernel == "silu_mul_quant" ? drawSiluMulQuant()
                                          : drawSiluMulNvfp4();
  auto integer = [&](const std::string &name) { return std::stoll(p.at(name)); };
  auto some = [](auto... values) {
    return *rc::gen::element<std::string>(values...);
  };
  const bool nvfp4 = kernel == "silu_mul_nvfp4";
  const bool masked = p.count("T") != 0;
  const bool listed = p.count("expert_rows") != 0;
  std::vector<Breakage> ways = {
      // Not an integer, out of range, and an unknown parameter.
      {"row_stride", some("12x", "", "0x40", "99999999999999999999")},
      {"row_stride", some("2147483648", "4294967297")},
      {"nonsense", "1"},
      {"up_first", some("2", "yes", "-1")},
  };
  if (!nvfp4) {
    ways.push_back({"out", some("fp4", "FP8", "e5m2")});
    ways.push_back({"rounding", some("up", "rne", "")});
    ways.push_back({"ue8m0", some("2", "true")});
    ways.push_back({"eps", some("0", "-1e-10", "nan", "inf", "1e-10x", "")});
  }
  if (kernel == "group_quant" || kernel == "token_quant")
    ways.push_back({"in", some("bf8", "fp32", "int8")});
  if (kernel == "silu_mul_quant")
    ways.push_back({"in", some("fp16", "f32")});
  if (kernel == "group_quant" || kernel == "silu_mul_quant") {
    std::string width = kernel == "group_quant" ? "K" : "H";
    int64_t group = integer("group");
    // A row that the group does not divide; a group outside the set.
    int64_t off = *rc::gen::inRange<int64_t>(1, group);
    ways.push_back({width, std::to_string(integer(width) + off)});
    ways.push_back(
        {"group", std::to_string(*rc::gen::element<int64_t>(0, 8, 48, 96, 512, -128))});
    ways.push_back({"scales", some("rows", "tma", "ue8m0")});
  }
  if (kernel != "silu_mul_quant")
    ways.push_back({"K", some("0", "-16")});
  if (!masked && !listed)
    ways.push_back({"M", std::to_string(-*rc::gen::inRange<int64_t>(1, 5))});
  // A row stride below the row.
  int64_t row = kernel == "group_quant" || kernel == "token_quant"
                    ? integer("K")
                : kernel == "silu_mul_quant" ? 2 * integer("H")
                                             : 2 * integer("K");
  if (row > 1)
    ways.push_back(
        {"row_stride", std::to_string(*rc::gen::inRange<int64_t>(1, row))});
  if (kernel == "silu_mul_quant") {
    ways.push_back({"fp32_intermediate", some("2", "on")});
    if (masked)
      ways.push_back({*rc::gen::element<std::string>("E", "T"), some("0", "-2")});
  }
  if (nvfp4) {
    ways.push_back({"K", std::to_string(integer("K") + 8)});
    if (listed) {
      ways.push_back({"expert_rows", some("1,,2", "x", "3,-1", "1;2")});
    } else {
      ways.push_back({"E", some("0", "-1")});
      ways.push_back({"pad_rows", std::to_string(integer("M") + 1)});
    }
    ways.push_back({"pad_rows", "-1"});
  }
  Breakage b = *rc::gen::elementOf(ways);
  p[b.param] = b.value;
  RC_LOG() << kernel << " " << show(p) << "\n";
  run::Problem problem;
  std::string error;
  bool made = run::makeProblem(kernel, p, 1, problem, error);
  if (made)
    RC_FAIL(kernel + " accepted " + b.param + "=" + b.value);
  if (error.find(b.param) == std::string::npos)
    RC_FAIL("the refusal of " + b.param + "=" + b.value +
            " does not name it: '" + error + "'");
}

} // namespace
