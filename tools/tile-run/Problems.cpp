//===- Problems.cpp - The problems tile-run runs, per kernel --------------===//
//
// For each shipped kernel: its problem parameters, fresh random inputs, the
// kernel parameters the problem implies, and the checks of KERNELS.md
// against the kernel's C++ reference.
//
//===----------------------------------------------------------------------===//

#include "Problem.h"

#include "GroupQuantSpec.h"
#include "SiluMulNvfp4Spec.h"
#include "SiluMulQuantSpec.h"
#include "TokenQuantSpec.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <random>

using namespace tile::kernels;

namespace tile::run {

namespace {

using Params = std::map<std::string, std::string>;

/// Reads parameters, remembering the first error.
struct Reader {
  const Params &params;
  std::string &error;
  int64_t integer(const std::string &name, int64_t fallback) {
    auto it = params.find(name);
    if (it == params.end())
      return fallback;
    char *end = nullptr;
    long long v = std::strtoll(it->second.c_str(), &end, 10);
    if (it->second.empty() || *end) {
      if (error.empty())
        error = "parameter '" + name + "' must be an integer, got '" +
                it->second + "'";
      return fallback;
    }
    return v;
  }
  std::string text(const std::string &name, const std::string &fallback) {
    auto it = params.find(name);
    return it == params.end() ? fallback : it->second;
  }
  void require(bool ok, const std::string &message) {
    if (!ok && error.empty())
      error = message;
  }
};

/// The largest power of two, from `floor` up to 16, dividing every value:
/// what a kernel may assume of its strides.
int divisibilityOf(std::initializer_list<int64_t> values, int floor = 1) {
  int div = floor;
  while (div < 16 && std::all_of(values.begin(), values.end(),
                                 [&](int64_t v) { return v % (div * 2) == 0; }))
    div *= 2;
  return div;
}

bool validGroup(int64_t g) {
  return g == 16 || g == 32 || g == 64 || g == 128 || g == 256;
}

Int8Rounding roundingOf(const std::string &s) {
  return s == "rtz"      ? Int8Rounding::TowardZero
         : s == "rna127" ? Int8Rounding::HalfAwayFrom127
                         : Int8Rounding::NearestEven;
}

InType inTypeOf(const std::string &s) {
  return s == "fp16" ? InType::F16 : s == "f32" ? InType::F32 : InType::BF16;
}

ScaleLayout layoutOf(const std::string &s) {
  return s == "col"       ? ScaleLayout::ColMajor
         : s == "col_tma" ? ScaleLayout::ColMajorTMA
         : s == "ue8m0_packed" ? ScaleLayout::UE8M0Packed
                               : ScaleLayout::RowMajor;
}

Buffer makeBuffer(std::string name, std::string type, int bytes,
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
  Reader r{p, error};
  GroupQuantSpec spec;
  spec.group = r.integer("group", 128);
  spec.in = inTypeOf(r.text("in", "bf16"));
  spec.out = r.text("out", "fp8") == "int8" ? OutType::INT8 : OutType::FP8;
  spec.scales = layoutOf(r.text("scales", "row"));
  spec.ue8m0 = r.integer("ue8m0", 0) != 0;
  spec.int8Rounding = roundingOf(r.text("rounding", "rtne"));
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
  if (!error.empty())
    return false;
  int div = divisibilityOf({stride});
  spec.strideDivisibility = div;
  problem.kernelParams = {{"group", std::to_string(spec.group)},
                          {"in", r.text("in", "bf16")},
                          {"out", r.text("out", "fp8")},
                          {"scales", r.text("scales", "row")},
                          {"ue8m0", spec.ue8m0 ? "1" : "0"},
                          {"rounding", r.text("rounding", "rtne")},
                          {"stride_divisibility", std::to_string(div)},
                          // The grid below comes from spec: the kernel must
                          // have its shape, not the registry's defaults.
                          {"groups_per_program", std::to_string(spec.groupsPerProgram)},
                          {"num_warps", std::to_string(spec.numWarps)}};
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
                  {"M", -1, int32_t(M)},
                  {"K", -1, int32_t(K)},
                  {"stride_x", -1, int32_t(stride)},
                  {"stride_q", -1, int32_t(stride)},
                  {"scale_stride_m", -1, int32_t(ss.strideM)},
                  {"scale_stride_g", -1, int32_t(ss.strideG)}};
  problem.grid = groupQuantGrid(spec, M, K);
  problem.description = std::to_string(M) + "x" + std::to_string(K) + " G" +
                        std::to_string(spec.group) + " " + name(spec.in) +
                        "->" + name(spec.out) + " " + name(spec.scales);
  std::vector<uint8_t> x = problem.buffers[0].data;
  problem.check = [spec, x, M, K, stride, packed](const std::vector<Buffer> &b,
                                                 bool) {
    std::vector<uint8_t> q(b[1].data.size(), 0xa5), q2(q.size(), 0x5a);
    std::vector<uint8_t> s(b[2].data.size(), 0xa5), s2(s.size(), 0x5a);
    groupQuantReference(spec, x.data(), q.data(), s.data(), M, K, stride, stride);
    groupQuantReference(spec, x.data(), q2.data(), s2.data(), M, K, stride, stride);
    return std::vector<Verdict>{
        compareCodes(b[1], q, q2, spec.out == OutType::FP8, true),
        compareScales(b[2], s, s2, packed, true)};
  };
  return true;
}

bool tokenQuant(const Params &p, uint64_t seed, Problem &problem,
                std::string &error) {
  Reader r{p, error};
  TokenQuantSpec spec;
  spec.in = inTypeOf(r.text("in", "bf16"));
  spec.out = r.text("out", "fp8") == "int8" ? OutType::INT8 : OutType::FP8;
  spec.ue8m0 = r.integer("ue8m0", 0) != 0;
  spec.int8Rounding = roundingOf(r.text("rounding", "rtne"));
  int64_t M = r.integer("M", 64), K = r.integer("K", 1368);
  int64_t stride = r.integer("row_stride", K);
  r.require(M >= 0 && K > 0 && K % 4 == 0,
            "K (" + std::to_string(K) + ") must be a positive multiple of 4");
  r.require(K <= 16384, "K (" + std::to_string(K) + ") is above 16384");
  r.require(stride >= K, "row_stride (" + std::to_string(stride) +
                             ") is smaller than the row (K = " +
                             std::to_string(K) + ")");
  if (!error.empty())
    return false;
  int blockK = 16;
  while (blockK < K)
    blockK *= 2;
  int div = divisibilityOf({K, stride}, 4);
  // 2 rows of 4 warps up to 2048 columns, else a row of 8 (measured best on
  // an H200, bench/RESULTS.md).
  spec.rowsPerProgram = blockK <= 2048 ? 2 : 1;
  spec.numWarps = blockK <= 2048 ? 4 : 8;
  // A row within three quarters of the tile is held as a half and a quarter
  // tile (1368 as 1024 + 512): fewer lanes masked off, the same speed on an
  // H200, and the tail_k path runs wherever tile-run does.
  if (blockK >= 256 && 4 * K <= 3 * blockK) {
    spec.tailK = blockK / 4;
    blockK /= 2;
  }
  spec.blockK = blockK;
  spec.kDivisibility = div;
  problem.kernelParams = {{"in", r.text("in", "bf16")},
                          {"out", r.text("out", "fp8")},
                          {"ue8m0", spec.ue8m0 ? "1" : "0"},
                          {"rounding", r.text("rounding", "rtne")},
                          {"block_k", std::to_string(blockK)},
                          {"tail_k", std::to_string(spec.tailK)},
                          {"k_divisibility", std::to_string(div)},
                          {"rows_per_program", std::to_string(spec.rowsPerProgram)},
                          {"num_warps", std::to_string(spec.numWarps)}};
  std::mt19937_64 rng(seed);
  problem.buffers.push_back(makeBuffer("x", name(spec.in), inputBytes(spec.in),
                                       {M, K}, {stride, 1}, M * stride, false));
  fillInput(problem.buffers[0], spec.in, rng);
  problem.buffers.push_back(
      makeBuffer("q", name(spec.out), 1, {M, K}, {stride, 1}, M * stride, true));
  problem.buffers.push_back(makeBuffer("scales", "f32", 4, {M}, {1}, M, true));
  problem.args = {{"x", 0},          {"q", 1},
                  {"scales", 2},     {"M", -1, int32_t(M)},
                  {"K", -1, int32_t(K)}, {"stride_x", -1, int32_t(stride)},
                  {"stride_q", -1, int32_t(stride)}, {"scale_stride", -1, 1}};
  problem.grid = tokenQuantGrid(spec, M);
  problem.description = std::to_string(M) + "x" + std::to_string(K) + " " +
                        name(spec.in) + "->" + name(spec.out);
  std::vector<uint8_t> x = problem.buffers[0].data;
  problem.check = [spec, x, M, K, stride](const std::vector<Buffer> &b, bool) {
    std::vector<uint8_t> q(b[1].data.size(), 0xa5), q2(q.size(), 0x5a);
    std::vector<uint8_t> s(b[2].data.size(), 0xa5), s2(s.size(), 0x5a);
    tokenQuantReference(spec, x.data(), q.data(), reinterpret_cast<float *>(s.data()),
                        M, K, stride, stride, 1);
    tokenQuantReference(spec, x.data(), q2.data(), reinterpret_cast<float *>(s2.data()),
                        M, K, stride, stride, 1);
    return std::vector<Verdict>{
        compareCodes(b[1], q, q2, spec.out == OutType::FP8, true),
        compareScales(b[2], s, s2, false, true)};
  };
  return true;
}

bool siluMulQuant(const Params &p, uint64_t seed, Problem &problem,
                  std::string &error) {
  Reader r{p, error};
  SiluMulQuantSpec spec;
  spec.group = r.integer("group", 128);
  spec.out = r.text("out", "fp8") == "int8" ? OutType::INT8 : OutType::FP8;
  spec.scales = layoutOf(r.text("scales", "row"));
  spec.ue8m0 = r.integer("ue8m0", 0) != 0;
  spec.upFirst = r.integer("up_first", 0) != 0;
  spec.fp32Intermediate = r.integer("fp32_intermediate", 0) != 0;
  spec.int8Rounding = roundingOf(r.text("rounding", "rtne"));
  spec.masked = r.params.count("E") || r.params.count("T");
  int64_t H = r.integer("H", 2048);
  int64_t E = r.integer("E", 1), T = r.integer("T", 0);
  int64_t M = spec.masked ? E * T : r.integer("M", 64);
  int64_t stride = r.integer("row_stride", 2 * H);
  r.require(r.text("in", "bf16") == "bf16", "silu_mul_quant takes in=bf16 only");
  r.require(validGroup(spec.group), "group must be 16, 32, 64, 128 or 256, got " +
                                        std::to_string(spec.group));
  r.require(spec.group > 0 && H > 0 && H % spec.group == 0,
            "H (" + std::to_string(H) + ") is not divisible by group (" +
                std::to_string(spec.group) + ")");
  r.require(stride >= 2 * H, "row_stride (" + std::to_string(stride) +
                                 ") is smaller than the row (2H = " +
                                 std::to_string(2 * H) + ")");
  r.require(!spec.masked || (E > 0 && T > 0), "the masked form needs E > 0 and T > 0");
  if (!error.empty())
    return false;
  int div = divisibilityOf({stride, H});
  spec.strideDivisibility = div;
  spec = tunedFor(spec, M, H);
  problem.kernelParams = {{"group", std::to_string(spec.group)},
                          {"out", r.text("out", "fp8")},
                          {"scales", r.text("scales", "row")},
                          {"ue8m0", spec.ue8m0 ? "1" : "0"},
                          {"up_first", spec.upFirst ? "1" : "0"},
                          {"fp32_intermediate", spec.fp32Intermediate ? "1" : "0"},
                          {"rounding", r.text("rounding", "rtne")},
                          {"masked", spec.masked ? "1" : "0"},
                          {"stride_divisibility", std::to_string(div)},
                          {"groups_per_program", std::to_string(spec.groupsPerProgram)},
                          {"num_warps", std::to_string(spec.numWarps)}};
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
    std::uniform_int_distribution<int64_t> live(0, T);
    for (auto &m : maskedM)
      m = int32_t(live(rng));
    problem.buffers.push_back(makeBuffer("masked_m", "i32", 4, {E}, {1}, E, false));
    std::memcpy(problem.buffers.back().data.data(), maskedM.data(), E * 4);
    problem.args = {{"x", 0}, {"q", 1}, {"scales", 2}, {"masked_m", 3},
                    {"T", -1, int32_t(T)}, {"H", -1, int32_t(H)},
                    {"stride_x", -1, int32_t(stride)}, {"stride_q", -1, int32_t(H)},
                    {"scale_stride_e", -1, int32_t(ss.size)},
                    {"scale_stride_t", -1, int32_t(ss.strideM)},
                    {"scale_stride_g", -1, int32_t(ss.strideG)}};
  } else {
    problem.args = {{"x", 0}, {"q", 1}, {"scales", 2}, {"M", -1, int32_t(M)},
                    {"H", -1, int32_t(H)}, {"stride_x", -1, int32_t(stride)},
                    {"stride_q", -1, int32_t(H)},
                    {"scale_stride_m", -1, int32_t(ss.strideM)},
                    {"scale_stride_g", -1, int32_t(ss.strideG)}};
  }
  problem.grid = siluMulQuantGrid(spec, M, H);
  problem.description =
      (spec.masked ? "E=" + std::to_string(E) + " T=" + std::to_string(T)
                   : "M=" + std::to_string(M)) +
      " H=" + std::to_string(H) + " " + name(spec.out) + " " + name(spec.scales);
  std::vector<uint16_t> x(M * stride);
  std::memcpy(x.data(), problem.buffers[0].data.data(), x.size() * 2);
  problem.check = [spec, x, M, H, T, stride, packed, maskedM](
                      const std::vector<Buffer> &b, bool gpu) {
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
  Reader r{p, error};
  SiluMulNvfp4Spec spec;
  spec.upFirst = r.integer("up_first", 0) != 0;
  int64_t M = r.integer("M", 64), K = r.integer("K", 2048);
  int64_t E = r.integer("E", 4);
  int64_t stride = r.integer("row_stride", 2 * K);
  r.require(M >= 0 && K > 0 && K % 16 == 0,
            "K (" + std::to_string(K) + ") must be a positive multiple of 16");
  r.require(E >= 1 && E <= spec.maxExperts,
            "E must be in [1, " + std::to_string(spec.maxExperts) + "]");
  r.require(stride >= 2 * K, "row_stride (" + std::to_string(stride) +
                                 ") is smaller than the row (2K = " +
                                 std::to_string(2 * K) + ")");
  if (!error.empty())
    return false;
  int div = divisibilityOf({stride});
  spec.strideDivisibility = div;
  problem.kernelParams = {{"up_first", spec.upFirst ? "1" : "0"},
                          {"stride_divisibility", std::to_string(div)},
                          {"blocks_per_program", std::to_string(spec.blocksPerProgram)},
                          {"max_experts", std::to_string(spec.maxExperts)},
                          {"num_warps", std::to_string(spec.numWarps)}};
  std::mt19937_64 rng(seed);
  // Rows split among the experts at random, some experts empty.
  std::vector<int32_t> offsets;
  std::vector<float> gs;
  randomExperts(rng, M, E, offsets, gs);
  problem.buffers.push_back(
      makeBuffer("x", "bf16", 2, {M, 2 * K}, {stride, 1}, M * stride, false));
  std::normal_distribution<float> dist(0.0f, 2.0f);
  for (int64_t i = 0; i < M * stride; ++i) {
    uint16_t h = numerics::floatToBf16(dist(rng));
    std::memcpy(&problem.buffers[0].data[i * 2], &h, 2);
  }
  problem.buffers.push_back(
      makeBuffer("q", "uint8", 1, {M, K / 2}, {K / 2, 1}, M * K / 2, true));
  int64_t scaleBytes = nvfp4ScaleBytes(M, K);
  problem.buffers.push_back(makeBuffer("scales", "uint8", 1, {scaleBytes}, {1},
                                       scaleBytes, true));
  problem.buffers.push_back(makeBuffer("offsets", "i32", 4, {E + 1}, {1}, E + 1, false));
  std::memcpy(problem.buffers[3].data.data(), offsets.data(), (E + 1) * 4);
  problem.buffers.push_back(makeBuffer("global_scales", "f32", 4, {E}, {1}, E, false));
  std::memcpy(problem.buffers[4].data.data(), gs.data(), E * 4);
  problem.args = {{"x", 0}, {"q", 1}, {"scales", 2}, {"offsets", 3},
                  {"global_scales", 4}, {"M", -1, int32_t(M)},
                  {"K", -1, int32_t(K)}, {"E", -1, int32_t(E)},
                  {"stride_x", -1, int32_t(stride)}};
  problem.grid = siluMulNvfp4Grid(spec, M, K);
  problem.description = "M=" + std::to_string(M) + " K=" + std::to_string(K) +
                        " E=" + std::to_string(E);
  std::vector<uint16_t> x(M * stride);
  std::memcpy(x.data(), problem.buffers[0].data.data(), x.size() * 2);
  problem.check = [spec, x, offsets, gs, M, K, stride](
                      const std::vector<Buffer> &b, bool gpu) {
    std::vector<uint8_t> q(b[1].data.size(), 0xa5), q2(q.size(), 0x5a);
    std::vector<uint8_t> s(b[2].data.size(), 0xa5), s2(s.size(), 0x5a);
    siluMulNvfp4Reference(spec, x.data(), offsets, gs, q.data(), s.data(), M,
                          K, stride);
    siluMulNvfp4Reference(spec, x.data(), offsets, gs, q2.data(), s2.data(), M,
                          K, stride);
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

} // namespace

const std::vector<ProblemParam> &problemParams(const std::string &kernel) {
  static const std::map<std::string, std::vector<ProblemParam>> all = {
      {"group_quant",
       {{"M", "64", "rows"}, {"K", "7168", "columns (a multiple of group)"},
        {"group", "128", "16, 32, 64, 128 or 256"}, {"in", "bf16", "bf16|fp16|f32"},
        {"out", "fp8", "fp8|int8"}, {"scales", "row", "row|col|col_tma|ue8m0_packed"},
        {"ue8m0", "0", "0|1"}, {"rounding", "rtne", "int8: rtne|rtz|rna127"},
        {"row_stride", "K", "elements between rows (>= K)"}}},
      {"token_quant",
       {{"M", "64", "rows"}, {"K", "1368", "columns (a multiple of 4, <= 16384)"},
        {"in", "bf16", "bf16|fp16|f32"}, {"out", "fp8", "fp8|int8"},
        {"ue8m0", "0", "0|1"}, {"rounding", "rtne", "int8: rtne|rtz|rna127"},
        {"row_stride", "K", "elements between rows (>= K)"}}},
      {"silu_mul_quant",
       {{"M", "64", "rows (contiguous form)"},
        {"E", "-", "experts (masked form; with T)"},
        {"T", "-", "rows per expert (masked form)"},
        {"H", "2048", "output columns (x has 2H)"}, {"group", "128", "16..256"},
        {"out", "fp8", "fp8|int8"}, {"scales", "row", "row|col|col_tma|ue8m0_packed"},
        {"ue8m0", "0", "0|1"}, {"up_first", "0", "0|1"},
        {"fp32_intermediate", "0", "0|1"}, {"rounding", "rtne", "int8: rtne|rtz|rna127"},
        {"row_stride", "2H", "elements between rows of x (>= 2H)"}}},
      {"silu_mul_nvfp4",
       {{"M", "64", "rows, sorted by expert"},
        {"K", "2048", "output columns (a multiple of 16; x has 2K)"},
        {"E", "4", "experts (random offsets, some empty)"},
        {"up_first", "0", "0|1"},
        {"row_stride", "2K", "elements between rows of x (>= 2K)"}}},
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
  if (kernel == "group_quant")
    return groupQuant(params, seed, problem, error);
  if (kernel == "token_quant")
    return tokenQuant(params, seed, problem, error);
  if (kernel == "silu_mul_nvfp4")
    return siluMulNvfp4(params, seed, problem, error);
  return siluMulQuant(params, seed, problem, error);
}

} // namespace tile::run
