//===- Registry.cpp - The shipped DSL kernels, by name --------------------===//

#include "Registry.h"

#include "quant/GroupQuant.h"
#include "quant/SiluMulQuant.h"
#include "quant/TokenQuant.h"
#include "quant/SiluMulNvfp4.h"

#include "llvm/ADT/STLExtras.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include "llvm/ADT/StringExtras.h"

using namespace mlir;

namespace tile::kernels {

static int integer(const ParamValues &v, const std::string &name) {
  return std::stoi(v.at(name));
}

static float real(const ParamValues &v, const std::string &name) {
  return std::strtof(v.at(name).c_str(), nullptr);
}

static InType inType(const std::string &s) {
  return s == "bf16" ? InType::BF16 : s == "fp16" ? InType::F16 : InType::F32;
}

static Int8Rounding int8Rounding(const std::string &s) {
  return s == "rtz"      ? Int8Rounding::TowardZero
         : s == "rna127" ? Int8Rounding::HalfAwayFrom127
                         : Int8Rounding::NearestEven;
}

static ScaleLayout scaleLayout(const std::string &s) {
  return s == "row"   ? ScaleLayout::RowMajor
         : s == "col" ? ScaleLayout::ColMajor
         : s == "col_tma" ? ScaleLayout::ColMajorTMA
                          : ScaleLayout::UE8M0Packed;
}

GroupQuantSpec groupQuantSpecFrom(const ParamValues &v) {
  GroupQuantSpec spec;
  spec.group = integer(v, "group");
  spec.in = inType(v.at("in"));
  spec.out = v.at("out") == "fp8" ? OutType::FP8 : OutType::INT8;
  spec.scales = scaleLayout(v.at("scales"));
  spec.ue8m0 = v.at("ue8m0") == "1";
  spec.eps = real(v, "eps");
  spec.groupsPerProgram = integer(v, "groups_per_program");
  spec.strideDivisibility = integer(v, "stride_divisibility");
  spec.numWarps = integer(v, "num_warps");
  spec.int8Rounding = int8Rounding(v.at("rounding"));
  return spec;
}

static bool checkGroup(MLIRContext &ctx, const char *kernel, int group);

static FailureOr<OwningOpRef<ModuleOp>> buildGroupQuantFrom(MLIRContext &ctx,
                                                            const ParamValues &v) {
  GroupQuantSpec spec = groupQuantSpecFrom(v);
  if (!checkGroup(ctx, "group_quant", spec.group))
    return failure();
  return buildGroupQuant(ctx, spec);
}

static bool checkGroup(MLIRContext &ctx, const char *kernel, int group) {
  if (llvm::is_contained({16, 32, 64, 128, 256}, group))
    return true;
  emitError(UnknownLoc::get(&ctx))
      << kernel << ": group must be 16, 32, 64, 128 or 256, got " << group;
  return false;
}

SiluMulQuantSpec siluMulQuantSpecFrom(const ParamValues &v) {
  SiluMulQuantSpec spec;
  spec.group = integer(v, "group");
  spec.out = v.at("out") == "fp8" ? OutType::FP8 : OutType::INT8;
  spec.scales = scaleLayout(v.at("scales"));
  spec.ue8m0 = v.at("ue8m0") == "1";
  spec.upFirst = v.at("up_first") == "1";
  spec.fp32Intermediate = v.at("fp32_intermediate") == "1";
  spec.masked = v.at("masked") == "1";
  spec.eps = real(v, "eps");
  spec.groupsPerProgram = integer(v, "groups_per_program");
  spec.strideDivisibility = integer(v, "stride_divisibility");
  spec.numWarps = integer(v, "num_warps");
  spec.int8Rounding = int8Rounding(v.at("rounding"));
  return spec;
}

static FailureOr<OwningOpRef<ModuleOp>>
buildSiluMulQuantFrom(MLIRContext &ctx, const ParamValues &v) {
  SiluMulQuantSpec spec = siluMulQuantSpecFrom(v);
  if (!checkGroup(ctx, "silu_mul_quant", spec.group))
    return failure();
  return buildSiluMulQuant(ctx, spec);
}

TokenQuantSpec tokenQuantSpecFrom(const ParamValues &v) {
  TokenQuantSpec spec;
  spec.in = inType(v.at("in"));
  spec.out = v.at("out") == "fp8" ? OutType::FP8 : OutType::INT8;
  spec.ue8m0 = v.at("ue8m0") == "1";
  spec.blockK = integer(v, "block_k");
  spec.tailK = integer(v, "tail_k");
  spec.loopK = v.at("loop_k") == "1";
  spec.eps = real(v, "eps");
  spec.rowsPerProgram = integer(v, "rows_per_program");
  spec.kDivisibility = integer(v, "k_divisibility");
  spec.numWarps = integer(v, "num_warps");
  spec.int8Rounding = int8Rounding(v.at("rounding"));
  return spec;
}

static FailureOr<OwningOpRef<ModuleOp>> buildTokenQuantFrom(MLIRContext &ctx,
                                                            const ParamValues &v) {
  TokenQuantSpec spec = tokenQuantSpecFrom(v);
  auto pow2 = [](int n) { return n > 0 && (n & (n - 1)) == 0; };
  if (!pow2(spec.blockK) || spec.blockK > 16384 || !pow2(spec.rowsPerProgram) ||
      !pow2(spec.kDivisibility)) {
    emitError(UnknownLoc::get(&ctx))
        << "token_quant: block_k (<= 16384), rows_per_program and "
           "k_divisibility must be powers of two";
    return failure();
  }
  if (spec.loopK && spec.tailK != 0) {
    emitError(UnknownLoc::get(&ctx))
        << "token_quant: loop_k takes no tail_k (the loop covers any K)";
    return failure();
  }
  if (spec.tailK != 0 && (!pow2(spec.tailK) || spec.tailK >= spec.blockK)) {
    emitError(UnknownLoc::get(&ctx))
        << "token_quant: tail_k must be 0 or a power of two below block_k";
    return failure();
  }
  return buildTokenQuant(ctx, spec);
}

SiluMulNvfp4Spec siluMulNvfp4SpecFrom(const ParamValues &v) {
  SiluMulNvfp4Spec spec;
  spec.upFirst = v.at("up_first") == "1";
  spec.blocksPerProgram = integer(v, "blocks_per_program");
  spec.expertsPerStep = integer(v, "experts_per_step");
  spec.strideDivisibility = integer(v, "stride_divisibility");
  spec.numWarps = integer(v, "num_warps");
  return spec;
}

static FailureOr<OwningOpRef<ModuleOp>>
buildSiluMulNvfp4From(MLIRContext &ctx, const ParamValues &v) {
  SiluMulNvfp4Spec spec = siluMulNvfp4SpecFrom(v);
  auto pow2 = [](int n) { return n > 0 && (n & (n - 1)) == 0; };
  if (!pow2(spec.blocksPerProgram) || !pow2(spec.expertsPerStep)) {
    emitError(UnknownLoc::get(&ctx))
        << "silu_mul_nvfp4: blocks_per_program and experts_per_step must be "
           "powers of two";
    return failure();
  }
  return buildSiluMulNvfp4(ctx, spec);
}

/// A parameter's default as the registry lists it: the spec struct's own
/// default, so that the two cannot disagree.
static std::string text(int v) { return std::to_string(v); }
static std::string text(unsigned v) { return std::to_string(v); }
static std::string text(bool v) { return v ? "1" : "0"; }
static std::string text(float v) {
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "%g", double(v));
  return buffer;
}

