//===- ProblemSupport.h - What tile-run's problems share --------*- C++ -*-===//
//
// Reading and checking problem parameters, and making buffers: shared by
// the problems of Problems.cpp and GroupedGemmProblem.cpp.
//
//===----------------------------------------------------------------------===//

#ifndef TILE_TOOLS_TILE_RUN_PROBLEMSUPPORT_H
#define TILE_TOOLS_TILE_RUN_PROBLEMSUPPORT_H

#include "Problem.h"

#include "quant/KernelParams.h"

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <initializer_list>
#include <map>
#include <string>
#include <vector>

#include <unistd.h>

namespace tile::run {

using Params = std::map<std::string, std::string>;

/// Reads parameters, remembering the first error: every value must be one
/// --list allows (a refused value is an error, never a fallback).
struct Reader {
  const Params &params;
  std::string &error;
  const char *kernel;
  void fail(const std::string &message) {
    if (error.empty())
      error = message;
  }
  int64_t integer(const std::string &name, int64_t fallback) {
    auto it = params.find(name);
    if (it == params.end())
      return fallback;
    char *end = nullptr;
    errno = 0;
    long long v = std::strtoll(it->second.c_str(), &end, 10);
    if (it->second.empty() || *end || errno == ERANGE) {
      fail("parameter '" + name + "' must be an integer, got '" + it->second +
           "'");
      return fallback;
    }
    return v;
  }
  /// A value of `choices`.
  std::string choice(const std::string &name, const std::string &fallback,
                     const std::vector<std::string> &choices) {
    auto it = params.find(name);
    if (it == params.end())
      return fallback;
    std::string list;
    for (const std::string &c : choices) {
      if (it->second == c)
        return it->second;
      list += (list.empty() ? "" : ", ") + c;
    }
    fail("parameter '" + name + "' of " + kernel + " must be one of " + list +
         ", got '" + it->second + "'");
    return fallback;
  }
  /// A finite positive real (eps).
  float real(const std::string &name, float fallback) {
    auto it = params.find(name);
    if (it == params.end())
      return fallback;
    char *end = nullptr;
    float v = std::strtof(it->second.c_str(), &end);
    if (it->second.empty() || *end || !std::isfinite(v) || !(v > 0)) {
      fail("parameter '" + name + "' must be a finite positive number, got '" +
           it->second + "'");
      return fallback;
    }
    return v;
  }
  /// The kernel parameters `names` (flags, words and reals of the family's
  /// table, in this order) into `spec` where given; the spec's defaults
  /// stay otherwise.
  template <typename Spec>
  void read(const kernels::SpecParams<Spec> &table,
            std::initializer_list<const char *> names, Spec &spec) {
    for (const char *name : names)
      for (const kernels::SpecParam<Spec> &p : table) {
        auto it = params.find(name);
        if (p.name != name || it == params.end())
          continue;
        bool ok;
        if (p.kind == kernels::ParamKind::Float) {
          ok = !std::isnan(real(name, NAN));
        } else {
          choice(name, "", p.choices); // the message, when not allowed
          ok = std::find(p.choices.begin(), p.choices.end(), it->second) !=
               p.choices.end();
        }
        if (ok)
          p.set(spec, it->second);
      }
  }
  void require(bool ok, const std::string &message) {
    if (!ok)
      fail(message);
  }
  /// Values passed to the kernel as i32.
  void fitsI32(std::initializer_list<std::pair<const char *, int64_t>> values) {
    for (auto [name, v] : values)
      require(v <= INT32_MAX, std::string(name) + " (" + std::to_string(v) +
                                  ") does not fit the kernel's i32 argument");
  }
  /// The host memory a run needs: the buffers, the kept copy of the inputs
  /// and the two reference runs' outputs (`inputs` and `outputs` in bytes).
  /// Refused when more than the machine has available, instead of dying in
  /// the allocator.
  void fitsHost(double inputs, double outputs) {
    double need = 2 * inputs + 5 * outputs;
    double available = availableHostBytes();
    if (need > available) {
      char text[160];
      std::snprintf(text, sizeof(text),
                    "the problem needs %.1f GiB of host memory (buffers and "
                    "the reference's copies), %.1f GiB are available",
                    need / (1 << 30), available / (1 << 30));
      fail(text);
    }
  }
  static double availableHostBytes() {
    if (std::FILE *f = std::fopen("/proc/meminfo", "r")) {
      char line[256];
      while (std::fgets(line, sizeof(line), f)) {
        unsigned long long kb;
        if (std::sscanf(line, "MemAvailable: %llu kB", &kb) == 1) {
          std::fclose(f);
          return double(kb) * 1024;
        }
      }
      std::fclose(f);
    }
    return double(sysconf(_SC_PHYS_PAGES)) * double(sysconf(_SC_PAGE_SIZE));
  }
};

/// The largest power of two, from `floor` up to 16, dividing every value:
/// what a kernel may assume of its strides.
inline int divisibilityOf(std::initializer_list<int64_t> values, int floor = 1) {
  int div = floor;
  while (div < 16 && std::all_of(values.begin(), values.end(),
                                 [&](int64_t v) { return v % (div * 2) == 0; }))
    div *= 2;
  return div;
}

inline Buffer makeBuffer(std::string name, std::string type, int bytes,
                  std::vector<int64_t> shape, std::vector<int64_t> strides,
                  int64_t elements, bool output) {
  Buffer b;
  b.name = std::move(name);
  b.elementType = std::move(type);
  b.elementBytes = bytes;
  b.shape = std::move(shape);
  b.strides = std::move(strides);
  b.output = output;
  // Outputs start poisoned, so that what the kernel skips shows.
  b.data.assign(std::max<int64_t>(1, elements) * bytes, output ? 0xa5 : 0);
  return b;
}

/// The grouped int8 MoE GEMM's problem (GroupedGemmProblem.cpp).
bool groupedGemmProblem(const std::map<std::string, std::string> &params,
                        uint64_t seed, Problem &problem, std::string &error);
const std::vector<ProblemParam> &groupedGemmProblemParams();

} // namespace tile::run

#endif // TILE_TOOLS_TILE_RUN_PROBLEMSUPPORT_H
