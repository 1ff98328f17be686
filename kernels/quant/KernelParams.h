//===- KernelParams.h - a kernel family's parameters ------------*- C++ -*-===//
//
// Each kernel family lists its compile-time parameters once, as a table of
// SpecParam over its spec struct (GroupQuantParams.h and its siblings): the
// name, the kind (integer, real, 0/1 flag, one of a few words), the help
// line, the allowed words, and the spec field the value sets. Everything else
// reads that table:
//   - the registry (kernels/Registry.cpp) lists the parameters with the spec
//     struct's defaults (tile-compile --list prints them, and --param and the
//     AOT CMake's PARAMS are checked against them) and builds the spec from
//     checked values with specFrom();
//   - tile-run writes the kernel parameters of a problem from its spec with
//     paramsOf(), so that the kernel built has the spec's shape.
//
// Plain C++: the GPU tests and the benchmark include this without MLIR.
//
//===----------------------------------------------------------------------===//

#ifndef TILE_KERNELS_QUANT_KERNELPARAMS_H
#define TILE_KERNELS_QUANT_KERNELPARAMS_H

#include "../gemm/CopiesAt.h"
#include "QuantCommon.h"

#include <cstdio>
#include <cstdlib>
#include <functional>
#include <initializer_list>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace tile::kernels {

/// What values a parameter takes.
enum class ParamKind {
  Int,    ///< an integer (its range is checked by the kernel's builder)
  Float,  ///< a finite positive real
  Bool,   ///< 0 or 1
  Choice, ///< one of `choices`
};

/// One compile-time parameter of the kernel family whose spec is `Spec`.
template <typename Spec> struct SpecParam {
  std::string name;
  ParamKind kind;
  std::string help;
  /// The allowed values: the words of a Choice, {"0", "1"} for a Bool, empty
  /// for a number.
  std::vector<std::string> choices;
  /// The value in `spec`, as text that reads back to the same value (a real
  /// with 9 significant digits).
  std::function<std::string(const Spec &)> get;
  /// Sets the field from a value already checked against kind and choices.
  std::function<void(Spec &, const std::string &)> set;

  /// The spec struct's default as --list shows it (a real in %g).
  std::string defaultText() const {
    std::string text = get(Spec{});
    if (kind != ParamKind::Float)
      return text;
    char buffer[32];
    std::snprintf(buffer, sizeof(buffer), "%g",
                  double(std::strtof(text.c_str(), nullptr)));
    return buffer;
  }
};

template <typename Spec> using SpecParams = std::vector<SpecParam<Spec>>;

/// An integer field (int or unsigned).
template <typename Spec, typename T>
SpecParam<Spec> intParam(std::string name, T Spec::*field, std::string help) {
  return {
      std::move(name),
      ParamKind::Int,
      std::move(help),
      {},
      [field](const Spec &s) { return std::to_string(s.*field); },
      [field](Spec &s, const std::string &v) { s.*field = T(std::stoi(v)); }};
}

/// A flag: 0 or 1.
template <typename Spec>
SpecParam<Spec> boolParam(std::string name, bool Spec::*field,
                          std::string help) {
  return {std::move(name),
          ParamKind::Bool,
          std::move(help),
          {"0", "1"},
          [field](const Spec &s) { return std::string(s.*field ? "1" : "0"); },
          [field](Spec &s, const std::string &v) { s.*field = v == "1"; }};
}

/// A finite positive real.
template <typename Spec>
SpecParam<Spec> floatParam(std::string name, float Spec::*field,
                           std::string help) {
  return {std::move(name),
          ParamKind::Float,
          std::move(help),
          {},
          [field](const Spec &s) {
            char buffer[32];
            std::snprintf(buffer, sizeof(buffer), "%.9g", double(s.*field));
            return std::string(buffer);
          },
          [field](Spec &s, const std::string &v) {
            s.*field = std::strtof(v.c_str(), nullptr);
          }};
}

/// One of a few words, each naming a value of the field's enum.
template <typename Spec, typename T>
SpecParam<Spec> choiceParam(std::string name, T Spec::*field, std::string help,
                            std::vector<std::pair<std::string, T>> words) {
  std::vector<std::string> choices;
  for (const auto &w : words)
    choices.push_back(w.first);
  return {std::move(name),
          ParamKind::Choice,
          std::move(help),
          std::move(choices),
          [field, words](const Spec &s) {
            for (const auto &w : words)
              if (w.second == s.*field)
                return w.first;
            return std::string();
          },
          [field, words](Spec &s, const std::string &v) {
            for (const auto &w : words)
              if (w.first == v)
                s.*field = w.second;
          }};
}

