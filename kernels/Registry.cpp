//===- Registry.cpp - The shipped DSL kernels, by name --------------------===//

#include "Registry.h"

#include "gemm/Matmul.h"
#include "gemm/MatmulParams.h"

#include "moe/GroupedGemm.h"
#include "moe/GroupedGemmParams.h"

#include "quant/GroupQuant.h"
#include "quant/GroupQuantParams.h"
#include "quant/SiluMulNvfp4.h"
#include "quant/SiluMulNvfp4Params.h"
#include "quant/SiluMulQuant.h"
#include "quant/SiluMulQuantParams.h"
#include "quant/TokenQuant.h"
#include "quant/TokenQuantParams.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"

#include <climits>
#include <cmath>
#include <cstdlib>

using namespace mlir;

namespace tile::kernels {

/// The registry's view of a family's parameter table: the spec struct's
/// defaults, the allowed words, and whether the value is a real.
template <typename Spec>
static std::vector<KernelParam> describe(const SpecParams<Spec> &params) {
  std::vector<KernelParam> out;
  for (const SpecParam<Spec> &p : params)
    out.push_back({p.name, p.defaultText(), p.help, p.choices,
                   p.kind == ParamKind::Float});
  return out;
}

static bool checkGroup(MLIRContext &ctx, const char *kernel, int group);

static FailureOr<OwningOpRef<ModuleOp>> buildGroupQuantFrom(MLIRContext &ctx,
                                                            const ParamValues &v) {
  GroupQuantSpec spec = specFrom(groupQuantParams(), v);
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

static FailureOr<OwningOpRef<ModuleOp>>
buildSiluMulQuantFrom(MLIRContext &ctx, const ParamValues &v) {
  SiluMulQuantSpec spec = specFrom(siluMulQuantParams(), v);
  if (!checkGroup(ctx, "silu_mul_quant", spec.group))
    return failure();
  return buildSiluMulQuant(ctx, spec);
}

static FailureOr<OwningOpRef<ModuleOp>> buildTokenQuantFrom(MLIRContext &ctx,
                                                            const ParamValues &v) {
  TokenQuantSpec spec = specFrom(tokenQuantParams(), v);
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

static FailureOr<OwningOpRef<ModuleOp>>
buildSiluMulNvfp4From(MLIRContext &ctx, const ParamValues &v) {
  SiluMulNvfp4Spec spec = specFrom(siluMulNvfp4Params(), v);
  if (std::string why = siluMulNvfp4SpecError(spec); !why.empty()) {
    emitError(UnknownLoc::get(&ctx)) << "silu_mul_nvfp4: " << why;
    return failure();
  }
  return buildSiluMulNvfp4(ctx, spec);
}

static FailureOr<OwningOpRef<ModuleOp>> buildMatmulFrom(MLIRContext &ctx,
                                                        const ParamValues &v) {
  return buildMatmul(ctx, specFrom(matmulParams(), v));
}

static FailureOr<OwningOpRef<ModuleOp>>
buildGroupedGemmFrom(MLIRContext &ctx, const ParamValues &v) {
  return buildGroupedGemm(ctx, specFrom(groupedGemmParams(), v));
}

const std::vector<KernelEntry> &registry() {
  static const std::vector<KernelEntry> entries = {
      {"group_quant",
       "per-token-group quantization to fp8/int8 with fp32 or UE8M0 scales",
       describe(groupQuantParams()),
       buildGroupQuantFrom},
      {"silu_mul_quant",
       "fused SiLU-and-mul + group quantization (contiguous or masked MoE layout)",
       describe(siluMulQuantParams()),
       buildSiluMulQuantFrom},
      {"token_quant",
       "per-token quantization to fp8/int8, the whole row in registers",
       describe(tokenQuantParams()),
       buildTokenQuantFrom},
      {"silu_mul_nvfp4",
       "NVFP4 fused SiLU-and-mul expert quantization (e2m1 pairs, per-expert swizzled e4m3 scales)",
       describe(siluMulNvfp4Params()),
       buildSiluMulNvfp4From},
      {"matmul",
       "dense matrix product on the tensor cores (fp16, bf16, int8; mma.sync)",
       describe(matmulParams()),
       buildMatmulFrom},
      {"grouped_gemm_i8",
       "grouped int8 MoE GEMM: experts' rows sorted, per-group dequant "
       "(native int8 or exact f16 dot), bf16/fp16/f32 out",
       describe(groupedGemmParams()),
       buildGroupedGemmFrom},
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
    // Integer parameters are ints in the spec structs.
    if (p.choices.empty() && (number < INT_MIN || number > INT_MAX)) {
      error = "parameter '" + p.name + "' of " + kernel.name +
              " must fit an int, got '" + value + "'";
      return false;
    }
    resolved[p.name] = value;
  }
  return true;
}

} // namespace tile::kernels
