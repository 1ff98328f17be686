//===- SiluMulNvfp4.cpp - NVFP4 fused SiLU-mul expert quant in the DSL ----===//
//
// One program covers blocksPerProgram blocks of 16 of one row as a
// [blocks, 16] tile. The expert of the row is a count over the offsets; e2m1
// codes come from tile.fp_to_fp (integer/float arithmetic on Hopper, which
// has no e2m1 instruction), and pairs are packed into bytes by weighting the
// odd element by 16 and summing pairs.
//
//===----------------------------------------------------------------------===//

#include "SiluMulNvfp4.h"
#include "QuantTile.h"

using namespace tile::dsl;

namespace tile::kernels {

mlir::FailureOr<mlir::OwningOpRef<mlir::ModuleOp>>
buildSiluMulNvfp4(mlir::MLIRContext &ctx, const SiluMulNvfp4Spec &spec) {
  const int B = spec.blocksPerProgram;
  KernelOptions options;
  options.numWarps = spec.numWarps;
  KernelBuilder k(ctx, "silu_mul_nvfp4", options);
  Value x = k.pointer("x", DType::BF16);
  Value q = k.pointer("q", DType::I8);
  Value s = k.pointer("scales", DType::F8E4M3);
  Value offsets = k.pointer("offsets", DType::I32, 4);
  Value globalScales = k.pointer("global_scales", DType::F32, 4);
  Value M = k.scalar("M", DType::I32);
  Value K = k.scalar("K", DType::I32, 16);
  Value E = k.scalar("E", DType::I32);
  Value strideX = k.scalar("stride_x", DType::I32, spec.strideDivisibility);
  (void)M;

  Value blocks = K / 16;
  GroupBlock program = groupBlock(blocks, B, /*padToWords=*/true);
  Value row = program.row, padded = program.padded;

  // The row's expert: how many experts end at or before it.
  Value ends = range(1, spec.maxExperts + 1);
  Value ended = load(offsets + ends, ends <= E, 0);
  Value counted = where((ends <= E) & (row >= ended), constant(1, DType::I32),
                        constant(0, DType::I32));
  Value expert = sum(counted, 0);
  Value gs = load(globalScales + expert);

  Value c = program.g; // [B] block indices
  Value live = c < blocks;
  Value cols = expandDims(c * 16, 1) + expandDims(range(0, 16), 0); // [B, 16]
  Value mask = expandDims(live, 1);
  Value base = x + row * strideX;
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
  Value codes = bitcast(toE2M1(y * expandDims(inverse, 1)), DType::I4)
                    .to(DType::I32) &
                15;                                      // [B, 16]
  // Low nibble first: weight the odd elements by 16 and add pairs.
  Value weights = where(range(0, 16) % 2 == 0, constant(1, DType::I32),
                        constant(16, DType::I32));
  Value pairs = reshape(codes * weights, {B, 8, 2});
  Value bytes = sum(pairs, 2).to(DType::I8);             // [B, 8]
  Value qCols = expandDims(c * 8, 1) + expandDims(range(0, 8), 0);
  store(q + row * (K / 2) + qCols, bytes, mask);

  // Swizzled scales; zeros in the padding columns of the row.
  Value colTiles = (blocks + 3) / 4;
  Value offset = ((row / 128) * colTiles + c / 4) * 512 + (row % 32) * 16 +
                 (row % 128 / 32) * 4 + c % 4;
  Value zero = full({B}, 0.0, DType::F32);
  Value stored = where(live, sf, toFp8(zero));
  store(s + offset, stored, c < padded);
  return k.finish();
}

} // namespace tile::kernels
