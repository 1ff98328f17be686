//===- InterpModule.cpp - tile._interp: the kernels in the interpreter ----===//
//
// The tvm-ffi module behind backend="interp": the same entry points as the
// GPU module (the same plans, so the same checks), each building its kernel
// with the DSL for the plan's spec (any parameters, not only the shipped
// variants) and running it in tile::interp on host memory. It links LLVM and
// MLIR, so it is loaded only when asked for.
//
// reference_<family>: the family's plain C++ reference (kernels/quant/*,
// kernels/moe/GroupedGemmReference.h) on the same arguments, for the tests:
// the scale tensors must then have the layout's own strides.
//
//===----------------------------------------------------------------------===//

#include "Families.h"
#include "InterpRunner.h"
#include "Views.h"

#include "GroupQuantParams.h"
#include "GroupedGemmParams.h"
#include "GroupedGemmReference.h"
#include "SiluMulNvfp4Params.h"
#include "SiluMulQuantParams.h"
#include "TokenQuantParams.h"

#include <tvm/ffi/function.h>

#include <vector>

namespace tile::python {
namespace {

using namespace kernels;

template <typename Spec>
void run(const Checker &c, const char *kernel, const SpecParams<Spec> &table,
         const Plan<Spec> &plan) {
  std::string error =
      runInInterpreter(kernel, paramsOf(table, plan.spec), plan.grid, plan.args);
  if (!error.empty())
    TVM_FFI_THROW(RuntimeError) << "tile." << c.fn << " (interp): " << error;
}

QuantOptions quantOptions(int64_t group, int64_t layout, bool ue8m0,
                          int64_t rounding, double eps) {
  return QuantOptions{group, layout, ue8m0, rounding, eps};
}

/// The reference writes the layout's own strides: refuse others.
void compactScales(Checker &c, ScaleLayout layout, const PlanArgs &args,
                   int64_t M, int64_t G, bool masked) {
  ScaleStrides ss = scaleStrides(layout, M, G);
  const char *m = masked ? "scale_stride_t" : "scale_stride_m";
  if (M > 0 && (args.value(m) != ss.strideM || args.value("scale_stride_g") != ss.strideG ||
                (masked && args.value("scale_stride_e") != ss.size)))
    c.fail("scales", "the reference needs the layout's compact strides");
}

void groupQuant(TensorView x, TensorView q, TensorView scales, int64_t group,
                int64_t layout, bool ue8m0, int64_t rounding, double eps) {
  Checker c{"group_quant", Place::Host};
  auto plan = planGroupQuant(c, x, q, scales,
                             quantOptions(group, layout, ue8m0, rounding, eps));
  run(c, "group_quant", groupQuantParams(), plan);
}

void groupQuantReference(TensorView x, TensorView q, TensorView scales,
                         int64_t group, int64_t layout, bool ue8m0,
                         int64_t rounding, double eps) {
  Checker c{"group_quant", Place::Host};
  auto plan = planGroupQuant(c, x, q, scales,
                             quantOptions(group, layout, ue8m0, rounding, eps));
  const PlanArgs &a = plan.args;
  const int64_t M = a.value("M"), K = a.value("K");
  compactScales(c, plan.spec.scales, a, M, K / group, false);
  kernels::groupQuantReference(plan.spec, a.address("x"), a.address("q"),
                               a.address("scales"), M, K, a.value("stride_x"),
                               a.value("stride_q"));
}

void tokenQuant(TensorView x, TensorView q, TensorView scales, bool ue8m0,
                int64_t rounding, double eps) {
  Checker c{"token_quant", Place::Host};
  auto plan = planTokenQuant(c, x, q, scales,
                             quantOptions(0, 0, ue8m0, rounding, eps));
  run(c, "token_quant", tokenQuantParams(), plan);
}

void tokenQuantReference(TensorView x, TensorView q, TensorView scales,
                         bool ue8m0, int64_t rounding, double eps) {
  Checker c{"token_quant", Place::Host};
  auto plan = planTokenQuant(c, x, q, scales,
                             quantOptions(0, 0, ue8m0, rounding, eps));
  const PlanArgs &a = plan.args;
  kernels::tokenQuantReference(plan.spec, a.address("x"), a.address("q"),
                               static_cast<float *>(a.address("scales")),
                               a.value("M"), a.value("K"), a.value("stride_x"),
                               a.value("stride_q"), a.value("scale_stride"));
}

void siluMulQuantCall(TensorView x, const TensorView *maskedM, TensorView q,
                      TensorView scales, int64_t group, int64_t layout,
                      bool ue8m0, int64_t rounding, double eps, bool upFirst,
                      bool fp32Intermediate, bool reference) {
  Checker c{"silu_mul_quant", Place::Host};
  auto plan = planSiluMulQuant(
      c, x, maskedM, q, scales,
      quantOptions(group, layout, ue8m0, rounding, eps), upFirst,
      fp32Intermediate);
  if (!reference) {
    run(c, "silu_mul_quant", siluMulQuantParams(), plan);
    return;
  }
  const PlanArgs &a = plan.args;
  const bool masked = maskedM != nullptr;
  const int64_t H = a.value("H"), T = a.value("T");
  const int64_t rows = masked ? a.rows : a.value("M");
  compactScales(c, plan.spec.scales, a, masked ? T : rows, H / group, masked);
  std::vector<int32_t> live;
  if (masked) {
    const int32_t *m = static_cast<const int32_t *>(a.address("masked_m"));
    live.assign(m, m + rows / T);
  }
  kernels::siluMulQuantReference(
      plan.spec, static_cast<const uint16_t *>(a.address("x")), a.address("q"),
      a.address("scales"), rows, H, a.value("stride_x"), a.value("stride_q"),
      T, live);
}

void siluMulQuant(TensorView x, TensorView q, TensorView scales, int64_t group,
                  int64_t layout, bool ue8m0, int64_t rounding, double eps,
                  bool upFirst, bool fp32Intermediate) {
  siluMulQuantCall(x, nullptr, q, scales, group, layout, ue8m0, rounding, eps,
                   upFirst, fp32Intermediate, false);
}

void siluMulQuantMasked(TensorView x, TensorView maskedM, TensorView q,
                        TensorView scales, int64_t group, int64_t layout,
                        bool ue8m0, int64_t rounding, double eps, bool upFirst,
                        bool fp32Intermediate) {
  siluMulQuantCall(x, &maskedM, q, scales, group, layout, ue8m0, rounding, eps,
                   upFirst, fp32Intermediate, false);
}

void siluMulQuantReference(TensorView x, TensorView q, TensorView scales,
                           int64_t group, int64_t layout, bool ue8m0,
                           int64_t rounding, double eps, bool upFirst,
                           bool fp32Intermediate) {
  siluMulQuantCall(x, nullptr, q, scales, group, layout, ue8m0, rounding, eps,
                   upFirst, fp32Intermediate, true);
}

void siluMulQuantMaskedReference(TensorView x, TensorView maskedM, TensorView q,
                                 TensorView scales, int64_t group,
                                 int64_t layout, bool ue8m0, int64_t rounding,
                                 double eps, bool upFirst,
                                 bool fp32Intermediate) {
  siluMulQuantCall(x, &maskedM, q, scales, group, layout, ue8m0, rounding, eps,
                   upFirst, fp32Intermediate, true);
}

void siluMulNvfp4(TensorView x, TensorView offsets, TensorView sfOffsets,
                  TensorView globalScales, TensorView q, TensorView scales,
                  bool upFirst) {
  Checker c{"silu_mul_nvfp4", Place::Host};
  auto plan = planSiluMulNvfp4(c, x, offsets, sfOffsets, globalScales, q,
                               scales, upFirst);
  run(c, "silu_mul_nvfp4", siluMulNvfp4Params(), plan);
}

void siluMulNvfp4Reference(TensorView x, TensorView offsets,
                           TensorView sfOffsets, TensorView globalScales,
                           TensorView q, TensorView scales, bool upFirst) {
  Checker c{"silu_mul_nvfp4", Place::Host};
  auto plan = planSiluMulNvfp4(c, x, offsets, sfOffsets, globalScales, q,
                               scales, upFirst);
  const PlanArgs &a = plan.args;
  const int64_t E = a.value("E");
  auto ints = [&](const char *name, int64_t n) {
    const int32_t *p = static_cast<const int32_t *>(a.address(name));
    return std::vector<int32_t>(p, p + n);
  };
  const float *gs = static_cast<const float *>(a.address("global_scales"));
  kernels::siluMulNvfp4Reference(
      plan.spec, static_cast<const uint16_t *>(a.address("x")),
      ints("offsets", E + 1), ints("sf_offsets", E + 1),
      std::vector<float>(gs, gs + E), static_cast<uint8_t *>(a.address("q")),
      static_cast<uint8_t *>(a.address("scales")), a.value("M"), a.value("K"),
      a.value("stride_x"));
}

void groupedGemm(TensorView a, TensorView groupOffsets, TensorView b,
                 TensorView sa, TensorView sb, TensorView out,
                 int64_t precision, int64_t weights, bool swiglu) {
  Checker c{"grouped_gemm_i8", Place::Host};
  auto plan = planGroupedGemm(c, a, groupOffsets, b, sa, sb, out, precision,
                              weights, swiglu);
  run(c, "grouped_gemm_i8", groupedGemmParams(), plan);
}

void groupedGemmReference(TensorView a, TensorView groupOffsets, TensorView b,
                          TensorView sa, TensorView sb, TensorView out,
                          int64_t precision, int64_t weights, bool swiglu) {
  Checker c{"grouped_gemm_i8", Place::Host};
  auto plan = planGroupedGemm(c, a, groupOffsets, b, sa, sb, out, precision,
                              weights, swiglu);
  const PlanArgs &p = plan.args;
  kernels::groupedGemmReference(
      plan.spec, static_cast<const int8_t *>(p.address("a")),
      static_cast<const int32_t *>(p.address("group_offsets")), p.value("E"),
      static_cast<const int8_t *>(p.address("b")),
      static_cast<const float *>(p.address("sa")),
      static_cast<const float *>(p.address("sb")), p.address("out"),
      p.value("M"), p.value("N"), p.value("K"), p.value("lda"), p.value("ldo"));
}

} // namespace
} // namespace tile::python

