//===- GroupedGemm.cpp - The grouped int8 MoE GEMM in the DSL -------------===//
//
// Each program owns a block_m x block_n tile of the global [M, N] output.
// With tile_schedule=rows (the default) its rows are rows p * block_m on and
// may belong to several experts (rows are sorted by expert, and experts are
// not padded to the tile), so the program finds the experts whose rows meet
// its block with a vectorized count over group_offsets (as silu_mul_nvfp4
// finds a row's expert, any E), then for each of them runs the K loop with
// the A rows of other experts masked to zero, and stores that expert's rows
// only. With tile_schedule=experts its rows are one tile of one expert's
// (TileSchedule, GroupedGemmSpec.h): the program counts the experts whose
// tiles end at or before its tile (the tiles' prefix sums a [P, P] masked
// sum a step), then runs that loop once; with 1 row an expert (decode) the
// rows' schedule has ceil(M / block_m) row tiles each looping over
// block_m experts, this one an expert's tile a program (4x faster at 64
// experts, bench/RESULTS.md 2026-12-02). Per quant group: an int32 (native) or a fresh
// f32 (f16_exact) accumulator over the group's K tiles (written out for up
// to 4 tiles, so that the loop over groups is the pipelined K loop; else a
// loop of constant trip count: either way the f16_exact chain is visibly
// one group long), then one f32 multiply of the scales and one fma into the
// f32 master accumulator. B is read K-major ([block_k, block_n] tiles whose dimension 0
// is contiguous), as 8-bit tensor-core operands need; int4 weights are read
// as their bytes (each twice, for the two columns of a pair) and unpacked
// to int8 with two shifts.
//
// With groups_per_step 2 one iteration of the loop over groups computes
// groups g and g + 1 (the second masked off past the last group: zero tiles
// and scales, adding exact zeros), so one copy wait and one barrier serve
// both, and on wgmma tile-pipeline issues both groups' dots together and
// the first group's dequantization runs while the second's compute.
//
// With n_split 2 (groupedGemmNSplit) the tile's columns are two halves of
// block_n / 2, each its own B tile, dot, chain and master accumulator, one A
// tile for both (SwiGLU's structure without its epilogue): f16_exact's
// 64x128 tiles run faster so (bench/RESULTS.md, 2026-12-01 11:33-11:43).
//
// SwiGLU (spec.swiglu): the program's block_n out columns j need b's gate
// rows j and up rows N/2 + j, so each K tile is one A tile and two B tiles,
// two dots into two chains, and the loop over groups carries two master
// accumulators (twice the registers of a plain tile of the same block_n);
// the epilogue is silu(gate) * up in f32 (the DSL's silu: exp, then a
// division), rounded once to the out type. int4 with swiglu: the up row
// N/2 + j may sit in the other nibble than j (N/2 odd), so the up tile has
// its own shifts.
//
//===----------------------------------------------------------------------===//

#include "GroupedGemm.h"

#include "tile/dsl/DSL.h"

#include "mlir/IR/Diagnostics.h"

using namespace tile::dsl;

