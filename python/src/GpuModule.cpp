//===- GpuModule.cpp - tile._gpu: the shipped kernels on the GPU ----------===//
//
// The tvm-ffi module the Python package launches the GPU kernels through. It
// links tile::rt and the AOT-compiled variants (GpuVariants.inc, generated
// from python/GpuVariants.cmake), and nothing of LLVM. Each entry point
// checks its call (the family's plan), finds the compiled variant of the
// plan's spec (or of a fallback), and launches it on the caller's current
// stream as tvm-ffi's environment gives it (torch's current stream when
// torch tensors are passed): no torch call per launch.
//
// Each launch runs in the primary context of its tensors' device (the one
// PyTorch uses for cuda:N), made current for the launch with a
// tile::rt::DeviceGuard, which costs one cuCtxGetCurrent when it is current
// already, and the caller's context current again afterwards.
//
//===----------------------------------------------------------------------===//

#include "Families.h"

#include "GroupQuantParams.h"
#include "GroupedGemmParams.h"
#include "SiluMulNvfp4Params.h"
#include "SiluMulQuantParams.h"
#include "TokenQuantParams.h"

#include "tile/Runtime/Runtime.h"

#include <tvm/ffi/extra/c_env_api.h>
#include <tvm/ffi/function.h>
#include <tvm/ffi/string.h>

#include "Views.h"

#include GPU_VARIANTS_INC

#include <chrono>
#include <map>
#include <mutex>
#include <sstream>
#include <vector>