TVM_FFI_DLL_EXPORT_TYPED_FUNC(group_quant, tile::python::groupQuant);
TVM_FFI_DLL_EXPORT_TYPED_FUNC(token_quant, tile::python::tokenQuant);
TVM_FFI_DLL_EXPORT_TYPED_FUNC(silu_mul_quant, tile::python::siluMulQuant);
TVM_FFI_DLL_EXPORT_TYPED_FUNC(silu_mul_quant_masked, tile::python::siluMulQuantMasked);
TVM_FFI_DLL_EXPORT_TYPED_FUNC(silu_mul_nvfp4, tile::python::siluMulNvfp4);
TVM_FFI_DLL_EXPORT_TYPED_FUNC(grouped_gemm_i8, tile::python::groupedGemm);
TVM_FFI_DLL_EXPORT_TYPED_FUNC(reference_group_quant, tile::python::groupQuantReference);
TVM_FFI_DLL_EXPORT_TYPED_FUNC(reference_token_quant, tile::python::tokenQuantReference);
TVM_FFI_DLL_EXPORT_TYPED_FUNC(reference_silu_mul_quant, tile::python::siluMulQuantReference);
TVM_FFI_DLL_EXPORT_TYPED_FUNC(reference_silu_mul_quant_masked, tile::python::siluMulQuantMaskedReference);
TVM_FFI_DLL_EXPORT_TYPED_FUNC(reference_silu_mul_nvfp4, tile::python::siluMulNvfp4Reference);
TVM_FFI_DLL_EXPORT_TYPED_FUNC(reference_grouped_gemm_i8, tile::python::groupedGemmReference);
TVM_FFI_DLL_EXPORT_TYPED_FUNC(view_as, tile::python::viewAs);
