//===- Problems.cpp - The problems tile-run runs, per kernel --------------===//
//
// For each shipped kernel: its problem parameters, fresh random inputs, the
// kernel parameters the problem implies, and the checks of KERNELS.md
// against the kernel's C++ reference.
//
//===----------------------------------------------------------------------===//

#include "Problem.h"
#include "ProblemSupport.h"

#include "GroupQuantParams.h"
#include "MatmulParams.h"
#include "MatmulReference.h"
#include "SiluMulNvfp4Params.h"
#include "SiluMulQuantParams.h"
#include "TokenQuantParams.h"

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <random>

#include <unistd.h>

using namespace tile::kernels;

namespace tile::run {

namespace {

bool validGroup(int64_t g) {
  return g == 16 || g == 32 || g == 64 || g == 128 || g == 256;
}

/// Random values over many binades, in the input type's bits.
void fillInput(Buffer &b, InType in, std::mt19937_64 &rng) {
  std::uniform_real_distribution<float> mantissa(-1.0f, 1.0f);
  std::uniform_int_distribution<int> exponent(-10, 10);
  int64_t n = int64_t(b.data.size()) / b.elementBytes;
  for (int64_t i = 0; i < n; ++i) {
    float v = std::ldexp(mantissa(rng), exponent(rng));
    if (in == InType::BF16) {
      uint16_t h = numerics::floatToBf16(v);
      std::memcpy(&b.data[i * 2], &h, 2);
    } else if (in == InType::F16) {
      uint16_t h = numerics::floatToF16(v);
      std::memcpy(&b.data[i * 2], &h, 2);
    } else {
      std::memcpy(&b.data[i * 4], &v, 4);
    }
  }
}

/// Compares an output with the reference's, byte for byte or as codes.
Verdict compareCodes(const Buffer &got, const std::vector<uint8_t> &want,
                     const std::vector<uint8_t> &wantOther, bool fp8,
                     bool exact) {
  int64_t compared = 0, offByOne = 0, worst = 0, strayWrites = 0;
  for (size_t i = 0; i < want.size(); ++i) {
    if (want[i] != wantOther[i]) { // the reference leaves it alone
      strayWrites += got.data[i] != 0xa5;
      continue;
    }
    auto code = [&](uint8_t b) {
      return fp8 ? ((b & 0x80) ? -int(b & 0x7f) : int(b & 0x7f)) : int(int8_t(b));
    };
    int d = std::abs(code(got.data[i]) - code(want[i]));
    bool signFlip = code(got.data[i]) * code(want[i]) < 0;
    ++compared;
    worst = std::max<int64_t>(worst, signFlip ? 1000 : d);
    offByOne += d == 1;
  }
  Verdict v{got.name, true, ""};
  if (exact)
    v.ok = worst == 0 && strayWrites == 0;
  else
    v.ok = worst <= 1 && offByOne * 200 <= compared && strayWrites == 0;
  v.detail = std::to_string(compared) + " codes, worst difference " +
             (worst >= 1000 ? std::string("a sign flip") : std::to_string(worst)) +
             ", " + std::to_string(offByOne) + " off by one, " +
             std::to_string(strayWrites) + " bytes written outside the output" +
             (exact ? " (bit-exact required)" : " (sglang's rule)");
  return v;
}

Verdict compareScales(const Buffer &got, const std::vector<uint8_t> &want,
                      const std::vector<uint8_t> &wantOther, bool packed,
                      bool exact) {
  double worst = 0;
  int64_t compared = 0, stray = 0;
  int step = packed ? 1 : 4;
  for (size_t i = 0; i + step <= want.size(); i += step) {
    if (std::memcmp(&want[i], &wantOther[i], step) != 0) {
      for (int b = 0; b < step; ++b)
        stray += got.data[i + b] != 0xa5;
      continue;
    }
    ++compared;
    if (packed) {
      worst = std::max(worst, double(std::abs(int(got.data[i]) - int(want[i]))));
      continue;
    }
    float g, w;
    std::memcpy(&g, &got.data[i], 4);
    std::memcpy(&w, &want[i], 4);
    double rel = w == 0 ? std::fabs(g) : std::fabs(double(g) - w) / std::fabs(w);
    if (std::isnan(g) != std::isnan(w))
      rel = INFINITY;
    worst = std::max(worst, std::isnan(w) ? 0.0 : rel);
  }
  Verdict v{got.name, true, ""};
  v.ok = stray == 0 && (exact ? worst == 0 : worst <= (packed ? 1 : 1e-3));
  v.detail = std::to_string(compared) + " scales, worst " +
             std::string(packed ? "exponent difference " : "relative difference ") +
             std::to_string(worst) + ", " + std::to_string(stray) +
             " bytes written outside" + (exact ? " (bit-exact required)" : "");
  return v;
}

bool groupQuant(const Params &p, uint64_t seed, Problem &problem,
                std::string &error) {
  Reader r{p, error, "group_quant"};
  GroupQuantSpec spec;
  spec.group = r.integer("group", spec.group);
  r.read(groupQuantParams(),
         {"in", "out", "scales", "rounding", "ue8m0", "eps"}, spec);
  int64_t M = r.integer("M", 64), K = r.integer("K", 7168);
  int64_t stride = r.integer("row_stride", K);
  r.require(M >= 0 && K > 0, "M must be >= 0 and K > 0");
  r.require(validGroup(spec.group), "group must be 16, 32, 64, 128 or 256, got " +
                                        std::to_string(spec.group));
  r.require(spec.group > 0 && K % spec.group == 0,
            "K (" + std::to_string(K) + ") is not divisible by group (" +
                std::to_string(spec.group) + ")");
  r.require(stride >= K, "row_stride (" + std::to_string(stride) +
                             ") is smaller than the row (K = " +
                             std::to_string(K) + ")");
  r.fitsI32({{"M", alignUp(M, 4)}, {"K", K}, {"row_stride", stride}});
  if (error.empty())
    r.fitsHost(double(M) * stride * inputBytes(spec.in),
               double(M) * stride + double(alignUp(M, 4)) * (K / spec.group) * 4);
  if (!error.empty())
    return false;
  int div = divisibilityOf({stride});
  spec.strideDivisibility = div;
  // The grid below comes from spec: the kernel must have its shape, not the
  // registry's defaults.
  problem.kernelParams = paramsOf(groupQuantParams(), spec);
  int64_t groups = K / spec.group;
  ScaleStrides ss = scaleStrides(spec.scales, M, groups);
  bool packed = spec.scales == ScaleLayout::UE8M0Packed;
  std::mt19937_64 rng(seed);
  int inBytes = inputBytes(spec.in);
  problem.buffers.push_back(makeBuffer("x", name(spec.in), inBytes, {M, K},
                                       {stride, 1}, M * stride, false));
  fillInput(problem.buffers[0], spec.in, rng);
  problem.buffers.push_back(makeBuffer("q", name(spec.out), 1, {M, K},
                                       {stride, 1}, M * stride, true));
  problem.buffers.push_back(makeBuffer(
      "scales", packed ? "uint8" : "f32", packed ? 1 : 4,
      {M, packed ? (groups + 3) / 4 * 4 : groups},
      {ss.strideM, packed ? 1 : ss.strideG}, ss.size, true));
  problem.args = {{"x", 0},
                  {"q", 1},
                  {"scales", 2},
                  {"M", -1, M},
                  {"K", -1, K},
                  {"stride_x", -1, stride},
                  {"stride_q", -1, stride},
                  {"scale_stride_m", -1, ss.strideM},
                  {"scale_stride_g", -1, ss.strideG}};
  problem.grid = groupQuantGrid(spec, M, K);
  problem.description = std::to_string(M) + "x" + std::to_string(K) + " G" +
                        std::to_string(spec.group) + " " + name(spec.in) +
                        "->" + name(spec.out) + " " + name(spec.scales);
  problem.check = [spec, M, K, stride, packed](const std::vector<Buffer> &b,
                                              bool) {
    const uint8_t *x = b[0].data.data();
    std::vector<uint8_t> q(b[1].data.size(), 0xa5), q2(q.size(), 0x5a);
    std::vector<uint8_t> s(b[2].data.size(), 0xa5), s2(s.size(), 0x5a);
    groupQuantReference(spec, x, q.data(), s.data(), M, K, stride, stride);
    groupQuantReference(spec, x, q2.data(), s2.data(), M, K, stride, stride);
    return std::vector<Verdict>{
        compareCodes(b[1], q, q2, spec.out == OutType::FP8, true),
        compareScales(b[2], s, s2, packed, true)};
  };
  return true;
}

bool tokenQuant(const Params &p, uint64_t seed, Problem &problem,
                std::string &error) {
  Reader r{p, error, "token_quant"};
  TokenQuantSpec spec;
  r.read(tokenQuantParams(), {"in", "out", "rounding", "ue8m0", "eps"}, spec);
  int64_t M = r.integer("M", 64), K = r.integer("K", 1368);
  int64_t stride = r.integer("row_stride", K);
  r.require(M >= 0 && K > 0, "M must be >= 0 and K > 0");
  r.require(stride >= K, "row_stride (" + std::to_string(stride) +
                             ") is smaller than the row (K = " +
                             std::to_string(K) + ")");
  r.fitsI32({{"M", M}, {"K", K}, {"row_stride", stride}});
  if (error.empty())
    r.fitsHost(double(M) * stride * inputBytes(spec.in),
               double(M) * stride + double(M) * 4);
  if (!error.empty())
    return false;
  // Any K and stride: the kernel is compiled for the largest power of two
  // dividing both (1 for odd ones: narrower accesses, still correct).
  int div = divisibilityOf({K, stride}, 1);
  chooseTokenQuantTile(spec, K);
  spec.kDivisibility = div;
  problem.kernelParams = paramsOf(tokenQuantParams(), spec);
  std::mt19937_64 rng(seed);
  problem.buffers.push_back(makeBuffer("x", name(spec.in), inputBytes(spec.in),
                                       {M, K}, {stride, 1}, M * stride, false));
  fillInput(problem.buffers[0], spec.in, rng);
  problem.buffers.push_back(
      makeBuffer("q", name(spec.out), 1, {M, K}, {stride, 1}, M * stride, true));
  problem.buffers.push_back(makeBuffer("scales", "f32", 4, {M}, {1}, M, true));
  problem.args = {{"x", 0},          {"q", 1},
                  {"scales", 2},     {"M", -1, M},
                  {"K", -1, K}, {"stride_x", -1, stride},
                  {"stride_q", -1, stride}, {"scale_stride", -1, 1}};
  problem.grid = tokenQuantGrid(spec, M);
  problem.description = std::to_string(M) + "x" + std::to_string(K) + " " +
                        name(spec.in) + "->" + name(spec.out);
  problem.check = [spec, M, K, stride](const std::vector<Buffer> &b, bool) {
    const uint8_t *x = b[0].data.data();
    std::vector<uint8_t> q(b[1].data.size(), 0xa5), q2(q.size(), 0x5a);
    std::vector<uint8_t> s(b[2].data.size(), 0xa5), s2(s.size(), 0x5a);
    tokenQuantReference(spec, x, q.data(), reinterpret_cast<float *>(s.data()),
                        M, K, stride, stride, 1);
    tokenQuantReference(spec, x, q2.data(), reinterpret_cast<float *>(s2.data()),
                        M, K, stride, stride, 1);
    return std::vector<Verdict>{
        compareCodes(b[1], q, q2, spec.out == OutType::FP8, true),
        compareScales(b[2], s, s2, false, true)};
  };
  return true;
}

bool siluMulQuant(const Params &p, uint64_t seed, Problem &problem,
                  std::string &error) {
  Reader r{p, error, "silu_mul_quant"};
  SiluMulQuantSpec spec;
  spec.group = r.integer("group", spec.group);
  r.read(siluMulQuantParams(), {"out", "scales", "rounding"}, spec);
  r.choice("in", "bf16", {"bf16"});
  r.read(siluMulQuantParams(),
         {"ue8m0", "up_first", "fp32_intermediate", "eps"}, spec);
  spec.masked = r.params.count("E") || r.params.count("T");
  int64_t H = r.integer("H", 2048);
  int64_t E = r.integer("E", 1), T = r.integer("T", 0);
  int64_t M = spec.masked ? E * T : r.integer("M", 64);
  int64_t stride = r.integer("row_stride", 2 * H);
  r.require(validGroup(spec.group), "group must be 16, 32, 64, 128 or 256, got " +
                                        std::to_string(spec.group));
  r.require(spec.group > 0 && H > 0 && H % spec.group == 0,
            "H (" + std::to_string(H) + ") is not divisible by group (" +
                std::to_string(spec.group) + ")");
  r.require(!spec.masked || (E > 0 && T > 0), "the masked form needs E > 0 and T > 0");
  r.require(M >= 0, "M must be >= 0");
  r.require(stride >= 2 * H, "row_stride (" + std::to_string(stride) +
                                 ") is smaller than the row (2H = " +
                                 std::to_string(2 * H) + ")");
  r.fitsI32({{"M", alignUp(M, 4)}, {"T", alignUp(T, 4)}, {"H", 2 * H},
             {"row_stride", stride}});
  if (error.empty())
    r.fitsHost(double(M) * stride * 2,
               double(M) * H + double(E) * alignUp(spec.masked ? T : M, 4) *
                                   (H / std::max(1, spec.group)) * 4);
  if (!error.empty())
    return false;
  int div = divisibilityOf({stride, H});
  spec.strideDivisibility = div;
  spec = tunedFor(spec, M, H);
  problem.kernelParams = paramsOf(siluMulQuantParams(), spec);
  int64_t groups = H / spec.group;
  ScaleStrides ss = scaleStrides(spec.scales, spec.masked ? T : M, groups);
  bool packed = spec.scales == ScaleLayout::UE8M0Packed;
  std::mt19937_64 rng(seed);
  problem.buffers.push_back(
      makeBuffer("x", "bf16", 2, {M, 2 * H}, {stride, 1}, M * stride, false));
  fillInput(problem.buffers[0], InType::BF16, rng);
  problem.buffers.push_back(makeBuffer("q", name(spec.out), 1, {M, H},
                                       {H, 1}, M * H, true));
  int64_t scaleElems = (spec.masked ? E : 1) * ss.size;
  problem.buffers.push_back(makeBuffer("scales", packed ? "uint8" : "f32",
                                       packed ? 1 : 4, {scaleElems}, {1},
                                       scaleElems, true));
  std::vector<int32_t> maskedM(E, int32_t(T));
  if (spec.masked) {
    // masked_m past [0, T] too: the kernel clamps it.
    std::uniform_int_distribution<int64_t> live(-1, T + 1);
    for (auto &m : maskedM)
      m = int32_t(live(rng));
    problem.buffers.push_back(makeBuffer("masked_m", "i32", 4, {E}, {1}, E, false));
    std::memcpy(problem.buffers.back().data.data(), maskedM.data(), E * 4);
    problem.args = {{"x", 0}, {"q", 1}, {"scales", 2}, {"masked_m", 3},
                    {"T", -1, T}, {"H", -1, H},
                    {"stride_x", -1, stride}, {"stride_q", -1, H},
                    {"scale_stride_e", -1, ss.size},
                    {"scale_stride_t", -1, ss.strideM},
                    {"scale_stride_g", -1, ss.strideG}};
  } else {
    problem.args = {{"x", 0}, {"q", 1}, {"scales", 2}, {"M", -1, M},
                    {"H", -1, H}, {"stride_x", -1, stride},
                    {"stride_q", -1, H},
                    {"scale_stride_m", -1, ss.strideM},
                    {"scale_stride_g", -1, ss.strideG}};
  }
  problem.grid = siluMulQuantGrid(spec, M, H, T);
  problem.description =
      (spec.masked ? "E=" + std::to_string(E) + " T=" + std::to_string(T)
                   : "M=" + std::to_string(M)) +
      " H=" + std::to_string(H) + " " + name(spec.out) + " " + name(spec.scales);
  problem.check = [spec, M, H, T, E, stride, packed](
                      const std::vector<Buffer> &b, bool gpu) {
    std::vector<uint16_t> x(M * stride);
    std::memcpy(x.data(), b[0].data.data(), x.size() * 2);
    std::vector<int32_t> maskedM(E, int32_t(T));
    if (spec.masked)
      std::memcpy(maskedM.data(), b[3].data.data(), E * 4);
    std::vector<uint8_t> q(b[1].data.size(), 0xa5), q2(q.size(), 0x5a);
    std::vector<uint8_t> s(b[2].data.size(), 0xa5), s2(s.size(), 0x5a);
    siluMulQuantReference(spec, x.data(), q.data(), s.data(), M, H, stride, H,
                          T, maskedM);
    siluMulQuantReference(spec, x.data(), q2.data(), s2.data(), M, H, stride,
                          H, T, maskedM);
    // On the GPU exp is approximate: sglang's rule. The interpreter and the
    // reference share std::exp: bit-exact.
    return std::vector<Verdict>{
        compareCodes(b[1], q, q2, spec.out == OutType::FP8, !gpu),
        compareScales(b[2], s, s2, packed, !gpu)};
  };
  return true;
}

bool siluMulNvfp4(const Params &p, uint64_t seed, Problem &problem,
                  std::string &error) {
  Reader r{p, error, "silu_mul_nvfp4"};
  SiluMulNvfp4Spec spec;
  r.read(siluMulNvfp4Params(), {"up_first"}, spec);
  int64_t blocks = r.integer("blocks_per_program", spec.blocksPerProgram);
  const std::string blocksError = siluMulNvfp4BlocksError(blocks);
  r.require(blocksError.empty(), blocksError);
  if (error.empty())
    spec.blocksPerProgram = int(blocks);
  int64_t M = r.integer("M", 64), K = r.integer("K", 2048);
  spec.numWarps = siluMulNvfp4WarpsFor(K, spec.blocksPerProgram);
  int64_t E = r.integer("E", 4);
  int64_t pad = r.integer("pad_rows", 0);
  // expert_rows=0,1,100: the experts' row counts (E and M follow from them).
  std::vector<int32_t> expertRows;
  if (p.count("expert_rows")) {
    std::string list = p.at("expert_rows");
    size_t at = 0;
    while (error.empty() && at <= list.size()) {
      size_t comma = std::min(list.find(',', at), list.size());
      std::string item = list.substr(at, comma - at);
      char *end = nullptr;
      long long v = std::strtoll(item.c_str(), &end, 10);
      r.require(!item.empty() && !*end && v >= 0 && v <= INT32_MAX,
                "expert_rows must be a comma-separated list of row counts, got '" +
                    list + "'");
      expertRows.push_back(int32_t(v));
      at = comma + 1;
    }
    E = int64_t(expertRows.size());
    M = pad;
    for (int32_t n : expertRows)
      M += n;
  }
  int64_t stride = r.integer("row_stride", 2 * K);
  r.require(pad >= 0 && pad <= M, "pad_rows must be in [0, M]");
  r.require(M >= 0, "M must be >= 0");
  r.require(K > 0 && K % 16 == 0,
            "K (" + std::to_string(K) + ") must be a positive multiple of 16");
  r.require(E >= 1, "E must be at least 1");
  r.require(stride >= 2 * K, "row_stride (" + std::to_string(stride) +
                                 ") is smaller than the row (2K = " +
                                 std::to_string(2 * K) + ")");
  // The scale rows, at most M + 127 E.
  r.fitsI32({{"M", M + 128 * E}, {"K", 2 * K}, {"E", E + 1}, {"row_stride", stride}});
  if (error.empty())
    r.fitsHost(double(M) * stride * 2 + double(E) * 12,
               double(M) * K / 2 + double(M + 128 * E) * (K / 16 + 3));
  if (!error.empty())
    return false;
  int div = divisibilityOf({stride});
  spec.strideDivisibility = div;
  problem.kernelParams = paramsOf(siluMulNvfp4Params(), spec);
  std::mt19937_64 rng(seed);
  // Rows split among the experts at random (some experts empty), or as
  // expert_rows says; the last pad_rows rows belong to no expert.
  std::vector<int32_t> offsets;
  std::vector<float> gs;
  randomExperts(rng, M - pad, E, offsets, gs);
  if (!expertRows.empty())
    for (int64_t e = 0; e < E; ++e)
      offsets[e + 1] = offsets[e] + expertRows[e];
  std::vector<int32_t> sfOffsets = nvfp4ScaleOffsets(offsets);
  problem.buffers.push_back(
      makeBuffer("x", "bf16", 2, {M, 2 * K}, {stride, 1}, M * stride, false));
  std::normal_distribution<float> dist(0.0f, 2.0f);
  for (int64_t i = 0; i < M * stride; ++i) {
    uint16_t h = numerics::floatToBf16(dist(rng));
    std::memcpy(&problem.buffers[0].data[i * 2], &h, 2);
  }
  problem.buffers.push_back(
      makeBuffer("q", "uint8", 1, {M, K / 2}, {K / 2, 1}, M * K / 2, true));
  int64_t scaleBytes = nvfp4ScaleBytes(sfOffsets[E], K);
  problem.buffers.push_back(makeBuffer("scales", "uint8", 1, {scaleBytes}, {1},
                                       scaleBytes, true));
  problem.buffers.push_back(makeBuffer("offsets", "i32", 4, {E + 1}, {1}, E + 1, false));
  std::memcpy(problem.buffers[3].data.data(), offsets.data(), (E + 1) * 4);
  problem.buffers.push_back(
      makeBuffer("sf_offsets", "i32", 4, {E + 1}, {1}, E + 1, false));
  std::memcpy(problem.buffers[4].data.data(), sfOffsets.data(), (E + 1) * 4);
  problem.buffers.push_back(makeBuffer("global_scales", "f32", 4, {E}, {1}, E, false));
  std::memcpy(problem.buffers[5].data.data(), gs.data(), E * 4);
  problem.args = {{"x", 0}, {"q", 1}, {"scales", 2}, {"offsets", 3},
                  {"sf_offsets", 4}, {"global_scales", 5}, {"M", -1, M},
                  {"K", -1, K}, {"E", -1, E},
                  {"stride_x", -1, stride}};
  problem.grid = siluMulNvfp4Grid(spec, M, K, E);
  problem.description = "M=" + std::to_string(M) + " K=" + std::to_string(K) +
                        " E=" + std::to_string(E);
  // Loaded inputs (tile-run --load) must describe experts the way
  // KERNELS.md section 4 does: offsets non-decreasing from 0 to at most M,
  // sf_offsets the per-expert scale layout of those offsets; the scale
  // buffer is sized from them (the seed's random offsets sized it).
  problem.acceptInputs = [M, K, E](std::vector<Buffer> &b) -> std::string {
    std::vector<int32_t> offsets(E + 1), sfOffsets(E + 1);
    std::memcpy(offsets.data(), b[3].data.data(), (E + 1) * 4);
    std::memcpy(sfOffsets.data(), b[4].data.data(), (E + 1) * 4);
    if (offsets[0] != 0)
      return "offsets[0] is " + std::to_string(offsets[0]) + ", not 0";
    for (int64_t e = 0; e < E; ++e)
      if (offsets[e + 1] < offsets[e])
        return "offsets decrease at expert " + std::to_string(e) + " (" +
               std::to_string(offsets[e]) + " then " +
               std::to_string(offsets[e + 1]) + ")";
    if (offsets[E] > M)
      return "offsets[E] = " + std::to_string(offsets[E]) + " is past M = " +
             std::to_string(M);
    if (sfOffsets != nvfp4ScaleOffsets(offsets))
      return "sf_offsets is not the per-expert scale layout of offsets "
             "(KERNELS.md section 4)";
    // (A buffer is never empty: makeBuffer allocates at least one element.)
    int64_t need = std::max<int64_t>(1, nvfp4ScaleBytes(sfOffsets[E], K));
    b[2].data.assign(size_t(need), 0xa5);
    b[2].shape = {need};
    return "";
  };
  problem.check = [spec, M, K, E, stride](const std::vector<Buffer> &b,
                                         bool gpu) {
    std::vector<uint16_t> x(M * stride);
    std::memcpy(x.data(), b[0].data.data(), x.size() * 2);
    std::vector<int32_t> offsets(E + 1), sfOffsets(E + 1);
    std::vector<float> gs(E);
    std::memcpy(offsets.data(), b[3].data.data(), (E + 1) * 4);
    std::memcpy(sfOffsets.data(), b[4].data.data(), (E + 1) * 4);
    std::memcpy(gs.data(), b[5].data.data(), E * 4);
    std::vector<uint8_t> q(b[1].data.size(), 0xa5), q2(q.size(), 0x5a);
    std::vector<uint8_t> s(b[2].data.size(), 0xa5), s2(s.size(), 0x5a);
    siluMulNvfp4Reference(spec, x.data(), offsets, sfOffsets, gs, q.data(),
                          s.data(), M, K, stride);
    siluMulNvfp4Reference(spec, x.data(), offsets, sfOffsets, gs, q2.data(),
                          s2.data(), M, K, stride);
    // Nibbles and scale bytes: exact in the interpreter; on the GPU (exp is
    // approximate) each nibble's code may move by one.
    Verdict vq{"q", true, ""}, vs{"scales", true, ""};
    int64_t differ = 0, worst = 0, compared = 0, stray = 0;
    for (size_t i = 0; i < q.size(); ++i) {
      if (q[i] != q2[i]) {
        stray += b[1].data[i] != 0xa5;
        continue;
      }
      for (int nib = 0; nib < 2; ++nib) {
        auto value = [&](uint8_t byte) {
          int c = (byte >> (4 * nib)) & 15;
          return (c & 8) ? -(c & 7) : (c & 7);
        };
        int d = std::abs(value(b[1].data[i]) - value(q[i]));
        worst = std::max<int64_t>(worst, d);
        differ += d != 0;
        ++compared;
      }
    }
    vq.ok = stray == 0 && (gpu ? worst <= 1 && differ * 200 <= compared : worst == 0);
    vq.detail = std::to_string(compared) + " e2m1 codes, worst difference " +
                std::to_string(worst) + ", " + std::to_string(differ) + " differ" +
                (gpu ? " (sglang's rule)" : " (bit-exact required)");
    int64_t sDiffer = 0, sCompared = 0, sStray = 0;
    for (size_t i = 0; i < s.size(); ++i) {
      if (s[i] != s2[i]) {
        sStray += b[2].data[i] != 0xa5;
        continue;
      }
      ++sCompared;
      int d = std::abs(int(b[2].data[i] & 0x7f) - int(s[i] & 0x7f));
      sDiffer += d != 0 && (!gpu || d > 1);
    }
    vs.ok = sStray == 0 && sDiffer == 0;
    vs.detail = std::to_string(sCompared) + " e4m3 scales, " +
                std::to_string(sDiffer) + " differ" +
                (gpu ? " by more than one code" : " (bit-exact required)");
    return std::vector<Verdict>{vq, vs};
  };
  return true;
}

/// c of a matmul against the exact product: every element of the M x N
/// block equal (integer-valued operands make every order of additions
/// exact), every other byte of c still poisoned.
Verdict compareProduct(const Buffer &got, const MatmulSpec &spec,
                       const std::vector<double> &want, int64_t M, int64_t N,
                       int64_t ldc) {
  int bytes = accBytes(spec);
  int64_t wrong = 0, strayWrites = 0;
  std::string first;
  for (int64_t m = 0; m < M; ++m)
    for (int64_t n = 0; n < ldc; ++n) {
      const uint8_t *at = got.data.data() + (m * ldc + n) * bytes;
      if (n >= N) {
        for (int i = 0; i < bytes; ++i)
          strayWrites += at[i] != 0xa5;
        continue;
      }
      double v = matmulResult(spec, got.data.data(), m * ldc + n);
      // A NaN (from a loaded input) matches a NaN of any sign and payload.
      if (v != want[m * N + n] && !(std::isnan(v) && std::isnan(want[m * N + n])) &&
          wrong++ == 0)
        first = ", first at [" + std::to_string(m) + ", " + std::to_string(n) +
                "]: " + std::to_string(v) + " instead of " +
                std::to_string(want[m * N + n]);
    }
  Verdict verdict{got.name, wrong == 0 && strayWrites == 0, ""};
  verdict.detail = std::to_string(M * N) + " elements, " +
                   std::to_string(wrong) + " wrong" + first + ", " +
                   std::to_string(strayWrites) +
                   " bytes written outside the output (bit-exact required)";
  return verdict;
}

bool matmul(const Params &p, uint64_t seed, Problem &problem,
            std::string &error) {
  Reader r{p, error, "matmul"};
  MatmulSpec spec;
  r.read(matmulParams(), {"a", "acc", "precision", "b_layout", "mma"}, spec);
  const bool bKn = spec.bLayout == MatmulBLayout::KN;
  if (spec.operands == MatmulOperands::I8 && !p.count("acc"))
    spec.acc = MatmulAcc::I32;
  if (spec.operands == MatmulOperands::I8 && !p.count("precision"))
    spec.precision = MatmulPrecision::Native;
  int64_t M = r.integer("M", 128), N = r.integer("N", 256),
          K = r.integer("K", 512);
  // b's rows: K of N elements, or N of K (b_layout = nk).
  const int64_t bRows = bKn ? K : N, bRow = bKn ? N : K;
  int64_t lda = r.integer("lda", K), ldb = r.integer("ldb", bRow),
          ldc = r.integer("ldc", N);
  r.require(M >= 0 && N > 0 && K > 0, "M must be >= 0, N and K > 0");
  r.require(lda >= K && ldb >= bRow && ldc >= N,
            bKn ? "lda must be >= K, ldb and ldc >= N"
                : "lda and ldb must be >= K (b_layout nk), ldc >= N");
  r.fitsI32({{"M", M}, {"N", N}, {"K", K}, {"lda", lda}, {"ldb", ldb},
             {"ldc", ldc}});
  if (error.empty()) {
    std::string refusal = matmulSpecError(spec);
    r.require(refusal.empty(), "matmul: " + refusal);
  }
  if (error.empty())
    r.fitsHost(double(M * lda + bRows * ldb) * operandBytes(spec),
               double(M) * ldc * 8);
  if (!error.empty())
    return false;
  // int8 steps K by 64 (two m16n8k32 per step); rows are accessed as widely
  // as K, N and the strides allow.
  if (spec.operands == MatmulOperands::I8)
    spec.blockK = 64;
  spec.divisibility = divisibilityOf({K, N, lda, ldb, ldc});
  problem.kernelParams = paramsOf(matmulParams(), spec);
  std::mt19937_64 rng(seed);
  const char *abName = spec.operands == MatmulOperands::F16    ? "fp16"
                       : spec.operands == MatmulOperands::BF16 ? "bf16"
                                                               : "int8";
  const char *cName = spec.acc == MatmulAcc::F32   ? "f32"
                      : spec.acc == MatmulAcc::F16 ? "fp16"
                                                   : "i32";
  int ob = operandBytes(spec);
  problem.buffers.push_back(
      makeBuffer("a", abName, ob, {M, K}, {lda, 1}, M * lda, false));
  problem.buffers.push_back(
      bKn ? makeBuffer("b", abName, ob, {K, N}, {ldb, 1}, K * ldb, false)
          : makeBuffer("b", abName, ob, {N, K}, {ldb, 1}, N * ldb, false));
  problem.buffers.push_back(makeBuffer("c", cName, accBytes(spec), {M, N},
                                       {ldc, 1}, M * ldc, true));
  // Integer values whose every partial sum the accumulator holds exactly:
  // int8's whole range (int32 wraps exactly); |v| <= 8 for f32; an f16
  // accumulator (11 significant bits) takes |v| <= 1 while K <= 2048 and
  // zeros and ones after.
  int bound = spec.operands == MatmulOperands::I8 ? 128
              : spec.acc == MatmulAcc::F16        ? 1
                                                  : 8;
  for (int i = 0; i < 2; ++i) {
    Buffer &b = problem.buffers[i];
    std::uniform_int_distribution<int> dist(-bound, bound == 128 ? 127 : bound);
    int64_t n = int64_t(b.data.size()) / ob;
    for (int64_t j = 0; j < n; ++j) {
      int v = dist(rng);
      if (spec.acc == MatmulAcc::F16 && K > 2048)
        v = std::abs(v) * (i == 0 ? 1 : 0) + (i == 1 ? 1 : 0) * (v != 0);
      if (spec.operands == MatmulOperands::I8) {
        b.data[j] = uint8_t(int8_t(v));
        continue;
      }
      uint16_t h = spec.operands == MatmulOperands::BF16
                       ? numerics::floatToBf16(float(v))
                       : numerics::floatToF16(float(v));
      std::memcpy(&b.data[j * 2], &h, 2);
    }
  }
  problem.args = {{"a", 0},      {"b", 1},      {"c", 2},
                  {"M", -1, M},  {"N", -1, N},  {"K", -1, K},
                  {"lda", -1, lda}, {"ldb", -1, ldb}, {"ldc", -1, ldc}};
  problem.grid = matmulGrid(spec, M, N);
  problem.description = std::to_string(M) + "x" + std::to_string(N) + "x" +
                        std::to_string(K) + " " + abName + "->" + cName +
                        (bKn ? "" : " (b: N x K)");
  problem.check = [spec, M, N, K, lda, ldb,
                   ldc](const std::vector<Buffer> &buffers, bool) {
    std::vector<double> want(std::max<int64_t>(1, M * N));
    matmulReference(spec, buffers[0].data.data(), buffers[1].data.data(),
                    want.data(), int(M), int(N), int(K), int(lda), int(ldb));
    return std::vector<Verdict>{
        compareProduct(buffers[2], spec, want, M, N, ldc)};
  };
  return true;
}

} // namespace

const std::vector<ProblemParam> &problemParams(const std::string &kernel) {
  static const std::map<std::string, std::vector<ProblemParam>> all = {
      {"group_quant",
       {{"M", "64", "rows"}, {"K", "7168", "columns (a multiple of group)"},
        {"group", "128", "16, 32, 64, 128 or 256"}, {"in", "bf16", "bf16|fp16|f32"},
        {"out", "fp8", "fp8|int8"}, {"scales", "row", "row|col|col_tma|ue8m0_packed"},
        {"ue8m0", "0", "0|1"}, {"rounding", "rtne", "int8: rtne|rtz|rna127"},
        {"eps", "1e-10", "absmax floor (a positive number)"},
        {"row_stride", "K", "elements between rows (>= K)"}}},
      {"token_quant",
       {{"M", "64", "rows"},
        {"K", "1368", "columns (any; past 16384 the row is read twice)"},
        {"in", "bf16", "bf16|fp16|f32"}, {"out", "fp8", "fp8|int8"},
        {"ue8m0", "0", "0|1"}, {"rounding", "rtne", "int8: rtne|rtz|rna127"},
        {"eps", "1e-10", "absmax floor (a positive number)"},
        {"row_stride", "K", "elements between rows (>= K, odd too)"}}},
      {"silu_mul_quant",
       {{"M", "64", "rows (contiguous form)"},
        {"E", "-", "experts (masked form; with T)"},
        {"T", "-", "rows per expert (masked form)"},
        {"H", "2048", "output columns (x has 2H)"}, {"group", "128", "16..256"},
        {"out", "fp8", "fp8|int8"}, {"scales", "row", "row|col|col_tma|ue8m0_packed"},
        {"ue8m0", "0", "0|1"}, {"up_first", "0", "0|1"},
        {"fp32_intermediate", "0", "0|1"}, {"rounding", "rtne", "int8: rtne|rtz|rna127"},
        {"eps", "1e-10", "absmax floor (a positive number)"},
        {"in", "bf16", "bf16 (the only input type)"},
        {"row_stride", "2H", "elements between rows of x (>= 2H)"}}},
      {"silu_mul_nvfp4",
       {{"M", "64", "rows, sorted by expert"},
        {"K", "2048", "output columns (a multiple of 16; x has 2K)"},
        {"E", "4", "experts (random offsets, some empty; any count)"},
        {"expert_rows", "-", "the experts' row counts, e.g. 0,1,100,128,129,300 (sets E and M)"},
        {"pad_rows", "0", "rows past offsets[E] (a padded CUDA-graph batch): neither read nor written"},
        {"up_first", "0", "0|1"},
        {"row_stride", "2K", "elements between rows of x (>= 2K)"},
        {"blocks_per_program", "128", "blocks of 16 a program takes of a row (a power of two)"}}},
      {"matmul",
       {{"M", "128", "rows of a and c"}, {"N", "256", "columns of b and c"},
        {"K", "512", "columns of a, rows of b"},
        {"a", "fp16", "fp16|bf16|int8 (integer-valued random operands: exact sums)"},
        {"acc", "f32", "f32|f16|i32 (int8: i32)"},
        {"precision", "ieee", "ieee|native|f16_exact (int8: native)"},
        {"b_layout", "kn", "kn (b is K rows of N) | nk (N rows of K)"},
        {"mma", "sync", "sync (mma.sync) | warpgroup (wgmma where the dot allows it: sm_90a, b_layout=nk)"},
        {"lda", "K", "elements between rows of a (>= K)"},
        {"ldb", "N", "elements between rows of b (>= N; >= K, default K, with b_layout=nk)"},
        {"ldc", "N", "elements between rows of c (>= N)"}}},
      {"grouped_gemm_i8", groupedGemmProblemParams()},
  };
  static const std::vector<ProblemParam> none;
  auto it = all.find(kernel);
  return it == all.end() ? none : it->second;
}

bool makeProblem(const std::string &kernel, const Params &params, uint64_t seed,
                 Problem &problem, std::string &error) {
  const auto &known = problemParams(kernel);
  if (known.empty()) {
    error = "tile-run has no problem for kernel '" + kernel + "' (see --list)";
    return false;
  }
  for (const auto &[name, value] : params)
    if (std::none_of(known.begin(), known.end(),
                     [&](const ProblemParam &p) { return p.name == name; })) {
      error = kernel + " has no parameter '" + name + "' (see --list)";
      return false;
    }
  bool made = kernel == "group_quant"      ? groupQuant(params, seed, problem, error)
              : kernel == "token_quant"    ? tokenQuant(params, seed, problem, error)
              : kernel == "silu_mul_nvfp4" ? siluMulNvfp4(params, seed, problem, error)
              : kernel == "matmul"         ? matmul(params, seed, problem, error)
              : kernel == "grouped_gemm_i8"
                  ? groupedGemmProblem(params, seed, problem, error)
                                           : siluMulQuant(params, seed, problem, error);
  // A launch has at most 2^31 - 1 programs along x, 65535 along y (CUDA's
  // limits).
  if (made && !problem.grid.exceedsLimits().empty()) {
    error = problem.grid.exceedsLimits();
    return false;
  }
  return made;
}

} // namespace tile::run