namespace tile::python {
namespace {

using namespace kernels;
using KernelGetter = const rt::Result<rt::Kernel> &(*)();

/// One shipped variant, as GpuVariants.inc lists it.
struct VariantEntry {
  const char *family;
  const char *params; ///< "name=value ..." as given to tile_aot_kernel
  KernelGetter kernel;
};

const VariantEntry kVariants[] = {TILE_PYTHON_GPU_VARIANTS};

/// The variants of one family with their specs (defaults filled in).
template <typename Spec> struct Variants {
  std::vector<std::pair<Spec, KernelGetter>> items;
  Variants(const char *family, const SpecParams<Spec> &table) {
    for (const VariantEntry &v : kVariants) {
      if (std::string(v.family) != family)
        continue;
      std::map<std::string, std::string> values;
      std::istringstream words(v.params);
      std::string word;
      while (words >> word) {
        size_t eq = word.find('=');
        values[word.substr(0, eq)] = word.substr(eq + 1);
      }
      items.emplace_back(specFrom(table, values), v.kernel);
    }
  }
  KernelGetter find(const Spec &spec) const {
    for (const auto &item : items)
      if (sameKernel(item.first, spec))
        return item.second;
    return nullptr;
  }
};

const Variants<GroupQuantSpec> &groupQuantVariants() {
  static const Variants<GroupQuantSpec> v("group_quant", groupQuantParams());
  return v;
}
const Variants<TokenQuantSpec> &tokenQuantVariants() {
  static const Variants<TokenQuantSpec> v("token_quant", tokenQuantParams());
  return v;
}
const Variants<SiluMulQuantSpec> &siluMulQuantVariants() {
  static const Variants<SiluMulQuantSpec> v("silu_mul_quant", siluMulQuantParams());
  return v;
}
const Variants<SiluMulNvfp4Spec> &siluMulNvfp4Variants() {
  static const Variants<SiluMulNvfp4Spec> v("silu_mul_nvfp4", siluMulNvfp4Params());
  return v;
}
const Variants<GroupedGemmSpec> &groupedGemmVariants() {
  static const Variants<GroupedGemmSpec> v("grouped_gemm_i8", groupedGemmParams());
  return v;
}

/// Throws the runtime's error as a Python exception: bad arguments are a
/// ValueError, everything else (no GPU, a CUDA error) a RuntimeError.
[[noreturn]] void raise(const char *fn, const rt::Status &s) {
  if (s.name() == "TILE_BAD_ARGUMENTS")
    TVM_FFI_THROW(ValueError) << "tile." << fn << ": " << s.str();
  TVM_FFI_THROW(RuntimeError) << "tile." << fn << ": " << s.str();
  __builtin_unreachable();
}

/// A checker for a GPU call: fails first when there is no GPU at all.
Checker gpuChecker(const char *fn) {
  if (rt::Status s = rt::init(); !s)
    TVM_FFI_THROW(RuntimeError)
        << "tile." << fn << ": backend 'gpu' needs a CUDA GPU: " << s.str()
        << " (backend='interp' runs the same kernel on the host)";
  return Checker{fn, Place::Cuda};
}

/// The shipped variant that runs `plan`: its spec's, else a fallback's; a
/// ValueError listing the shipped variants when there is none.
template <typename Spec>
std::pair<KernelGetter, const Spec *> choose(const Checker &c, const Plan<Spec> &plan,
                                             const Variants<Spec> &variants) {
  const Spec *chosen = &plan.spec;
  KernelGetter getter = variants.find(plan.spec);
  for (int i = 0; !getter && i < plan.fallbackCount; ++i)
    if ((getter = variants.find(plan.fallbacks[i])))
      chosen = &plan.fallbacks[i];
  if (!getter) {
    std::string list;
    for (const auto &item : variants.items)
      list += "\n  " + describe(item.first);
    TVM_FFI_THROW(ValueError)
        << "tile." << c.fn << ": no GPU kernel was shipped for this call, which "
        << "needs " << describe(plan.spec)
        << "\nThe shipped variants are:" << list
        << "\nbackend='interp' runs any variant (on host arrays).";
  }
  return {getter, chosen};
}

/// The CUDA device of the call's tensors (every one was checked to be on
/// it); 0 for a call that checked none.
int deviceOf(const Checker &c) { return c.deviceId < 0 ? 0 : c.deviceId; }

template <typename Spec>
void launch(Checker &c, const Plan<Spec> &plan, const Variants<Spec> &variants) {
  auto [getter, chosen] = choose(c, plan, variants);
  const LaunchGrid grid =
      chosen == &plan.spec ? plan.grid : gridOf(*chosen, plan.args);
  if (grid.empty())
    return;
  if (std::string why = grid.exceedsLimits(); !why.empty())
    c.fail(plan.args.items[0].name, why);
  // The tensors' device is current for the launch (and the module's first
  // load, if this is the first call): the kernel runs there, on that
  // device's stream.
  rt::DeviceGuard device(deviceOf(c));
  if (!device.isOk())
    raise(c.fn, device.status());
  const rt::Result<rt::Kernel> &kernel = getter();
  if (!kernel)
    raise(c.fn, kernel.status());
  rt::Arg args[16];
  for (int i = 0; i < plan.args.count; ++i) {
    const PlanArg &a = plan.args.items[i];
    args[i] = a.kind == PlanArg::Pointer ? rt::Arg::pointer(uint64_t(a.value))
                                         : rt::Arg::i32(a.value);
  }
  CUstream stream =
      static_cast<CUstream>(TVMFFIEnvGetStream(kDLCUDA, c.deviceId));
  if (rt::Status s = kernel->launch(
          rt::Dim3{uint32_t(grid.x), uint32_t(grid.y), 1}, args,
          size_t(plan.args.count), rt::Stream::borrow(stream));
      !s)
    raise(c.fn, s);
}

QuantOptions quantOptions(int64_t group, int64_t layout, bool ue8m0,
                          int64_t rounding, double eps) {
  return QuantOptions{group, layout, ue8m0, rounding, eps};
}

void groupQuant(TensorView x, TensorView q, TensorView scales, int64_t group,
                int64_t layout, bool ue8m0, int64_t rounding, double eps) {
  Checker c = gpuChecker("group_quant");
  auto plan = planGroupQuant(c, x, q, scales,
                             quantOptions(group, layout, ue8m0, rounding, eps));
  launch(c, plan, groupQuantVariants());
}

void tokenQuant(TensorView x, TensorView q, TensorView scales, bool ue8m0,
                int64_t rounding, double eps) {
  Checker c = gpuChecker("token_quant");
  auto plan = planTokenQuant(c, x, q, scales,
                             quantOptions(0, 0, ue8m0, rounding, eps));
  launch(c, plan, tokenQuantVariants());
}

void siluMulQuant(TensorView x, TensorView q, TensorView scales, int64_t group,
                  int64_t layout, bool ue8m0, int64_t rounding, double eps,
                  bool upFirst, bool fp32Intermediate) {
  Checker c = gpuChecker("silu_mul_quant");
  auto plan = planSiluMulQuant(
      c, x, nullptr, q, scales,
      quantOptions(group, layout, ue8m0, rounding, eps), upFirst,
      fp32Intermediate);
  launch(c, plan, siluMulQuantVariants());
}

void siluMulQuantMasked(TensorView x, TensorView maskedM, TensorView q,
                        TensorView scales, int64_t group, int64_t layout,
                        bool ue8m0, int64_t rounding, double eps, bool upFirst,
                        bool fp32Intermediate) {
  Checker c = gpuChecker("silu_mul_quant");
  auto plan = planSiluMulQuant(
      c, x, &maskedM, q, scales,
      quantOptions(group, layout, ue8m0, rounding, eps), upFirst,
      fp32Intermediate);
  launch(c, plan, siluMulQuantVariants());
}

void siluMulNvfp4(TensorView x, TensorView offsets, TensorView sfOffsets,
                  TensorView globalScales, TensorView q, TensorView scales,
                  bool upFirst) {
  Checker c = gpuChecker("silu_mul_nvfp4");
  auto plan = planSiluMulNvfp4(c, x, offsets, sfOffsets, globalScales, q,
                               scales, upFirst);
  launch(c, plan, siluMulNvfp4Variants());
}

void groupedGemm(TensorView a, TensorView groupOffsets, TensorView b,
                 TensorView sa, TensorView sb, TensorView out,
                 int64_t precision, int64_t weights, bool swiglu) {
  Checker c = gpuChecker("grouped_gemm_i8");
  auto plan = planGroupedGemm(c, a, groupOffsets, b, sa, sb, out, precision,
                              weights, swiglu);
  launch(c, plan, groupedGemmVariants());
}

/// For test/python/launch_cost.py: microseconds per launch of group_quant's
/// kernel for this call through a raw cuLaunchKernel (no checks), averaged
/// over `iterations` launches queued back to back (host time only).
double rawLaunchMicros(TensorView x, TensorView q, TensorView scales,
                       int64_t iterations) {
  Checker c = gpuChecker("group_quant");
  auto plan = planGroupQuant(c, x, q, scales, QuantOptions{});
  KernelGetter getter = groupQuantVariants().find(plan.spec);
  if (!getter)
    TVM_FFI_THROW(ValueError) << "no shipped variant for " << describe(plan.spec);
  // The tensors' device is current while timing, as launch() has it.
  rt::DeviceGuard device(deviceOf(c));
  if (!device.isOk())
    raise(c.fn, device.status());
  const rt::Result<rt::Kernel> &kernel = getter();
  if (!kernel)
    raise(c.fn, kernel.status());
  // The function of that device's context (handle() is the context the
  // module was first loaded in).
  rt::Result<CUfunction> function = kernel->handleInCurrentContext();
  if (!function)
    raise(c.fn, function.status());
  int64_t values[16];
  void *params[16];
  for (int i = 0; i < plan.args.count; ++i) {
    values[i] = plan.args.items[i].value;
    params[i] = &values[i]; // little-endian: an i32's bytes are its low half
  }
  CUstream stream =
      static_cast<CUstream>(TVMFFIEnvGetStream(kDLCUDA, c.deviceId));
  rt::LaunchKernelFn launch = rt::rawLaunchKernel();
  auto start = std::chrono::steady_clock::now();
  for (int64_t i = 0; i < iterations; ++i)
    launch(*function, uint32_t(plan.grid.x), uint32_t(plan.grid.y), 1,
           kernel->blockThreads(),
           1, 1, kernel->sharedBytes(), stream, params, nullptr);
  auto end = std::chrono::steady_clock::now();
  return std::chrono::duration<double, std::micro>(end - start).count() /
         double(iterations);
}

/// For test/python/launch_cost.py: a call that takes three tensors and does
/// nothing, the floor of any tvm-ffi call from Python with three torch
/// tensors (the DLPack conversions and the call itself).
void callFloor(TensorView, TensorView, TensorView) {}

/// Which shipped variant a call would run, without a GPU: the GPU path's
/// checks and choice on host arrays (for the tests that run without one).
/// Returns the chosen variant's parameters and grid, "<spec> grid=<n>" (a
/// 2-D grid: "grid=<x>x<y>").
template <typename Spec>
tvm::ffi::String chosen(const Checker &c, const Plan<Spec> &plan,
                        const Variants<Spec> &variants) {
  auto [getter, spec] = choose(c, plan, variants);
  (void)getter;
  const LaunchGrid grid =
      spec == &plan.spec ? plan.grid : gridOf(*spec, plan.args);
  return describe(*spec) + " grid=" + grid.str();
}

tvm::ffi::String selectGroupQuant(TensorView x, TensorView q, TensorView scales,
                                  int64_t group, int64_t layout, bool ue8m0,
                                  int64_t rounding, double eps) {
  Checker c{"group_quant", Place::Host};
  auto plan = planGroupQuant(c, x, q, scales,
                             quantOptions(group, layout, ue8m0, rounding, eps));
  return chosen(c, plan, groupQuantVariants());
}

tvm::ffi::String selectTokenQuant(TensorView x, TensorView q, TensorView scales,
                                  bool ue8m0, int64_t rounding, double eps) {
  Checker c{"token_quant", Place::Host};
  auto plan = planTokenQuant(c, x, q, scales,
                             quantOptions(0, 0, ue8m0, rounding, eps));
  return chosen(c, plan, tokenQuantVariants());
}

tvm::ffi::String selectSiluMulQuant(TensorView x, TensorView q, TensorView scales,
                                    int64_t group, int64_t layout, bool ue8m0,
                                    int64_t rounding, double eps, bool upFirst,
                                    bool fp32Intermediate) {
  Checker c{"silu_mul_quant", Place::Host};
  auto plan = planSiluMulQuant(c, x, nullptr, q, scales,
                               quantOptions(group, layout, ue8m0, rounding, eps),
                               upFirst, fp32Intermediate);
  return chosen(c, plan, siluMulQuantVariants());
}

tvm::ffi::String selectSiluMulQuantMasked(TensorView x, TensorView maskedM,
                                          TensorView q, TensorView scales,
                                          int64_t group, int64_t layout,
                                          bool ue8m0, int64_t rounding,
                                          double eps, bool upFirst,
                                          bool fp32Intermediate) {
  Checker c{"silu_mul_quant", Place::Host};
  auto plan = planSiluMulQuant(c, x, &maskedM, q, scales,
                               quantOptions(group, layout, ue8m0, rounding, eps),
                               upFirst, fp32Intermediate);
  return chosen(c, plan, siluMulQuantVariants());
}

tvm::ffi::String selectSiluMulNvfp4(TensorView x, TensorView offsets,
                                    TensorView sfOffsets, TensorView globalScales,
                                    TensorView q, TensorView scales, bool upFirst) {
  Checker c{"silu_mul_nvfp4", Place::Host};
  auto plan = planSiluMulNvfp4(c, x, offsets, sfOffsets, globalScales, q,
                               scales, upFirst);
  return chosen(c, plan, siluMulNvfp4Variants());
}

tvm::ffi::String selectGroupedGemm(TensorView a, TensorView groupOffsets,
                                   TensorView b, TensorView sa, TensorView sb,
                                   TensorView out, int64_t precision,
                                   int64_t weights, bool swiglu) {
  Checker c{"grouped_gemm_i8", Place::Host};
  auto plan = planGroupedGemm(c, a, groupOffsets, b, sa, sb, out, precision,
                              weights, swiglu);
  return chosen(c, plan, groupedGemmVariants());
}

/// Whether a GPU is usable, and if not why ("" when it is).
tvm::ffi::String gpuStatus() {
  rt::Status s = rt::init();
  return s ? std::string() : s.str();
}

/// The shipped variants of `family`, one spec a line.
tvm::ffi::String variants(tvm::ffi::String family) {
  std::string out;
  auto add = [&](const auto &vs) {
    for (const auto &item : vs.items)
      out += describe(item.first) + "\n";
  };
  std::string f = family;
  if (f == "group_quant")
    add(groupQuantVariants());
  else if (f == "token_quant")
    add(tokenQuantVariants());
  else if (f == "silu_mul_quant")
    add(siluMulQuantVariants());
  else if (f == "silu_mul_nvfp4")
    add(siluMulNvfp4Variants());
  else if (f == "grouped_gemm_i8")
    add(groupedGemmVariants());
  else
    TVM_FFI_THROW(ValueError) << "tile: no kernel family '" << f << "'";
  return out;
}

} // namespace
} // namespace tile::python

