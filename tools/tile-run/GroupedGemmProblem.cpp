//===- GroupedGemmProblem.cpp - tile-run's grouped_gemm_i8 problem --------===//
//
// Experts' rows (a comma list of counts, or M rows split among E experts at
// random with some experts empty), fresh int8 operands over the whole
// -128..127 range, random positive scales over several binades, and the
// check: every element of every expert's rows bit-exact against
// GroupedGemmReference.h (on the GPU too: the numerics are exact by
// construction, KERNELS.md section 5), every other byte of out untouched.
// With swiglu=1 (b's rows [gate | up], out N/2 columns of silu(gate) * up)
// the interpreter is still bit-exact (it shares the reference's std::exp);
// on the GPU exp is approximate and each element must be within
// groupedGemmSwigluAccepts's bound instead (an ulp of the out type at a
// rounding boundary), every other byte still untouched.
//
//===----------------------------------------------------------------------===//

#include "ProblemSupport.h"

#include "moe/GroupedGemmParams.h"
#include "moe/GroupedGemmReference.h"

#include <cstring>
#include <random>

using namespace tile::kernels;

namespace tile::run {

const std::vector<ProblemParam> &groupedGemmProblemParams() {
  static const std::vector<ProblemParam> params = {
    {"E", "8", "experts (with counts=random)"},
    {"M", "256", "rows, split among the experts at random (with counts=random)"},
    {"counts", "random",
     "the experts' row counts, e.g. 0,5,0,33 (sets E and M), or random"},
    {"pad_rows", "0", "rows past the last expert's (neither read nor written)"},
    {"N", "512", "output columns (any: ragged edges masked)"},
    {"K", "1024", "the dot's length (a multiple of group)"},
    {"group", "128", "K elements per quant group (a multiple of block_k)"},
    {"precision", "f16_exact", "native|f16_exact (f16_exact: group <= 1024)"},
    {"act_scales", "token_group", "token|token_group"},
    {"out", "bf16", "bf16|fp16|f32"},
    {"weights", "int8", "int8|int4 (int4: pairs along N, N even)"},
    {"swiglu", "0",
     "1: b's N rows are [gate | up] (N even), out [M, N/2] = silu(gate) * up"},
    {"block_m", "64", "rows per program"},
    {"block_n", "128 (64 with swiglu)", "out columns per program"},
    {"block_k", "64 (32 if it does not divide group)", "K step"},
    {"n_split", "0",
     "2: the tile's columns as two halves, each its own dot; 1: one dot; "
     "0: auto (2 for f16_exact tiles of <= 64 rows, >= 128 columns)"},
    {"num_warps", "4 (8 with swiglu)", "warps per program"},
    {"num_stages", "0",
     "shared buffers of the pipelined K loop, 1 to 8, or 0: the kernel's "
     "rule"},
    {"scale_prefetch", "auto", "auto|ahead|in_group|pipelined"},
    {"copies_at", "auto", "auto|top|after_first_dot|bottom"},
    {"min_programs_per_sm", "0", "programs an SM should hold, or 0: ptxas's"},
    {"shared_immediate_offsets", "auto", "auto|off|on"},
    {"mma", "sync", "sync|warpgroup"},
    {"groups_per_step", "1",
     "quant groups one iteration of the K loop computes, 1 or 2"},
    {"tile_schedule",
     "experts up to 32 rows an expert on average (SwiGLU: below 4), else rows",
     "rows (tiles of the global rows, straddling experts) | experts (each "
     "tile within one expert)"},
    {"lda", "K", "elements between rows of a (>= K)"},
    {"ldo", "N (N/2 with swiglu)", "elements between rows of out (>= its columns)"},
  };
  return params;
}

namespace {

/// A comma-separated list of non-negative counts, or false.
bool parseCounts(const std::string &list, std::vector<int64_t> &counts) {
  size_t at = 0;
  while (at <= list.size()) {
    size_t comma = std::min(list.find(',', at), list.size());
    std::string item = list.substr(at, comma - at);
    char *end = nullptr;
    errno = 0;
    long long v = std::strtoll(item.c_str(), &end, 10);
    if (item.empty() || *end || errno == ERANGE || v < 0 || v > INT32_MAX)
      return false;
    counts.push_back(v);
    at = comma + 1;
  }
  return !counts.empty();
}

/// A positive f32 with a random significand, 2^lo to 2^hi.
float randomScale(std::mt19937_64 &rng, int lo, int hi) {
  std::uniform_real_distribution<float> mantissa(1.0f, 2.0f);
  std::uniform_int_distribution<int> exponent(lo, hi - 1);
  return std::ldexp(mantissa(rng), exponent(rng));
}

} // namespace

bool groupedGemmProblem(const Params &p, uint64_t seed, Problem &problem,
                        std::string &error) {
  Reader r{p, error, "grouped_gemm_i8"};
  GroupedGemmSpec spec;
  r.read(groupedGemmParams(),
         {"precision", "act_scales", "out", "weights", "swiglu",
          "scale_prefetch", "copies_at", "shared_immediate_offsets", "mma",
          "tile_schedule"},
         spec);
  spec.numWarps = int(r.integer("num_warps", spec.numWarps));
  spec.numStages = int(r.integer("num_stages", spec.numStages));
  spec.minProgramsPerSM =
      int(r.integer("min_programs_per_sm", spec.minProgramsPerSM));
  spec.group = int(r.integer("group", spec.group));
  spec.blockM = int(r.integer("block_m", spec.blockM));
  spec.blockN = int(r.integer("block_n", spec.blockN));
  spec.blockK = int(r.integer("block_k", spec.blockK));
  spec.nSplit = int(r.integer("n_split", spec.nSplit));
  spec.groupsPerStep = int(r.integer("groups_per_step", spec.groupsPerStep));
  int64_t E = r.integer("E", 8), M = r.integer("M", 256);
  int64_t pad = r.integer("pad_rows", 0);
  int64_t N = r.integer("N", 512), K = r.integer("K", 1024);
  std::vector<int64_t> counts;
  bool listed = p.count("counts") && p.at("counts") != "random";
  if (listed) {
    r.require(parseCounts(p.at("counts"), counts),
              "counts must be a comma-separated list of row counts or "
              "'random', got '" + p.at("counts") + "'");
    E = int64_t(counts.size());
    M = 0;
    for (int64_t c : counts)
      M += c;
  }
  r.require(pad >= 0, "pad_rows must be >= 0");
  r.require(M >= 0, "M must be >= 0");
  r.require(E >= 1, "E must be at least 1");
  M += std::max<int64_t>(pad, 0);
  // The tile parameters not given: the Python package's choice for this
  // M and E (chooseGroupedGemmTile).
  GroupedGemmSpec chosen = spec;
  chooseGroupedGemmTile(chosen, M, E);
  if (!p.count("block_m"))
    spec.blockM = chosen.blockM;
  if (!p.count("block_n"))
    spec.blockN = chosen.blockN;
  if (!p.count("block_k"))
    spec.blockK = chosen.blockK;
  if (!p.count("num_warps"))
    spec.numWarps = chosen.numWarps;
  if (!p.count("tile_schedule"))
    spec.tileSchedule = chosen.tileSchedule;
  int64_t lda = r.integer("lda", K),
          ldo = r.integer("ldo", spec.swiglu ? N / 2 : N);
  if (error.empty()) {
    std::string refusal = groupedGemmSpecError(spec);
    r.require(refusal.empty(), "grouped_gemm_i8: " + refusal);
  }
  if (error.empty()) {
    std::string refusal = groupedGemmShapeError(spec, M, N, K, E, lda, ldo);
    r.require(refusal.empty(), "grouped_gemm_i8: " + refusal);
  }
  if (error.empty())
    r.fitsHost(double(M) * lda + double(groupedGemmWeightBytes(spec, E, N, K)) +
                   double(M + E * N) * 4 *
                   (K / spec.group),
               double(M) * ldo * groupedGemmOutBytes(spec));
  if (!error.empty())
    return false;
  const int64_t outN = groupedGemmOutCols(spec, N);
  spec.divisibility = divisibilityOf({K, outN, lda, ldo});
  problem.kernelParams = paramsOf(groupedGemmParams(), spec);

  std::mt19937_64 rng(seed);
  // Expert e owns rows [offsets[e], offsets[e + 1]); random cuts leave some
  // experts empty. The last pad rows belong to no expert.
  std::vector<int32_t> offsets(E + 1, 0);
  if (listed) {
    for (int64_t e = 0; e < E; ++e)
      offsets[e + 1] = int32_t(offsets[e] + counts[e]);
  } else {
    std::uniform_int_distribution<int64_t> cut(0, M - pad);
    for (int64_t e = 1; e < E; ++e)
      offsets[e] = int32_t(cut(rng));
    offsets[E] = int32_t(M - pad);
    std::sort(offsets.begin(), offsets.end());
  }
  const int64_t G = K / spec.group, saPerRow = actScalesPerRow(spec, K);
  const int ob = groupedGemmOutBytes(spec);
  const char *outName = spec.out == GroupedGemmOut::BF16  ? "bf16"
                        : spec.out == GroupedGemmOut::F16 ? "fp16"
                                                          : "f32";
  problem.buffers.push_back(
      makeBuffer("a", "int8", 1, {M, K}, {lda, 1}, M * lda, false));
  problem.buffers.push_back(makeBuffer("group_offsets", "i32", 4, {E + 1}, {1},
                                       E + 1, false));
  const bool int4 = spec.weights == GroupedGemmWeights::I4;
  const int64_t bRows = int4 ? N / 2 : N;
  problem.buffers.push_back(makeBuffer("b", int4 ? "uint8" : "int8",
                                       1, {E, bRows, K}, {bRows * K, K, 1},
                                       E * bRows * K, false));
  problem.buffers.push_back(makeBuffer("sa", "f32", 4, {M, saPerRow},
                                       {saPerRow, 1}, M * saPerRow, false));
  problem.buffers.push_back(
      makeBuffer("sb", "f32", 4, {E, N, G}, {N * G, G, 1}, E * N * G, false));
  problem.buffers.push_back(
      makeBuffer("out", outName, ob, {M, outN}, {ldo, 1}, M * ldo, true));
  std::uniform_int_distribution<int> byte(-128, 127);
  for (int i : {0, 2})
    for (uint8_t &v : problem.buffers[i].data)
      v = uint8_t(int8_t(byte(rng)));
  std::memcpy(problem.buffers[1].data.data(), offsets.data(), (E + 1) * 4);
  // Scales of 2^-9 to 2^-6: products up to 2^-12, so that sums of int8
  // group dots stay well inside f16's range.
  for (int i : {3, 4}) {
    std::vector<uint8_t> &d = problem.buffers[i].data;
    for (size_t j = 0; j + 4 <= d.size(); j += 4) {
      float s = randomScale(rng, -9, -6);
      std::memcpy(&d[j], &s, 4);
    }
  }
  problem.args = {{"a", 0},      {"group_offsets", 1}, {"b", 2},
                  {"sa", 3},     {"sb", 4},            {"out", 5},
                  {"M", -1, M},  {"N", -1, N},         {"K", -1, K},
                  {"E", -1, E},  {"lda", -1, lda},     {"ldo", -1, ldo}};
  problem.grid = groupedGemmGrid(spec, M, N, E);
  problem.description = "E=" + std::to_string(E) + " M=" + std::to_string(M) +
                        " N=" + std::to_string(N) + " K=" + std::to_string(K) +
                        " group=" + std::to_string(spec.group) + " " +
                        (spec.precision == GroupedGemmPrecision::Native
                             ? "native"
                             : "f16_exact") +
                        " " + outName + (int4 ? " int4" : "") +
                        (spec.swiglu ? " swiglu" : "");
  // Loaded offsets (tile-run --load) must describe experts as KERNELS.md
  // section 5 does: non-decreasing, from 0 or more to at most M.
  problem.acceptInputs = [E, M](std::vector<Buffer> &b) -> std::string {
    std::vector<int32_t> offsets(E + 1);
    std::memcpy(offsets.data(), b[1].data.data(), (E + 1) * 4);
    if (offsets[0] < 0)
      return "group_offsets[0] is negative (" + std::to_string(offsets[0]) + ")";
    for (int64_t e = 0; e < E; ++e)
      if (offsets[e + 1] < offsets[e])
        return "group_offsets decrease at expert " + std::to_string(e) + " (" +
               std::to_string(offsets[e]) + " then " +
               std::to_string(offsets[e + 1]) + ")";
    if (offsets[E] > M)
      return "group_offsets[E] = " + std::to_string(offsets[E]) +
             " is past M = " + std::to_string(M);
    return "";
  };
  problem.check = [spec, E, M, N, K, lda, ldo, outN,
                   ob](const std::vector<Buffer> &b, bool gpu) {
    // The inputs as the kernel read them (fresh, or loaded by --load).
    auto input = [&](int i) { return b[i].data.data(); };
    std::vector<int32_t> offsets(E + 1);
    std::memcpy(offsets.data(), b[1].data.data(), (E + 1) * 4);
    std::vector<uint8_t> want(b[5].data.size(), 0xa5);
    groupedGemmReference(
        spec, reinterpret_cast<const int8_t *>(input(0)),
        offsets.data(), E, reinterpret_cast<const int8_t *>(input(2)),
        reinterpret_cast<const float *>(input(3)),
        reinterpret_cast<const float *>(input(4)), want.data(), M, N,
        K, lda, ldo);
    const std::vector<uint8_t> &got = b[5].data;
    // SwiGLU on the GPU: an element that is not bit-exact may still be
    // within the bound of the GPU's exp (GroupedGemmReference.h).
    const bool bounded = spec.swiglu && gpu;
    auto withinBound = [&](int64_t m, int64_t j) {
      int64_t e = groupedGemmExpertOf(offsets.data(), E, m);
      auto acc = [&](int64_t n) {
        return groupedGemmAccumulator(
            spec, reinterpret_cast<const int8_t *>(input(0)),
            reinterpret_cast<const int8_t *>(input(2)),
            reinterpret_cast<const float *>(input(3)),
            reinterpret_cast<const float *>(input(4)), m, e, n, N, K,
            lda);
      };
      return groupedGemmSwigluAccepts(
          spec, acc(j), acc(N / 2 + j),
          groupedGemmLoad(spec, got.data(), m * ldo + j));
    };
    int64_t compared = 0, wrong = 0, stray = 0, inexact = 0;
    std::string first;
    for (int64_t m = 0; m < M; ++m) {
      bool real = m >= offsets[0] && m < offsets[E];
      for (int64_t n = 0; n < ldo; ++n) {
        size_t at = size_t(m * ldo + n) * ob;
        bool same = std::memcmp(&got[at], &want[at], ob) == 0;
        if (!real || n >= outN) {
          stray += !same;
          continue;
        }
        ++compared;
        // A NaN (from a loaded input) matches a NaN of any sign and payload.
        same = same ||
               (std::isnan(groupedGemmLoad(spec, got.data(), m * ldo + n)) &&
                std::isnan(groupedGemmLoad(spec, want.data(), m * ldo + n)));
        if (!same && bounded && withinBound(m, n)) {
          ++inexact;
          continue;
        }
        if (!same && wrong++ == 0)
          first = ", first at [" + std::to_string(m) + ", " +
                  std::to_string(n) + "]: " +
                  std::to_string(groupedGemmLoad(spec, got.data(), m * ldo + n)) +
                  " instead of " +
                  std::to_string(groupedGemmLoad(spec, want.data(), m * ldo + n));
      }
    }
    Verdict v{"out", wrong == 0 && stray == 0, ""};
    v.detail = std::to_string(compared) + " elements, " +
               std::to_string(wrong) + " wrong" + first + ", " +
               std::to_string(stray) +
               " elements written outside the experts' rows" +
               (bounded ? " (swiglu on the GPU: " + std::to_string(inexact) +
                              " within the bound of its approximate exp, the "
                              "rest bit-exact)"
                        : " (bit-exact required)");
    return std::vector<Verdict>{v};
  };
  return true;
}

} // namespace tile::run