/// KERNELS.md: "eps default 1e-10, a parameter of every quant kernel".
static KernelParam epsParam(float fallback) {
  return {"eps", text(fallback),
          "absmax floor: absmax = max(max |x|, eps) (a positive number)", {}, true};
}

const std::vector<KernelEntry> &registry() {
  static const std::vector<KernelEntry> entries = {
      {"group_quant",
       "per-token-group quantization to fp8/int8 with fp32 or UE8M0 scales",
       {{"group", text(GroupQuantSpec{}.group), "elements per group (16..256, a power of two)", {}},
        {"in", "bf16", "input type", {"bf16", "fp16", "f32"}},
        {"out", "fp8", "output type", {"fp8", "int8"}},
        {"rounding", "rtne", "int8 rounding: nearest even; toward zero (sglang); half away from zero into [-127, 127] (mojo_opset)", {"rtne", "rtz", "rna127"}},
        {"scales", "row", "scale layout", {"row", "col", "col_tma", "ue8m0_packed"}},
        {"ue8m0", text(GroupQuantSpec{}.ue8m0), "round scales up to powers of two", {"0", "1"}},
        epsParam(GroupQuantSpec{}.eps),
        {"groups_per_program", text(GroupQuantSpec{}.groupsPerProgram), "groups per program (0: 1024 elements)", {}},
        {"stride_divisibility", text(GroupQuantSpec{}.strideDivisibility), "a power of two dividing the row strides", {}},
        {"num_warps", text(GroupQuantSpec{}.numWarps), "warps per program", {}}},
       buildGroupQuantFrom},
      {"silu_mul_quant",
       "fused SiLU-and-mul + group quantization (contiguous or masked MoE layout)",
       {{"group", text(SiluMulQuantSpec{}.group), "elements per group (16..256, a power of two)", {}},
        {"out", "fp8", "output type", {"fp8", "int8"}},
        {"rounding", "rtne", "int8 rounding: nearest even; toward zero (sglang); half away from zero into [-127, 127] (mojo_opset)", {"rtne", "rtz", "rna127"}},
        {"scales", "row", "scale layout", {"row", "col", "col_tma", "ue8m0_packed"}},
        {"ue8m0", text(SiluMulQuantSpec{}.ue8m0), "round scales up to powers of two", {"0", "1"}},
        {"up_first", text(SiluMulQuantSpec{}.upFirst), "x holds [up | gate] (TensorRT-LLM) instead of [gate | up]", {"0", "1"}},
        {"fp32_intermediate", text(SiluMulQuantSpec{}.fp32Intermediate), "keep y = silu(gate) * up in fp32", {"0", "1"}},
        {"masked", text(SiluMulQuantSpec{}.masked), "x [E, T, 2H] with masked_m [E]", {"0", "1"}},
        epsParam(SiluMulQuantSpec{}.eps),
        {"groups_per_program", text(SiluMulQuantSpec{}.groupsPerProgram), "groups per program (0: 1024 elements)", {}},
        {"stride_divisibility", text(SiluMulQuantSpec{}.strideDivisibility), "a power of two dividing the row strides", {}},
        {"num_warps", text(SiluMulQuantSpec{}.numWarps), "warps per program", {}}},
       buildSiluMulQuantFrom},
      {"token_quant",
       "per-token quantization to fp8/int8, the whole row in registers",
       {{"in", "bf16", "input type", {"bf16", "fp16", "f32"}},
        {"out", "fp8", "output type", {"fp8", "int8"}},
        {"rounding", "rtne", "int8 rounding: nearest even; toward zero (sglang); half away from zero into [-127, 127] (mojo_opset)", {"rtne", "rtz", "rna127"}},
        {"ue8m0", text(TokenQuantSpec{}.ue8m0), "round scales up to powers of two", {"0", "1"}},
        epsParam(TokenQuantSpec{}.eps),
        {"block_k", text(TokenQuantSpec{}.blockK), "the tile's row length, a power of two >= K - tail_k (<= 16384), or the chunk with loop_k", {}},
        {"loop_k", text(TokenQuantSpec{}.loopK), "rows of any length in block_k chunks, read twice (absmax, then quantize)", {"0", "1"}},
        {"tail_k", text(TokenQuantSpec{}.tailK), "0, or a second tile of this width (a power of two < block_k) for columns from block_k on: K = 1368 as 1024 + 512", {}},
        {"rows_per_program", text(TokenQuantSpec{}.rowsPerProgram), "rows per program (a power of two)", {}},
        {"k_divisibility", text(TokenQuantSpec{}.kDivisibility), "a power of two dividing K and the row strides", {}},
        {"num_warps", text(TokenQuantSpec{}.numWarps), "warps per program", {}}},
       buildTokenQuantFrom},
      {"silu_mul_nvfp4",
       "NVFP4 fused SiLU-and-mul expert quantization (e2m1 pairs, per-expert swizzled e4m3 scales)",
       {{"up_first", text(SiluMulNvfp4Spec{}.upFirst), "x holds [up | gate] instead of [gate | up]", {"0", "1"}},
        {"blocks_per_program", text(SiluMulNvfp4Spec{}.blocksPerProgram), "blocks of 16 per program (a power of two)", {}},
        {"experts_per_step", text(SiluMulNvfp4Spec{}.expertsPerStep), "expert offsets the row's expert search reads per step (a power of two; any expert count works)", {}},
        {"stride_divisibility", text(SiluMulNvfp4Spec{}.strideDivisibility), "a power of two dividing the row stride", {}},
        {"num_warps", text(SiluMulNvfp4Spec{}.numWarps), "warps per program", {}}},
       buildSiluMulNvfp4From},
  };
  return entries;
}