/// The spec for `values` (every parameter present and checked, as the
/// registry's resolveParams gives them); a missing one keeps its default.
template <typename Spec>
Spec specFrom(const SpecParams<Spec> &params,
              const std::map<std::string, std::string> &values) {
  Spec spec;
  for (const SpecParam<Spec> &p : params) {
    auto it = values.find(p.name);
    if (it != values.end())
      p.set(spec, it->second);
  }
  return spec;
}

/// Every parameter of `spec` as name=value text: the kernel that has its
/// shape.
template <typename Spec>
std::map<std::string, std::string> paramsOf(const SpecParams<Spec> &params,
                                            const Spec &spec) {
  std::map<std::string, std::string> values;
  for (const SpecParam<Spec> &p : params)
    values[p.name] = p.get(spec);
  return values;
}

//===----------------------------------------------------------------------===//
// The parameters the quantization families share
//===----------------------------------------------------------------------===//

template <typename Spec> SpecParam<Spec> inParam() {
  return choiceParam<Spec, InType>(
      "in", &Spec::in, "input type",
      {{"bf16", InType::BF16}, {"fp16", InType::F16}, {"f32", InType::F32}});
}

template <typename Spec> SpecParam<Spec> outParam() {
  return choiceParam<Spec, OutType>(
      "out", &Spec::out, "output type",
      {{"fp8", OutType::FP8}, {"int8", OutType::INT8}});
}

template <typename Spec> SpecParam<Spec> roundingParam() {
  return choiceParam<Spec, Int8Rounding>(
      "rounding", &Spec::int8Rounding,
      "int8 rounding: nearest even; toward zero (sglang); half away from zero "
      "into [-127, 127] (mojo_opset)",
      {{"rtne", Int8Rounding::NearestEven},
       {"rtz", Int8Rounding::TowardZero},
       {"rna127", Int8Rounding::HalfAwayFrom127}});
}

template <typename Spec> SpecParam<Spec> scalesParam() {
  return choiceParam<Spec, ScaleLayout>(
      "scales", &Spec::scales, "scale layout",
      {{"row", ScaleLayout::RowMajor},
       {"col", ScaleLayout::ColMajor},
       {"col_tma", ScaleLayout::ColMajorTMA},
       {"ue8m0_packed", ScaleLayout::UE8M0Packed}});
}

template <typename Spec> SpecParam<Spec> ue8m0Param() {
  return boolParam<Spec>("ue8m0", &Spec::ue8m0,
                         "round scales up to powers of two");
}

/// KERNELS.md: "eps default 1e-10, a parameter of every quant kernel".
template <typename Spec> SpecParam<Spec> epsParam() {
  return floatParam<Spec>(
      "eps", &Spec::eps,
      "absmax floor: absmax = max(max |x|, eps) (a positive number)");
}

template <typename Spec> SpecParam<Spec> numWarpsParam() {
  return intParam<Spec>("num_warps", &Spec::numWarps, "warps per program");
}

/// min_programs_per_sm (KernelOptions::minProgramsPerSM; 0: no bound).
template <typename Spec> SpecParam<Spec> minProgramsPerSMParam() {
  return intParam<Spec>(
      "min_programs_per_sm", &Spec::minProgramsPerSM,
      "programs that should fit on one SM at once, 1 to 32 (ptxas bounds "
      "the registers per thread to 64K / (programs x threads), spilling if "
      "it must), or 0: ptxas's choice");
}

/// copies_at; with `autoRule` (the family's rule when the value is auto) its
/// first choice is auto.
template <typename Spec>
SpecParam<Spec> copiesAtParam(const char *autoRule = nullptr) {
  std::string help =
      "where the pipelined K loop issues its copies of later tiles: top "
      "(after the barrier), after_first_dot or bottom (the end of the body)";
  std::vector<std::pair<std::string, CopiesAt>> words = {
      {"top", CopiesAt::Top},
      {"after_first_dot", CopiesAt::AfterFirstDot},
      {"bottom", CopiesAt::Bottom}};
  if (autoRule) {
    help += std::string(", or auto: ") + autoRule;
    words.insert(words.begin(), {"auto", CopiesAt::Auto});
  }
  return choiceParam<Spec, CopiesAt>("copies_at", &Spec::copiesAt,
                                     std::move(help), std::move(words));
}

} // namespace tile::kernels

#endif // TILE_KERNELS_QUANT_KERNELPARAMS_H
