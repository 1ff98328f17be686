//===- TokenQuant.cpp - Per-token quantization in the DSL -----------------===//
//
// A [rowsPerProgram, blockK] tile (and, with tailK, a [rowsPerProgram, tailK]
// tile of the columns after it) holds whole rows; the absmax is a reduction
// along them, and the quantization reuses the registers: each byte of x is
// read once. With loopK, rows of any length go through the tile in chunks,
// twice (absmax, then quantize).
//
//===----------------------------------------------------------------------===//

#include "TokenQuant.h"
#include "QuantTile.h"

#include <vector>

using namespace tile::dsl;

namespace tile::kernels {

mlir::FailureOr<mlir::OwningOpRef<mlir::ModuleOp>>
buildTokenQuant(mlir::MLIRContext &ctx, const TokenQuantSpec &spec) {
  const int R = spec.rowsPerProgram, BK = spec.blockK;
  KernelOptions options;
  options.numWarps = spec.numWarps;
  KernelBuilder k(ctx, "token_quant", options);
  Value x = k.pointer("x", dtypeOf(spec.in));
  Value q = k.pointer("q", spec.out == OutType::FP8 ? DType::F8E4M3 : DType::I8);
  Value s = k.pointer("scales", DType::F32, 4);
  Value M = k.scalar("M", DType::I32);
  Value K = k.scalar("K", DType::I32, spec.kDivisibility);
  Value strideX = k.scalar("stride_x", DType::I32, spec.kDivisibility);
  Value strideQ = k.scalar("stride_q", DType::I32, spec.kDivisibility);
  Value strideS = k.scalar("scale_stride", DType::I32);

  Value rows = programId(0) * R + range(0, R); // [R]
  Value liveRows = rows < M;
  // The rows' bases in 64 bits ([R, 1] pointers); columns stay 32-bit.
  Value xRows = x + expandDims(rowOffset(rows, strideX), 1);
  Value qRows = q + expandDims(rowOffset(rows, strideQ), 1);
  // One [R, width] tile of the rows' columns [first, first + width).
  struct Part {
    Value cols, mask, xs;
  };
  auto part = [&](Operand first, int width, Evict evict) {
    Part p;
    p.cols = range(0, width) + first;
    p.mask = expandDims(liveRows, 1) & expandDims(p.cols < K, 0);
    p.xs = load(xRows + expandDims(p.cols, 0), p.mask, 0.0, Cache::None, evict)
               .to(DType::F32);
    return p;
  };
  auto quantizePart = [&](const Part &p, const QuantizedRows &scales) {
    Value codes = quantizeWith(p.xs, scales, spec.out, spec.int8Rounding);
    store(qRows + expandDims(p.cols, 0), codes, p.mask);
  };

  QuantizedRows scales;
  if (spec.loopK) {
    // Rows longer than a tile: the absmax over blockK-wide chunks, then a
    // second pass that reads the row again (mostly from L2) and quantizes.
    Value zero = full({R}, 0.0, DType::F32);
    Value absmax = forLoop(0, K, BK, {zero}, [&](Value k0, std::vector<Value> c) {
                     Part p = part(k0, BK, Evict::Last);
                     return std::vector<Value>{maximum(c[0], max(abs(p.xs), 1))};
                   })[0];
    scales = rowScales(absmax, spec.out, spec.ue8m0, spec.eps);
    forLoop(0, K, BK, {}, [&](Value k0, std::vector<Value>) {
      quantizePart(part(k0, BK, Evict::Normal), scales);
      return std::vector<Value>{};
    });
  } else {
    std::vector<Part> parts{part(0, BK, Evict::Normal)};
    if (spec.tailK > 0)
      parts.push_back(part(BK, spec.tailK, Evict::Normal));
    Value absmax = max(abs(parts[0].xs), 1);
    for (size_t i = 1; i < parts.size(); ++i)
      absmax = maximum(absmax, max(abs(parts[i].xs), 1));
    scales = rowScales(absmax, spec.out, spec.ue8m0, spec.eps);
    for (const Part &p : parts)
      quantizePart(p, scales);
  }
  store(s + rowOffset(rows, strideS), scales.scale, liveRows);
  return k.finish();
}

} // namespace tile::kernels