const KernelEntry *findKernel(const std::string &name) {
  for (const KernelEntry &k : registry())
    if (k.name == name)
      return &k;
  return nullptr;
}

bool resolveParams(const KernelEntry &kernel, const ParamValues &given,
                   ParamValues &resolved, std::string &error) {
  resolved.clear();
  for (const auto &[name, value] : given) {
    auto it = llvm::find_if(kernel.params,
                            [&](const KernelParam &p) { return p.name == name; });
    if (it == kernel.params.end()) {
      error = kernel.name + " has no parameter '" + name + "'";
      return false;
    }
  }
  for (const KernelParam &p : kernel.params) {
    auto it = given.find(p.name);
    std::string value = it == given.end() ? p.defaultValue : it->second;
    if (!p.choices.empty() && !llvm::is_contained(p.choices, value)) {
      error = "parameter '" + p.name + "' of " + kernel.name + " must be one of " +
              llvm::join(p.choices, ", ") + ", got '" + value + "'";
      return false;
    }
    if (p.isFloat) {
      char *end = nullptr;
      double number = std::strtod(value.c_str(), &end);
      if (value.empty() || *end || !std::isfinite(number) || !(number > 0) ||
          !std::isfinite(float(number)) || float(number) == 0.0f) {
        error = "parameter '" + p.name + "' of " + kernel.name +
                " must be a finite positive number, got '" + value + "'";
        return false;
      }
      resolved[p.name] = value;
      continue;
    }
    long long number;
    if (p.choices.empty() && llvm::StringRef(value).getAsInteger(10, number)) {
      error = "parameter '" + p.name + "' of " + kernel.name +
              " must be an integer, got '" + value + "'";
      return false;
    }
    resolved[p.name] = value;
  }
  return true;
}

} // namespace tile::kernels
