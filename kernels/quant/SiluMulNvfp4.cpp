//===- SiluMulNvfp4.cpp - NVFP4 fused SiLU-mul expert quant in the DSL ----===//
//
// One program covers blocksPerProgram blocks of 16 of one row as a
// [blocks, 16] tile (program_id(0) the row, program_id(1) the chunk of
// blocks); one more program per expert (and chunk of blocks)
// zeroes the padding rows of the expert's last 128-row scale block. The
// expert of a row is a count over the offsets, expertsPerStep at a time; e2m1
// codes come packed two a byte from tile.fp_to_e2m1x2 (FMA arithmetic and
// byte permutations on Hopper, which has no e2m1 instruction).
//
//===----------------------------------------------------------------------===//

#include "SiluMulNvfp4.h"
#include "QuantTile.h"

using namespace tile::dsl;

namespace tile::kernels {

mlir::FailureOr<mlir::OwningOpRef<mlir::ModuleOp>>
buildSiluMulNvfp4(mlir::MLIRContext &ctx, const SiluMulNvfp4Spec &spec) {
  const int B = spec.blocksPerProgram, P = spec.expertsPerStep;
  KernelOptions options;
  options.numWarps = spec.numWarps;
  KernelBuilder k(ctx, "silu_mul_nvfp4", options);
  Value x = k.pointer("x", DType::BF16);
  Value q = k.pointer("q", DType::I8);
  Value s = k.pointer("scales", DType::F8E4M3);
  Value offsets = k.pointer("offsets", DType::I32, 4);
  Value sfOffsets = k.pointer("sf_offsets", DType::I32, 4);
  Value globalScales = k.pointer("global_scales", DType::F32, 4);
  Value M = k.scalar("M", DType::I32);
  Value K = k.scalar("K", DType::I32, 16);
  Value E = k.scalar("E", DType::I32);
  Value strideX = k.scalar("stride_x", DType::I32, spec.strideDivisibility);

  // Programs (x): M data rows, then one padding program per expert; (y) the
  // chunks of B blocks of a row. A 2-D grid: no program divides its id
  // (measured 7.7% faster on an H200 than the linear id divided by the
  // chunks, whose chain of dependent instructions held back the loads).
  Value blocks = K / 16;
  Value padded = (blocks + 3) / 4 * 4;
  Value row = programId(0);
  Value c = programId(1) * B + range(0, B); // [B] block indices
  Value dataRow = row < M;

  // The scale byte of scale row j (a multiple of 128 starts each expert),
  // block c: ((j / 128) * ceil(K/64) + c / 4) * 512 + (j % 32) * 16 +
  // (j % 128 / 32) * 4 + c % 4, the row's part in 64 bits.
  Value colTiles = (blocks + 3) / 4;
  Value inTile = (c / 4) * 512 + c % 4; // [B]
  auto scaleRow = [&](Value j) {
    return s + (rowOffset(j / 128, colTiles) * 512 +
                ((j % 32) * 16 + (j % 128 / 32) * 4).to(DType::I64));
  };

  // A data program: its row's codes and scales (the padding programs' work
  // apart, so that neither path holds the other's values).
  ifThen(dataRow, [&] {
    // Rows at or past offsets[E] (a padded batch) are neither read nor
    // written.
    Value live = row < load(offsets + E);
    // A data row's expert: how many experts end at or before it, counted P
    // offsets at a time (any expert count): the first P in straight-line code
    // (every E up to P, the common case), the rest in a loop that runs only
    // for more experts; each thread keeps its own counts and they are summed
    // once, after the loop. (Searched before the loads of x, as the expert's
    // facts are loaded: measured faster on an H200 than after them.)
    auto ended = [&](Value first) { // [P]: 1 where an expert ends at or before row
      Value ends = range(1, P + 1) + first;
      Value inRange = ends <= E;
      Value end = load(offsets + ends, inRange, 0);
      return where(inRange & (row >= end), constant(1, DType::I32),
                   constant(0, DType::I32));
    };
    Value counts = forLoop(P, E, P, {ended(constant(0, DType::I32))},
                           [&](Value e0, std::vector<Value> n) {
                             return std::vector<Value>{n[0] + ended(e0)};
                           })[0];
    Value expert = sum(counts, 0); // <= E
    Value first = load(offsets + expert);       // the expert's first row
    Value sfFirst = load(sfOffsets + expert);   // its first scale row
    Value gs = load(globalScales + expert, live, 0.0);

    Value liveBlock = c < blocks;
    Value cols = expandDims(c * 16, 1) + expandDims(range(0, 16), 0); // [B, 16]
    Value mask = expandDims(liveBlock, 1) & live;
    Value base = x + rowOffset(row, strideX);
    Value gate = load(base + (spec.upFirst ? cols + K : cols), mask, 0.0)
                     .to(DType::F32);
    Value up = load(base + (spec.upFirst ? cols : cols + K), mask, 0.0)
                   .to(DType::F32);

    Value sb = silu(gate).to(DType::BF16).to(DType::F32);
    Value y = (sb * up).to(DType::BF16).to(DType::F32);

    Value absmax = max(abs(y), 1);                         // [B]
    Value sf = toFp8(gs * absmax / 6.0);                   // [B] e4m3
    Value sff = sf.to(DType::F32);
    Value inverse = where(sff == 0.0, constant(0.0, DType::F32),
                          1.0 / (sff / gs));
    // Two codes a byte, the even element's in the low nibble.
    Value bytes = toE2M1x2(y * expandDims(inverse, 1));    // [B, 8] i8
    Value qCols = expandDims(c * 8, 1) + expandDims(range(0, 8), 0);
    store(q + rowOffset(row, K / 2) + qCols, bytes, mask);

    // Swizzled scales; zeros in the padding columns of the row.
    Value zero = toFp8(full({B}, 0.0, DType::F32));
    Value stored = where(liveBlock, sf, zero);
    store(scaleRow(sfFirst + (row - first)) + inTile, stored,
          (c < padded) & live);
  });

  // A padding program writes zeros in its expert's padding rows: from the
  // expert's last row to the end of its last 128-row block.
  ifThen(row >= M, [&] {
    Value expert = row - M;
    Value first = load(offsets + expert), sfFirst = load(sfOffsets + expert);
    Value rowsOfExpert = load(offsets + expert + 1) - first;
    Value padTo = sfFirst + (rowsOfExpert + 127) / 128 * 128;
    Value zero = toFp8(full({B}, 0.0, DType::F32));
    forLoop(sfFirst + rowsOfExpert, padTo, 1, {},
            [&](Value j, std::vector<Value>) {
              store(scaleRow(j) + inTile, zero, c < padded);
              return std::vector<Value>{};
            });
  });
  return k.finish();
}

} // namespace tile::kernels