namespace tile::kernels {

namespace {

/// Offsets of group_offsets searched per step of the expert count.
constexpr int kExpertsPerStep = 16;
/// Experts counted per step of tile_schedule=experts' tile search: 64, so
/// that the usual 8 to 64 experts take one step of independent loads
/// (16 a step paid 4 dependent L2 round trips at 64 experts in every
/// program: f16_exact 6-9% slower than the rows' schedule at 8-32 rows an
/// expert, bench/RESULTS.md 2026-12-02 04:42). Its [64, 64] prefix-sum mask
/// is 32 i32 a thread of 128, before the K loop's registers are live.
constexpr int kTileExpertsPerStep = 64;

Value minI(Value a, Value b) { return where(a < b, a, b); }

} // namespace

mlir::FailureOr<mlir::OwningOpRef<mlir::ModuleOp>>
buildGroupedGemm(mlir::MLIRContext &ctx, const GroupedGemmSpec &spec) {
  if (std::string error = groupedGemmSpecError(spec); !error.empty()) {
    mlir::emitError(mlir::UnknownLoc::get(&ctx)) << "grouped_gemm_i8: " << error;
    return mlir::failure();
  }
  const int BM = spec.blockM, BN = spec.blockN, BK = spec.blockK;
  const int Gk = spec.group, P = kExpertsPerStep;
  const bool native = spec.precision == GroupedGemmPrecision::Native;
  const DType outType = spec.out == GroupedGemmOut::BF16  ? DType::BF16
                        : spec.out == GroupedGemmOut::F16 ? DType::F16
                                                          : DType::F32;
  KernelOptions options;
  options.numWarps = unsigned(spec.numWarps);
  options.numStages = unsigned(groupedGemmStages(spec));
  options.pipelineOtherLoads = groupedGemmScalesPipelined(spec);
  if (groupedGemmCopiesAt(spec) != CopiesAt::Top)
    options.pipelineCopiesAt = copiesAtName(groupedGemmCopiesAt(spec));
  options.minProgramsPerSM = unsigned(spec.minProgramsPerSM);
  options.sharedImmediateOffsets = groupedGemmSharedImmediateOffsets(spec);
  options.warpgroupMma = spec.mma == MmaKind::Warpgroup;
  KernelBuilder k(ctx, "grouped_gemm_i8", options);
  Value a = k.pointer("a", DType::I8);
  Value offsets = k.pointer("group_offsets", DType::I32, 4);
  Value b = k.pointer("b", DType::I8);
  Value sa = k.pointer("sa", DType::F32, 4);
  Value sb = k.pointer("sb", DType::F32, 4);
  Value out = k.pointer("out", outType);
  const unsigned div = unsigned(spec.divisibility);
  const bool swiglu = spec.swiglu;
  // With swiglu the divisibility is that of out's N / 2 columns: N's is
  // twice it (N / 2 then keeps div, for the masks and stores of out).
  Value M = k.scalar("M", DType::I32),
        N = k.scalar("N", DType::I32, swiglu ? 2 * div : div),
        K = k.scalar("K", DType::I32, div), E = k.scalar("E", DType::I32);
  Value lda = k.scalar("lda", DType::I32, div),
        ldo = k.scalar("ldo", DType::I32, div);
  // Columns of out: N, or the N / 2 of [gate | up] with swiglu.
  Value outN = swiglu ? N / 2 : N;

  // Program p: row block p / tilesN, column tile p % tilesN (the programs of
  // one row block are adjacent: they share its A rows in L2).
  Value tilesN = (outN + (BN - 1)) / BN;
  Value pid = programId(0);
  Value zero32 = constant(0, DType::I32);
  const bool byExpert = spec.tileSchedule == TileSchedule::Experts;
  // TileSchedule::Experts: row tile t is tile t - start[e] of expert e,
  // where start[e] = sum_{i < e} ceil(rows_i / BM) and e the expert whose
  // tiles hold t: the count of experts whose tiles end at or before t
  // (E when t is past the last tile), counted P experts at a time, each
  // step's prefix sums as a [P, P] masked sum.
  Value tileExpert, tileRowStart, tileLastRow;
  if (byExpert) {
    const int P = kTileExpertsPerStep;
    Value t = pid / tilesN;
    Value idx = range(0, P);
    Value upToRow = expandDims(idx, 0) <= expandDims(idx, 1); // [P, P]: i <= j
    // {experts ended, their tiles, tiles before e0 + P} after experts
    // [e0, e0 + P) (the experts ended are a prefix: their tiles sum to
    // start[e]).
    auto count = [&](Value e0, std::vector<Value> c) {
      Value ex = idx + e0;
      Value in = ex < E;
      Value lo = load(offsets + ex, in, 0), hi = load(offsets + (ex + 1), in, 0);
      Value tiles = where(in, (hi - lo + (BM - 1)) / BM, zero32); // [P]
      Value ends = sum(where(upToRow, expandDims(tiles, 0), zero32), 1) + c[2];
      Value ended = in & (ends <= t);
      return std::vector<Value>{
          c[0] + sum(where(ended, constant(1, DType::I32), zero32), 0),
          c[1] + sum(where(ended, tiles, zero32), 0),
          c[2] + sum(tiles, 0)};
    };
    std::vector<Value> c = count(zero32, {zero32, zero32, zero32});
    c = forLoop(P, E, P, c, count);
    tileExpert = c[0];
    Value expertLo = load(offsets + tileExpert);
    Value expertHi = load(offsets + minI(tileExpert + 1, E));
    tileRowStart = expertLo + (t - c[1]) * BM;
    tileLastRow = minI(tileRowStart + BM, expertHi) - 1;
  }
  Value rowStart = byExpert ? tileRowStart : pid / tilesN * BM;
  Value rows = rowStart + range(0, BM);         // [BM]
  // groupedGemmNSplit: the tile's columns as two halves, each its own B
  // tile, dot, chain and master (as swiglu's gate and up).
  const bool colSplit = groupedGemmNSplit(spec) == 2;
  const int BNc = colSplit ? BN / 2 : BN; // columns a dot
  Value cols = pid % tilesN * BN + range(0, BNc); // [BNc] columns of out
  Value lastRow = byExpert ? tileLastRow : minI(rowStart + BM, M) - 1;
  Value colsIn = cols < outN;                     // [BNc]
  // The rows of b (and sb) behind out's columns: cols, and with swiglu the
  // up rows N / 2 + cols; with the split, the second half's cols + BNc.
  Value upRows = swiglu ? cols + outN : colSplit ? cols + BNc : Value();
  Value upColsIn = colSplit ? upRows < outN : colsIn; // [BNc]

  // The experts meeting the block: first = the expert of rowStart (how many
  // experts end at or before it), last = the expert of lastRow; counted P
  // offsets at a time, the first P in straight-line code, more in a loop.
  auto ended = [&](Value from, Value row) { // [P]: 1 where an expert ends <= row
    Value ends = range(1, P + 1) + from;
    Value inRange = ends <= E;
    Value end = load(offsets + ends, inRange, 0);
    return where(inRange & (end <= row), constant(1, DType::I32),
                 constant(0, DType::I32));
  };
  Value firstExpert, endExpert;
  if (byExpert) {
    // One expert, none past the last tile.
    firstExpert = tileExpert;
    endExpert = minI(tileExpert + 1, E);
  } else {
    std::vector<Value> counts =
        forLoop(P, E, P, {ended(zero32, rowStart), ended(zero32, lastRow)},
                [&](Value e0, std::vector<Value> n) {
                  return std::vector<Value>{n[0] + ended(e0, rowStart),
                                            n[1] + ended(e0, lastRow)};
                });
    firstExpert = sum(counts[0], 0);
    // lastRow's expert, or E when it is past every expert's rows.
    endExpert = minI(sum(counts[1], 0) + 1, E);
  }

  Value groups = K / Gk; // quant groups per row
  Value K64 = K.to(DType::I64), N64 = N.to(DType::I64);
  Value rows64 = rows.to(DType::I64);
  Value aRows = a + expandDims(rows64 * lda.to(DType::I64), 1); // [BM, 1]
  Value outRows = out + expandDims(rows64 * ldo.to(DType::I64), 1);
  const bool int4 = spec.weights == GroupedGemmWeights::I4;
  // [1, BN] i8: 4 for even rows of b, 0 for odd ones.
  auto nibbleShiftOf = [&](Value bRows) {
    return expandDims(where(bRows % 2 == 0, constant(4, DType::I8),
                            constant(0, DType::I8)),
                      0);
  };
  Value nibbleShift, upNibbleShift;
  if (int4) {
    nibbleShift = nibbleShiftOf(cols);
    if (swiglu || colSplit)
      upNibbleShift = nibbleShiftOf(upRows);
  }

  forLoop(firstExpert, endExpert, 1, {}, [&](Value e, std::vector<Value>) {
    Value lo = load(offsets + e), hi = load(offsets + (e + 1));
    // Only this expert's rows; none at or past M.
    Value rowIn = (rows >= lo) & (rows < hi) & (rows < M); // [BM]
    ifThen((lo < hi) & (lo <= lastRow), [&] {
      Value e64 = e.to(DType::I64);
      // b[e, n, k] = b + e*N*K + n*K + k: [1, BN] column bases (int4: the
      // byte of the pair, b + e*(N/2)*K + (n/2)*K + k) of b's rows bRows.
      auto bColsOf = [&](Value bRows) {
        return int4 ? b + e64 * (N / 2).to(DType::I64) * K64 +
                          expandDims((bRows / 2).to(DType::I64) * K64, 0)
                    : b + e64 * N64 * K64 +
                          expandDims(bRows.to(DType::I64) * K64, 0);
      };
      auto sbColsOf = [&](Value bRows) { // [BN]
        return sb + (e64 * N64 + bRows.to(DType::I64)) * groups.to(DType::I64);
      };
      Value bCols = bColsOf(cols), sbCols = sbColsOf(cols);
      Value bUpCols, sbUpCols;
      if (swiglu || colSplit) {
        bUpCols = bColsOf(upRows);
        sbUpCols = sbColsOf(upRows);
      }
      Value aMask = expandDims(rowIn, 1);             // [BM, 1]
      Value bMask = expandDims(colsIn, 0);            // [1, BNc]
      Value bUpMask = expandDims(upColsIn, 0);        // [1, BNc]
      Value saToken;
      if (spec.actScales == ActScales::Token)
        saToken = load(sa + rows64, rowIn, 0.0); // [BM]
      Value saRows = sa + rows64 * groups.to(DType::I64);

      // The master accumulators: out's columns (with swiglu: the gate
      // columns; split: the first half), then with swiglu the up columns
      // (split: the second half).
      const int tiles = swiglu || colSplit ? 2 : 1;
      // Group g's scales. Ahead (spec.scalePrefetch): loaded in iteration
      // g - 1 (the first before the loop) and carried, because a load in
      // iteration g is used at its end, and its global latency, not hidden
      // behind a native group's mma.sync on 2 warps a scheduler, was that
      // kernel's largest stall (ncu, 2026-11-30: long scoreboard, the FMULs
      // of sa * sb waiting on it). Past the last group the loads are masked
      // off.
      const bool groupActScales = spec.actScales != ActScales::Token;
      const bool ahead = groupedGemmScalesAhead(spec);
      // `guard`: g may be past the last group.
      auto loadScales = [&](Value g, bool guard) {
        std::vector<Value> scales;
        Value rowMask = guard ? rowIn & (g < groups) : rowIn;
        if (groupActScales)
          scales.push_back(load(saRows + g, rowMask, 0.0));
        for (int t = 0; t < tiles; ++t) {
          Value in = t ? upColsIn : colsIn;
          scales.push_back(load((t ? sbUpCols : sbCols) + g,
                                guard ? in & (g < groups) : in, 0.0));
        }
        return scales;
      };
      std::vector<Value> carried(tiles, full({BM, BNc}, 0.0, DType::F32));
      if (ahead)
        for (Value s : loadScales(constant(0, DType::I32), /*guard=*/true))
          carried.push_back(s);
      // Quant group g into the master accumulators; `guard`: g may be past
      // the last group (the second of a step of two), its loads masked off.
      auto oneGroup = [&](Value g, bool guard, std::vector<Value> master,
                          std::vector<Value> scales) {
        Value k0 = g * Gk;
        Value aIn = aMask, bIn = bMask, bUpIn = bUpMask;
        if (guard) {
          Value inRange = g < groups;
          aIn = aMask & inRange;
          bIn = bMask & inRange;
          bUpIn = bUpMask & inRange;
        }
        // One chain per group (and per half with swiglu): a fresh
        // accumulator and the group's Gk / BK tiles. Up to
        // kGroupedGemmMaxUnrolledTiles of them are written out in the
        // body, so that the loop over groups is the K loop the compiler
        // pipelines (copies of the next groups' tiles in flight while
        // this one computes); more run in a loop of constant trip count
        // (pipelined within the group).
        Value fresh = full({BM, BNc}, 0.0, native ? DType::I32 : DType::F32);
        // One K tile: one A tile, and per half its B tile and dot.
        auto step = [&](Value kk, std::vector<Value> chains) {
          Value ks = range(0, BK) + (k0 + kk); // [BK]
          Value aTile = load(aRows + expandDims(ks, 0), aIn, 0);
          for (int t = 0; t < tiles; ++t) {
            Value bTile = load((t ? bUpCols : bCols) + expandDims(ks, 1),
                               t ? bUpIn : bIn, 0);
            // int4: even rows take the low nibble (shifted up first),
            // odd ones the high; the arithmetic shift down sign-extends.
            if (int4)
              bTile = ashr(shl(bTile, t ? upNibbleShift : nibbleShift), 4);
            chains[t] = dot(aTile, bTile, chains[t],
                            native ? Precision::Native : Precision::F16Exact);
          }
          return chains;
        };
        std::vector<Value> parts(tiles, fresh);
        if (groupedGemmGroupWrittenOut(spec)) {
          for (int kk = 0; kk < Gk; kk += BK)
            parts = step(constant(kk, DType::I32), parts);
        } else {
          parts = forLoop(0, Gk, BK, parts,
                          [&](Value kk, std::vector<Value> chains) {
                            return step(kk, chains);
                          });
        }
        std::vector<Value> I; // RNE; exact for f16_exact
        for (Value part : parts)
          I.push_back(part.to(DType::F32));
        if (!ahead)
          scales = loadScales(g, guard);
        Value sA = groupActScales ? scales[0] : saToken;
        for (int t = 0; t < tiles; ++t) {
          Value sB = scales[(groupActScales ? 1 : 0) + t];
          Value s = expandDims(sA, 1) * expandDims(sB, 0);
          master[t] = fma(I[t], s, master[t]);
        }
        return master;
      };
      // groups_per_step groups an iteration (ahead: one).
      const int G = spec.groupsPerStep;
      std::vector<Value> acc = forLoop(
          0, groups, G, carried, [&](Value g, std::vector<Value> state) {
            std::vector<Value> master(state.begin(), state.begin() + tiles);
            std::vector<Value> scales(state.begin() + tiles, state.end());
            std::vector<Value> nextScales;
            if (ahead)
              nextScales = loadScales(g + 1, /*guard=*/true);
            for (int q = 0; q < G; ++q)
              master = oneGroup(q ? g + q : g, /*guard=*/q > 0, master,
                                scales);
            for (Value s : nextScales)
              master.push_back(s);
            return master;
          });
      // SwiGLU: silu(gate) * up in f32, then the one rounding to out.
      Value result = swiglu ? silu(acc[0]) * acc[1] : acc[0];
      store(outRows + expandDims(cols, 0), result.to(outType), aMask & bMask);
      if (colSplit)
        store(outRows + expandDims(upRows, 0), acc[1].to(outType),
              aMask & bUpMask);
    });
    return std::vector<Value>{};
  });
  return k.finish();
}

} // namespace tile::kernels