TVM_FFI_DLL_EXPORT_TYPED_FUNC(group_quant, tile::python::groupQuant);
TVM_FFI_DLL_EXPORT_TYPED_FUNC(token_quant, tile::python::tokenQuant);
TVM_FFI_DLL_EXPORT_TYPED_FUNC(silu_mul_quant, tile::python::siluMulQuant);
TVM_FFI_DLL_EXPORT_TYPED_FUNC(silu_mul_quant_masked, tile::python::siluMulQuantMasked);
TVM_FFI_DLL_EXPORT_TYPED_FUNC(silu_mul_nvfp4, tile::python::siluMulNvfp4);
TVM_FFI_DLL_EXPORT_TYPED_FUNC(grouped_gemm_i8, tile::python::groupedGemm);
TVM_FFI_DLL_EXPORT_TYPED_FUNC(raw_launch_micros, tile::python::rawLaunchMicros);
TVM_FFI_DLL_EXPORT_TYPED_FUNC(call_floor, tile::python::callFloor);
TVM_FFI_DLL_EXPORT_TYPED_FUNC(select_group_quant, tile::python::selectGroupQuant);
TVM_FFI_DLL_EXPORT_TYPED_FUNC(select_token_quant, tile::python::selectTokenQuant);
TVM_FFI_DLL_EXPORT_TYPED_FUNC(select_silu_mul_quant, tile::python::selectSiluMulQuant);
TVM_FFI_DLL_EXPORT_TYPED_FUNC(select_silu_mul_quant_masked, tile::python::selectSiluMulQuantMasked);
TVM_FFI_DLL_EXPORT_TYPED_FUNC(select_silu_mul_nvfp4, tile::python::selectSiluMulNvfp4);
TVM_FFI_DLL_EXPORT_TYPED_FUNC(select_grouped_gemm_i8, tile::python::selectGroupedGemm);
TVM_FFI_DLL_EXPORT_TYPED_FUNC(gpu_status, tile::python::gpuStatus);
TVM_FFI_DLL_EXPORT_TYPED_FUNC(variants, tile::python::variants);
TVM_FFI_DLL_EXPORT_TYPED_FUNC(view_as, tile::python::viewAs);
